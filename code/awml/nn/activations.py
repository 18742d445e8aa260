"""Activation functions and their derivatives, in numpy.

Each entry of ``ACTIVATIONS`` is a name; ``activate(name, x)`` and ``derivative(name, x)``
evaluate the function and its derivative elementwise. ``alpha`` parametrises leaky ReLU
(the slope for negative inputs) and ELU (the level approached for very negative inputs).
"""

from __future__ import annotations

import math

import numpy as np

ACTIVATIONS = ("logistic", "tanh", "relu", "leaky_relu", "elu", "gelu")
DEFAULT_ALPHA = {"leaky_relu": 0.1, "elu": 1.0}


def _check(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation {name!r} is not one of {', '.join(ACTIVATIONS)}")


def _standard_normal_cdf(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))


def logistic(x: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + exp(-x)) without overflow for large negative x."""
    out = np.empty_like(x, dtype=float)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    exp_x = np.exp(x[~positive])
    out[~positive] = exp_x / (1.0 + exp_x)
    return out


def activate(name: str, x: np.ndarray, alpha: float | None = None) -> np.ndarray:
    """Return the activation ``name`` applied elementwise to ``x`` (same shape)."""
    _check(name)
    x = np.asarray(x, dtype=float)
    alpha = DEFAULT_ALPHA.get(name, 0.0) if alpha is None else alpha
    if name == "logistic":
        return logistic(x)
    if name == "tanh":
        return np.tanh(x)
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "leaky_relu":
        return np.where(x > 0, x, alpha * x)
    if name == "elu":
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return x * _standard_normal_cdf(x)


def derivative(name: str, x: np.ndarray, alpha: float | None = None) -> np.ndarray:
    """Return the derivative of activation ``name`` at each entry of ``x`` (same shape).

    At 0, where ReLU and leaky ReLU have no derivative, the right-hand value is returned
    for leaky ReLU and 0 for ReLU, as torch does.
    """
    _check(name)
    x = np.asarray(x, dtype=float)
    alpha = DEFAULT_ALPHA.get(name, 0.0) if alpha is None else alpha
    if name == "logistic":
        s = logistic(x)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(x) ** 2
    if name == "relu":
        return (x > 0).astype(float)
    if name == "leaky_relu":
        return np.where(x > 0, 1.0, alpha)
    if name == "elu":
        return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))
    density = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
    return _standard_normal_cdf(x) + x * density


def torch_activation(name: str, alpha: float | None = None):
    """Return the torch module computing activation ``name`` (GELU exact, not tanh)."""
    import torch.nn as tnn

    _check(name)
    alpha = DEFAULT_ALPHA.get(name, 0.0) if alpha is None else alpha
    return {"logistic": tnn.Sigmoid, "tanh": tnn.Tanh, "relu": tnn.ReLU,
            "leaky_relu": lambda: tnn.LeakyReLU(alpha), "elu": lambda: tnn.ELU(alpha),
            "gelu": tnn.GELU}[name]()


def small_gradient_fraction(name: str, preactivations: np.ndarray,
                            threshold: float = 0.01) -> float:
    """Return the fraction of ``preactivations`` where the derivative is below
    ``threshold`` in absolute value: units that pass almost no gradient back."""
    return float(np.mean(np.abs(derivative(name, preactivations)) < threshold))
