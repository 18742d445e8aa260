"""Means over repeated runs (random draws, seeds) with Student-t confidence intervals."""

from __future__ import annotations

import numpy as np


def mean_interval(values, confidence: float = 0.95, axis: int = -1
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (mean, low, high) along ``axis``: a two-sided Student-t interval for the mean.

    With a single value along ``axis`` the interval is that value (no spread is known).
    """
    from scipy import stats

    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence={confidence!r}; expected a number in (0, 1)")
    values = np.asarray(values, dtype=np.float64)
    count = values.shape[axis]
    if count < 1:
        raise ValueError("values is empty along axis; expected at least one run")
    mean = values.mean(axis=axis)
    if count == 1:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + confidence / 2, count - 1) * values.std(axis=axis, ddof=1)
    half = half / np.sqrt(count)
    return mean, mean - half, mean + half
