"""The AWS actions the course code calls, and the IAM action that authorises each.

``STUDENT_CALLS`` are what a student's commands call (``awml aws``, ``awml studio``,
``awml artifacts pull``); ``INSTRUCTOR_CALLS`` are added for the instructor (``awml lab run
--on sagemaker``, ``awml artifacts push``). The IAM policies in ``book/setup/iam`` are
rendered from these sets, and the tests check that every call the code makes is declared.
"""

from __future__ import annotations

from typing import Iterable

Call = tuple[str, str]
"""A call as (service signing name, API operation name), e.g. ("sagemaker", "ListApps")."""

STUDENT_CALLS: frozenset[Call] = frozenset({
    ("sts", "GetCallerIdentity"),
    ("sagemaker", "ListApps"),
    ("sagemaker", "ListSpaces"),
    ("sagemaker", "DescribeUserProfile"),
    ("sagemaker", "DeleteApp"),
    ("sagemaker", "CreatePresignedDomainUrl"),
    ("budgets", "DescribeBudget"),
    ("budgets", "DescribeNotificationsForBudget"),
    ("budgets", "DescribeBudgetPerformanceHistory"),
    ("ce", "GetCostAndUsage"),
    ("s3", "ListObjectsV2"),
    ("s3", "HeadObject"),
    ("s3", "GetObject"),
})

INSTRUCTOR_CALLS: frozenset[Call] = frozenset({
    ("s3", "PutObject"),
    ("s3", "CreateMultipartUpload"),
    ("s3", "UploadPart"),
    ("s3", "CompleteMultipartUpload"),
    ("s3", "AbortMultipartUpload"),
    ("s3", "DeleteObject"),
    ("sagemaker", "CreateTrainingJob"),
    ("sagemaker", "DescribeTrainingJob"),
})

# API operations whose IAM action has another name; the rest are "<service>:<operation>".
_IAM_NAMES: dict[Call, str] = {
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("budgets", "DescribeBudget"): "budgets:ViewBudget",
    ("budgets", "DescribeNotificationsForBudget"): "budgets:ViewBudget",
    ("budgets", "DescribeBudgetPerformanceHistory"): "budgets:ViewBudget",
}


def iam_action(service: str, operation: str) -> str:
    """Return the IAM action that authorises an API call, e.g. ``s3:ListBucket``."""
    return _IAM_NAMES.get((service, operation), f"{service}:{operation}")


def iam_actions(calls: Iterable[Call]) -> set[str]:
    """Return the IAM actions that authorise ``calls``."""
    return {iam_action(service, operation) for service, operation in calls}


def undeclared(calls: Iterable[Call]) -> set[Call]:
    """Return the calls of ``calls`` that neither set declares."""
    return set(calls) - STUDENT_CALLS - INSTRUCTOR_CALLS
