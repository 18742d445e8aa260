"""Loss functions and their gradients, in numpy.

Regression losses take predictions and targets of the same shape and return the mean
over all entries; their ``*_gradient`` returns dLoss/dprediction per entry, with the
1/N of the mean left out (the pointwise derivative). Classification losses take logits.
"""

from __future__ import annotations

import numpy as np


def _pair(predictions, targets) -> tuple[np.ndarray, np.ndarray]:
    predictions, targets = np.asarray(predictions, float), np.asarray(targets, float)
    if predictions.shape != targets.shape:
        raise ValueError(f"predictions have shape {predictions.shape} but targets "
                         f"{targets.shape}; expected the same shape")
    return predictions, targets


def mse(predictions, targets) -> float:
    """Mean squared error, in squared target units."""
    predictions, targets = _pair(predictions, targets)
    return float(np.mean((predictions - targets) ** 2))


def mae(predictions, targets) -> float:
    """Mean absolute error, in target units."""
    predictions, targets = _pair(predictions, targets)
    return float(np.mean(np.abs(predictions - targets)))


def _check_delta(delta: float) -> None:
    if not delta > 0:
        raise ValueError(f"delta={delta} must be positive")


def huber_pointwise(residuals: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """Return the Huber loss of each residual: quadratic within ``delta``, linear beyond."""
    _check_delta(delta)
    size = np.abs(residuals)
    return np.where(size <= delta, 0.5 * residuals**2, delta * (size - 0.5 * delta))


def huber(predictions, targets, delta: float = 1.0) -> float:
    """Mean Huber loss (torch's ``HuberLoss`` with the same ``delta``)."""
    predictions, targets = _pair(predictions, targets)
    return float(np.mean(huber_pointwise(predictions - targets, delta)))


def regression_gradient(name: str, residuals: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """Return d(loss of one entry)/d(prediction) as a function of residual = prediction - target.

    ``name`` is ``mse`` (2 r), ``mae`` (sign r) or ``huber`` (r clipped to [-delta, delta]).
    """
    residuals = np.asarray(residuals, float)
    if name == "mse":
        return 2.0 * residuals
    if name == "mae":
        return np.sign(residuals)
    if name == "huber":
        _check_delta(delta)
        return np.clip(residuals, -delta, delta)
    raise ValueError(f"name={name!r} is not one of mse, mae, huber")


def regression_pointwise(name: str, residuals: np.ndarray, delta: float = 1.0) -> np.ndarray:
    """Return the loss of each residual for ``name`` in mse, mae, huber."""
    residuals = np.asarray(residuals, float)
    if name == "mse":
        return residuals**2
    if name == "mae":
        return np.abs(residuals)
    if name == "huber":
        return huber_pointwise(residuals, delta)
    raise ValueError(f"name={name!r} is not one of mse, mae, huber")


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Return softmax(logits / temperature) along the last axis; rows sum to 1."""
    if not temperature > 0:
        raise ValueError(f"temperature={temperature} must be positive")
    scaled = np.asarray(logits, float) / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    exps = np.exp(scaled)
    return exps / exps.sum(axis=-1, keepdims=True)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Return log softmax(logits) along the last axis, computed stably."""
    logits = np.asarray(logits, float)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def binary_cross_entropy(logits, labels) -> float:
    """Mean binary cross-entropy of labels in {0, 1} given logits, in nats."""
    logits, labels = _pair(logits, labels)
    # log(1 + exp(-|z|)) keeps both branches finite for large |z|.
    return float(np.mean(np.maximum(logits, 0) - logits * labels
                         + np.log1p(np.exp(-np.abs(logits)))))


def categorical_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean categorical cross-entropy, in nats, of integer ``labels`` (N,) given logits (N, K)."""
    logits, labels = np.asarray(logits, float), np.asarray(labels)
    if logits.ndim != 2 or labels.shape != (logits.shape[0],):
        raise ValueError(f"logits must be (N, K) and labels (N,); got {logits.shape} and "
                         f"{labels.shape}")
    return float(-np.mean(log_softmax(logits)[np.arange(len(labels)), labels]))


def cross_entropy_gradient(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return d(mean cross-entropy)/d(logits) = (softmax - one-hot) / N, shape (N, K)."""
    logits = np.asarray(logits, float)
    gradient = softmax(logits)
    gradient[np.arange(len(labels)), labels] -= 1.0
    return gradient / len(labels)
