"""A convolutional denoising autoencoder for 28 x 28 grey images.

The encoder halves the resolution twice with strided convolutions (28 -> 14 -> 7) and the
decoder doubles it back with transposed convolutions. Batch normalisation after each
hidden convolution matters here: without it the network tends to collapse to an all-black
output on MNIST, since most pixels are black.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class AutoencoderShape:
    """Widths of the autoencoder; the defaults suit MNIST on a CPU."""

    channels: tuple[int, int] = (32, 64)  # feature maps at 14 x 14 and at 7 x 7
    batch_norm: bool = True  # normalise hidden activations (see the module docstring)


def _block(conv: nn.Module, width: int, batch_norm: bool) -> nn.Sequential:
    layers = [conv]
    if batch_norm:
        layers.append(nn.BatchNorm2d(width))
    layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class DenoisingAutoencoder(nn.Module):
    """Maps a noisy image (B, 1, 28, 28) in [0, 1] to a clean estimate of the same shape."""

    def __init__(self, shape: AutoencoderShape = AutoencoderShape()) -> None:
        super().__init__()
        self.shape = shape
        narrow, wide = shape.channels
        self.encoder = nn.Sequential(
            _block(nn.Conv2d(1, narrow, 3, stride=2, padding=1), narrow, shape.batch_norm),
            _block(nn.Conv2d(narrow, wide, 3, stride=2, padding=1), wide, shape.batch_norm),
        )
        self.decoder = nn.Sequential(
            _block(nn.ConvTranspose2d(wide, narrow, 4, stride=2, padding=1), narrow,
                   shape.batch_norm),
            nn.ConvTranspose2d(narrow, 1, 4, stride=2, padding=1),
            nn.Sigmoid(),
        )

    def encode(self, images: torch.Tensor) -> torch.Tensor:
        """Return the code of ``images``: (B, channels[1], 7, 7)."""
        return self.encoder(images)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encode(images))  # (B, 1, 28, 28)

    def architecture(self) -> dict:
        """Return what rebuilds this network: its class and constructor arguments."""
        return {"class": f"{type(self).__module__}.{type(self).__name__}",
                "shape": asdict(self.shape)}

    @classmethod
    def from_architecture(cls, architecture: dict) -> "DenoisingAutoencoder":
        """Rebuild an untrained network from ``architecture()``'s output."""
        values = dict(architecture["shape"])
        values["channels"] = tuple(values["channels"])
        return cls(AutoencoderShape(**values))
