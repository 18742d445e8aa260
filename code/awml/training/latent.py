"""Walking through a generator's latent space: linear and spherical interpolation."""

from __future__ import annotations

import numpy as np


def interpolate(start: np.ndarray, end: np.ndarray, steps: int, method: str = "linear"
                ) -> np.ndarray:
    """Return ``steps`` points (steps, d) from ``start`` to ``end`` (both (d,)).

    ``linear`` follows the straight line; ``spherical`` (slerp) follows the great circle
    between the two directions, with the norm interpolated linearly, so the points keep
    the typical length of Gaussian noise.
    """
    if method not in ("linear", "spherical"):
        raise ValueError(f"method={method!r} is not one of linear, spherical")
    if steps < 2:
        raise ValueError(f"steps={steps!r} must be at least 2")
    fractions = np.linspace(0, 1, steps)[:, None]
    if method == "linear":
        return (1 - fractions) * start + fractions * end
    norms = (1 - fractions) * np.linalg.norm(start) + fractions * np.linalg.norm(end)
    unit_start, unit_end = start / np.linalg.norm(start), end / np.linalg.norm(end)
    angle = np.arccos(np.clip(unit_start @ unit_end, -1, 1))
    if angle < 1e-8:
        directions = np.repeat(unit_start[None], steps, axis=0)
    else:
        directions = (np.sin((1 - fractions) * angle) * unit_start
                      + np.sin(fractions * angle) * unit_end) / np.sin(angle)
    return norms * directions
