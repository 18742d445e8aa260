"""Losses and scores for probabilistic forecasts: Gaussian likelihood and quantiles.

All functions work on torch tensors (for training) or numpy arrays (for scoring), with
targets of shape (N, H) in the forecast's units.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


def gaussian_nll(mean, scale, target) -> "float | torch.Tensor":
    """Return the mean negative log-likelihood of ``target`` under N(mean, scale^2), nats.

    Each term is log(scale) + (target - mean)^2 / (2 scale^2) + log(2 pi) / 2.
    """
    log = np.log if isinstance(scale, np.ndarray) else _torch_log
    return (log(scale) + (target - mean) ** 2 / (2 * scale ** 2)).mean() \
        + 0.5 * math.log(2 * math.pi)


def _torch_log(values):
    import torch

    return torch.log(values)


def pinball_loss(predicted, target, levels) -> "float | torch.Tensor":
    """Return the mean quantile (pinball) loss of ``predicted`` (N, H, Q) for ``levels`` (Q,).

    For level tau and error u = target - prediction, the loss is max(tau u, (tau - 1) u):
    its expectation is smallest when the prediction is the tau-quantile of the target.
    """
    if predicted.shape[-1] != len(levels):
        raise ValueError(f"predicted has {predicted.shape[-1]} quantiles in its last axis; "
                         f"levels has {len(levels)}")
    if isinstance(predicted, np.ndarray):
        taus = np.asarray(levels, dtype=predicted.dtype)
        error = target[..., None] - predicted
        return np.maximum(taus * error, (taus - 1) * error).mean()
    import torch

    taus = torch.as_tensor(levels, dtype=predicted.dtype, device=predicted.device)
    error = target.unsqueeze(-1) - predicted
    return torch.maximum(taus * error, (taus - 1) * error).mean()


def gaussian_quantiles(mean: np.ndarray, scale: np.ndarray, levels) -> np.ndarray:
    """Return the quantiles (N, H, Q) of N(mean, scale^2) at ``levels``."""
    from scipy.stats import norm

    return mean[..., None] + scale[..., None] * norm.ppf(np.asarray(levels))


def coverage(lower: np.ndarray, upper: np.ndarray, target: np.ndarray) -> float:
    """Return the fraction of ``target`` values inside [lower, upper]."""
    return float(((target >= lower) & (target <= upper)).mean())


def calibration(quantiles: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Return, per level, the fraction of targets below the predicted quantile: (Q,).

    A calibrated forecast gives back its levels (0.1 for the 10 % quantile, and so on).
    """
    return (target[..., None] <= quantiles).reshape(-1, quantiles.shape[-1]).mean(axis=0)


def rmse(predicted: np.ndarray, target: np.ndarray, axis=None) -> "float | np.ndarray":
    """Return the root mean squared error (over ``axis``, all by default)."""
    return np.sqrt(((np.asarray(predicted) - np.asarray(target)) ** 2).mean(axis=axis))
