"""`awml` starts light (typer only) and every command answers --help."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from awml.cli.main import app

runner = CliRunner()


def test_importing_the_command_line_loads_neither_boto3_nor_torch():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, awml.cli.main; "
         "print(sorted(m for m in ('boto3', 'botocore', 'torch', 'yaml', 'sphinx') "
         "if m in sys.modules))"],
        capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


@pytest.mark.parametrize("command", [
    [], ["aws"], ["aws", "status"], ["aws", "stop"], ["aws", "budget"], ["studio", "open"],
    ["lab", "run"], ["lab", "list"], ["artifacts", "pull"], ["artifacts", "push"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_a_missing_argument_is_a_usage_error():
    result = runner.invoke(app, ["studio", "open"])
    assert result.exit_code == 2
