"""Fitting a straight line under different regression losses.

``fit_line(x, y, loss)`` returns the intercept and slope that minimise the mean of the
loss (``mse``, ``mae`` or ``huber`` from ``awml.nn.losses``) over the residuals. The
minimisation runs on standardised inputs with scipy's L-BFGS, started at the least-squares
line, and the result is mapped back to the original units.
"""

from __future__ import annotations

import numpy as np

from awml.nn.losses import regression_gradient, regression_pointwise


def fit_line(x: np.ndarray, y: np.ndarray, loss: str = "mse",
             delta: float = 1.0) -> tuple[float, float]:
    """Return (intercept, slope) of the line minimising the mean ``loss`` of its residuals.

    ``delta`` is Huber's threshold, in the units of ``y``.
    """
    from scipy.optimize import minimize

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2; got {x.shape}, {y.shape}")
    regression_pointwise(loss, np.zeros(1), delta)  # refuses an unknown loss name early
    centre, spread = x.mean(), x.std() or 1.0
    features = np.column_stack([np.ones_like(x), (x - centre) / spread])

    def objective(coefficients: np.ndarray) -> tuple[float, np.ndarray]:
        residuals = features @ coefficients - y
        value = regression_pointwise(loss, residuals, delta).mean()
        gradient = features.T @ regression_gradient(loss, residuals, delta) / len(y)
        return float(value), gradient

    start = np.linalg.lstsq(features, y, rcond=None)[0]
    solution = minimize(objective, start, jac=True, method="L-BFGS-B").x
    slope = solution[1] / spread
    return float(solution[0] - slope * centre), float(slope)
