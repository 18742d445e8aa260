"""Pictures of digits and of weights that live in the same 28 x 28 space."""

from __future__ import annotations

import numpy as np


def plot_templates(weight: np.ndarray, axes=None, titles: list[str] | None = None,
                   title: str = ""):
    """Show each row of ``weight`` (K, 784) as a 28 x 28 image, red positive, blue negative.

    The colour scale is symmetric and shared by all rows; returns the figure.
    """
    import matplotlib.pyplot as plt

    weight = np.asarray(weight)
    if weight.ndim != 2 or weight.shape[1] != 784:
        raise ValueError(f"weight must have shape (K, 784); got shape {weight.shape}")
    if axes is None:
        _, axes = plt.subplots(1, len(weight), figsize=(1.1 * len(weight), 1.5))
    axes = np.atleast_1d(axes)
    limit = float(np.abs(weight).max()) or 1.0
    for index, (ax, row) in enumerate(zip(axes, weight)):
        ax.imshow(row.reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(titles[index] if titles else str(index), fontsize=8)
    if title:
        axes[0].figure.suptitle(title, fontsize=10)
    return axes[0].figure


def plot_digits(images: np.ndarray, labels=None, predictions=None, columns: int = 10,
                scale: float = 1.0):
    """Show digits (N, 28, 28) or (N, 1, 28, 28) in a grid, titled with label / prediction."""
    import matplotlib.pyplot as plt

    images = np.asarray(images).reshape(len(images), 28, 28)
    rows = -(-len(images) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(scale * columns, scale * 1.15 * rows),
                                squeeze=False)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= len(images):
            continue
        ax.imshow(images[index], cmap="gray_r")
        parts = []
        if labels is not None:
            parts.append(str(labels[index]))
        if predictions is not None:
            parts.append(f"→{predictions[index]}")
        wrong = predictions is not None and labels is not None and \
            predictions[index] != labels[index]
        ax.set_title(" ".join(parts), fontsize=8, color="tab:red" if wrong else "black")
    return figure


def plot_layer_training(training, step: int):
    """Show the weights a one-layer classifier had at ``step`` beside its loss curve.

    ``training`` is an ``awml.nn.one_layer.LayerTraining``; ``step`` one of its recorded
    steps. Returns the figure.
    """
    import matplotlib.pyplot as plt

    if step not in training.steps:
        raise ValueError(f"step={step} was not recorded; recorded steps: {training.steps}")
    figure = plt.figure(figsize=(10, 2.6))
    grid = figure.add_gridspec(2, 7, width_ratios=[1.4, 1, 1, 1, 1, 1, 0.05])
    curve = figure.add_subplot(grid[:, 0])
    curve.plot(training.loss, color="tab:blue")
    if step < len(training.loss):
        curve.plot(step, training.loss[step], "o", color="tab:red")
    curve.set_xlabel("step")
    curve.set_ylabel("cross-entropy (nats)")
    axes = [figure.add_subplot(grid[row, col]) for row in range(2) for col in range(1, 6)]
    plot_templates(training.weights[training.steps.index(step)], axes=axes)
    figure.suptitle(f"weights after {step} steps", fontsize=10)
    return figure
