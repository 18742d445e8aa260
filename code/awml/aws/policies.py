"""Least-privilege IAM policies for students, instructors and the training jobs' role.

The policies are rendered from the calls the code makes (``awml.aws.actions``) and the
course file (region, domain, budgets, artifact bucket, training role), so a new call or a
new course offering changes them in one place. ``python -m awml.aws.policies`` writes them
to ``book/setup/iam/`` for the setup page; ``--check`` fails when those files are stale.

Resources are scoped by the IAM user's name (``${aws:username}``): a student's Studio user
profile and budgets carry their IAM user name, and their private spaces' names start with it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from awml.aws.actions import INSTRUCTOR_CALLS, STUDENT_CALLS, iam_actions

USER = "${aws:username}"
FILES = {"student": "student-policy.json", "instructor": "instructor-policy.json",
         "training-role": "training-role-policy.json"}

# Permissions that no API call of the code names but that AWS checks along with one.
EXTRA = {
    "instructor": {
        "sagemaker:AddTags",  # CreateTrainingJob with Tags also needs AddTags.
        "iam:PassRole",  # CreateTrainingJob hands the training role to SageMaker.
    },
}

SCOPE = {
    "sts:GetCallerIdentity": "any", "sagemaker:ListApps": "any", "sagemaker:ListSpaces": "any",
    "ce:GetCostAndUsage": "any",
    "sagemaker:DescribeUserProfile": "user-profile",
    "sagemaker:CreatePresignedDomainUrl": "user-profile",
    "sagemaker:DeleteApp": "own-apps",
    "budgets:ViewBudget": "budgets",
    "s3:ListBucket": "bucket",
    "s3:GetObject": "objects", "s3:PutObject": "objects", "s3:DeleteObject": "objects",
    "s3:AbortMultipartUpload": "objects",
    "sagemaker:CreateTrainingJob": "training-jobs",
    "sagemaker:DescribeTrainingJob": "training-jobs", "sagemaker:AddTags": "training-jobs",
    "iam:PassRole": "training-role",
}
SIDS = {"any": "ListAndIdentify", "user-profile": "OwnStudioUserProfile",
        "own-apps": "StopOwnStudioApps", "budgets": "ReadOwnBudgets",
        "bucket": "ListCourseArtifacts", "objects": "CourseArtifactObjects",
        "training-jobs": "CourseTrainingJobs", "training-role": "PassTrainingRole"}


def _artifacts(course) -> tuple[str, str]:
    bucket, _, prefix = course.get("aws.artifacts").removeprefix("s3://").partition("/")
    return bucket, prefix.strip("/")


def _scopes(course) -> dict[str, tuple[list[str], dict | None]]:
    """Return, per scope name, its resources and its condition (or None)."""
    region, domain = course.get("aws.region"), course.get("aws.studio_domain_id")
    bucket, prefix = _artifacts(course)
    objects = f"arn:aws:s3:::{bucket}/{prefix}/*" if prefix else f"arn:aws:s3:::{bucket}/*"
    listed = [prefix, f"{prefix}/*"] if prefix else ["*"]
    budget_names = [course.get(f"budgets.{kind}.name").replace("{user}", USER)
                    for kind in ("daily", "course")]
    return {
        "any": (["*"], None),
        "user-profile": ([f"arn:aws:sagemaker:{region}:*:user-profile/{domain}/{USER}"], None),
        "own-apps": ([f"arn:aws:sagemaker:{region}:*:app/{domain}/{USER}/*/*",
                      f"arn:aws:sagemaker:{region}:*:app/{domain}/{USER}-*/*/*"], None),
        "budgets": ([f"arn:aws:budgets::*:budget/{name}" for name in budget_names], None),
        "bucket": ([f"arn:aws:s3:::{bucket}"], {"StringLike": {"s3:prefix": listed}}),
        "objects": ([objects], None),
        "training-jobs": ([f"arn:aws:sagemaker:{region}:*:training-job/awml-*"], None),
        "training-role": ([course.get("training.role_arn")],
                          {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}),
    }


def policy_for(actions: set[str], course) -> dict:
    """Return an IAM policy document allowing ``actions``, each on its scoped resources."""
    unscoped = sorted(action for action in actions if action not in SCOPE)
    if unscoped:
        raise ValueError(f"actions {unscoped} have no resource scope in awml.aws.policies")
    scopes = _scopes(course)
    statements = []
    for scope, sid in SIDS.items():
        chosen = sorted(action for action in actions if SCOPE[action] == scope)
        if not chosen:
            continue
        resources, condition = scopes[scope]
        statement = {"Sid": sid, "Effect": "Allow", "Action": chosen,
                     "Resource": resources if len(resources) > 1 else resources[0]}
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def training_role_policy(course) -> dict:
    """Return the policy of the training jobs' execution role (trusted by SageMaker)."""
    bucket, prefix = _artifacts(course)
    region = course.get("aws.region")
    image = course.get("training.image").replace("{region}", region)
    registry, _, repository = image.partition("/")
    repository = repository.split(":", 1)[0].split("@", 1)[0]
    account = registry.split(".", 1)[0]
    scopes = _scopes(course)
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "ListCourseArtifacts", "Effect": "Allow", "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{bucket}", "Condition": scopes["bucket"][1]},
        {"Sid": "CourseArtifactObjects", "Effect": "Allow",
         "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject",
                    "s3:PutObject"],
         "Resource": scopes["objects"][0][0]},
        {"Sid": "PullTrainingImage", "Effect": "Allow",
         "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer"],
         "Resource": f"arn:aws:ecr:{region}:{account}:repository/{repository}"},
        {"Sid": "EcrSignIn", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken",
         "Resource": "*"},
        {"Sid": "TrainingLogs", "Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
                    "logs:PutLogEvents"],
         "Resource": f"arn:aws:logs:{region}:*:log-group:/aws/sagemaker/TrainingJobs*"},
        {"Sid": "TrainingMetrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData",
         "Resource": "*",
         "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/TrainingJobs"}}},
    ]}


def render(course) -> dict[str, dict]:
    """Return the three policies, keyed ``student``, ``instructor`` and ``training-role``."""
    student = iam_actions(STUDENT_CALLS)
    instructor = student | iam_actions(INSTRUCTOR_CALLS) | EXTRA["instructor"]
    return {"student": policy_for(student, course),
            "instructor": policy_for(instructor, course),
            "training-role": training_role_policy(course)}


def policy_text(policy: dict) -> str:
    """Return a policy as the JSON text stored in the repository."""
    return json.dumps(policy, indent=2) + "\n"


def stale_files(folder: Path, course) -> list[Path]:
    """Return the policy files of ``folder`` that differ from a fresh rendering."""
    rendered = render(course)
    return [folder / name for role, name in FILES.items()
            if not (folder / name).is_file()
            or (folder / name).read_text() != policy_text(rendered[role])]


def main(argv: list[str] | None = None) -> int:
    from awml.course import course_config
    from awml.paths import project_root

    args = sys.argv[1:] if argv is None else argv
    root = project_root() or Path.cwd()
    folder = root / "book" / "setup" / "iam"
    course = course_config()
    if "--check" in args:
        stale = stale_files(folder, course)
        for path in stale:
            print(f"{path} is stale: run python -m awml.aws.policies", file=sys.stderr)
        return 1 if stale else 0
    folder.mkdir(parents=True, exist_ok=True)
    for role, policy in render(course).items():
        (folder / FILES[role]).write_text(policy_text(policy))
        print(f"wrote {folder / FILES[role]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
