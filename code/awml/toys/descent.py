"""Gradient descent and its optimizers, written out on two parameters.

``trajectory`` runs one optimizer from the surface's starting point and returns every
point it visits. The update rules are those of the book's optimizer page: plain gradient
descent, momentum (heavy ball), RMSProp and Adam with bias correction. ``noise`` adds
Gaussian noise of that standard deviation to each gradient component, the way a minibatch
estimate of the gradient scatters around the full-batch one.
"""

from __future__ import annotations

import numpy as np

from awml.toys.surfaces import Surface

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
# Learning rates that read well on each surface: (too small, tuned, too large).
SUGGESTED_RATES = {
    "ravine": {"sgd": (0.03, 0.09, 0.105), "momentum": (0.005, 0.02, 0.06),
               "rmsprop": (0.03, 0.1, 0.3), "adam": (0.1, 0.3, 1.0)},
    "rosenbrock": {"sgd": (0.003, 0.01, 0.02), "momentum": (0.001, 0.003, 0.006),
                   "rmsprop": (0.01, 0.03, 0.1), "adam": (0.03, 0.1, 0.3)},
    "saddle": {"sgd": (0.03, 0.1, 0.3), "momentum": (0.01, 0.03, 0.1),
               "rmsprop": (0.003, 0.01, 0.03), "adam": (0.01, 0.03, 0.1)},
}
DEFAULTS = {"sgd": {}, "momentum": {"beta": 0.9}, "rmsprop": {"rho": 0.9, "eps": 1e-8},
            "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}


def trajectory(surface: Surface, optimizer: str, learning_rate: float, steps: int = 100,
               noise: float = 0.0, seed: int = 0, start: tuple[float, float] | None = None,
               **hyper: float) -> np.ndarray:
    """Return the points visited, shape (steps + 1, 2), starting at ``surface.start``.

    ``hyper`` overrides the optimizer's defaults (``beta`` for momentum, ``rho`` and
    ``eps`` for RMSProp, ``beta1``, ``beta2`` and ``eps`` for Adam). A run that leaves
    the float range is cut: the remaining points repeat the last finite one.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer {optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate={learning_rate} must be positive")
    if steps < 1:
        raise ValueError(f"steps={steps} must be at least 1")
    unknown = set(hyper) - set(DEFAULTS[optimizer])
    if unknown:
        raise ValueError(f"{optimizer} takes no {sorted(unknown)}; it takes "
                         f"{sorted(DEFAULTS[optimizer])}")
    settings = {**DEFAULTS[optimizer], **hyper}
    rng = np.random.default_rng(seed)

    point = np.array(start or surface.start, dtype=float)
    velocity = np.zeros(2)  # momentum's running step, Adam's first moment
    square = np.zeros(2)  # RMSProp's and Adam's running mean of squared gradients
    points = [point.copy()]
    for step in range(1, steps + 1):
        gradient = np.array(surface.grad(point[0], point[1]), dtype=float)
        gradient += noise * rng.standard_normal(2)
        if optimizer == "sgd":
            update = learning_rate * gradient
        elif optimizer == "momentum":
            velocity = settings["beta"] * velocity + gradient
            update = learning_rate * velocity
        elif optimizer == "rmsprop":
            square = settings["rho"] * square + (1 - settings["rho"]) * gradient**2
            update = learning_rate * gradient / (np.sqrt(square) + settings["eps"])
        else:
            velocity = settings["beta1"] * velocity + (1 - settings["beta1"]) * gradient
            square = settings["beta2"] * square + (1 - settings["beta2"]) * gradient**2
            corrected_mean = velocity / (1 - settings["beta1"] ** step)
            corrected_square = square / (1 - settings["beta2"] ** step)
            update = learning_rate * corrected_mean / (np.sqrt(corrected_square)
                                                       + settings["eps"])
        point = point - update
        if not np.all(np.isfinite(point)) or np.abs(point).max() > 1e6:
            points.extend([points[-1]] * (steps + 1 - len(points)))
            break
        points.append(point.copy())
    return np.array(points)


def distance_to_minimum(surface: Surface, points: np.ndarray) -> np.ndarray:
    """Return the Euclidean distance of each point (shape (T, 2)) to the surface's minimum."""
    return np.linalg.norm(points - np.array(surface.minimum), axis=1)


def losses_along(surface: Surface, points: np.ndarray) -> np.ndarray:
    """Return the loss at each point of a trajectory, shape (T,)."""
    return surface.f(points[:, 0], points[:, 1])
