"""Learning curves: several training runs on shared axes."""

from __future__ import annotations

import numpy as np


def smooth(values, window: int = 20) -> np.ndarray:
    """Return the running mean of ``values`` over ``window`` points (shorter at the start)."""
    values = np.asarray(values, dtype=float)
    if window < 1:
        raise ValueError(f"window={window} must be at least 1")
    sums = np.cumsum(np.insert(values, 0, 0.0))
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    return (sums[1:] - sums[np.maximum(np.arange(1, len(values) + 1) - window, 0)]) / counts


def plot_curves(runs: dict[str, dict[str, list[float]]],
                panels: tuple[str, ...] = ("step_loss", "val_accuracy"),
                colors: dict[str, str] | None = None, window: int = 20, title: str = ""):
    """Plot one panel per curve name in ``panels`` and one line per run in ``runs``.

    ``runs`` maps a run's label to its history (as returned by ``awml.training.curves.fit``).
    Per-step curves (names starting ``step_``) are smoothed over ``window`` steps; per-epoch
    curves are drawn against the epoch, starting at 1.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    labels = {"step_loss": "training loss (smoothed, nats)", "train_loss": "training loss",
              "val_loss": "validation loss (nats)", "val_accuracy": "validation accuracy",
              "train_accuracy": "training accuracy", "step_lr": "learning rate"}
    figure, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.2), squeeze=False)
    for ax, key in zip(axes[0], panels):
        for name, history in runs.items():
            values = history.get(key, [])
            if not len(values):
                continue
            color = (colors or {}).get(name)
            if key.startswith("step_"):
                ax.plot(smooth(values, window) if key == "step_loss" else values,
                        label=name, color=color)
                ax.set_xlabel("step")
            else:
                ax.plot(np.arange(1, len(values) + 1), values, "-o", markersize=3, label=name,
                        color=color)
                ax.set_xlabel("epoch")
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(labels.get(key, key))
    axes[0, 0].legend(fontsize=8)
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def split_history(history: dict[str, list[float]]) -> dict[str, dict[str, list[float]]]:
    """Turn ``{"run/curve": values}`` (a stored run's history) into ``{run: {curve: values}}``."""
    runs: dict[str, dict[str, list[float]]] = {}
    for key, values in history.items():
        run, _, curve = key.rpartition("/")
        runs.setdefault(run, {})[curve] = values
    return runs
