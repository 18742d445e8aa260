"""A conditional GAN for 28 x 28 digits: both networks are told which digit is meant.

Following Mirza and Osindero (2014), the class label enters both networks: the generator
maps noise and a label embedding to an image, the discriminator scores an image together
with a label embedding, so a well-drawn digit of the wrong class is still "fake". The
networks are perceptrons, small enough to train on a CPU; images lie in [-1, 1] (tanh).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

CLASSES = 10


@dataclass(frozen=True)
class ConditionalShape:
    """Widths of the conditional generator and discriminator."""

    latent_dim: int = 32
    label_dim: int = 10  # size of the learned label embedding
    generator_width: int = 256  # first hidden layer; the second is twice as wide
    discriminator_width: int = 256  # second hidden layer; the first is twice as wide


class ConditionalGenerator(nn.Module):
    """Maps noise (B, latent_dim) and labels (B,) to images (B, 1, 28, 28) in [-1, 1]."""

    def __init__(self, shape: ConditionalShape = ConditionalShape()) -> None:
        super().__init__()
        self.shape = shape
        width = shape.generator_width
        self.embed = nn.Embedding(CLASSES, shape.label_dim)
        self.net = nn.Sequential(
            nn.Linear(shape.latent_dim + shape.label_dim, width), nn.LeakyReLU(0.2),
            nn.Linear(width, 2 * width), nn.BatchNorm1d(2 * width), nn.LeakyReLU(0.2),
            nn.Linear(2 * width, 28 * 28), nn.Tanh())

    def forward(self, noise: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        joined = torch.cat([noise, self.embed(labels)], dim=1)
        return self.net(joined).view(-1, 1, 28, 28)


class ConditionalDiscriminator(nn.Module):
    """Maps images (B, 1, 28, 28) and labels (B,) to logits (B,); high means real."""

    def __init__(self, shape: ConditionalShape = ConditionalShape()) -> None:
        super().__init__()
        width = shape.discriminator_width
        self.embed = nn.Embedding(CLASSES, shape.label_dim)
        self.net = nn.Sequential(
            nn.Linear(28 * 28 + shape.label_dim, 2 * width), nn.LeakyReLU(0.2),
            nn.Dropout(0.3),
            nn.Linear(2 * width, width), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(width, 1))

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        joined = torch.cat([images.flatten(1), self.embed(labels)], dim=1)
        return self.net(joined).squeeze(1)
