"""What every command shares: the course file, the artifact stores, one-line failures."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import typer

USAGE = 2
EXIT_STATUSES = (
    "Exit status: 0 done (or nothing to do), 1 AWS refused the request, 2 bad input, "
    "3 no usable AWS credentials, 4 access denied, 5 throttled after retries."
)


def fail(message: str, code: int) -> None:
    """Print ``message`` on standard error and leave with exit status ``code``."""
    typer.echo(f"awml: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn bad input and AWS failures into one line and an exit status."""
    from awml.aws.errors import AwsProblem

    try:
        yield
    except AwsProblem as problem:
        fail(str(problem), problem.exit_code)
    except (ValueError, FileNotFoundError) as error:
        fail(str(error), USAGE)
    except Exception as error:
        if type(error).__module__.startswith(("botocore", "boto3", "s3transfer")):
            from awml.aws.errors import explain

            problem = explain(error)
            fail(str(problem), problem.exit_code)
        raise


def course():
    """Return the course configuration (``course.yml``)."""
    from awml.course import course_config

    return course_config()


def remote_location(option: str | None) -> str:
    """Return the shared artifact store: ``option``, an s3 ``AWML_ARTIFACTS``, or course.yml."""
    if option:
        return option
    configured = os.environ.get("AWML_ARTIFACTS", "").strip()
    if configured.startswith("s3://"):
        return configured
    return course().get("aws.artifacts")


def open_store(location: str):
    """Return the artifact store at ``location``; an S3 store gets a recorded client."""
    from awml.aws.clients import client
    from awml.runs.store import S3Store, parse_location

    store = parse_location(location)
    if isinstance(store, S3Store):
        return S3Store(store.bucket, store.prefix, client=client("s3"))
    return store


def duration(seconds: float) -> str:
    """Return ``seconds`` as ``3 d 4 h``, ``2 h 05 min`` or ``12 min``."""
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def table(rows: list[list[str]]) -> str:
    """Return ``rows`` (the first one the header) as left-aligned columns."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in rows)
