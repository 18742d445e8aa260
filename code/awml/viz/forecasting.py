"""Figures of the forecasting pages: the stations' year, errors by horizon, forecasts."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from awml.viz.figure import new_figure


def stations_year_figure(stations: dict, split_months: dict[str, Sequence[int]]) -> Figure:
    """Each station's hourly temperature over its year, with the split months shaded."""
    fig = new_figure(figsize=(9, 3.2))
    ax = fig.subplots()
    for city, frame in stations.items():
        ax.plot(frame.index, frame["temperature"], lw=0.4, label=city)
    index = next(iter(stations.values())).index
    for (name, months), shade in zip(split_months.items(), (0.0, 0.15, 0.3)):
        inside = index[index.month.isin(months)]
        ax.axvspan(inside[0], inside[-1], color="0.5", alpha=shade, lw=0)
        ax.text(inside[0] + (inside[-1] - inside[0]) / 2, ax.get_ylim()[1], name,
                ha="center", va="top", fontsize=8)
    ax.set(ylabel="temperature (C)")
    ax.legend(fontsize=8, loc="lower center", ncol=len(stations))
    fig.tight_layout()
    return fig


def horizon_rmse_figure(errors: dict[str, np.ndarray]) -> Figure:
    """RMSE (C) against the forecast hour, one line per method: ``errors`` name -> (H,)."""
    fig = new_figure(figsize=(6.5, 3.4))
    ax = fig.subplots()
    for name, values in errors.items():
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3,
                label=f"{name} ({np.sqrt(np.mean(values ** 2)):.2f})")
    ax.set(xlabel="hours ahead", ylabel="test RMSE (C)", title="error by forecast hour "
           "(overall RMSE in brackets)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def per_hour_figure(values: dict[str, np.ndarray], ylabel: str, title: str = "") -> Figure:
    """One line per name of a quantity (H,) against the forecast hour."""
    fig = new_figure(figsize=(6.5, 3.2))
    ax = fig.subplots()
    for name, series in values.items():
        ax.plot(np.arange(1, len(series) + 1), series, marker="o", ms=3, label=name)
    ax.set(xlabel="hours ahead", ylabel=ylabel, title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def forecast_figure(history: np.ndarray, truth: np.ndarray, forecasts: dict[str, np.ndarray],
                    title: str, bands: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
                    ) -> Figure:
    """The last 24 observed hours, the next 24 true hours, and forecasts of them.

    ``bands`` maps a name to (lower, upper) arrays (H,) drawn as shaded intervals.
    """
    fig = new_figure(figsize=(7, 3.2))
    ax = fig.subplots()
    past = np.arange(-len(history) + 1, 1)
    future = np.arange(1, len(truth) + 1)
    ax.plot(past, history, color="0.2", label="observed")
    ax.plot(future, truth, color="0.2", ls="--", label="what happened")
    for index, (name, (lower, upper)) in enumerate((bands or {}).items()):
        ax.fill_between(future, lower, upper, color=f"C{index}", alpha=0.25, label=name)
    for index, (name, values) in enumerate(forecasts.items()):
        ax.plot(future, values, color=f"C{index}", label=name)
    ax.axvline(0.5, color="0.6", lw=0.8)
    ax.set(xlabel="hours from the forecast time", ylabel="temperature (C)", title=title)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig


def calibration_figure(observed: dict[str, tuple[Sequence[float], np.ndarray]]) -> Figure:
    """Fraction of targets below each predicted quantile against the quantile's level.

    ``observed`` maps a model's name to (levels, fractions).
    """
    fig = new_figure(figsize=(4.4, 4))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="0.6", ls=":", label="calibrated")
    for name, (levels, fractions) in observed.items():
        ax.plot(levels, fractions, marker="o", ms=4, label=name)
    ax.set(xlabel="quantile level", ylabel="fraction of test targets below it",
           xlim=(0, 1), ylim=(0, 1), aspect="equal")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
