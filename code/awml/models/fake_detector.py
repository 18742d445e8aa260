"""A pair detector of generated images: one scorer with shared weights for both images.

The scorer maps an image to a realness score $s(x)$; for a pair $(a, b)$ the probability
that $a$ is the real one is $\\sigma(s(a) - s(b))$. Because both images go through the same
weights, swapping the pair flips the probability exactly, and a single image can still be
scored on its own (for ROC AUC). The scorer ends in global average pooling, so it accepts
any image size and any number of channels set at construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class DetectorShape:
    """Widths of the scorer; the defaults suit 28 x 28 grey images on a CPU."""

    channels: int = 1  # image channels: 1 for MNIST, 3 for photographs
    width: int = 16  # feature maps of the first block; doubled in each of the next two

    def __post_init__(self) -> None:
        for name in ("channels", "width"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}={value!r} must be a positive integer")


def _block(inputs: int, outputs: int, stride: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, stride, 1, bias=False),
                         nn.BatchNorm2d(outputs), nn.LeakyReLU(0.2, inplace=True))


class RealnessScorer(nn.Module):
    """Maps images (B, C, H, W) in [0, 1] to realness scores (B,); higher means real."""

    def __init__(self, shape: DetectorShape = DetectorShape()) -> None:
        super().__init__()
        self.shape = shape
        width = shape.width
        self.features = nn.Sequential(
            _block(shape.channels, width, 1),  # (B, w, H, W)
            _block(width, 2 * width, 2),  # (B, 2w, H/2, W/2)
            _block(2 * width, 4 * width, 2),  # (B, 4w, H/4, W/4)
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),  # (B, 4w)
        )
        self.head = nn.Linear(4 * width, 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(images)).squeeze(1)


class PairDetector(nn.Module):
    """Returns the logit that the first image of each pair is real, shape (B,)."""

    def __init__(self, shape: DetectorShape = DetectorShape()) -> None:
        super().__init__()
        self.scorer = RealnessScorer(shape)

    def forward(self, first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
        scores = self.scorer(torch.cat([first, second]))  # one pass keeps batch statistics shared
        return scores[: len(first)] - scores[len(first):]
