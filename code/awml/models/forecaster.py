"""A recurrent forecaster with three heads: a point forecast, a Gaussian, or quantiles.

A GRU reads the condition window (B, T, D) and its last state feeds one linear layer that
outputs every forecast hour at once (direct multi-horizon forecasting, as in MQ-RNN):

- ``point``: the forecast (B, H);
- ``gaussian``: a mean and a standard deviation per hour, (B, H) each, the scale made
  positive with a softplus (the likelihood of DeepAR, without its sampling);
- ``quantile``: the requested quantiles per hour (B, H, Q), built as the lowest plus
  non-negative increments, so they never cross.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

HEADS = ("point", "gaussian", "quantile")


class GRUForecaster(nn.Module):
    """GRU encoder plus a linear head for ``horizon`` hours."""

    def __init__(self, input_size: int, hidden_size: int, horizon: int, head: str = "point",
                 quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)) -> None:
        super().__init__()
        if head not in HEADS:
            raise ValueError(f"head={head!r} is not one of {', '.join(HEADS)}")
        if head == "quantile" and list(quantiles) != sorted(set(quantiles)):
            raise ValueError(f"quantiles={quantiles!r} must be increasing and distinct")
        self.head, self.horizon, self.quantiles = head, horizon, tuple(quantiles)
        outputs = {"point": 1, "gaussian": 2, "quantile": len(quantiles)}[head]
        self.encoder = nn.GRU(input_size, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, horizon * outputs)

    def forward(self, inputs: torch.Tensor
                ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Return (B, H) for ``point``, (mean, scale) each (B, H) for ``gaussian``, and
        (B, H, Q) for ``quantile``."""
        states, _ = self.encoder(inputs)  # (B, T, hidden)
        raw = self.readout(states[:, -1]).view(len(inputs), self.horizon, -1)  # (B, H, k)
        if self.head == "point":
            return raw[..., 0]
        if self.head == "gaussian":
            return raw[..., 0], F.softplus(raw[..., 1]) + 1e-3
        increments = F.softplus(raw[..., 1:])
        return torch.cat([raw[..., :1], raw[..., :1] + increments.cumsum(-1)], dim=-1)
