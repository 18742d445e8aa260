"""Figures of lab 2: the learning curve with intervals, confusion matrices, captioned images."""

from __future__ import annotations

import numpy as np

from awml.training.intervals import mean_interval


def learning_curve_figure(sizes: np.ndarray, curves: dict[str, np.ndarray],
                          confidence: float = 0.95):
    """Return a figure of test accuracy against labelled images per class (log axis).

    ``curves`` maps a method's name to accuracies of shape (len(sizes), draws); each is
    drawn as its mean over draws with a shaded Student-t interval, clipped to [0, 1].
    """
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 3.4))
    for name, values in curves.items():
        if np.shape(values)[0] != len(sizes):
            raise ValueError(f"curves[{name!r}] has {np.shape(values)[0]} rows; "
                             f"expected one per size ({len(sizes)})")
        mean, low, high = mean_interval(values, confidence, axis=1)
        axis.plot(sizes, mean, marker="o", label=name)
        axis.fill_between(sizes, np.clip(low, 0, 1), np.clip(high, 0, 1), alpha=0.25)
    axis.set_xscale("log")
    axis.set_xticks(sizes, [str(int(size)) for size in sizes])
    axis.minorticks_off()
    axis.set_xlabel("labelled images per class")
    axis.set_ylabel("test accuracy")
    axis.axhline(0.5, color="gray", linewidth=0.8, linestyle=":")
    axis.legend(loc="lower right")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def confusion_figure(matrices: dict[str, np.ndarray], classes=("no person", "person")):
    """Return side-by-side confusion matrices (rows true class, columns predicted), counts."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(matrices), figsize=(3.0 * len(matrices), 2.8),
                                squeeze=False)
    for axis, (name, matrix) in zip(axes[0], matrices.items()):
        matrix = np.asarray(matrix)
        axis.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1, matrix.sum(axis=1).max()))
        for (row, column), count in np.ndenumerate(matrix):
            axis.text(column, row, str(int(count)), ha="center", va="center",
                      color="white" if count > matrix.max() / 2 else "black")
        axis.set_xticks([0, 1], classes)
        axis.set_yticks([0, 1], classes)
        axis.set_xlabel("predicted")
        axis.set_title(name)
    axes[0][0].set_ylabel("true")
    figure.tight_layout()
    return figure


def captioned_images(images: list[np.ndarray], captions: list[str], columns: int = 5,
                     inches: float = 2.0):
    """Return a grid of RGB images (H, W, 3) with a caption under each."""
    import matplotlib.pyplot as plt

    if len(images) != len(captions) or not images:
        raise ValueError(f"got {len(images)} images and {len(captions)} captions; "
                         "expected the same positive number")
    rows = -(-len(images) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(columns * inches, rows * inches * 1.2),
                                squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for axis, image, caption in zip(axes.flat, images, captions):
        axis.imshow(image)
        axis.set_title(caption, fontsize=8)
    figure.tight_layout()
    return figure
