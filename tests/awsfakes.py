"""Shared fixtures of the AWS tests: fake credentials, stubbed clients, declared calls.

No test reaches AWS: moto serves what it implements, botocore's Stubber (which checks each
request and response against the real service model) serves the rest.
"""

from __future__ import annotations

import datetime as dt

import boto3  # imported at collection, before sockets are disabled (urllib3 probes IPv6)
import botocore.session
import pytest

from awml.aws import actions, clients

DOMAIN = "d-awmlcourse01"
NOW = dt.datetime.now(dt.timezone.utc)
_LOADER = botocore.session.get_session().get_component("data_loader")


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Fake credentials and a fresh boto3 session; nothing read from the home folder.

    The sessions share one loader of service models, which takes a second per test
    otherwise.
    """
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWML_STUDIO_USER",
                 "AWML_ARTIFACTS", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWML_STUDIO_METADATA", str(tmp_path / "no-studio-metadata.json"))
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", boto3.Session(botocore_session=core))
    yield


@pytest.fixture
def stubs(aws_env, monkeypatch):
    """Return ``stub(service)``: the Stubber of the client every command gets for it."""
    from botocore.stub import Stubber

    made: dict[str, tuple] = {}
    real_client = clients.client

    def stub(service: str) -> Stubber:
        if service not in made:
            client = real_client(service)
            stubber = Stubber(client)
            stubber.activate()
            made[service] = (client, stubber)
        return made[service][1]

    def fake_client(service: str, region: str | None = None):
        if service not in made:
            return real_client(service, region)
        return made[service][0]

    monkeypatch.setattr(clients, "client", fake_client)
    yield stub
    for _, stubber in made.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


@pytest.fixture(autouse=True)
def calls_are_declared():
    """After each test, every AWS call the code made must be declared for the IAM policies."""
    clients.observed.clear()
    yield
    missing = actions.undeclared(clients.observed)
    assert not missing, f"calls not declared in awml.aws.actions: {sorted(missing)}"


def space(name: str, owner: str = "jdoe", app_type: str = "JupyterLab") -> dict:
    """A ListSpaces entry."""
    return {"DomainId": DOMAIN, "SpaceName": name, "Status": "InService",
            "CreationTime": NOW - dt.timedelta(days=3),
            "SpaceSettingsSummary": {"AppType": app_type},
            "OwnershipSettingsSummary": {"OwnerUserProfileName": owner}}


def app(space_name: str | None, instance: str, status: str = "InService", minutes: int = 125,
        app_type: str = "JupyterLab", name: str = "default", user: str | None = None) -> dict:
    """A ListApps entry."""
    entry = {"DomainId": DOMAIN, "AppType": app_type, "AppName": name, "Status": status,
             "CreationTime": NOW - dt.timedelta(minutes=minutes),
             "ResourceSpec": {"InstanceType": instance}}
    if space_name:
        entry["SpaceName"] = space_name
    if user:
        entry["UserProfileName"] = user
    return entry


def expect_user(stubber, user: str = "jdoe") -> None:
    """Queue the DescribeUserProfile that checks the student's profile exists."""
    stubber.add_response("describe_user_profile",
                         {"DomainId": DOMAIN, "UserProfileName": user, "Status": "InService"},
                         {"DomainId": DOMAIN, "UserProfileName": user})


def expect_listing(stubber, space_pages: list[list[dict]], app_pages: list[list[dict]]) -> None:
    """Queue ListSpaces and ListApps, each split over the given pages (NextToken chained)."""
    for operation, key, pages in (("list_spaces", "Spaces", space_pages),
                                  ("list_apps", "Apps", app_pages)):
        for index, items in enumerate(pages):
            response = {key: items}
            request = {"DomainIdEquals": DOMAIN}
            if index + 1 < len(pages):
                response["NextToken"] = f"{operation}-page-{index + 2}"
            if index:
                request["NextToken"] = f"{operation}-page-{index + 1}"
            stubber.add_response(operation, response, request)
