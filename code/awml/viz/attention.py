"""Figures of attention: softmax saturation and attention-weight heat maps."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from awml.viz.figure import new_figure


def saturation_figure(largest: np.ndarray, dimension: int, scaled: bool) -> Figure:
    """Histogram of the largest attention weight of each query (``largest``, shape (N,)).

    Near 1 the softmax has saturated into a hard choice of one key.
    """
    fig = new_figure(figsize=(6, 3))
    ax = fig.subplots()
    ax.hist(largest, bins=np.linspace(0, 1, 41), color="#1f77b4")
    ax.axvline(np.median(largest), color="#d62728", ls="--",
               label=f"median {np.median(largest):.2f}")
    how = "divided by sqrt(d)" if scaled else "not scaled"
    ax.set(xlabel="largest weight of a query over 16 keys", ylabel="queries",
           title=f"d = {dimension}, scores {how}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def attention_heatmap_figure(weights: np.ndarray, query_labels: Sequence[str],
                             key_labels: Sequence[str], titles: Sequence[str],
                             query_name: str = "query", key_name: str = "key") -> Figure:
    """Heat maps of attention weights, one panel per head: ``weights`` (heads, Lq, Lk)."""
    heads = len(weights)
    fig = new_figure(figsize=(3.4 * heads + 0.6, 3.4))
    axes = fig.subplots(1, heads, squeeze=False)[0]
    every = 3 if max(len(query_labels), len(key_labels)) > 12 else 1
    for index, (ax, head, title) in enumerate(zip(axes, weights, titles)):
        image = ax.imshow(head, cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(0, len(key_labels), every), key_labels[::every], fontsize=8)
        ax.set_yticks(range(0, len(query_labels), every), query_labels[::every], fontsize=8)
        ax.set(xlabel=key_name, ylabel=query_name if index == 0 else "", title=title)
    fig.colorbar(image, ax=list(axes), fraction=0.03, label="weight")
    return fig
