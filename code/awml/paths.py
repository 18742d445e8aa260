"""Where the project keeps things: the repository root, artifacts and data caches."""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: Path | None = None) -> Path | None:
    """Return the book repository that contains ``start`` (the working folder by default).

    ``AWML_ROOT`` wins when set. Returns None outside a checkout of the book.
    """
    if os.environ.get("AWML_ROOT"):
        return Path(os.environ["AWML_ROOT"]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "code" / "awml").is_dir():
            return folder
    package_checkout = Path(__file__).resolve().parents[2]
    if (package_checkout / "_toc.yml").is_file():
        return package_checkout
    return None


def _under_root(name: str, env_var: str) -> Path:
    if os.environ.get(env_var):
        return Path(os.environ[env_var]).expanduser().resolve()
    root = project_root()
    base = root if root is not None else Path.cwd()
    return base / name


def artifacts_dir() -> Path:
    """Return the local artifact store folder (``AWML_ARTIFACTS_DIR`` or ``<root>/artifacts``)."""
    return _under_root("artifacts", "AWML_ARTIFACTS_DIR")


def data_dir() -> Path:
    """Return the folder for downloaded data (``AWML_DATA_DIR`` or ``<root>/.data``)."""
    return _under_root(".data", "AWML_DATA_DIR")


def outputs_dir() -> Path:
    """Return where labs write submissions (``AWML_OUTPUTS_DIR`` or ``<root>/outputs``)."""
    return _under_root("outputs", "AWML_OUTPUTS_DIR")


def offline() -> bool:
    """True when full data sources must not be tried (``AWML_OFFLINE=1``)."""
    return os.environ.get("AWML_OFFLINE", "").strip().lower() in ("1", "true", "yes")
