"""Test-wide settings: the smoke profile, offline sources, nothing written to $HOME.

Every test runs with the environment of an offline book build (see
``awml.book.build.build_environment``), the ``smoke`` profile, and a fresh artifact store
in a temporary folder, so no test reuses a run stored by the book or by another test.
"""

import os
import tempfile
from pathlib import Path

import pytest
# urllib3 probes IPv6 with a local socket when imported: import it before sockets are blocked.
import urllib3  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

from awml.book.build import build_environment, prepare  # noqa: E402

prepare(ROOT)
_session_env = build_environment(ROOT)
_session_env["AWML_PROFILE"] = "smoke"
_session_env["AWML_ARTIFACTS_DIR"] = tempfile.mkdtemp(prefix="awml-test-artifacts-")
_session_env["AWML_OUTPUTS_DIR"] = tempfile.mkdtemp(prefix="awml-test-outputs-")
_session_env.pop("AWML_NETGUARD_LOG", None)  # pytest-socket guards the test process
_session_env.pop("PYTHONPATH", None)
os.environ.update(_session_env)


@pytest.fixture
def store(tmp_path):
    """A fresh local artifact store."""
    from awml.runs.store import LocalStore

    return LocalStore(tmp_path / "artifacts")


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT
