"""One clear line for each AWS failure: no credentials, access denied, throttling."""

from __future__ import annotations

import json

import pytest
from botocore.awsrequest import AWSResponse
from typer.testing import CliRunner

from awml.aws import clients
from awml.aws.errors import ACCESS_DENIED, NO_CREDENTIALS, THROTTLED, explain
from awml.cli.main import app
from awsfakes import aws_env, calls_are_declared, expect_listing, expect_user, stubs  # noqa: F401

runner = CliRunner()


def test_no_credentials_says_how_to_configure_them(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = runner.invoke(app, ["aws", "status"])
    assert result.exit_code == NO_CREDENTIALS
    assert result.output.count("\n") == 1
    assert result.output.startswith("awml: No AWS credentials found: run `aws configure`")


def test_access_denied_names_the_refused_action(stubs):
    sagemaker = stubs("sagemaker")
    expect_user(sagemaker)
    sagemaker.add_client_error("list_spaces", service_error_code="AccessDeniedException",
                               service_message="Access denied", http_status_code=400)
    result = runner.invoke(app, ["aws", "status", "--user", "jdoe"])
    assert result.exit_code == ACCESS_DENIED
    assert "Access denied: your AWS identity may not call sagemaker:ListSpaces" in result.output
    assert result.output.count("\n") == 1


def test_access_denied_takes_the_action_from_the_message_and_maps_s3_operations():
    from botocore.exceptions import ClientError

    named = ClientError({"Error": {"Code": "AccessDeniedException", "Message":
                                   "User: arn:aws:iam::1:user/jdoe is not authorized to "
                                   "perform: budgets:ViewBudget on resource: x"}},
                        "DescribeBudget")
    assert "budgets:ViewBudget" in str(explain(named))
    head = ClientError({"Error": {"Code": "403", "Message": "Forbidden"},
                        "ResponseMetadata": {"HTTPStatusCode": 403}}, "HeadObject")
    problem = explain(head, service="s3")
    assert problem.exit_code == ACCESS_DENIED and "s3:GetObject" in str(problem)


def test_expired_credentials_are_a_credentials_problem():
    from botocore.exceptions import ClientError

    expired = ClientError({"Error": {"Code": "ExpiredTokenException", "Message": "expired"}},
                          "ListApps")
    assert explain(expired).exit_code == NO_CREDENTIALS


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_):
        yield self.data


def serve(client, bodies: list[tuple[int, dict]]) -> list[int]:
    """Answer the client's HTTP requests with ``bodies`` in turn (the last one repeats).

    The answers pass through botocore's retry logic, unlike a Stubber's. Returns the list
    of statuses served, filled as requests arrive.
    """
    served: list[int] = []

    def send(request, **_):
        status, body = bodies[min(len(served), len(bodies) - 1)]
        served.append(status)
        return AWSResponse(request.url, status, {}, _Raw(json.dumps(body).encode()))

    client.meta.events.register("before-send.sagemaker", send)
    return served


THROTTLED_BODY = (400, {"__type": "ThrottlingException", "message": "Rate exceeded"})


@pytest.fixture
def sagemaker_http(aws_env, monkeypatch):
    """A real SageMaker client whose HTTP responses the test chooses; retries do not sleep."""
    client = clients.client("sagemaker")
    monkeypatch.setattr(clients, "client", lambda service, region=None: client)
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda seconds: None)
    return client


def test_throttled_calls_are_retried_until_they_succeed(sagemaker_http):
    served = serve(sagemaker_http, [
        (200, {"DomainId": "d-awmlcourse01", "UserProfileName": "jdoe"}),
        THROTTLED_BODY, THROTTLED_BODY, (200, {"Spaces": []}), (200, {"Apps": []})])
    result = runner.invoke(app, ["aws", "status", "--user", "jdoe"])
    assert result.exit_code == 0, result.output
    assert served == [200, 400, 400, 200, 200]
    assert "Nothing is running" in result.output


def test_throttling_that_never_ends_is_one_line_and_exit_5(sagemaker_http):
    served = serve(sagemaker_http, [(200, {}), THROTTLED_BODY])
    result = runner.invoke(app, ["aws", "status", "--user", "jdoe"])
    assert result.exit_code == THROTTLED
    assert len(served) == 1 + 9  # DescribeUserProfile, then ListSpaces and 8 retries
    assert "AWS throttled ListSpaces (ThrottlingException)" in result.output
    assert "after 8 retries" in result.output
    assert result.output.count("\n") == 1
