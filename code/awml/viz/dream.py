"""Pictures for feature visualisation: dreamed photographs and channel images."""

from __future__ import annotations

import numpy as np


def plot_dream(original: np.ndarray, dreamed: np.ndarray, title: str = ""):
    """Show a photograph (resized to the dream's size) beside its dreamed version."""
    import matplotlib.pyplot as plt
    from PIL import Image

    side = dreamed.shape[0]
    figure, axes = plt.subplots(1, 2, figsize=(7, 3.6))
    axes[0].imshow(np.asarray(Image.fromarray(original).resize((side, side))))
    axes[0].set_title("photograph", fontsize=9)
    axes[1].imshow(dreamed)
    axes[1].set_title(title or "dreamed", fontsize=9)
    for ax in axes:
        ax.axis("off")
    figure.tight_layout()
    return figure


def plot_channels(tiles: np.ndarray, channels, block: int, columns: int = 6):
    """Show images grown to excite single channels (N, S, S, 3), titled by channel."""
    import matplotlib.pyplot as plt

    tiles = np.asarray(tiles)
    rows = -(-len(tiles) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.7 * columns, 1.9 * rows),
                                squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, tile, channel in zip(axes.flat, tiles, channels):
        ax.imshow(tile)
        ax.set_title(f"block {block}, channel {channel}", fontsize=7)
    figure.tight_layout()
    return figure


def plot_objectives(history: dict[str, list[float]], steps_per_octave: int):
    """Plot the dream objective per step for each block (keys ``block<b>/objective``), with
    the octave boundaries dashed."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3))
    longest = 0
    for key, values in sorted(history.items()):
        ax.plot(np.arange(1, len(values) + 1), values, label=key.split("/")[0])
        longest = max(longest, len(values))
    for boundary in range(steps_per_octave, longest, steps_per_octave):
        ax.axvline(boundary + 0.5, color="0.7", linestyle="--", linewidth=0.8)
    ax.set_xlabel("gradient-ascent step")
    ax.set_ylabel("objective (mean squared activation / 2)")
    ax.legend(fontsize=8)
    figure.tight_layout()
    return figure
