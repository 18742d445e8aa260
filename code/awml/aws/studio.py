"""SageMaker Studio for one student: who they are, what runs, stopping it, opening a page.

A student is a user profile in the course's Studio domain. Their billable resources are
the apps (one container on one instance each) of the private spaces they own, and any app
under their user profile itself. ``ListApps`` and ``ListSpaces`` are paginated; every page
is read.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

METADATA_FILE = Path("/opt/ml/metadata/resource-metadata.json")
"""Where a Studio space describes itself (domain, user profile, space) to its own apps."""

ENDED_STATUSES = frozenset({"Deleted", "Failed"})
FREE_INSTANCE_TYPES = frozenset({"system"})
_PAGE = re.compile(r"^[A-Za-z0-9_./-]+$")


@dataclass(frozen=True)
class StudioUser:
    """A Studio user profile and how it was found (option, variable, metadata, IAM user)."""

    domain_id: str
    user_profile: str
    found_from: str


@dataclass(frozen=True)
class StudioApp:
    """One app (a container on one billable instance) of a student."""

    domain_id: str
    app_type: str
    app_name: str
    status: str
    instance_type: str
    created: dt.datetime | None
    space_name: str | None = None
    user_profile: str | None = None

    @property
    def name(self) -> str:
        """The name ``awml aws stop`` accepts: ``<space or user profile>/<app name>``."""
        return f"{self.space_name or self.user_profile}/{self.app_name}"

    def running_for(self, now: dt.datetime | None = None) -> dt.timedelta:
        """Return how long the app has existed (zero when its start time is unknown)."""
        if self.created is None:
            return dt.timedelta(0)
        now = now or dt.datetime.now(dt.timezone.utc)
        return max(now - self.created, dt.timedelta(0))


def read_space_metadata(path: Path | None = None) -> dict:
    """Return the Studio space's own metadata, or an empty dict outside Studio."""
    path = Path(os.environ.get("AWML_STUDIO_METADATA", "") or path or METADATA_FILE)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def name_from_arn(arn: str) -> tuple[str, str]:
    """Return (kind, name) of an STS caller ARN: an IAM user's name or a role session's."""
    resource = arn.split(":", 5)[-1]
    if resource.startswith("user/"):
        return "IAM user", resource.rsplit("/", 1)[-1]
    if resource.startswith("assumed-role/"):
        return "role session", resource.rsplit("/", 1)[-1]
    raise ValueError(f"cannot tell a Studio user profile from the AWS identity {arn}; "
                     "pass --user or set AWML_STUDIO_USER")


def resolve_user(sagemaker, domain_id: str, user: str | None = None, sts=None) -> StudioUser:
    """Return the student's user profile, checked to exist in ``domain_id``.

    The name comes from ``user`` (the ``--user`` option), then ``AWML_STUDIO_USER``, then
    the metadata of the Studio space the command runs in, then the caller's IAM user name
    (``sts`` client, called only when needed).
    """
    found_from = "--user"
    if not user and os.environ.get("AWML_STUDIO_USER"):
        user, found_from = os.environ["AWML_STUDIO_USER"], "AWML_STUDIO_USER"
    if not user:
        metadata = read_space_metadata()
        if metadata.get("UserProfileName"):
            user, found_from = metadata["UserProfileName"], "the Studio space's metadata"
            domain_id = metadata.get("DomainId", domain_id)
    if not user:
        if sts is None:
            from awml.aws.clients import client

            sts = client("sts")
        kind, user = name_from_arn(sts.get_caller_identity()["Arn"])
        found_from = f"your {kind} name"
    try:
        sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName=user)
    except sagemaker.exceptions.ResourceNotFound:
        raise ValueError(f"Studio domain {domain_id} has no user profile {user!r} (taken from "
                         f"{found_from}); pass --user NAME or set AWML_STUDIO_USER") from None
    return StudioUser(domain_id=domain_id, user_profile=user, found_from=found_from)


def owned_spaces(sagemaker, domain_id: str, user_profile: str) -> list[dict]:
    """Return the spaces of ``domain_id`` owned by ``user_profile`` (every page read)."""
    spaces = []
    for page in sagemaker.get_paginator("list_spaces").paginate(DomainIdEquals=domain_id):
        for space in page.get("Spaces", []):
            owner = space.get("OwnershipSettingsSummary", {}).get("OwnerUserProfileName")
            if owner == user_profile:
                spaces.append(space)
    return spaces


