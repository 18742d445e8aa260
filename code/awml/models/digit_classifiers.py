"""Small MNIST classifiers with dropout, for the ensemble chapter.

``DigitMLP`` is a multilayer perceptron on the 784 pixels with dropout after every hidden
layer (and optionally on the inputs); ``DigitCNN`` is a two-convolution network with
dropout before its classifier. Both return logits (B, 10) for images (B, 1, 28, 28) in
[0, 1]. Dropout follows the "inverted" convention of PyTorch: kept units are scaled by
1 / (1 - p) during training, so nothing changes at inference.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

CLASSES = 10


@dataclass(frozen=True)
class ClassifierShape:
    """Which network and how wide; the defaults train in seconds on a CPU."""

    kind: str = "mlp"  # "mlp" or "cnn"
    hidden: int = 256  # units per hidden layer (mlp) or classifier units (cnn)
    layers: int = 2  # hidden layers of the mlp
    dropout: float = 0.5  # probability of dropping a hidden unit
    input_dropout: float = 0.0  # probability of dropping a pixel (mlp only)

    def __post_init__(self) -> None:
        if self.kind not in ("mlp", "cnn"):
            raise ValueError(f"kind={self.kind!r} is not one of mlp, cnn")
        for name in ("dropout", "input_dropout"):
            value = getattr(self, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name}={value!r} must lie in [0, 1)")
        if self.hidden < 1 or self.layers < 1:
            raise ValueError(f"hidden={self.hidden!r} and layers={self.layers!r} must be >= 1")


class DigitMLP(nn.Module):
    """784 -> hidden x layers -> 10, ReLU, dropout after each hidden layer."""

    def __init__(self, shape: ClassifierShape = ClassifierShape()) -> None:
        super().__init__()
        blocks: list[nn.Module] = [nn.Flatten(), nn.Dropout(shape.input_dropout)]
        width = 28 * 28
        for _ in range(shape.layers):
            blocks += [nn.Linear(width, shape.hidden), nn.ReLU(), nn.Dropout(shape.dropout)]
            width = shape.hidden
        blocks.append(nn.Linear(width, CLASSES))
        self.net = nn.Sequential(*blocks)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images)  # (B, 10)


class DigitCNN(nn.Module):
    """Two 3 x 3 convolutions with pooling (28 -> 14 -> 7), then a dropout classifier."""

    def __init__(self, shape: ClassifierShape = ClassifierShape(kind="cnn")) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 16, 14, 14)
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 32, 7, 7)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(shape.dropout), nn.Linear(32 * 7 * 7, shape.hidden),
            nn.ReLU(), nn.Dropout(shape.dropout), nn.Linear(shape.hidden, CLASSES),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(images))  # (B, 10)


def make_classifier(shape: ClassifierShape, seed: int | None = None) -> nn.Module:
    """Return a new DigitMLP or DigitCNN for ``shape``, initialised from ``seed`` if given."""
    if seed is not None:
        torch.manual_seed(seed)
    return DigitMLP(shape) if shape.kind == "mlp" else DigitCNN(shape)
