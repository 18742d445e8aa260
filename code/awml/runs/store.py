"""Artifact stores: a local folder by default, an S3 prefix when configured.

A store holds run folders under relative keys such as ``gpu/denoising/3f2a9c0d1e4b``. It
knows nothing of what a run contains; ``awml.runs.artifacts`` writes and checks that.
``AWML_ARTIFACTS`` selects the store: ``s3://bucket/prefix`` for S3, a folder path for a
local store, unset for ``<root>/artifacts``.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Protocol

from awml.paths import artifacts_dir

logger = logging.getLogger(__name__)


class ArtifactStore(Protocol):
    """What run-or-load needs from a store."""

    def describe(self) -> str:
        """A short human-readable location, e.g. ``s3://bucket/prefix``."""

    def fetch(self, key: str) -> Path | None:
        """Return a local folder holding the run stored at ``key``, or None if absent."""

    def save(self, key: str, folder: Path) -> None:
        """Store the contents of ``folder`` under ``key``, replacing what was there."""

    def keys(self, prefix: str = "") -> list[str]:
        """Return the run keys under ``prefix`` (folders that hold a manifest)."""


class LocalStore:
    """A store in a local folder."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def describe(self) -> str:
        return str(self.root)

    def fetch(self, key: str) -> Path | None:
        folder = self.root / key
        return folder if folder.is_dir() else None

    def save(self, key: str, folder: Path) -> None:
        target = self.root / key
        if target.resolve() == Path(folder).resolve():
            return
        staging = target.with_name(target.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(folder, staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)

    def keys(self, prefix: str = "") -> list[str]:
        base = self.root / prefix if prefix else self.root
        if not base.is_dir():
            return []
        keys = (path.parent.relative_to(self.root) for path in base.rglob("manifest.json"))
        # Folders whose names start with a dot (the S3 download cache) hold no runs of ours.
        return sorted(str(key) for key in keys if not any(p.startswith(".") for p in key.parts))


class S3Store:
    """A store under an S3 prefix; fetched runs are kept in a local cache folder."""

    def __init__(self, bucket: str, prefix: str = "", cache: Path | None = None, client=None):
        if not bucket:
            raise ValueError("S3Store needs a bucket name; got an empty string")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.cache = Path(cache) if cache else artifacts_dir() / ".s3-cache" / bucket / self.prefix
        self._client = client

    @property
    def client(self):
        if self._client is None:
            from awml.aws_session import client

            self._client = client("s3")
        return self._client

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def _object_key(self, key: str, name: str = "") -> str:
        parts = [part for part in (self.prefix, key.strip("/"), name) if part]
        return "/".join(parts)

    def _list(self, prefix: str) -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            found.extend(item["Key"] for item in page.get("Contents", []))
        return found

    def fetch(self, key: str) -> Path | None:
        remote_prefix = self._object_key(key) + "/"
        objects = self._list(remote_prefix)
        if not objects:
            return None
        local = self.cache / key
        shutil.rmtree(local, ignore_errors=True)
        for object_key in objects:
            target = local / object_key[len(remote_prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            self.client.download_file(self.bucket, object_key, str(target))
        return local

    def save(self, key: str, folder: Path) -> None:
        stale = set(self._list(self._object_key(key) + "/"))
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                object_key = self._object_key(key, path.relative_to(folder).as_posix())
                self.client.upload_file(str(path), self.bucket, object_key)
                stale.discard(object_key)
        for object_key in sorted(stale):
            self.client.delete_object(Bucket=self.bucket, Key=object_key)

    def keys(self, prefix: str = "") -> list[str]:
        base = self._object_key(prefix)
        base = base + "/" if base else ""
        start = len(self.prefix) + 1 if self.prefix else 0
        return sorted(
            object_key[start: -len("/manifest.json")]
            for object_key in self._list(base)
            if object_key.endswith("/manifest.json")
        )


def parse_location(location: str) -> ArtifactStore:
    """Return the store that ``location`` names: ``s3://bucket/prefix`` or a folder path."""
    if location.startswith("s3://"):
        bucket, _, prefix = location[len("s3://"):].partition("/")
        return S3Store(bucket, prefix)
    if "://" in location:
        raise ValueError(f"artifact store {location!r} is neither s3://bucket/prefix nor a path")
    return LocalStore(Path(location).expanduser())


def default_store() -> ArtifactStore:
    """Return the store that ``AWML_ARTIFACTS`` names, or the local ``artifacts`` folder."""
    location = os.environ.get("AWML_ARTIFACTS", "").strip()
    return parse_location(location) if location else LocalStore(artifacts_dir())
