"""Small generated problems used where a chapter needs a picture it can control.

These are toys, not data: every page that uses one says so. ``gaussian_circles`` is a
two-class problem (an inner disc against the ring around it, with overlap);
``ring_of_gaussians`` is the eight-mode mixture on which GANs show mode collapse.
"""

from __future__ import annotations

import numpy as np


def gaussian_circles(count: int = 600, overlap: float = 0.3, seed: int = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Return points (count, 2) and labels (count,) in {0, 1}: inner disc versus outer ring.

    Points are standard normal in the plane; a point's class is 1 when its radius
    exceeds the median radius sqrt(2 ln 2), so the classes are balanced. ``overlap`` is the
    standard deviation of the noise added to the radius before the comparison, which
    blurs the circular boundary: no classifier can reach accuracy 1.
    """
    if count < 2:
        raise ValueError(f"count={count!r} must be at least 2")
    if overlap < 0:
        raise ValueError(f"overlap={overlap!r} must be non-negative")
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(count, 2))
    radius = np.linalg.norm(points, axis=1) + rng.normal(0, overlap, count)
    labels = (radius > np.sqrt(2 * np.log(2))).astype(np.int64)
    return points, labels


def ring_centres(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Return the ``modes`` centres (modes, 2) evenly spaced on a circle of ``radius``."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def ring_of_gaussians(count: int, modes: int = 8, radius: float = 2.0, spread: float = 0.05,
                      seed: int | None = 0) -> np.ndarray:
    """Return ``count`` points (count, 2) from an equal mixture of ``modes`` Gaussians.

    The means lie on a circle of ``radius``; each component has standard deviation
    ``spread`` in both directions.
    """
    if count < 1 or modes < 1 or spread <= 0:
        raise ValueError(f"need count >= 1, modes >= 1, spread > 0; got {count}, {modes}, "
                         f"{spread}")
    rng = np.random.default_rng(seed)
    chosen = rng.integers(0, modes, count)
    return ring_centres(modes, radius)[chosen] + rng.normal(0, spread, (count, 2))


def gaussian_circles_posterior(points: np.ndarray, overlap: float = 0.3) -> np.ndarray:
    """Return the true class probabilities (N, 2) of ``gaussian_circles`` points.

    A point of radius r is in class 1 when r plus normal noise of standard deviation
    ``overlap`` exceeds r0 = sqrt(2 ln 2), so P(1 | r) = Phi((r - r0) / overlap). The best
    possible classifier predicts class 1 outside the circle of radius r0.
    """
    from scipy.stats import norm

    if overlap <= 0:
        raise ValueError(f"overlap={overlap!r} must be positive for a posterior to exist")
    radius = np.linalg.norm(np.asarray(points), axis=1)
    outer = norm.cdf((radius - np.sqrt(2 * np.log(2))) / overlap)
    return np.column_stack([1 - outer, outer])
