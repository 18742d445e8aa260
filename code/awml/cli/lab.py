"""``awml lab``: run a lab's heavy steps here or as a SageMaker training job."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from awml.cli.common import EXIT_STATUSES, course, handled, remote_location

app = typer.Typer(help="Run the labs' heavy steps (the cells tagged gpu).",
                  no_args_is_help=True, epilog=EXIT_STATUSES)


@app.command("list")
def list_labs() -> None:
    """List the labs that `awml lab run` knows."""
    from awml.runs.labs import lab_names

    names = lab_names()
    for name in names:
        typer.echo(name)
    if not names:
        typer.echo("No module of awml.labs defines run_all(profile) yet.")


def _summaries(result) -> list[str]:
    """Return the one-line summaries of the Runs a lab's ``run_all`` returned."""
    if isinstance(result, dict):
        items = list(result.values())
    elif isinstance(result, (list, tuple)):
        items = list(result)
    else:
        items = [result]
    return [item.summary() for item in items if hasattr(item, "summary")]


@app.command()
def run(
    lab: Annotated[str, typer.Argument(help="The lab, e.g. denoising (see `awml lab list`).")],
    profile: Annotated[str, typer.Option("--profile", help="smoke, cpu or gpu.")] = "gpu",
    on: Annotated[str, typer.Option("--on", help="local (this machine) or sagemaker (a "
                                                 "training job).")] = "local",
    instance: Annotated[Optional[str], typer.Option(
        "--instance", help="Training instance type for --on sagemaker (course.yml "
                           "training.instances).")] = None,
    store: Annotated[Optional[str], typer.Option(
        "--store", help="Artifact store: a folder or s3://bucket/prefix; default "
                        "AWML_ARTIFACTS (local runs) or aws.artifacts (training jobs).")]
    = None,
    role: Annotated[Optional[str], typer.Option(
        "--role", help="Execution role ARN of the training job; default course.yml.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Really create the training job; "
                                                    "without it, only show it.")] = False,
) -> None:
    """Run LAB's heavy steps for a profile, locally or as a SageMaker training job."""
    from awml.runs.labs import check_lab_name

    with handled():
        check_lab_name(lab)
        if on not in ("local", "sagemaker"):
            raise ValueError(f"--on {on!r} is neither local nor sagemaker")
        if profile not in ("smoke", "cpu", "gpu"):
            raise ValueError(f"--profile {profile!r} is not one of smoke, cpu, gpu")
    if on == "local":
        _run_here(lab, profile, store)
    else:
        _run_on_sagemaker(lab, profile, instance, store, role, yes)


def _run_here(lab: str, profile: str, store: str | None) -> None:
    from awml.runs.labs import run_lab
    from awml.runs.store import default_store

    if store:
        os.environ["AWML_ARTIFACTS"] = store
    with handled():
        typer.echo(f"Running lab {lab}, profile {profile}; runs go to "
                   f"{default_store().describe()}.")
        result = run_lab(lab, profile)
    for line in _summaries(result):
        typer.echo(line)
    typer.echo(f"Lab {lab} done.")


def _run_on_sagemaker(lab: str, profile: str, instance: str | None, store: str | None,
                      role: str | None, yes: bool) -> None:
    from awml.aws.clients import client
    from awml.aws.training import plan_job, submit
    from awml.paths import project_root

    settings = course()
    with handled():
        if not instance:
            raise ValueError("--on sagemaker needs --instance TYPE, one of "
                             + ", ".join(settings.get("training.instances")))
        root = project_root()
        if root is None:
            raise FileNotFoundError("run `awml lab run --on sagemaker` inside the book "
                                    "repository: the job takes its code from there")
        plan = plan_job(settings, lab, profile, instance, remote_location(store), root, role)
    processes = f"torchrun, {plan.gpus} processes" if plan.gpus > 1 else "1 process"
    typer.echo(f"Training job {plan.job_name}: lab {lab}, profile {profile}, on "
               f"{plan.instance_type} ({plan.gpus} GPU, {processes}), at most "
               f"{plan.max_runtime_seconds // 3600} h.")
    typer.echo(f"Image {plan.image}; role {plan.role_arn}; runs go to {plan.store}.")
    if not yes:
        typer.echo("Nothing created: run the same command with --yes to create the job "
                   "(it bills for the instance until the lab ends).")
        return
    with handled():
        arn = submit(plan, root, client("s3"), client("sagemaker"), settings.get("course"))
    region = settings.get("aws.region")
    typer.echo(f"Created {arn}.")
    typer.echo(f"Follow it: https://{region}.console.aws.amazon.com/sagemaker/home?region="
               f"{region}#/jobs/{plan.job_name}")
    typer.echo(f"When it has completed: awml artifacts pull --from {plan.store}")
