"""The GitHub Actions workflow of the book: valid, safe by zizmor's audits, and doing its job."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from awml.paths import project_root

ROOT = project_root(Path(__file__).parent)
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
BIN = Path(sys.executable).parent


def lint(workflow: Path, home: Path) -> list[subprocess.CompletedProcess]:
    """Run the schema check and zizmor's offline audits on one workflow file."""
    env = {"HOME": str(home), "PATH": str(BIN) + ":/usr/bin:/bin", "NO_COLOR": "1"}
    commands = [
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         str(workflow)],
        [str(BIN / "zizmor"), "--offline", "--no-progress", str(workflow)],
    ]
    return [subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
            for command in commands]


def test_the_workflow_passes_both_linters(tmp_path):
    results = lint(WORKFLOW, tmp_path)

    assert [result.returncode for result in results] == [0, 0], [r.stdout for r in results]


@pytest.mark.parametrize("change, linter", [
    (("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"), 0),  # a misspelt key
    (("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@main"), 1),
])
def test_the_linters_catch_a_broken_workflow(tmp_path, change, linter):
    broken = tmp_path / "book.yml"
    broken.write_text(WORKFLOW.read_text().replace(*change, 1))

    assert lint(broken, tmp_path)[linter].returncode != 0


def load() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


def test_it_builds_with_the_project_command_and_a_cache_keyed_on_what_pages_depend_on():
    build = load()["jobs"]["build"]
    steps = {step.get("name", step.get("uses", "")): step for step in build["steps"]}
    cache = next(step for step in build["steps"]
                 if step.get("uses", "").startswith("actions/cache"))

    assert any(step.get("run") == "make test" for step in build["steps"])
    assert "_build/.jupyter_cache" in cache["with"]["path"]
    for source in ("requirements.txt", "code/**", "book/**"):
        assert f"'{source}'" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].strip() == "jupyter-cache-"
    assert steps["Upload the built site for review"]["if"] == "github.event_name == 'pull_request'"


def test_it_publishes_to_pages_from_main_only():
    workflow = load()
    deploy = workflow["jobs"]["deploy"]

    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
