"""Fully connected classifiers for 28 x 28 digits, with switchable parts.

``dense_net([784, 128, 10], activation="relu", batchnorm=True)`` flattens its input and
stacks Linear, optional BatchNorm1d, the activation and optional dropout for each hidden
layer, then a last Linear that gives the logits. ``initialise`` re-draws the weights by a
named scheme, which the initialisation page compares.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

from awml.nn.activations import torch_activation

SCHEMES = ("default", "constant", "small", "glorot", "he", "large")


def dense_net(sizes: Sequence[int], activation: str = "relu", batchnorm: bool = False,
              dropout: float = 0.0) -> nn.Sequential:
    """Return an MLP mapping (N, 1, 28, 28) or (N, sizes[0]) inputs to (N, sizes[-1]) logits."""
    sizes = list(sizes)
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive widths; got {sizes}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout={dropout} must be in [0, 1)")
    layers: list[nn.Module] = [nn.Flatten()]
    for width_in, width_out in zip(sizes[:-2], sizes[1:-1]):
        layers.append(nn.Linear(width_in, width_out, bias=not batchnorm))
        if batchnorm:
            layers.append(nn.BatchNorm1d(width_out))
        layers.append(torch_activation(activation))
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """Return the model's Linear layers in order."""
    return [module for module in model.modules() if isinstance(module, nn.Linear)]


def initialise(model: nn.Module, scheme: str, value: float = 0.05, seed: int = 0) -> nn.Module:
    """Re-draw every Linear weight of ``model`` by ``scheme`` and zero the biases.

    ``constant``: every weight equals ``value``; ``small``: normal with std 0.01;
    ``glorot``: normal with variance 2 / (fan_in + fan_out); ``he``: normal with variance
    2 / fan_in; ``large``: normal with std 1; ``default``: torch's own initialisation,
    left untouched. Returns the same model.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    if scheme == "default":
        return model
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in linear_layers(model):
            fan_out, fan_in = layer.weight.shape
            std = {"small": 0.01, "large": 1.0, "glorot": math.sqrt(2.0 / (fan_in + fan_out)),
                   "he": math.sqrt(2.0 / fan_in), "constant": 0.0}[scheme]
            if scheme == "constant":
                layer.weight.fill_(value)
            else:
                layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator) * std)
            if layer.bias is not None:
                layer.bias.zero_()
    return model


def parameter_count(model: nn.Module) -> int:
    """Return the number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
