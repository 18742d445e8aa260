"""Figures of lab 3: forecasts against what happened, and error by horizon hour."""

from __future__ import annotations

import numpy as np


def forecasts_figure(samples: list[dict], columns: int = 2):
    """Return panels of past 24 h, the next 24 h as observed, and each model's forecast.

    Each sample is a dict with ``city``, ``start``, ``past`` (24,), ``truth`` (24,) and
    ``forecasts`` (name -> (24,)), temperatures in degrees C.
    """
    import matplotlib.pyplot as plt

    if not samples:
        raise ValueError("samples is empty; expected at least one forecast to draw")
    rows = -(-len(samples) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 2.6 * rows),
                                squeeze=False, sharex=True)
    past_hours, future_hours = np.arange(-23, 1), np.arange(1, 25)
    for axis, sample in zip(axes.flat, samples):
        axis.plot(past_hours, sample["past"], color="black", label="past 24 h")
        axis.plot(future_hours, sample["truth"], color="black", linestyle="--",
                  label="what happened")
        for name, forecast in sample["forecasts"].items():
            axis.plot(future_hours, forecast, label=name)
        axis.axvline(0.5, color="gray", linewidth=0.8)
        axis.set_title(f"{sample['city']}, from {sample['start']}", fontsize=9)
        axis.set_ylabel("C")
        axis.grid(alpha=0.3)
    for axis in axes.flat[len(samples):]:
        axis.axis("off")
    for axis in axes[-1]:
        axis.set_xlabel("hours from the forecast time")
    axes.flat[0].legend(fontsize=7, loc="best")
    figure.tight_layout()
    return figure


def horizon_figure(errors: dict[str, np.ndarray]):
    """Return RMSE (degrees C) against the horizon hour, one line per model."""
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 3.4))
    for name, values in errors.items():
        values = np.asarray(values)
        axis.plot(np.arange(1, len(values) + 1), values, marker=".", label=name)
    axis.set_xlabel("horizon (hours ahead)")
    axis.set_ylabel("test RMSE (C)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def stations_figure(stations: dict, split_months: dict):
    """Return each station's hourly temperature over its year, split months shaded.

    ``stations`` maps a city to a DataFrame with a ``temperature`` column and an hourly
    time index; ``split_months`` maps a split name to its months.
    """
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7.5, 3.2))
    for city, frame in stations.items():
        axis.plot(frame.index, frame["temperature"], linewidth=0.4, label=city)
    import matplotlib.dates as mdates

    first = next(iter(stations.values())).index
    top = axis.get_ylim()[1]
    for (name, months), shade in zip(split_months.items(), (0.0, 0.12, 0.24)):
        inside = first[first.month.isin(months)]
        axis.axvspan(inside[0], inside[-1], color="gray", alpha=shade)
        axis.text(inside[0] + (inside[-1] - inside[0]) / 2, top, name, ha="center", va="top",
                  fontsize=8)
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%b"))  # the year is nominal
    axis.set_ylabel("temperature (C)")
    axis.legend(fontsize=8, loc="lower center", ncol=len(stations))
    figure.tight_layout()
    return figure