def running_apps(sagemaker, domain_id: str, user_profile: str,
                 space_names: set[str]) -> list[StudioApp]:
    """Return the user's apps that have not ended, oldest first (every page read).

    An app belongs to the user when it runs in one of ``space_names`` or directly under
    the user profile. Limitation: apps in shared spaces that the user does not own are
    not listed, because Studio does not record who started them.
    """
    apps = []
    paginator = sagemaker.get_paginator("list_apps")
    for page in paginator.paginate(DomainIdEquals=domain_id):
        for app in page.get("Apps", []):
            mine = (app.get("SpaceName") in space_names
                    or app.get("UserProfileName") == user_profile)
            if not mine or app.get("Status") in ENDED_STATUSES:
                continue
            apps.append(StudioApp(
                domain_id=app.get("DomainId", domain_id), app_type=app["AppType"],
                app_name=app["AppName"], status=app.get("Status", "?"),
                instance_type=app.get("ResourceSpec", {}).get("InstanceType", "?"),
                created=app.get("CreationTime"), space_name=app.get("SpaceName"),
                user_profile=app.get("UserProfileName")))
    return sorted(apps, key=lambda app: (app.created is None, app.created or 0, app.name))


def select_apps(apps: list[StudioApp], names: list[str], every: bool) -> list[StudioApp]:
    """Return the apps that ``names`` pick (an app's ``name`` or its space), or all.

    Raises ValueError for a name that matches no running app, listing those that run.
    """
    if every:
        return list(apps)
    if not names:
        raise ValueError("name the apps to stop (see `awml aws status`) or pass --all")
    chosen: list[StudioApp] = []
    for wanted in names:
        matches = [app for app in apps if wanted in (app.name, app.space_name)]
        if not matches:
            running = ", ".join(app.name for app in apps) or "none"
            raise ValueError(f"no running app is named {wanted!r}; running: {running}")
        chosen.extend(app for app in matches if app not in chosen)
    return chosen


def stop_app(sagemaker, app: StudioApp) -> None:
    """Delete ``app`` (Studio's "stop"): its instance stops billing; the space's files stay."""
    owner = {"SpaceName": app.space_name} if app.space_name else {
        "UserProfileName": app.user_profile}
    sagemaker.delete_app(DomainId=app.domain_id, AppType=app.app_type, AppName=app.app_name,
                         **owner)
    logger.info("stopped Studio app %s (%s)", app.name, app.instance_type)


def choose_space(spaces: list[dict], requested: str | None) -> str:
    """Return the space to open: ``requested`` (checked) or the user's only JupyterLab one."""
    names = [space["SpaceName"] for space in spaces]
    if requested:
        if requested not in names:
            raise ValueError(f"--space {requested!r} is not one of your spaces "
                             f"({', '.join(names) or 'you own none'})")
        return requested
    jupyterlab = [space["SpaceName"] for space in spaces
                  if space.get("SpaceSettingsSummary", {}).get("AppType") == "JupyterLab"]
    if len(jupyterlab) == 1:
        return jupyterlab[0]
    if not jupyterlab:
        raise ValueError("you own no JupyterLab space: create one in Studio (JupyterLab, "
                         "Create JupyterLab space), then run this again")
    raise ValueError(f"you own several JupyterLab spaces ({', '.join(jupyterlab)}); "
                     "choose one with --space NAME")


def page_notebook(page: str, repository_folder: str, root: Path | None = None) -> str:
    """Return the path, relative to a space's home, of the notebook of a book page.

    ``page`` may be ``book/m01_dnn/index``, ``m01_dnn/index.md`` or ``...ipynb``; with
    ``root`` (a checkout of the book) the page must exist there.
    """
    cleaned = page.strip().removeprefix("./")
    for suffix in (".md", ".ipynb", ".html"):
        cleaned = cleaned.removesuffix(suffix)
    if not cleaned or not _PAGE.match(cleaned) or ".." in cleaned.split("/"):
        raise ValueError(f"PAGE {page!r} is not a book page such as book/m01_dnn/index")
    if not cleaned.startswith("book/"):
        cleaned = f"book/{cleaned}"
    if root is not None and not (root / f"{cleaned}.md").is_file():
        raise ValueError(f"PAGE {page!r}: {cleaned}.md does not exist in {root}")
    return f"{repository_folder.strip('/')}/{cleaned}.ipynb"


def presigned_url(sagemaker, user: StudioUser, space: str, landing_uri: str,
                  expires_seconds: int = 300) -> str:
    """Return a sign-in address that opens ``landing_uri`` in ``space``.

    The address is a credential: whoever has it is signed in as the student until it
    expires, ``expires_seconds`` after it was made.
    """
    response = sagemaker.create_presigned_domain_url(
        DomainId=user.domain_id, UserProfileName=user.user_profile, SpaceName=space,
        LandingUri=landing_uri, ExpiresInSeconds=expires_seconds)
    return response["AuthorizedUrl"]
