"""Two-parameter loss surfaces on which optimizers can be watched.

Each ``Surface`` gives the loss and its gradient at points ``(x, y)`` (numpy arrays of any
shape), a plotting window, a starting point and the location of the minimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Surface:
    """A loss ``f(x, y)`` with gradient ``grad(x, y) -> (df/dx, df/dy)``."""

    name: str
    f: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]
    window: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    start: tuple[float, float]
    minimum: tuple[float, float]
    levels: tuple[float, ...]  # contour levels that read well on this surface

    def grid(self, points: int = 200) -> tuple[Array, Array, Array]:
        """Return ``X, Y, Z`` of shape (points, points) covering the window."""
        x_min, x_max, y_min, y_max = self.window
        grid_x, grid_y = np.meshgrid(np.linspace(x_min, x_max, points),
                                     np.linspace(y_min, y_max, points))
        return grid_x, grid_y, self.f(grid_x, grid_y)


def _ravine_f(x, y):
    return 0.5 * (x**2 + 20.0 * y**2)


def _ravine_grad(x, y):
    return x, 20.0 * y


def _rosenbrock_f(x, y):
    return (1.0 - x) ** 2 + 10.0 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    return -2.0 * (1.0 - x) - 40.0 * x * (y - x**2), 20.0 * (y - x**2)


def _saddle_f(x, y):
    return 0.5 * x**2 - 0.5 * y**2 + 0.25 * y**4


def _saddle_grad(x, y):
    return x, -y + y**3


SURFACES = {
    "ravine": Surface("ravine", _ravine_f, _ravine_grad, (-5.5, 5.5, -2.5, 2.5),
                      start=(-5.0, 1.5), minimum=(0.0, 0.0),
                      levels=(0.1, 0.5, 1, 2, 4, 8, 16, 32, 64)),
    "rosenbrock": Surface("rosenbrock", _rosenbrock_f, _rosenbrock_grad,
                          (-2.0, 2.0, -1.0, 3.0), start=(-1.5, 2.5), minimum=(1.0, 1.0),
                          levels=(0.03, 0.1, 0.3, 1, 3, 10, 30, 100)),
    "saddle": Surface("saddle", _saddle_f, _saddle_grad, (-2.0, 2.0, -1.8, 1.8),
                      start=(-1.8, 1e-3), minimum=(0.0, 1.0),
                      levels=(-0.24, -0.2, -0.1, 0, 0.25, 0.5, 1, 1.5, 2)),
}


def get_surface(name: str) -> Surface:
    """Return the surface called ``name`` (``ravine``, ``rosenbrock`` or ``saddle``)."""
    if name not in SURFACES:
        raise ValueError(f"surface {name!r} is not one of {', '.join(SURFACES)}")
    return SURFACES[name]
