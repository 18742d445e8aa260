"""Forecast metrics over a whole set and per horizon hour, in the target's units."""

from __future__ import annotations

import numpy as np


def _checked(predictions, truth) -> tuple[np.ndarray, np.ndarray]:
    predictions = np.asarray(predictions, dtype=np.float64)
    truth = np.asarray(truth, dtype=np.float64)
    if predictions.shape != truth.shape:
        raise ValueError(f"predictions {predictions.shape} and truth {truth.shape} differ")
    return predictions, truth


def forecast_metrics(predictions, truth, axis=None) -> dict:
    """Return MSE, RMSE, MAE, mean error (bias, prediction minus truth) and R-squared.

    With ``axis=None`` each is one number over every value; with ``axis=0`` on (N, H)
    arrays each is an array of H values, one per horizon hour. R-squared compares the
    squared error with the variance of ``truth`` over the same values (NaN where ``truth``
    is constant).
    """
    predictions, truth = _checked(predictions, truth)
    error = predictions - truth
    mse = np.mean(error ** 2, axis=axis)
    variance = np.var(truth, axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(variance > 0, 1.0 - mse / variance, np.nan)  # undefined for constant truth
    return {"mse": mse, "rmse": np.sqrt(mse), "mae": np.mean(np.abs(error), axis=axis),
            "bias": np.mean(error, axis=axis), "r2": r2 if axis is not None else float(r2)}
