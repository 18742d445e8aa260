"""Norm balls and the constrained minimum of a two-parameter quadratic loss.

Minimising a loss plus a penalty lambda * ||w||_p is equivalent to minimising the loss
within a ball ||w||_p <= r for some radius r. On two parameters the ball and the loss's
elliptical contours can be drawn, and the constrained minimum found by brute force along
the ball's boundary.
"""

from __future__ import annotations

import math

import numpy as np

# The loss of the pictures: an ellipse centred at CENTRE, long axis tilted by ANGLE.
CENTRE = np.array([1.8, 0.5])
CURVATURES = np.array([1.0, 6.0])
ANGLE = math.radians(30.0)


def lp_norm(w: np.ndarray, p: float) -> np.ndarray:
    """Return the p-norm of each row of ``w`` (..., 2); ``p = inf`` gives the max norm."""
    if not p > 0:
        raise ValueError(f"p={p} must be positive (inf for the max norm)")
    magnitudes = np.abs(np.asarray(w, dtype=float))
    if math.isinf(p):
        return magnitudes.max(axis=-1)
    return (magnitudes**p).sum(axis=-1) ** (1.0 / p)


def unit_ball(p: float, points: int = 721) -> np.ndarray:
    """Return ``points`` points on the boundary of {w : ||w||_p = 1}, shape (points, 2)."""
    angles = np.linspace(0.0, 2.0 * math.pi, points)
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    return directions / lp_norm(directions, p)[:, None]


def quadratic_loss(w: np.ndarray) -> np.ndarray:
    """Return the loss 0.5 (w - c)^T A (w - c) of each row of ``w`` (..., 2)."""
    rotation = np.array([[math.cos(ANGLE), -math.sin(ANGLE)],
                         [math.sin(ANGLE), math.cos(ANGLE)]])
    offsets = (np.asarray(w, dtype=float) - CENTRE) @ rotation
    return 0.5 * (offsets**2 * CURVATURES).sum(axis=-1)


def constrained_minimum(p: float, radius: float) -> np.ndarray:
    """Return the point of {||w||_p <= radius} with the smallest ``quadratic_loss``, (2,).

    The unconstrained minimum is returned when it lies inside the ball; otherwise the
    minimum lies on the boundary, which is searched on a fine grid of 20,000 points.
    """
    if not radius > 0:
        raise ValueError(f"radius={radius} must be positive")
    if lp_norm(CENTRE, p) <= radius:
        return CENTRE.copy()
    boundary = radius * unit_ball(p, 20001)
    return boundary[np.argmin(quadratic_loss(boundary))]
