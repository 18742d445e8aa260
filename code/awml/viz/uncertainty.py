"""Figures of Monte Carlo dropout: accuracy spread, uncertainty and abstention."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from awml.viz.figure import new_figure


def accuracy_spread_figure(spreads: dict[int, np.ndarray], single_pass: float,
                           passes: int) -> Figure:
    """Histogram of the accuracies of MC averages over ``passes`` passes.

    ``spreads`` maps a number of passes to the accuracies of many such averages (from
    ``accuracy_of_averages``); the others are drawn as faint outlines for comparison.
    """
    fig = new_figure(figsize=(7, 3.2))
    ax = fig.subplots()
    values = np.concatenate(list(spreads.values()))
    bins = np.linspace(values.min() - 0.002, values.max() + 0.002, 50)
    for count, accuracies in spreads.items():
        if count != passes:
            ax.hist(accuracies, bins=bins, histtype="step", color="0.75", lw=0.8)
    ax.hist(spreads[passes], bins=bins, color="#1f77b4", alpha=0.8,
            label=f"averages of {passes} pass{'es' if passes > 1 else ''}")
    ax.axvline(single_pass, color="#d62728", ls="--", label="single pass, all units")
    ax.set(xlabel="held-out accuracy", ylabel="count",
           title=f"spread of {len(spreads[passes])} MC-dropout answers "
                 f"(std {spreads[passes].std():.4f})")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def uncertainty_by_outcome_figure(measures: dict[str, np.ndarray], correct: np.ndarray,
                                  names: tuple[str, ...] = ("entropy", "mutual_information")
                                  ) -> Figure:
    """Histograms of uncertainty measures for correctly and wrongly classified digits."""
    fig = new_figure(figsize=(4.2 * len(names), 3))
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        values = measures[name]
        bins = np.linspace(0, values.max() + 1e-9, 30)
        ax.hist(values[correct], bins=bins, density=True, alpha=0.6,
                label=f"correct ({correct.sum()})")
        ax.hist(values[~correct], bins=bins, density=True, alpha=0.6,
                label=f"wrong ({(~correct).sum()})")
        ax.set(xlabel=f"{name.replace('_', ' ')} (nats)", ylabel="density", yscale="log")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def selective_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """Accuracy on the kept digits against the fraction kept, one line per doubt measure."""
    fig = new_figure(figsize=(5.5, 3.4))
    ax = fig.subplots()
    for name, (coverage, accuracy) in curves.items():
        start = max(1, len(coverage) // 20)  # skip the first few, too few to score
        ax.plot(coverage[start:], accuracy[start:], label=name)
    ax.set(xlabel="fraction of digits answered", ylabel="accuracy on those",
           title="answering only the least doubtful")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def rotation_figure(angles: np.ndarray, scores: dict[str, list[float]]) -> Figure:
    """Accuracy and mean uncertainty against the rotation of the held-out digits."""
    fig = new_figure(figsize=(9, 3.2))
    accuracy_ax, doubt_ax = fig.subplots(1, 2)
    accuracy_ax.plot(angles, scores["accuracy"], marker="o")
    accuracy_ax.set(xlabel="rotation (degrees)", ylabel="accuracy", ylim=(0, 1))
    for name in ("entropy", "mutual_information"):
        doubt_ax.plot(angles, scores[name], marker="o", label=name.replace("_", " "))
    doubt_ax.set(xlabel="rotation (degrees)", ylabel="mean over digits (nats)")
    doubt_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def rotated_predictions_figure(images: np.ndarray, samples: np.ndarray,
                               labels: np.ndarray, angle: float) -> Figure:
    """A few rotated digits above the MC-dropout distribution over their classes.

    ``samples`` has shape (T, K, 10) for the K ``images``; bars show the mean
    probability and whiskers the 10th to 90th percentile over the passes.
    """
    count = len(images)
    fig = new_figure(figsize=(1.9 * count, 3.4))
    axes = fig.subplots(2, count, squeeze=False, gridspec_kw={"height_ratios": [1, 1.1]})
    mean = samples.mean(axis=0)
    low, high = np.percentile(samples, [10, 90], axis=0)
    for index in range(count):
        axes[0, index].imshow(images[index].reshape(28, 28), cmap="gray_r")
        axes[0, index].set_title(f"label {labels[index]}", fontsize=9)
        axes[0, index].axis("off")
        bars = axes[1, index]
        bars.bar(np.arange(10), mean[index], color="#1f77b4")
        bars.vlines(np.arange(10), low[index], high[index], color="0.3", lw=0.8)
        bars.set(ylim=(0, 1), xticks=range(10))
        bars.tick_params(labelsize=7)
    fig.suptitle(f"rotated by {angle:g} degrees", fontsize=10)
    fig.tight_layout()
    return fig
