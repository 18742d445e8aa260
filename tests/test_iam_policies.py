"""The IAM policies of the setup page allow every AWS action the code calls, and no more.

Two checks find the calls: a static one reads every ``awml`` module for client methods and
paginators, and a dynamic one (``awsfakes.calls_are_declared``) records the calls that the
AWS tests make. Both must be declared in ``awml.aws.actions``, from which the policies in
``book/setup/iam`` are rendered.
"""

from __future__ import annotations

import ast
import json

import botocore.session
import pytest

from awml.aws import actions, policies, startup
from awml.course import course_config

SERVICES = ("sagemaker", "s3", "budgets", "ce", "sts")
TRANSFER = {  # s3transfer methods and the S3 operations they make
    "upload_file": {"PutObject", "CreateMultipartUpload", "UploadPart",
                    "CompleteMultipartUpload", "AbortMultipartUpload"},
    "download_file": {"HeadObject", "GetObject"},
}
INSTRUCTOR_ONLY = {"s3:PutObject", "s3:DeleteObject", "sagemaker:CreateTrainingJob",
                   "iam:PassRole", "sagemaker:AddTags"}


def _method_names() -> dict[str, set[actions.Call]]:
    session = botocore.session.get_session()
    names: dict[str, set[actions.Call]] = {}
    for service in SERVICES:
        model = session.get_service_model(service)
        for operation in model.operation_names:
            names.setdefault(botocore.xform_name(operation), set()).add(
                (model.signing_name, operation))
    for method, operations in TRANSFER.items():
        names[method] = {("s3", operation) for operation in operations}
    return names


def calls_in_code(package_dir) -> dict[str, tuple[set[actions.Call], list[str]]]:
    """Return each AWS client method written in the package: its possible calls and places.

    A method name that several services share (``list_tags``) maps to each of their calls.
    Calls on imported modules (``timm.create_model``) are not client calls.
    """
    names = _method_names()
    found: dict[str, tuple[set[actions.Call], list[str]]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text())
        modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                   if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in modules:
                continue
            method = node.func.attr
            if (method == "get_paginator" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                method = node.args[0].value
            if "_" not in method or method not in names:
                continue
            found.setdefault(method, (names[method], []))[1].append(f"{path.name}:{node.lineno}")
    return found


def _policy(role: str, root) -> dict:
    return json.loads((root / "book/setup/iam" / policies.FILES[role]).read_text())


def _allowed(policy: dict) -> set[str]:
    allowed = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        allowed |= {listed} if isinstance(listed, str) else set(listed)
    return allowed


def test_every_call_written_in_the_code_is_declared(root):
    found = calls_in_code(root / "code" / "awml")
    assert {"delete_app", "list_objects_v2", "create_training_job", "upload_file"} <= set(found)
    for method, (calls, places) in found.items():
        declared = calls - actions.undeclared(calls)
        assert declared, f"{method} at {places} calls {sorted(calls)}: none is declared"


def test_policy_files_are_rendered_from_the_declared_calls_and_course_file(root):
    assert policies.stale_files(root / "book/setup/iam", course_config()) == []
    assert not startup.render(course_config()) != (root / startup.FILE).read_text()


def test_student_policy_allows_every_student_call_and_nothing_of_the_instructor(root):
    student = _allowed(_policy("student", root))
    assert actions.iam_actions(actions.STUDENT_CALLS) <= student
    assert not student & INSTRUCTOR_ONLY


def test_instructor_policy_allows_every_call(root):
    instructor = _allowed(_policy("instructor", root))
    every = actions.iam_actions(actions.STUDENT_CALLS | actions.INSTRUCTOR_CALLS)
    assert every | INSTRUCTOR_ONLY <= instructor


@pytest.mark.parametrize("role", ["student", "instructor", "training-role"])
def test_policies_name_actions_one_by_one_and_scope_what_can_be_scoped(role, root):
    course = course_config()
    for statement in _policy(role, root)["Statement"]:
        listed = statement["Action"]
        for action in [listed] if isinstance(listed, str) else listed:
            assert "*" not in action, f"{role}: wildcard action {action}"
        resources = statement["Resource"]
        text = json.dumps(resources)
        if "sagemaker:DeleteApp" in listed or "sagemaker:CreatePresignedDomainUrl" in listed:
            assert "${aws:username}" in text and course.get("aws.studio_domain_id") in text
        if any(action.startswith("s3:") for action in listed):
            assert "awml-course-artifacts" in text
    assert len(json.dumps(_policy(role, root))) < 6144  # IAM's limit for a managed policy


def test_a_call_missing_from_the_declarations_is_caught():
    assert actions.undeclared({("sagemaker", "CreateApp")}) == {("sagemaker", "CreateApp")}
    assert actions.iam_action("s3", "HeadObject") == "s3:GetObject"


def test_the_static_scan_finds_a_new_call(tmp_path):
    (tmp_path / "extra.py").write_text(
        "import timm\n\n"
        "def start(sagemaker):\n"
        "    timm.create_model('x')\n"
        "    return sagemaker.create_app(DomainId='d', AppType='JupyterLab', AppName='a')\n")
    found = calls_in_code(tmp_path)
    assert set(found) == {"create_app"}
    assert actions.undeclared(found["create_app"][0]) == {("sagemaker", "CreateApp")}
