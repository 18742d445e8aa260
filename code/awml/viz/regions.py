"""Figures of classical ensembles on two-dimensional toys: regions, variance, members.

Every function returns a matplotlib ``Figure`` (or draws on a given axis) without pyplot.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from matplotlib.figure import Figure

from awml.viz.figure import new_figure

CLASS_COLOURS = ("#1f77b4", "#d62728")


def decision_regions(ax, predict_proba: Callable[[np.ndarray], np.ndarray],
                     points: np.ndarray, labels: np.ndarray, title: str = "",
                     extent: float = 3.2, resolution: int = 150,
                     sizes: np.ndarray | None = None) -> None:
    """Shade ``ax`` by the predicted probability of class 1 and scatter the points."""
    grid = np.linspace(-extent, extent, resolution)
    xx, yy = np.meshgrid(grid, grid)
    probability = predict_proba(np.column_stack([xx.ravel(), yy.ravel()]))[:, 1]
    ax.contourf(xx, yy, probability.reshape(xx.shape), levels=np.linspace(0, 1, 11),
                cmap="RdBu_r", alpha=0.45)
    ax.contour(xx, yy, probability.reshape(xx.shape), levels=[0.5], colors="k",
               linewidths=1.0)
    colours = np.array(CLASS_COLOURS)[labels]
    ax.scatter(points[:, 0], points[:, 1], c=colours, s=8 if sizes is None else sizes,
               edgecolors="none", alpha=0.8)
    ax.set(xlim=(-extent, extent), ylim=(-extent, extent), aspect="equal", title=title)
    ax.set_xticks([])
    ax.set_yticks([])


def regions_figure(models: dict[str, Callable[[np.ndarray], np.ndarray]], points: np.ndarray,
                   labels: np.ndarray, sizes: np.ndarray | None = None) -> Figure:
    """Decision regions of several fitted models side by side, one panel per model.

    ``models`` maps a panel title to a function from points (N, 2) to probabilities (N, 2).
    """
    fig = new_figure(figsize=(3.3 * len(models), 3.4))
    axes = fig.subplots(1, len(models), squeeze=False)[0]
    for ax, (title, predict) in zip(axes, models.items()):
        decision_regions(ax, predict, points, labels, title=title, sizes=sizes)
    fig.tight_layout()
    return fig


def averaging_variance_figure(correlations=(0.0, 0.2, 0.5, 0.8, 1.0), members: int = 50
                              ) -> Figure:
    """Variance of an average of ``members`` predictors with variance 1 and correlation rho."""
    fig = new_figure(figsize=(5.5, 3.2))
    ax = fig.subplots()
    counts = np.arange(1, members + 1)
    for rho in correlations:
        ax.plot(counts, rho + (1 - rho) / counts, label=f"rho = {rho:g}")
    ax.set(xlabel="members averaged M", ylabel="variance of the average / sigma^2",
           ylim=(0, 1.05))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def members_curve_figure(curves: dict[str, np.ndarray], references: dict[str, float]
                         ) -> Figure:
    """Test accuracy against the number of members, with fixed references as lines."""
    fig = new_figure(figsize=(6.5, 3.4))
    ax = fig.subplots()
    for name, accuracy in curves.items():
        ax.plot(np.arange(1, len(accuracy) + 1), accuracy, label=name)
    for index, (name, value) in enumerate(references.items()):
        ax.axhline(value, color=f"C{len(curves) + index}", ls=":", label=name)
    ax.set(xscale="log", xlabel="members (trees or boosting rounds)", ylabel="test accuracy")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig
