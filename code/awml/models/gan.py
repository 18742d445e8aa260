"""A DCGAN for 28 x 28 grey images: a generator and a discriminator.

The layout follows the deep convolutional GAN recipe of Radford et al. (2016) scaled down
to MNIST: the generator maps a noise vector through a linear layer to a 7 x 7 map and
doubles the resolution twice with transposed convolutions (7 -> 14 -> 28); the
discriminator halves it twice with strided convolutions (28 -> 14 -> 7) and ends in one
logit. Batch normalisation sits in every hidden generator layer and in the discriminator
after its first convolution; LeakyReLU activates the discriminator, ReLU the generator.
Images live in [-1, 1] (a tanh output); ``to_unit`` and ``from_unit`` convert.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class DCGANShape:
    """Widths of the two networks; the defaults suit MNIST on a CPU."""

    latent_dim: int = 64  # length of the noise vector z
    generator_width: int = 32  # feature maps at 14 x 14; twice as many at 7 x 7
    discriminator_width: int = 32  # feature maps at 14 x 14; twice as many at 7 x 7

    def __post_init__(self) -> None:
        for name in ("latent_dim", "generator_width", "discriminator_width"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}={value!r} must be a positive integer")


class Generator(nn.Module):
    """Maps noise (B, latent_dim) to images (B, 1, 28, 28) in [-1, 1]."""

    def __init__(self, shape: DCGANShape = DCGANShape()) -> None:
        super().__init__()
        self.shape = shape
        wide = 2 * shape.generator_width
        self.project = nn.Sequential(
            nn.Linear(shape.latent_dim, wide * 7 * 7, bias=False),
            nn.BatchNorm1d(wide * 7 * 7),
            nn.ReLU(inplace=True),
        )
        self.upsample = nn.Sequential(
            nn.ConvTranspose2d(wide, shape.generator_width, 4, 2, 1, bias=False),  # (B, w, 14, 14)
            nn.BatchNorm2d(shape.generator_width),
            nn.ReLU(inplace=True),
            nn.ConvTranspose2d(shape.generator_width, 1, 4, 2, 1),  # (B, 1, 28, 28)
            nn.Tanh(),
        )

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        features = self.project(noise).view(len(noise), 2 * self.shape.generator_width, 7, 7)
        return self.upsample(features)


class Discriminator(nn.Module):
    """Maps images (B, 1, 28, 28) in [-1, 1] to logits (B,); high means real."""

    def __init__(self, shape: DCGANShape = DCGANShape()) -> None:
        super().__init__()
        self.shape = shape
        narrow, wide = shape.discriminator_width, 2 * shape.discriminator_width
        self.features = nn.Sequential(
            nn.Conv2d(1, narrow, 4, 2, 1),  # (B, narrow, 14, 14)
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(narrow, wide, 4, 2, 1, bias=False),  # (B, wide, 7, 7)
            nn.BatchNorm2d(wide),
            nn.LeakyReLU(0.2, inplace=True),
        )
        self.head = nn.Linear(wide * 7 * 7, 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(images).flatten(1)).squeeze(1)


def init_weights(module: nn.Module) -> None:
    """DCGAN initialisation: normal(0, 0.02) weights, normal(1, 0.02) batch-norm scales."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def from_unit(images: torch.Tensor) -> torch.Tensor:
    """Map images in [0, 1] to the networks' range [-1, 1]."""
    return images * 2.0 - 1.0


def to_unit(images: torch.Tensor) -> torch.Tensor:
    """Map images in [-1, 1] back to [0, 1]."""
    return ((images + 1.0) / 2.0).clamp(0.0, 1.0)
