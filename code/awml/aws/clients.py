"""boto3 clients for the course commands, with every API call they make recorded.

The record serves two purposes: an access-denied error names the IAM action of the call
that failed, and the tests check that every call is declared in ``awml.aws.actions``.
"""

from __future__ import annotations

import threading

from awml.aws.actions import Call

observed: set[Call] = set()
"""Every (service, operation) called through a client of this module in this process."""

_last = threading.local()


def last_call() -> Call | None:
    """Return the (service, operation) of the latest call made in this thread, or None."""
    return getattr(_last, "call", None)


def _record(model=None, **_) -> None:
    call = (model.service_model.signing_name, model.name)
    observed.add(call)
    _last.call = call


def client(service: str, region: str | None = None):
    """Return a boto3 client (standard retry mode) whose calls are recorded.

    ``region`` defaults to ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then the region in
    ``course.yml``.
    """
    import os

    from awml.aws_session import client as session_client

    if region is None and not (os.environ.get("AWS_REGION")
                               or os.environ.get("AWS_DEFAULT_REGION")):
        region = course_region()
    made = session_client(service, region=region)
    made.meta.events.register("before-parameter-build.*.*", _record,
                              unique_id="awml-record-call")
    return made


def course_region() -> str | None:
    """Return ``aws.region`` from ``course.yml``, or None without a course file."""
    from awml.course import course_config

    try:
        return course_config().get("aws.region")
    except (FileNotFoundError, KeyError):
        return None
