"""Pictures of how activations and gradients spread, or fail to, through deep stacks."""

from __future__ import annotations

import numpy as np

SCHEME_COLORS = {"small": "tab:gray", "glorot": "tab:blue", "he": "tab:red",
                 "large": "tab:purple"}


def plot_spread_curves(spreads: list):
    """Plot activation std (left) and gradient std (right) against depth, log scale.

    ``spreads`` are ``awml.nn.initialization.Spread`` results; solid lines for tanh,
    dashed for ReLU, one colour per scheme.
    """
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(9.5, 3.4))
    for spread in spreads:
        style = "-" if spread.activation == "tanh" else "--"
        label = f"{spread.activation}, {spread.scheme}"
        layers = np.arange(1, len(spread.activation_std) + 1)
        color = SCHEME_COLORS.get(spread.scheme)
        left.semilogy(layers, np.maximum(spread.activation_std, 1e-30), style, color=color,
                      label=label)
        right.semilogy(layers, np.maximum(spread.gradient_std, 1e-30), style, color=color,
                       label=label)
    left.set_ylabel("std of the activations")
    right.set_ylabel("std of the gradient w.r.t. layer input")
    for ax in (left, right):
        ax.set_xlabel("layer")
        ax.set_ylim(1e-12, 1e12)
    right.legend(fontsize=7, ncol=2, loc="lower right")
    figure.tight_layout()
    return figure


def plot_layer_histograms(spread, layers: tuple[int, ...] = (1, 2, 5, 10, 20)):
    """Show the histogram of the activations at the chosen layers (1-based) of one pass."""
    import matplotlib.pyplot as plt

    layers = [layer for layer in layers if layer <= len(spread.samples)]
    figure, axes = plt.subplots(1, len(layers), figsize=(2.0 * len(layers), 2.4), sharey=True)
    limit = 1.1 if spread.activation == "tanh" else None
    for ax, layer in zip(np.atleast_1d(axes), layers):
        values = spread.samples[layer - 1]
        span = limit or max(float(np.percentile(np.abs(values), 99)), 1e-12)
        ax.hist(np.clip(values, -span, span), bins=40, range=(-span, span),
                color=SCHEME_COLORS.get(spread.scheme, "tab:blue"))
        ax.set_title(f"layer {layer}\nstd {spread.activation_std[layer - 1]:.2g}", fontsize=8)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
    figure.suptitle(f"{spread.activation} with {spread.scheme} weights", fontsize=10)
    figure.tight_layout()
    return figure
