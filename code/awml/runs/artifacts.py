"""The on-disk form of a run: a folder with a manifest, metrics, history, arrays, weights.

Every file is listed in ``manifest.json`` with its sha256, and a folder whose files do not
match is refused. Weights are torch state dicts loaded with ``weights_only=True``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "manifest.json"


class ArtifactRefused(Exception):
    """A stored run that must not be used; the message says why in one line."""


def sha256_file(path: Path) -> str:
    """Return the sha256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_run(folder: Path, manifest: dict, result) -> None:
    """Write ``result`` (a ``RunResult``) and ``manifest`` into ``folder``."""
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metrics.json").write_text(json.dumps(result.metrics, indent=1, sort_keys=True))
    (folder / "history.json").write_text(json.dumps(result.history, indent=1, sort_keys=True))
    (folder / "extra.json").write_text(json.dumps(result.extra, indent=1, sort_keys=True))
    if result.arrays:
        np.savez_compressed(folder / "arrays.npz", **result.arrays)
    if result.weights:
        import torch

        (folder / "weights").mkdir(exist_ok=True)
        for name, state in result.weights.items():
            cpu_state = {key: value.detach().cpu() for key, value in state.items()}
            torch.save(cpu_state, folder / "weights" / f"{name}.pt")

    files = {
        path.relative_to(folder).as_posix(): sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    (folder / MANIFEST).write_text(json.dumps({**manifest, "files": files}, indent=1))


def read_manifest(folder: Path) -> dict:
    """Return the manifest of a stored run, refusing one that is missing or unreadable."""
    try:
        return json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise ArtifactRefused(f"{folder} has no {MANIFEST}") from None
    except (OSError, ValueError) as error:
        raise ArtifactRefused(f"{folder / MANIFEST} is unreadable ({error})") from None


def check_run(folder: Path, expected: dict) -> dict:
    """Check a stored run against ``expected`` manifest fields and its file hashes.

    Returns the manifest; raises ``ArtifactRefused`` with a one-line reason otherwise.
    """
    manifest = read_manifest(folder)
    for field, value in expected.items():
        if manifest.get(field) != value:
            shown = str(manifest.get(field))[:12]
            raise ArtifactRefused(
                f"{field} differs (artifact has {shown}, expected {str(value)[:12]})"
            )
    listed = manifest.get("files", {})
    present = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    if set(listed) - present:
        raise ArtifactRefused(f"missing files {sorted(set(listed) - present)}")
    for name, digest in listed.items():
        if sha256_file(folder / name) != digest:
            raise ArtifactRefused(f"sha256 of {name} does not match its manifest")
    return manifest


def load_payload(folder: Path) -> dict:
    """Return metrics, history, extra, arrays and weights of a checked run folder."""
    import numpy as np

    payload = {
        name: json.loads((folder / f"{name}.json").read_text())
        for name in ("metrics", "history", "extra")
    }
    arrays_file = folder / "arrays.npz"
    payload["arrays"] = {}
    if arrays_file.is_file():
        with np.load(arrays_file, allow_pickle=False) as arrays:
            payload["arrays"] = {key: arrays[key] for key in arrays.files}
    payload["weights"] = {}
    weights_folder = folder / "weights"
    if weights_folder.is_dir():
        import torch

        for path in sorted(weights_folder.glob("*.pt")):
            payload["weights"][path.stem] = torch.load(path, weights_only=True, map_location="cpu")
    return payload
