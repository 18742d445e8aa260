"""WeatherNet: an LSTM that reads 24 hours of weather and forecasts the next 24 temperatures.

One LSTM encoder, two heads. The **next-hour head** predicts every observed feature one
hour ahead from each step's state; it needs no labels, so it serves unsupervised
pre-training on windows without targets. The **forecast head** adds two corrections to the
same hours of the previous day (persistence): a linear map of the whole window (the
autoregressive highway of LSTNet) and a linear map of the LSTM's last state, which carries
what a linear model cannot. Everything is in scaled units.
"""

from __future__ import annotations

import torch
from torch import nn


class WeatherLSTM(nn.Module):
    """LSTM encoder with a next-hour head (pre-training) and a 24-hour forecast head."""

    def __init__(self, inputs: int = 8, observed: int = 4, hidden: int = 64, layers: int = 1,
                 horizon: int = 24, history: int = 24, dropout: float = 0.0,
                 target_column: int = 0) -> None:
        super().__init__()
        if not 0 < observed <= inputs or not 0 <= target_column < observed:
            raise ValueError(f"observed={observed}, target_column={target_column}, "
                             f"inputs={inputs}; expected 0 <= target < observed <= inputs")
        self.encoder = nn.LSTM(inputs, hidden, layers, batch_first=True,
                               dropout=dropout if layers > 1 else 0.0)
        self.next_hour = nn.Linear(hidden, observed)
        self.forecast = nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden, horizon))
        self.highway = nn.Linear(history * inputs, horizon)
        self.observed, self.horizon, self.target_column = observed, horizon, target_column
        self.history = history

    def forward(self, window: torch.Tensor) -> torch.Tensor:
        """Return the scaled forecast (N, horizon) for scaled windows (N, history, inputs)."""
        states, _ = self.encoder(window)  # (N, history, hidden)
        yesterday = window[:, -self.horizon:, self.target_column]  # (N, horizon)
        return yesterday + self.highway(window.flatten(1)) + self.forecast(states[:, -1])

    def next_hour_loss(self, window: torch.Tensor) -> torch.Tensor:
        """Return the mean squared error of predicting each observed feature one hour ahead."""
        states, _ = self.encoder(window[:, :-1])  # (N, T - 1, hidden)
        predicted = self.next_hour(states)  # (N, T - 1, observed)
        return nn.functional.mse_loss(predicted, window[:, 1:, :self.observed])
