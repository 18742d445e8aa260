"""Pictures for regularisation: norm balls, constrained minima, sparse weights, and
validation curves with an early-stopping point."""

from __future__ import annotations

import math

import numpy as np

from awml.toys.penalties import CENTRE, constrained_minimum, quadratic_loss, unit_ball


def _p_label(p: float) -> str:
    return "∞" if math.isinf(p) else f"{p:g}"


def plot_norm_balls(ps=(0.5, 1, 2, math.inf)):
    """Draw the unit balls ||w||_p = 1 for each p in one axes."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(3.8, 3.8))
    for p in ps:
        ring = unit_ball(p)
        ax.plot(ring[:, 0], ring[:, 1], label=f"p = {_p_label(p)}")
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", linewidth=0.8)
    ax.axvline(0, color="0.85", linewidth=0.8)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize=8, loc="upper right")
    return figure


def plot_constrained(p: float, radius: float):
    """Draw the loss contours, the ball of radius ``radius`` and the constrained minimum."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(4.4, 3.8))
    grid = np.linspace(-2.2, 2.8, 200)
    grid_x, grid_y = np.meshgrid(grid, grid)
    values = quadratic_loss(np.stack([grid_x, grid_y], axis=-1))
    ax.contour(grid_x, grid_y, values, levels=[0.05, 0.2, 0.5, 1, 2, 4, 8], colors="0.6",
               linewidths=0.7)
    ball = radius * unit_ball(p)
    ax.fill(ball[:, 0], ball[:, 1], color="tab:blue", alpha=0.2)
    ax.plot(ball[:, 0], ball[:, 1], color="tab:blue")
    best = constrained_minimum(p, radius)
    ax.plot(*CENTRE, "k*", markersize=10, label="unconstrained minimum")
    ax.plot(*best, "o", color="tab:red", label=f"constrained: ({best[0]:.2f}, {best[1]:.2f})")
    ax.set_aspect("equal")
    ax.set_xlim(-2.2, 2.8)
    ax.set_ylim(-2.2, 2.8)
    ax.axhline(0, color="0.85", linewidth=0.8)
    ax.axvline(0, color="0.85", linewidth=0.8)
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(f"‖w‖ with p = {_p_label(p)} at most {radius:g}", fontsize=10)
    return figure


def plot_early_stopping(history: dict[str, list[float]], patience: int = 5, title: str = ""):
    """Plot training and validation loss per epoch and mark where early stopping with
    ``patience`` would stop and which epoch's weights it would keep."""
    import matplotlib.pyplot as plt

    from awml.training.early_stopping import early_stopping_epoch

    epochs = np.arange(1, len(history["val_loss"]) + 1)
    best, stopped = early_stopping_epoch(history["val_loss"], patience)
    figure, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(epochs, history["train_loss"], label="training loss")
    ax.plot(epochs, history["val_loss"], label="validation loss")
    ax.axvline(best, color="tab:green", linestyle="--", label=f"best epoch {best}")
    if stopped < len(epochs):
        ax.axvline(stopped, color="tab:red", linestyle=":",
                   label=f"stops after epoch {stopped} (patience {patience})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy (nats)")
    ax.set_ylim(0, max(1.0, min(3.0, 1.2 * max(history["val_loss"]))))
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return figure
