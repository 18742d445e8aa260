"""Batch normalisation by hand: batch statistics in training, running ones at inference.

In training, each feature of a batch ``X`` (N, d) is standardised with the batch's own
mean and variance, then scaled by ``gamma`` and shifted by ``beta``; the running averages
of the batch statistics are updated with ``momentum`` (torch's convention: new = (1 -
momentum) * old + momentum * batch, with the unbiased batch variance). At inference the
running averages replace the batch statistics, so one example's output no longer depends
on the others in its batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class BatchNorm:
    """Parameters (``gamma``, ``beta``) and running statistics of one batch-norm layer."""

    features: int
    momentum: float = 0.1
    eps: float = 1e-5
    gamma: np.ndarray = field(init=False)
    beta: np.ndarray = field(init=False)
    running_mean: np.ndarray = field(init=False)
    running_var: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        if self.features < 1:
            raise ValueError(f"features={self.features} must be at least 1")
        if not 0.0 < self.momentum <= 1.0:
            raise ValueError(f"momentum={self.momentum} must be in (0, 1]")
        self.gamma, self.beta = np.ones(self.features), np.zeros(self.features)
        self.running_mean, self.running_var = np.zeros(self.features), np.ones(self.features)

    def _check(self, inputs: np.ndarray) -> np.ndarray:
        inputs = np.asarray(inputs, dtype=float)
        if inputs.ndim != 2 or inputs.shape[1] != self.features:
            raise ValueError(f"inputs must have shape (N, {self.features}); "
                             f"got shape {inputs.shape}")
        return inputs

    def train_forward(self, inputs: np.ndarray) -> np.ndarray:
        """Normalise with the batch's statistics and update the running ones; (N, d)."""
        inputs = self._check(inputs)
        if len(inputs) < 2:
            raise ValueError("a training batch needs at least 2 examples to have a variance")
        mean, var = inputs.mean(axis=0), inputs.var(axis=0)
        unbiased = var * len(inputs) / (len(inputs) - 1)
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * unbiased
        return self.gamma * (inputs - mean) / np.sqrt(var + self.eps) + self.beta

    def eval_forward(self, inputs: np.ndarray) -> np.ndarray:
        """Normalise with the running statistics; (N, d). Works for a batch of one."""
        inputs = self._check(inputs)
        return (self.gamma * (inputs - self.running_mean) / np.sqrt(self.running_var + self.eps)
                + self.beta)
