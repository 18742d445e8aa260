"""A small convolutional network trained from scratch: the baseline that transfer must beat.

Each stage is a 3 by 3 convolution, batch normalisation, ReLU and a 2 by 2 max-pool, so a
64-pixel input ends at 8 by 8 after three stages; a global average pool and a linear layer
give one logit per image (a binary classifier) or ``num_classes`` logits.
"""

from __future__ import annotations

import torch
from torch import nn


class SmallCNN(nn.Module):
    """Stages of conv-BN-ReLU-pool with widths ``channels``, then pool and a linear head."""

    def __init__(self, channels: tuple[int, ...] = (16, 32, 64), num_classes: int = 1,
                 in_channels: int = 3, dropout: float = 0.2) -> None:
        super().__init__()
        if not channels or min(channels) < 1:
            raise ValueError(f"channels={channels!r}; expected positive widths")
        layers: list[nn.Module] = []
        width_in = in_channels
        for width in channels:
            layers += [nn.Conv2d(width_in, width, 3, padding=1, bias=False),
                       nn.BatchNorm2d(width), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            width_in = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout),
                                  nn.Linear(width_in, num_classes))
        self.num_classes = num_classes

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Return logits: shape (N,) for one class, (N, num_classes) otherwise."""
        logits = self.head(self.features(images))  # (N, num_classes)
        return logits.squeeze(1) if self.num_classes == 1 else logits
