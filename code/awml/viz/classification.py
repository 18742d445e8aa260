"""Pictures for image classification: predictions as bars, preprocessing, activation maps."""

from __future__ import annotations

import numpy as np


def _short(name: str) -> str:
    return name.split(",")[0]


def plot_top_k(image: np.ndarray, predictions: list[tuple[str, float]], title: str = ""):
    """Show a photo beside a bar chart of its top-k (class name, probability) pairs."""
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3),
                                         gridspec_kw={"width_ratios": [1, 1.4]})
    left.imshow(image)
    left.axis("off")
    names = [_short(name) for name, _ in predictions][::-1]
    values = [probability for _, probability in predictions][::-1]
    bars = right.barh(names, values, color="tab:blue")
    bars[-1].set_color("tab:red")
    for bar, value in zip(bars, values):
        right.text(min(value + 0.01, 0.85), bar.get_y() + bar.get_height() / 2, f"{value:.2f}",
                   va="center", fontsize=8)
    right.set_xlim(0, 1)
    right.set_xlabel("probability")
    if title:
        left.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_preprocessing(image: np.ndarray, network_input: np.ndarray):
    """Show the photo, the network's input (3, S, S) mapped back for display, and the
    histogram of the input values."""
    import matplotlib.pyplot as plt

    values = np.asarray(network_input)
    figure, axes = plt.subplots(1, 3, figsize=(10, 3))
    axes[0].imshow(image)
    axes[0].set_title(f"photo {image.shape[1]}×{image.shape[0]}", fontsize=9)
    shown = (values.transpose(1, 2, 0) - values.min()) / (np.ptp(values) or 1.0)
    axes[1].imshow(shown)
    axes[1].set_title(f"network input {values.shape[2]}×{values.shape[1]}", fontsize=9)
    for ax in axes[:2]:
        ax.axis("off")
    for channel, colour in enumerate(("tab:red", "tab:green", "tab:blue")):
        axes[2].hist(values[channel].ravel(), bins=50, histtype="step", color=colour)
    axes[2].set_xlabel("input value")
    axes[2].set_yticks([])
    axes[2].set_title(f"values in [{values.min():.2f}, {values.max():.2f}]", fontsize=9)
    figure.tight_layout()
    return figure


def plot_activation_map(image: np.ndarray, activation_map, alpha: float = 0.5):
    """Show a photo, its class-activation map, and the map laid over the photo."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    axes[0].imshow(image)
    axes[0].set_title("photo", fontsize=9)
    axes[1].imshow(activation_map.raw, cmap="RdBu_r",
                   vmin=-np.abs(activation_map.raw).max(), vmax=np.abs(activation_map.raw).max())
    axes[1].set_title(f"map {activation_map.raw.shape[1]}×{activation_map.raw.shape[0]} "
                      "(logit units)", fontsize=9)
    axes[2].imshow(image)
    axes[2].imshow(activation_map.heatmap, cmap="jet", alpha=alpha)
    axes[2].set_title(f"{_short(activation_map.class_name)} "
                      f"(p = {activation_map.probability:.2f})", fontsize=9)
    for ax in axes:
        ax.axis("off")
    figure.tight_layout()
    return figure
