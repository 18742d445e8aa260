"""A convolutional variational autoencoder for 28 x 28 grey images (Kingma and Welling, 2014).

The encoder halves the resolution twice (28 -> 14 -> 7) and ends in the mean and the log
variance of a diagonal Gaussian over the latent code; the decoder mirrors it with
transposed convolutions and returns pixel logits (Bernoulli likelihood). Samples come
from decoding standard normal codes, which gives a generator of a different family from a
GAN: trained by likelihood, not by a discriminator, with smoother, blurrier images.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class VAEShape:
    """Widths of the VAE; the defaults suit MNIST on a CPU."""

    latent_dim: int = 16  # length of the latent code
    width: int = 32  # feature maps at 14 x 14; twice as many at 7 x 7

    def __post_init__(self) -> None:
        for name in ("latent_dim", "width"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}={value!r} must be a positive integer")


class VAE(nn.Module):
    """Encodes images (B, 1, 28, 28) in [0, 1]; decodes codes (B, latent_dim) to logits."""

    def __init__(self, shape: VAEShape = VAEShape()) -> None:
        super().__init__()
        self.shape = shape
        narrow, wide = shape.width, 2 * shape.width
        self.encoder = nn.Sequential(
            nn.Conv2d(1, narrow, 4, 2, 1), nn.ReLU(inplace=True),  # (B, narrow, 14, 14)
            nn.Conv2d(narrow, wide, 4, 2, 1), nn.ReLU(inplace=True),  # (B, wide, 7, 7)
            nn.Flatten(),
        )
        self.to_moments = nn.Linear(wide * 7 * 7, 2 * shape.latent_dim)
        self.from_code = nn.Sequential(nn.Linear(shape.latent_dim, wide * 7 * 7),
                                       nn.ReLU(inplace=True))
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(wide, narrow, 4, 2, 1), nn.ReLU(inplace=True),  # (B, narrow, 14, 14)
            nn.ConvTranspose2d(narrow, 1, 4, 2, 1),  # (B, 1, 28, 28) logits
        )

    def encode(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the mean and log variance of the code, each (B, latent_dim)."""
        return self.to_moments(self.encoder(images)).chunk(2, dim=1)

    def decode(self, codes: torch.Tensor) -> torch.Tensor:
        """Return pixel logits (B, 1, 28, 28) for codes (B, latent_dim)."""
        wide = 2 * self.shape.width
        return self.decoder(self.from_code(codes).view(len(codes), wide, 7, 7))

    def forward(self, images: torch.Tensor):
        mean, log_variance = self.encode(images)
        codes = mean + torch.randn_like(mean) * torch.exp(0.5 * log_variance)
        return self.decode(codes), mean, log_variance

    def sample(self, count: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Return ``count`` generated images (count, 1, 28, 28) in [0, 1]."""
        codes = torch.randn(count, self.shape.latent_dim, generator=generator)
        return torch.sigmoid(self.decode(codes.to(next(self.parameters()).device)))


def negative_elbo(logits: torch.Tensor, images: torch.Tensor, mean: torch.Tensor,
                  log_variance: torch.Tensor) -> torch.Tensor:
    """Return the negative evidence lower bound per image, averaged over the batch (nats).

    It is the Bernoulli reconstruction cross-entropy summed over pixels plus the KL
    divergence of the code's Gaussian from the standard normal prior.
    """
    reconstruction = F.binary_cross_entropy_with_logits(logits, images, reduction="sum")
    divergence = -0.5 * torch.sum(1 + log_variance - mean ** 2 - log_variance.exp())
    return (reconstruction + divergence) / len(images)
