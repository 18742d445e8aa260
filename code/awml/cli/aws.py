"""``awml aws``: what runs in Studio and what it costs, stopping it, spend against budgets."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from awml.cli.common import EXIT_STATUSES, course, duration, handled, table

app = typer.Typer(help="See and stop what costs money in SageMaker Studio; check budgets.",
                  no_args_is_help=True, epilog=EXIT_STATUSES)

UserOption = Annotated[Optional[str], typer.Option(
    "--user", help="Studio user profile; default AWML_STUDIO_USER, the Studio space you are "
                   "in, or your IAM user name.")]


def _student(user: str | None):
    from awml.aws import studio
    from awml.aws.clients import client

    sagemaker = client("sagemaker")
    student = studio.resolve_user(sagemaker, course().get("aws.studio_domain_id"), user)
    spaces = studio.owned_spaces(sagemaker, student.domain_id, student.user_profile)
    apps = studio.running_apps(sagemaker, student.domain_id, student.user_profile,
                               {space["SpaceName"] for space in spaces})
    return sagemaker, student, spaces, apps


def cost_label(instance_type: str) -> str:
    """Return an instance's price per hour relative to the cheapest course instance."""
    from awml.aws.studio import FREE_INSTANCE_TYPES

    if instance_type in FREE_INSTANCE_TYPES:
        return "free"
    instance = course().instances.get(instance_type)
    return f"{instance.cost_ratio:g}x" if instance else "not in course.yml"


def _app_rows(apps) -> list[list[str]]:
    now = dt.datetime.now(dt.timezone.utc)
    rows = [["APP", "TYPE", "INSTANCE", "STATUS", "RUNNING FOR", "COST/HOUR"]]
    for app_ in apps:
        rows.append([app_.name, app_.app_type, app_.instance_type, app_.status,
                     duration(app_.running_for(now).total_seconds()),
                     cost_label(app_.instance_type)])
    return rows


@app.command()
def status(user: UserOption = None) -> None:
    """List your running Studio apps and your spaces: instance, status, time, cost."""
    with handled():
        _, student, spaces, apps = _student(user)
    typer.echo(f"Studio domain {student.domain_id}, user profile {student.user_profile} "
               f"(from {student.found_from}).")
    if apps:
        typer.echo(table(_app_rows(apps)))
        typer.echo(f"COST/HOUR is relative to {course().cpu_instance}. Closing the browser "
                   "stops nothing: stop an app with `awml aws stop APP --yes`.")
    else:
        typer.echo(f"Nothing is running: no Studio app of {student.user_profile} uses an "
                   "instance.")
    running = {app_.space_name for app_ in apps}
    for space in spaces:
        kind = space.get("SpaceSettingsSummary", {}).get("AppType", "?")
        state = "running" if space["SpaceName"] in running else "stopped"
        typer.echo(f"Space {space['SpaceName']} ({kind}): {state}.")


@app.command()
def stop(
    apps: Annotated[Optional[list[str]], typer.Argument(
        help="Apps to stop, as `awml aws status` names them (SPACE/APP), or space names.")]
    = None,
    every: Annotated[bool, typer.Option("--all", help="Stop all your running apps.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Really stop them; without it, only "
                                                    "show what would stop.")] = False,
    user: UserOption = None,
) -> None:
    """Stop Studio apps (their instances stop billing; files in the spaces stay)."""
    from awml.aws import studio

    with handled():
        sagemaker, student, _, running = _student(user)
        chosen = studio.select_apps(running, apps or [], every)
    if not chosen:
        typer.echo(f"Nothing is running for {student.user_profile}; nothing to stop.")
        return
    verb = "Stopping" if yes else "Would stop"
    typer.echo(f"{verb} {len(chosen)} app(s) of {student.user_profile}:")
    typer.echo(table(_app_rows(chosen)))
    if not yes:
        typer.echo("Nothing stopped: run the same command with --yes to stop them.")
        return
    with handled():
        for app_ in chosen:
            studio.stop_app(sagemaker, app_)
            typer.echo(f"Stopped {app_.name} ({app_.instance_type}).")
    typer.echo("Studio takes a minute to shut them down; `awml aws status` shows the progress.")


def _account_and_user(user: str | None) -> tuple[str, str | None]:
    from awml.aws.clients import client
    from awml.aws.studio import name_from_arn

    identity = client("sts").get_caller_identity()
    if user is None:
        try:
            user = name_from_arn(identity["Arn"])[1]
        except ValueError:
            user = None
    return identity["Account"], user


def _budget_line(figures) -> str:
    crossed = figures.crossed
    upcoming = [t for t in figures.thresholds if t not in crossed]
    alerts = (f"alert thresholds crossed: {', '.join(f'{t:g}%' for t in crossed)}" if crossed
              else "no alert threshold crossed")
    if upcoming:
        alerts += f" (next: {upcoming[0]:g}%)"
    return (f"{figures.actual:.2f} of {figures.limit:.2f} {figures.unit} "
            f"({figures.percent:.0f}%), {alerts}")


@app.command()
def budget(
    user: UserOption = None,
    by_usage: Annotated[bool, typer.Option(
        "--by-usage", help="Also list SageMaker cost per usage type since the course "
                           "started (Cost Explorer; each request costs USD 0.01).")] = False,
) -> None:
    """Show spend today (UTC day) and for the course against each budget."""
    from awml.aws.budgets import budget_name, read_budget, sagemaker_costs_by_usage
    from awml.aws.clients import client

    settings = course()
    with handled():
        account, user_name = _account_and_user(user)
        budgets = client("budgets")
        figures = {}
        for kind in ("daily", "course"):
            name = budget_name(settings.get(f"budgets.{kind}.name"), user_name)
            try:
                figures[kind] = read_budget(
                    budgets, account, name, kind,
                    settings.get(f"budgets.{kind}.alert_thresholds_percent"))
            except budgets.exceptions.NotFoundException:
                raise ValueError(f"account {account} has no budget named {name!r}; the "
                                 "instructor creates it (course.yml budgets)") from None
    today = dt.datetime.now(dt.timezone.utc).date()
    daily, whole = figures["daily"], figures["course"]
    typer.echo(f"Today ({today} UTC), budget {daily.name}: {_budget_line(daily)}.")
    since = f" since {whole.period_start:%Y-%m-%d}" if whole.period_start else ""
    typer.echo(f"Course{since}, budget {whole.name}: {_budget_line(whole)}.")
    if daily.history:
        days = ", ".join(f"{day:%m-%d} {amount:.2f}" for day, amount in daily.history)
        typer.echo(f"Earlier days ({daily.unit}): {days}.")
    hours = settings.get("budgets.refresh_hours")
    for figure in (daily, whole):
        when = (f"{figure.last_updated.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
                if figure.last_updated else "an unknown time")
        typer.echo(f"{figure.name} figures were last updated at {when}; AWS refreshes them "
                   f"every {hours[0]} to {hours[-1]} hours.")
    if by_usage:
        start = whole.period_start.date() if whole.period_start else today.replace(day=1)
        with handled():
            costs = sagemaker_costs_by_usage(client("ce"), start, today + dt.timedelta(days=1))
        typer.echo(f"SageMaker cost by usage type since {start} (whole account):")
        for usage, amount in costs.items():
            typer.echo(f"  {usage}: {amount:.2f} USD")
        if not costs:
            typer.echo("  none recorded yet.")
