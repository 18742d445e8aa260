"""`awml lab run`: a lab's heavy steps here, or as a SageMaker training job (moto)."""

from __future__ import annotations

import io
import sys
import tarfile
import textwrap

import pytest
from moto import mock_aws
from typer.testing import CliRunner

import awml.labs
from awml.cli.main import app
from awml.runs.store import LocalStore
from awsfakes import aws_env, calls_are_declared  # noqa: F401

runner = CliRunner()
BUCKET = "awml-test-artifacts"

FAKE_LAB = textwrap.dedent('''
    """A lab made for the tests: one heavy step through run_or_load."""
    from awml.runs import RunResult, run_or_load

    CONFIGS = {"smoke": {"n": 2}, "cpu": {"n": 3}, "gpu": {"n": 4}}

    def square(config):
        return RunResult(metrics={"square": float(config["n"] ** 2)})

    def run_all(profile):
        return [run_or_load("fakelab-square", CONFIGS, square, profile=profile,
                            gpu_minutes=1)]
''')


@pytest.fixture
def fake_lab(tmp_path, monkeypatch):
    """Register ``awml.labs.fakelab`` from a temporary folder for one test.

    The variables a lab run sets (profile, store, rank) are restored afterwards.
    """
    monkeypatch.setenv("AWML_PROFILE", "smoke")
    monkeypatch.setenv("AWML_ARTIFACTS", str(tmp_path / "default-store"))
    monkeypatch.setenv("RANK", "0")
    folder = tmp_path / "labs"
    folder.mkdir()
    (folder / "fakelab.py").write_text(FAKE_LAB)
    (folder / "fakehelper.py").write_text("def shared():\n    return 1\n")
    monkeypatch.setattr(awml.labs, "__path__", [*awml.labs.__path__, str(folder)])
    yield "fakelab"
    sys.modules.pop("awml.labs.fakelab", None)


def test_lab_list_and_run_here_store_the_run(fake_lab, tmp_path):
    listed = runner.invoke(app, ["lab", "list"])
    assert listed.exit_code == 0 and fake_lab in listed.output.split()
    store = tmp_path / "store"
    result = runner.invoke(app, ["lab", "run", fake_lab, "--profile", "cpu",
                                 "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"runs go to {store}" in result.output
    assert "fakelab-square: a CPU preview (profile cpu" in result.output
    assert LocalStore(store).keys("cpu/fakelab-square")


def test_only_rank_0_writes_to_the_shared_store(fake_lab, tmp_path, monkeypatch):
    from awml.runs.labs import run_lab

    store = tmp_path / "shared"
    monkeypatch.setenv("AWML_ARTIFACTS", str(store))
    monkeypatch.setenv("RANK", "1")
    run_lab(fake_lab, "smoke")
    assert not LocalStore(store).keys()
    monkeypatch.setenv("AWML_ARTIFACTS", str(store))
    monkeypatch.setenv("RANK", "0")
    run_lab(fake_lab, "smoke")
    assert LocalStore(store).keys() == [LocalStore(store).keys()[0]]


def test_unknown_lab_and_bad_options_are_refused(fake_lab):
    unknown = runner.invoke(app, ["lab", "run", "nolab"])
    assert unknown.exit_code == 2 and "LAB 'nolab' is not a lab; expected one of" in unknown.output
    helper = runner.invoke(app, ["lab", "run", "fakehelper"])
    assert helper.exit_code == 2 and "awml.labs.fakehelper defines no run_all" in helper.output
    assert "fakehelper" not in runner.invoke(app, ["lab", "list"]).output
    bad = runner.invoke(app, ["lab", "run", fake_lab, "--on", "mars"])
    assert bad.exit_code == 2 and "--on 'mars' is neither local nor sagemaker" in bad.output
    no_instance = runner.invoke(app, ["lab", "run", fake_lab, "--on", "sagemaker"])
    assert no_instance.exit_code == 2 and "needs --instance TYPE" in no_instance.output
    odd = runner.invoke(app, ["lab", "run", fake_lab, "--on", "sagemaker", "--instance",
                              "ml.x9.huge", "--store", f"s3://{BUCKET}/book"])
    assert odd.exit_code == 2 and "--instance 'ml.x9.huge' is not a training instance" in odd.output


def _job_args(lab: str, instance: str, *extra: str) -> list[str]:
    return ["lab", "run", lab, "--profile", "gpu", "--on", "sagemaker", "--instance", instance,
            "--store", f"s3://{BUCKET}/book", *extra]


@mock_aws
def test_training_job_is_only_shown_without_yes(aws_env, fake_lab):
    import boto3

    result = runner.invoke(app, _job_args(fake_lab, "ml.g4dn.12xlarge"))
    assert result.exit_code == 0, result.output
    assert "on ml.g4dn.12xlarge (4 GPU, torchrun, 4 processes)" in result.output
    assert "Nothing created" in result.output
    assert boto3.client("sagemaker").list_training_jobs()["TrainingJobSummaries"] == []


@mock_aws
@pytest.mark.parametrize("instance, launcher", [
    ("ml.g4dn.12xlarge", "exec torchrun --standalone --nproc_per_node=4 -m awml.cli.main"),
    ("ml.g4dn.xlarge", "exec python -m awml.cli.main"),
])
def test_training_job_runs_the_lab_and_writes_to_the_s3_store(aws_env, fake_lab, instance,
                                                              launcher):
    import boto3

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    result = runner.invoke(app, _job_args(fake_lab, instance, "--yes"))
    assert result.exit_code == 0, result.output
    assert f"awml artifacts pull --from s3://{BUCKET}/book" in result.output

    sagemaker = boto3.client("sagemaker")
    name = sagemaker.list_training_jobs()["TrainingJobSummaries"][0]["TrainingJobName"]
    job = sagemaker.describe_training_job(TrainingJobName=name)
    assert name.startswith("awml-fakelab-gpu-")
    assert job["ResourceConfig"]["InstanceType"] == instance
    assert job["RoleArn"] == "arn:aws:iam::111122223333:role/awml-training"
    command = job["AlgorithmSpecification"]["ContainerArguments"][0]
    assert f"{launcher} lab run fakelab --profile gpu" in command
    assert "timm==1.0.31" in command  # packages the image lacks, pinned by requirements.txt
    source = job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
    assert source == f"s3://{BUCKET}/book/jobs/{name}/"

    body = s3.get_object(Bucket=BUCKET, Key=f"book/jobs/{name}/source.tar.gz")["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        names = set(archive.getnames())
    assert {"course.yml", "_toc.yml", "requirements.txt", "code/awml/cli/main.py"} <= names
    assert not any("__pycache__" in name for name in names)


def test_training_job_request_sends_the_store_and_profile_to_the_container(root):
    from awml.aws.training import create_request, plan_job
    from awml.course import course_config

    plan = plan_job(course_config(), "denoising", "gpu", "ml.g5.12xlarge",
                    f"s3://{BUCKET}/book/", root)
    request = create_request(plan)
    assert request["Environment"]["AWML_ARTIFACTS"] == f"s3://{BUCKET}/book"
    assert request["Environment"]["AWML_PROFILE"] == "gpu"
    assert request["AlgorithmSpecification"]["TrainingImage"].startswith(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:")
    assert request["StoppingCondition"]["MaxRuntimeInSeconds"] == 6 * 3600
    with pytest.raises(ValueError, match="must be s3://bucket/prefix"):
        plan_job(course_config(), "denoising", "gpu", "ml.g5.12xlarge", "/tmp/local", root)
