"""How the spread of activations and gradients changes through a deep stack of layers.

``propagate`` sends a batch through ``depth`` random dense layers of equal ``width`` whose
weights are drawn by a named scheme, then sends a random gradient back, and records the
standard deviation of the activations and of the gradients at every layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from awml.nn.activations import activate, derivative

SCHEMES = ("small", "glorot", "he", "large")


def weight_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """Return the weight standard deviation of ``scheme`` for a layer of the given fans.

    ``small`` is 0.01, ``large`` is 1, ``glorot`` is sqrt(2 / (fan_in + fan_out)) and
    ``he`` is sqrt(2 / fan_in).
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    return {"small": 0.01, "large": 1.0, "glorot": math.sqrt(2.0 / (fan_in + fan_out)),
            "he": math.sqrt(2.0 / fan_in)}[scheme]


@dataclass
class Spread:
    """Per-layer statistics of one pass: arrays of shape (depth,) and samples (depth, k)."""

    activation_std: np.ndarray
    gradient_std: np.ndarray
    samples: np.ndarray  # a few activations of each layer, for histograms
    activation: str
    scheme: str


def propagate(inputs: np.ndarray, depth: int = 20, width: int = 256, activation: str = "tanh",
              scheme: str = "glorot", seed: int = 0, keep: int = 2000) -> Spread:
    """Send ``inputs`` (N, d) forwards and a unit-variance gradient backwards; see ``Spread``.

    The first layer maps d features to ``width``; the other ``depth - 1`` map width to
    width. Biases are zero. ``keep`` activations per layer are kept as samples.
    """
    inputs = np.asarray(inputs, dtype=float)
    if inputs.ndim != 2:
        raise ValueError(f"inputs must have shape (N, d); got shape {inputs.shape}")
    if depth < 1 or width < 1:
        raise ValueError(f"depth={depth} and width={width} must be at least 1")
    rng = np.random.default_rng(seed)
    weights, pre_activations, outputs = [], [], []
    current = inputs
    for layer in range(depth):
        fan_in = current.shape[1]
        weight = rng.standard_normal((fan_in, width)) * weight_std(scheme, fan_in, width)
        pre = current @ weight
        current = activate(activation, pre)
        weights.append(weight)
        pre_activations.append(pre)
        outputs.append(current)

    gradient = rng.standard_normal(current.shape)
    gradient_std = np.zeros(depth)
    for layer in reversed(range(depth)):
        gradient = gradient * derivative(activation, pre_activations[layer])
        gradient = gradient @ weights[layer].T  # gradient with respect to this layer's input
        gradient_std[layer] = gradient.std()
    picks = rng.choice(outputs[0].size, size=min(keep, outputs[0].size), replace=False)
    samples = np.stack([output.reshape(-1)[picks] for output in outputs])
    return Spread(np.array([output.std() for output in outputs]), gradient_std, samples,
                  activation, scheme)
