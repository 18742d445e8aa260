"""Image-quality metrics on arrays in [0, 1]."""

from __future__ import annotations

import numpy as np


def per_image_mse(estimates: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Return the mean squared error of each image: shape (N,) for inputs (N, ...)."""
    if estimates.shape != targets.shape:
        raise ValueError(f"shapes differ: estimates {estimates.shape}, targets {targets.shape}")
    difference = (np.asarray(estimates, np.float64) - np.asarray(targets, np.float64))
    return (difference ** 2).reshape(len(difference), -1).mean(axis=1)


def psnr(estimates: np.ndarray, targets: np.ndarray, data_range: float = 1.0) -> float:
    """Return the mean over images of the peak signal-to-noise ratio, in dB."""
    errors = np.maximum(per_image_mse(estimates, targets), 1e-12)
    return float(np.mean(10 * np.log10(data_range ** 2 / errors)))


def mse(estimates: np.ndarray, targets: np.ndarray) -> float:
    """Return the mean squared error over all pixels."""
    return float(per_image_mse(estimates, targets).mean())
