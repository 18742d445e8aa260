"""Copying stored runs between artifact stores (``awml artifacts pull`` and ``push``).

A run is copied only when its files match their manifest, and only when the target does
not already hold the same manifest, so a repeated pull or push copies nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from awml.runs.artifacts import MANIFEST, ArtifactRefused, check_run
from awml.runs.store import ArtifactStore, LocalStore, S3Store

logger = logging.getLogger(__name__)


@dataclass
class TransferReport:
    """Run keys copied, already present, and refused (with the reason)."""

    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def stored_manifest(store: ArtifactStore, key: str) -> dict | None:
    """Return the manifest of run ``key`` in ``store`` without fetching the run, or None."""
    if isinstance(store, LocalStore):
        path = store.root / key / MANIFEST
        return json.loads(path.read_text()) if path.is_file() else None
    if isinstance(store, S3Store):
        object_key = "/".join(part for part in (store.prefix, key, MANIFEST) if part)
        try:
            body = store.client.get_object(Bucket=store.bucket, Key=object_key)["Body"]
        except store.client.exceptions.NoSuchKey:
            return None
        return json.loads(body.read())
    folder = store.fetch(key)
    return json.loads((folder / MANIFEST).read_text()) if folder else None


def copy_runs(source: ArtifactStore, target: ArtifactStore, prefix: str = "",
              dry_run: bool = False) -> TransferReport:
    """Copy the runs under ``prefix`` (e.g. ``gpu``) from ``source`` to ``target``.

    Returns what was copied, what was already there and what was refused. With
    ``dry_run`` nothing is written and ``copied`` lists what would be.
    """
    report = TransferReport()
    for key in source.keys(prefix):
        if any(part.startswith(".") for part in key.split("/")):
            continue  # a cache inside the store's folder (.s3-cache), not a run
        manifest = stored_manifest(source, key)
        if manifest is not None and stored_manifest(target, key) == manifest:
            report.unchanged.append(key)
            continue
        if dry_run:
            report.copied.append(key)
            continue
        folder = source.fetch(key)
        try:
            if folder is None:
                raise ArtifactRefused("it vanished from the source store")
            check_run(folder, {})
        except ArtifactRefused as reason:
            logger.warning("not copying %s: %s", key, reason)
            report.refused.append((key, str(reason)))
            continue
        target.save(key, folder)
        report.copied.append(key)
    return report
