"""Grids of images and learning curves."""

from __future__ import annotations

import numpy as np


def image_grid(rows: dict[str, np.ndarray], columns: int = 8, cell_inches: float = 0.9,
               cmap: str = "gray"):
    """Return a figure with one row per entry of ``rows`` (label -> images (N, 1, H, W)).

    Each row shows its first ``columns`` images, with the label on the left.
    """
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("rows is empty; expected a mapping of labels to image arrays")
    figure, axes = plt.subplots(len(rows), columns, squeeze=False,
                                figsize=(columns * cell_inches, len(rows) * cell_inches))
    for row, (label, images) in zip(axes, rows.items()):
        images = np.asarray(images)
        for column, axis in enumerate(row):
            axis.set_xticks([])
            axis.set_yticks([])
            if column < len(images):
                axis.imshow(np.squeeze(images[column]), cmap=cmap, vmin=0, vmax=1)
        row[0].set_ylabel(label, rotation=0, ha="right", va="center")
    figure.tight_layout(pad=0.2)
    return figure


def learning_curves(history: dict[str, list[float]], keys=("train_loss", "validate_loss"),
                    ylabel: str = "loss", log: bool = False):
    """Return a figure of the per-epoch curves named by ``keys`` in ``history``."""
    import matplotlib.pyplot as plt

    present = [key for key in keys if key in history]
    if not present:
        raise ValueError(f"history has none of {keys}; it has {sorted(history)}")
    figure, axis = plt.subplots(figsize=(5, 3.2))
    for key in present:
        epochs = np.arange(1, len(history[key]) + 1)
        axis.plot(epochs, history[key], marker="o", label=key.replace("_", " "))
    axis.set_xlabel("epoch")
    axis.set_ylabel(ylabel)
    if log:
        axis.set_yscale("log")
    axis.legend()
    axis.grid(alpha=0.3)
    figure.tight_layout()
    return figure
