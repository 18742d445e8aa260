"""`awml artifacts push|pull` between the local artifact folder and an S3 store (moto)."""

from __future__ import annotations

import pytest
from moto import mock_aws
from typer.testing import CliRunner

from awml.cli.main import app
from awml.runs.artifacts import check_run, write_run
from awml.runs.run_or_load import RunResult
from awml.runs.store import LocalStore
from awsfakes import aws_env, calls_are_declared  # noqa: F401

runner = CliRunner()
BUCKET = "awml-test-artifacts"
REMOTE = f"s3://{BUCKET}/book"


def _write(folder, key: str, value: float) -> None:
    manifest = {"task": key.split("/")[1], "profile": key.split("/")[0], "config": {}}
    write_run(folder / key, manifest,
              RunResult(metrics={"psnr": value}, history={"loss": [1.0, value]}))


@pytest.fixture
def s3(aws_env, tmp_path, monkeypatch):
    """A moto S3 bucket, and a local artifact folder holding a gpu run and a cpu run."""
    import boto3

    local = tmp_path / "artifacts"
    _write(local, "gpu/denoising/aaaa", 19.9)
    _write(local, "cpu/denoising/bbbb", 12.0)
    monkeypatch.setenv("AWML_ARTIFACTS_DIR", str(local))
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def _keys(client) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix="book/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_push_publishes_gpu_runs_once(s3):
    dry = runner.invoke(app, ["artifacts", "push", "--to", REMOTE, "--dry-run"])
    assert dry.exit_code == 0 and "would copy gpu/denoising/aaaa" in dry.output
    assert _keys(s3) == []

    first = runner.invoke(app, ["artifacts", "push", "--to", REMOTE])
    assert first.exit_code == 0, first.output
    assert "1 run(s) pushed" in first.output
    assert "book/gpu/denoising/aaaa/manifest.json" in _keys(s3)
    assert not any("/cpu/" in key for key in _keys(s3))

    again = runner.invoke(app, ["artifacts", "push", "--to", REMOTE])
    assert "0 run(s) pushed" in again.output and "1 already there" in again.output


def test_pull_brings_checked_runs_into_the_local_folder(s3, tmp_path, monkeypatch):
    runner.invoke(app, ["artifacts", "push", "--to", REMOTE, "--profile", "all"])
    elsewhere = tmp_path / "checkout" / "artifacts"
    monkeypatch.setenv("AWML_ARTIFACTS_DIR", str(elsewhere))
    monkeypatch.setenv("AWML_ARTIFACTS", REMOTE)  # the default source of a pull
    result = runner.invoke(app, ["artifacts", "pull"])
    assert result.exit_code == 0, result.output
    assert f"1 run(s) pulled from {REMOTE} to {elsewhere}" in result.output
    assert LocalStore(elsewhere).keys("gpu") == ["gpu/denoising/aaaa"]
    assert LocalStore(elsewhere).keys("cpu") == []
    check_run(elsewhere / "gpu/denoising/aaaa", {"task": "denoising", "profile": "gpu"})


def test_pull_refuses_a_run_whose_files_do_not_match(s3, tmp_path, monkeypatch):
    runner.invoke(app, ["artifacts", "push", "--to", REMOTE])
    s3.put_object(Bucket=BUCKET, Key="book/gpu/denoising/aaaa/metrics.json", Body=b"{}")
    monkeypatch.setenv("AWML_ARTIFACTS_DIR", str(tmp_path / "other"))
    result = runner.invoke(app, ["artifacts", "pull", "--from", REMOTE])
    assert result.exit_code == 1
    assert "refused gpu/denoising/aaaa: sha256 of metrics.json does not match" in result.output
    assert LocalStore(tmp_path / "other").keys("gpu") == []


def test_push_all_leaves_out_the_s3_cache_inside_the_local_folder(s3, tmp_path):
    runner.invoke(app, ["artifacts", "push", "--to", REMOTE])
    runner.invoke(app, ["artifacts", "pull", "--from", REMOTE])  # fills artifacts/.s3-cache
    result = runner.invoke(app, ["artifacts", "push", "--to", REMOTE, "--profile", "all"])
    assert result.exit_code == 0, result.output
    assert not any(".s3-cache" in key for key in _keys(s3))
    assert "1 run(s) pushed" in result.output  # the cpu run; the gpu run is already there


def test_bad_profile_is_refused(s3):
    result = runner.invoke(app, ["artifacts", "pull", "--from", REMOTE, "--profile", "tpu"])
    assert result.exit_code == 2 and "--profile 'tpu' is not one of" in result.output
