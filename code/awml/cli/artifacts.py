"""``awml artifacts``: bring recorded runs home from S3, or publish local ones."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from awml.cli.common import EXIT_STATUSES, handled, open_store, remote_location

app = typer.Typer(help="Copy recorded runs between the local artifact folder and S3.",
                  no_args_is_help=True, epilog=EXIT_STATUSES)

ProfileOption = Annotated[str, typer.Option(
    "--profile", help="Which runs: gpu, cpu, smoke or all.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Only list what would be "
                                                              "copied.")]


def _prefix(profile: str) -> str:
    if profile not in ("gpu", "cpu", "smoke", "all"):
        raise ValueError(f"--profile {profile!r} is not one of gpu, cpu, smoke, all")
    return "" if profile == "all" else profile


def _copy(source, target, profile: str, dry_run: bool, verb: str) -> None:
    from awml.runs.transfer import copy_runs

    with handled():
        report = copy_runs(source, target, _prefix(profile), dry_run=dry_run)
    for key in report.copied:
        typer.echo(f"{'would copy' if dry_run else 'copied'} {key}")
    for key, reason in report.refused:
        typer.echo(f"refused {key}: {reason}", err=True)
    done = "would be copied" if dry_run else verb
    typer.echo(f"{len(report.copied)} run(s) {done} from {source.describe()} to "
               f"{target.describe()}; {len(report.unchanged)} already there, "
               f"{len(report.refused)} refused.")
    if report.refused:
        raise typer.Exit(1)


@app.command()
def pull(
    source: Annotated[Optional[str], typer.Option(
        "--from", help="Store to pull from; default AWML_ARTIFACTS (when s3://) or "
                       "aws.artifacts of course.yml.")] = None,
    profile: ProfileOption = "gpu",
    dry_run: DryRunOption = False,
) -> None:
    """Copy recorded runs into the local artifact folder, so the next build shows them."""
    from awml.paths import artifacts_dir
    from awml.runs.store import LocalStore

    with handled():
        remote = open_store(remote_location(source))
    _copy(remote, LocalStore(artifacts_dir()), profile, dry_run, "pulled")


@app.command()
def push(
    target: Annotated[Optional[str], typer.Option(
        "--to", help="Store to publish to; default AWML_ARTIFACTS (when s3://) or "
                     "aws.artifacts of course.yml.")] = None,
    profile: ProfileOption = "gpu",
    dry_run: DryRunOption = False,
) -> None:
    """Publish the local artifact folder's runs to the shared store."""
    from awml.paths import artifacts_dir
    from awml.runs.store import LocalStore

    with handled():
        remote = open_store(remote_location(target))
    _copy(LocalStore(artifacts_dir()), remote, profile, dry_run, "pushed")
