"""Training the conditional GAN on MNIST, as the run-or-load task ``m04-conditional-gan``.

The losses are the non-saturating ones of ``awml.training.gan``; real images and their
true labels are "real", generated images and the labels they were asked for are "fake".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch.nn import functional as F

from awml.models.conditional_gan import (ConditionalDiscriminator, ConditionalGenerator,
                                         ConditionalShape)
from awml.profiles import device_name
from awml.progress import progress
from awml.runs import Run, RunResult, run_or_load
from awml.training.threads import small_model_threads
from awml.training.gan import mnist_splits


@dataclass(frozen=True)
class ConditionalConfig:
    """How the conditional GAN is trained."""

    steps: int = 1500
    batch_size: int = 64
    learning_rate: float = 5e-4
    beta1: float = 0.5
    real_label: float = 0.9  # one-sided label smoothing
    shape: ConditionalShape = field(default_factory=lambda: ConditionalShape(32, 10, 128, 128))
    source: str = "offline"
    seed: int = 0


CONDITIONAL_CONFIGS = {
    "smoke": ConditionalConfig(steps=20, shape=ConditionalShape(8, 4, 32, 32)),
    "cpu": ConditionalConfig(),
    "gpu": ConditionalConfig(steps=30_000, batch_size=128, learning_rate=2e-4, source="auto",
                             shape=ConditionalShape(64, 16, 512, 512)),
}


def train_conditional(config: ConditionalConfig) -> RunResult:
    """Train the conditional GAN; return its weights, losses every 50 steps and a grid
    ``samples`` (10, 8, 28, 28) uint8: eight samples of each digit from fixed noise."""
    with small_model_threads():
        return _train(config)


def _train(config: ConditionalConfig) -> RunResult:
    torch.manual_seed(config.seed)
    device = torch.device(device_name())
    train = mnist_splits(config.source).train
    images = torch.from_numpy(train.as_float() * 2 - 1).to(device)
    labels = torch.from_numpy(train.labels).to(device)
    generator = ConditionalGenerator(config.shape).to(device)
    discriminator = ConditionalDiscriminator(config.shape).to(device)
    betas = (config.beta1, 0.999)
    g_optimizer = torch.optim.Adam(generator.parameters(), config.learning_rate, betas=betas)
    d_optimizer = torch.optim.Adam(discriminator.parameters(), config.learning_rate,
                                   betas=betas)
    history: dict[str, list[float]] = {"d_loss": [], "g_loss": []}
    sums = [0.0, 0.0]
    for step in progress(range(config.steps), desc="conditional GAN"):
        chosen = torch.randint(0, len(images), (config.batch_size,), device=device)
        real, real_labels = images[chosen], labels[chosen]
        asked = torch.randint(0, 10, (config.batch_size,), device=device)
        fake = generator(torch.randn(config.batch_size, config.shape.latent_dim,
                                     device=device), asked)
        real_logits = discriminator(real, real_labels)
        fake_logits = discriminator(fake.detach(), asked)
        d_loss = (F.binary_cross_entropy_with_logits(
            real_logits, torch.full_like(real_logits, config.real_label))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
        d_optimizer.zero_grad()
        d_loss.backward()
        d_optimizer.step()
        fooled = discriminator(fake, asked)
        g_loss = F.binary_cross_entropy_with_logits(fooled, torch.ones_like(fooled))
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()
        sums[0] += d_loss.item()
        sums[1] += g_loss.item()
        if (step + 1) % 50 == 0:
            history["d_loss"].append(sums[0] / 50)
            history["g_loss"].append(sums[1] / 50)
            sums = [0.0, 0.0]
    generator.eval()
    return RunResult(history=history,
                     arrays={"samples": _as_uint8(conditional_samples(generator, 8))},
                     weights={"generator": generator.cpu().state_dict()},
                     extra={"source": train.source, "training_digits": len(images)})


def conditional_samples(generator: ConditionalGenerator, per_class: int, seed: int = 0
                        ) -> np.ndarray:
    """Return (10, per_class, 28, 28) float32 images in [0, 1]: row d shows digit d, the
    same noise vector in each column."""
    generator.eval()
    noise = torch.randn(per_class, generator.shape.latent_dim,
                        generator=torch.Generator().manual_seed(seed))
    device = next(generator.parameters()).device
    rows = []
    with torch.no_grad():
        for digit in range(10):
            asked = torch.full((per_class,), digit, dtype=torch.long, device=device)
            rows.append(((generator(noise.to(device), asked) + 1) / 2).clamp(0, 1).cpu())
    return torch.stack(rows).squeeze(2).numpy()


def _as_uint8(images: np.ndarray) -> np.ndarray:
    return (images * 255).round().astype(np.uint8)


def conditional_run(show: bool | None = None) -> Run:
    """Train the conditional GAN for the active profile, or load the stored run."""
    return run_or_load("m04-conditional-gan", CONDITIONAL_CONFIGS, train_conditional,
                       gpu_minutes=5, show=show)


def load_conditional_generator(run: Run) -> ConditionalGenerator:
    """Return the generator of a ``m04-conditional-gan`` run, in eval mode on the CPU."""
    from awml.runs.run_or_load import canonical_config

    shape = ConditionalShape(**canonical_config(run.manifest["config"])["shape"])
    generator = ConditionalGenerator(shape)
    generator.load_state_dict(run.weights["generator"])
    return generator.eval()
