"""AWS failures turned into one line that says what happened and what to do.

``explain(error)`` maps a botocore exception to an ``AwsProblem`` whose message fits on
one line and whose ``exit_code`` the command line returns:

- 3: no usable credentials (none found, or expired);
- 4: access denied, naming the IAM action that was refused;
- 5: throttled, after botocore's standard retry mode gave up;
- 1: any other refusal or an unreachable endpoint.
"""

from __future__ import annotations

import re

from awml.aws.actions import iam_action

NO_CREDENTIALS = 3
ACCESS_DENIED = 4
THROTTLED = 5
AWS_FAILED = 1

ACCESS_DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
    "AuthorizationError", "Forbidden", "403",
})
EXPIRED_CODES = frozenset({
    "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException",
    "InvalidAccessKeyId", "SignatureDoesNotMatch",
})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete",
})
HOW_TO_CONFIGURE = (
    "run `aws configure` (access key of your course IAM user) or `aws sso login`, "
    "or set AWS_PROFILE; inside SageMaker Studio the space's execution role provides them"
)
_NOT_AUTHORIZED = re.compile(r"not authorized to perform:? ([A-Za-z0-9-]+:[A-Za-z0-9*]+)")


class AwsProblem(Exception):
    """A failed AWS request, explained in one line, with the exit status to return."""

    def __init__(self, message: str, exit_code: int = AWS_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _refused_action(error, service: str | None) -> str:
    message = error.response.get("Error", {}).get("Message", "") or ""
    named = _NOT_AUTHORIZED.search(message)
    if named:
        return named.group(1)
    operation = getattr(error, "operation_name", "") or "?"
    if service is None:
        from awml.aws.clients import last_call

        call = last_call()
        service = call[0] if call and call[1] == operation else None
    return iam_action(service, operation) if service else operation


def explain(error: Exception, service: str | None = None) -> AwsProblem:
    """Return the one-line ``AwsProblem`` for a botocore exception.

    ``service`` is the signing name of the client that failed (``sagemaker``, ``s3``);
    when None, the latest recorded call of this thread supplies it.
    """
    from botocore.exceptions import (ClientError, EndpointConnectionError,
                                     NoCredentialsError, PartialCredentialsError,
                                     TokenRetrievalError)

    if isinstance(error, (NoCredentialsError, PartialCredentialsError, TokenRetrievalError)):
        return AwsProblem(f"No AWS credentials found: {HOW_TO_CONFIGURE}.", NO_CREDENTIALS)
    if isinstance(error, EndpointConnectionError):
        return AwsProblem(f"Cannot reach AWS ({error}); check the network and the region.")
    if not isinstance(error, ClientError):
        return AwsProblem(f"AWS request failed: {error}")

    code = error.response.get("Error", {}).get("Code", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    operation = getattr(error, "operation_name", "?")
    if code in EXPIRED_CODES:
        return AwsProblem(f"AWS did not accept your credentials ({code}): {HOW_TO_CONFIGURE}.",
                          NO_CREDENTIALS)
    if code in ACCESS_DENIED_CODES or status == 403:
        action = _refused_action(error, service)
        return AwsProblem(
            f"Access denied: your AWS identity may not call {action}; ask the instructor to "
            "attach the course IAM policy that allows it.", ACCESS_DENIED)
    if code in THROTTLING_CODES:
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        return AwsProblem(
            f"AWS throttled {operation} ({code}) and it still failed after {attempts} retries; "
            "wait a minute and run the command again.", THROTTLED)
    message = error.response.get("Error", {}).get("Message", "") or code
    return AwsProblem(f"AWS refused {operation}: {message}")
