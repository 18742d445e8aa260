"""Progress bars for loops a person waits on.

In a live notebook the bar is a widget; in a book build (``AWML_PLAIN_PROGRESS=1``) it is
plain text on stdout, which the built page shows as its final state.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, TypeVar

T = TypeVar("T")


def progress(iterable: Iterable[T] | None = None, **options):
    """Return a tqdm bar over ``iterable``; ``options`` go to tqdm (``desc``, ``total``...)."""
    if os.environ.get("AWML_PLAIN_PROGRESS") == "1":
        from tqdm.std import tqdm

        options.setdefault("file", sys.stdout)
        options.setdefault("mininterval", 10.0)
        options.setdefault("ascii", False)
        return tqdm(iterable, **options)
    from tqdm.auto import tqdm

    return tqdm(iterable, **options)
