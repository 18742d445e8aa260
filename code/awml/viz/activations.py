"""Pictures of activation functions, their derivatives, and what they do to real inputs."""

from __future__ import annotations

import numpy as np

from awml.nn.activations import ACTIVATIONS, activate, derivative, small_gradient_fraction

TITLES = {"logistic": "logistic", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
          "elu": "ELU", "gelu": "GELU"}


def plot_activation_family(span: float = 4.0):
    """Plot every activation (solid) and its derivative (dashed) on [-span, span]."""
    import matplotlib.pyplot as plt

    x = np.linspace(-span, span, 401)
    figure, axes = plt.subplots(2, 3, figsize=(9, 5), sharex=True)
    for ax, name in zip(axes.flat, ACTIVATIONS):
        ax.axhline(0, color="0.8", linewidth=0.8)
        ax.axvline(0, color="0.8", linewidth=0.8)
        ax.plot(x, activate(name, x), color="tab:blue", label="$f(z)$")
        ax.plot(x, derivative(name, x), "--", color="tab:orange", label="$f'(z)$")
        ax.set_title(TITLES[name], fontsize=10)
        ax.set_ylim(-1.5, 2.5)
    axes[0, 0].legend(fontsize=8, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("$z$")
    figure.tight_layout()
    return figure


def plot_activation_on_data(name: str, preactivations: np.ndarray, span: float = 6.0):
    """Show ``name`` and its derivative over a histogram of real ``preactivations``, and the
    histogram of the outputs; the title gives the fraction of near-zero derivatives."""
    import matplotlib.pyplot as plt

    values = np.asarray(preactivations).ravel()
    x = np.linspace(-span, span, 401)
    figure, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3))
    left.hist(np.clip(values, -span, span), bins=80, density=True, color="0.8",
              label="pre-activations")
    twin = left.twinx()
    twin.plot(x, activate(name, x), color="tab:blue", label="$f(z)$")
    twin.plot(x, derivative(name, x), "--", color="tab:orange", label="$f'(z)$")
    twin.set_ylim(-1.5, 2.5)
    twin.legend(fontsize=8, loc="upper left")
    left.set_yticks([])
    left.set_xlabel("pre-activation $z$")
    right.hist(activate(name, values), bins=80, color="tab:blue", alpha=0.8)
    right.set_yticks([])
    right.set_xlabel("output $f(z)$")
    fraction = small_gradient_fraction(name, values)
    figure.suptitle(f"{TITLES[name]}: {fraction:.0%} of units pass a gradient below 0.01 "
                    f"(pre-activation std {values.std():.2f})", fontsize=10)
    figure.tight_layout()
    return figure
