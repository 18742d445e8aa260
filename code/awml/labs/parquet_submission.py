"""Submission files: one numeric column in a Parquet file, checked before it is written.

A submission is refused with one line (a ``ValueError`` naming what is wrong, what it got
and what was expected) when it has the wrong columns, the wrong number of rows, a
non-float dtype, missing values, or values outside the allowed range. The file is read
back after writing and checked again, so what lands on disk is what was checked.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)


def check_submission(frame, column: str, rows: int, low: float = -np.inf,
                     high: float = np.inf) -> None:
    """Raise ``ValueError`` unless ``frame`` has exactly one float64 column ``column`` with
    ``rows`` finite rows, every value in [``low``, ``high``]."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"submission is a {type(frame).__name__}; expected a pandas DataFrame")
    if list(frame.columns) != [column]:
        raise ValueError(f"submission has columns {list(frame.columns)}; expected [{column!r}]")
    if len(frame) != rows:
        raise ValueError(f"submission has {len(frame)} rows; expected {rows}")
    values = frame[column]
    if values.dtype != np.float64:
        raise ValueError(f"column {column!r} has dtype {values.dtype}; expected float64")
    finite = np.isfinite(values.to_numpy())
    if not finite.all():
        first = int(np.flatnonzero(~finite)[0])
        raise ValueError(f"column {column!r} has {int((~finite).sum())} missing or infinite "
                         f"values (first at row {first}); expected finite numbers")
    outside = (values < low) | (values > high)
    if outside.any():
        first = int(np.flatnonzero(outside.to_numpy())[0])
        raise ValueError(f"column {column!r} has {int(outside.sum())} values outside "
                         f"[{low}, {high}] (row {first}: {float(values.iloc[first])})")


def write_submission(values, column: str, rows: int, path: str | Path,
                     low: float = -np.inf, high: float = np.inf) -> Path:
    """Check ``values`` (1-D, ``rows`` long) as column ``column`` and write them to ``path``.

    Returns the path of the Parquet file; nothing is written when a check fails.
    """
    import pandas as pd

    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"values has shape {array.shape}; expected one dimension ({rows},)")
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"values has dtype {array.dtype}; expected numbers")
    frame = pd.DataFrame({column: array.astype(np.float64)})
    check_submission(frame, column, rows, low, high)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    check_submission(pd.read_parquet(path), column, rows, low, high)
    logger.info("wrote %s (%d rows of %s)", path, rows, column)
    return path
