"""Checked downloads: pooch with a sha256, and a clear fallback when offline."""

from __future__ import annotations

import logging
from pathlib import Path

from awml.paths import data_dir, offline

logger = logging.getLogger(__name__)


class SourceUnavailable(Exception):
    """A full data source that cannot be used here; the message says why in one line."""


def fetch(url: str, sha256: str, folder: str, filename: str | None = None) -> Path:
    """Download ``url`` into ``data_dir()/folder`` once and check its sha256.

    Raises ``SourceUnavailable`` when ``AWML_OFFLINE`` is set, the network is unreachable
    or the file's hash does not match.
    """
    if offline():
        raise SourceUnavailable("AWML_OFFLINE is set")
    import pooch

    try:
        path = pooch.retrieve(url, known_hash=f"sha256:{sha256}", fname=filename,
                              path=data_dir() / folder, progressbar=True)
    except ValueError as error:
        raise SourceUnavailable(f"{url} failed its sha256 check ({error})") from None
    except Exception as error:  # requests and socket errors differ by platform
        raise SourceUnavailable(f"{url} is not reachable ({type(error).__name__})") from None
    return Path(path)
