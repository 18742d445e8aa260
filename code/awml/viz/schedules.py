"""Pictures of learning-rate schedules and of the learning-rate range test."""

from __future__ import annotations

import numpy as np

SCHEDULE_COLORS = {"constant": "tab:gray", "step": "tab:blue", "cosine": "tab:green",
                   "warmup_cosine": "tab:orange", "one_cycle": "tab:red"}


def plot_schedule_shapes(curves: dict[str, np.ndarray]):
    """Plot each schedule's learning rate (name -> rates per step) on one axes."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6.5, 3.2))
    for name, rates in curves.items():
        ax.plot(rates, label=name.replace("_", " "), color=SCHEDULE_COLORS.get(name))
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.legend(fontsize=8, loc="upper right")
    figure.tight_layout()
    return figure


def plot_range_test(test: dict[str, np.ndarray], suggestion: float | None = None):
    """Plot the loss of a range test against the learning rate (log scale), raw and smoothed,
    with the suggested rate marked."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6.5, 3.2))
    ax.semilogx(test["lr"], test["loss"], color="0.75", label="loss per step")
    ax.semilogx(test["lr"], test["smoothed"], color="tab:blue", label="smoothed")
    if suggestion is not None:
        ax.axvline(suggestion, color="tab:red", linestyle="--",
                   label=f"steepest descent at {suggestion:.2g}")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss (nats)")
    ax.set_ylim(0, max(3.0, float(np.nanmin(test["smoothed"])) * 2))
    ax.legend(fontsize=8)
    figure.tight_layout()
    return figure


def plot_schedule_run(runs: dict[str, dict[str, list[float]]], name: str,
                      baseline: str = "constant"):
    """Show one schedule's learning rate, training loss and validation accuracy next to
    the ``baseline`` schedule's; ``runs`` maps schedule names to their curves."""
    import matplotlib.pyplot as plt

    from awml.viz.curves import smooth

    figure, axes = plt.subplots(1, 3, figsize=(11, 3))
    shown = [baseline, name] if name != baseline else [baseline]
    for schedule in shown:
        curves = runs[schedule]
        color = SCHEDULE_COLORS.get(schedule)
        label = schedule.replace("_", " ")
        axes[0].plot(curves["step_lr"], color=color, label=label)
        axes[1].plot(smooth(curves["step_loss"], 20), color=color, label=label)
        epochs = np.arange(1, len(curves["val_accuracy"]) + 1)
        axes[2].plot(epochs, curves["val_accuracy"], "-o", markersize=3, color=color,
                     label=f"{label}: {curves['val_accuracy'][-1]:.3f}")
    axes[0].set_ylabel("learning rate")
    axes[1].set_ylabel("training loss (smoothed)")
    axes[2].set_ylabel("validation accuracy")
    for ax, unit in zip(axes, ("step", "step", "epoch")):
        ax.set_xlabel(unit)
    axes[2].legend(fontsize=8)
    figure.tight_layout()
    return figure
