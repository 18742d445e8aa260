"""Small GANs on one- and two-dimensional data, trained in seconds with snapshots.

The networks are multilayer perceptrons. ``train_toy_gan`` alternates one discriminator
step and one generator step, with either the original minimax generator loss,
minimise log(1 - D(G(z))), which saturates when the discriminator is confident, or the
non-saturating one, maximise log D(G(z)). With ``pack`` > 1 the discriminator judges
``pack`` samples at once (PacGAN), which makes a generator that covers only some modes
easy to spot. Snapshots of generated samples, of the discriminator on a grid and of the
generator's gradient are kept along the way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from awml.training.threads import small_model_threads

LOSSES = ("minimax", "non-saturating")


def mlp(inputs: int, outputs: int, width: int = 64, depth: int = 2) -> nn.Sequential:
    """Return a ReLU perceptron with ``depth`` hidden layers of ``width`` units."""
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(inputs, width), nn.LeakyReLU(0.2)]
        inputs = width
    layers.append(nn.Linear(inputs, outputs))
    return nn.Sequential(*layers)


@dataclass(frozen=True)
class ToyGANConfig:
    """One toy GAN run."""

    loss: str = "non-saturating"
    steps: int = 2000
    batch_size: int = 256
    learning_rate: float = 1e-3  # the generator's; the discriminator's is critic_rate times it
    critic_rate: float = 1.0
    optimizer: str = "adam"  # "adam" (beta1 = 0.5) or "sgd" (plain, for both networks)
    noise_size: int = 4  # length of z
    width: int = 64
    pack: int = 1  # samples the discriminator judges together
    start_offset: float = 0.0  # added to the generator's output bias at the start
    head_start: int = 0  # discriminator-only steps before the alternation begins
    snapshots: int = 40  # evenly spaced over the steps
    seed: int = 0

    def __post_init__(self) -> None:
        if self.optimizer not in ("adam", "sgd"):
            raise ValueError(f"optimizer={self.optimizer!r} is not one of adam, sgd")
        if self.loss not in LOSSES:
            raise ValueError(f"loss={self.loss!r} is not one of {', '.join(LOSSES)}")
        if self.steps < 1 or self.pack < 1 or self.snapshots < 1:
            raise ValueError("steps, pack and snapshots must be at least 1")


@dataclass
class ToyGANRun:
    """Snapshots of a toy GAN: at ``steps`` (K,), ``samples`` (K, S, dim) generated,
    ``critic`` (K, G) the discriminator's probability on ``grid`` (G, dim) (pack 1 only),
    ``generator_gradient`` (K,) the norm of the generator loss's gradient with respect to
    the generated samples; ``d_loss`` and ``g_loss`` per step."""

    steps: np.ndarray
    samples: np.ndarray
    critic: np.ndarray | None
    grid: np.ndarray
    generator_gradient: np.ndarray
    d_loss: np.ndarray
    g_loss: np.ndarray
    fake_mean: np.ndarray
    step_gradient: np.ndarray


def _generator_loss(fake_logits: torch.Tensor, loss: str) -> torch.Tensor:
    if loss == "minimax":  # minimise log(1 - D) = -softplus(logit)
        return -F.softplus(fake_logits).mean()
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def _snapshot(record: dict, step: int, gradient: float, generator, discriminator,
              noise: torch.Tensor, grid: torch.Tensor, pack: int) -> None:
    record["steps"].append(step + 1)
    record["gradient"].append(gradient)
    with torch.no_grad():
        record["samples"].append(generator(noise).numpy())
        if pack == 1:
            record["critic"].append(torch.sigmoid(discriminator(grid)).squeeze(1).numpy())


def train_toy_gan(data: np.ndarray, config: ToyGANConfig, grid: np.ndarray | None = None,
                  shown: int = 2000) -> ToyGANRun:
    """Train a GAN on ``data`` (N, dim) and return its snapshots (see :class:`ToyGANRun`).

    ``grid`` (G, dim) is where the discriminator is recorded (by default 200 points
    spanning the data, for dim 1); ``shown`` samples are kept per snapshot.
    """
    data = np.asarray(data, dtype=np.float32)
    if data.ndim != 2:
        raise ValueError(f"data has shape {data.shape}; expected (N, dim)")
    dim = data.shape[1]
    if grid is None:
        low, high = data.min(axis=0) - 1, data.max(axis=0) + 1
        grid = np.linspace(low, high, 200).astype(np.float32)
    torch.manual_seed(config.seed)
    generator = mlp(config.noise_size, dim, config.width)
    discriminator = mlp(dim * config.pack, 1, config.width)
    with torch.no_grad():
        generator[-1].bias.add_(config.start_offset)
    if config.optimizer == "adam":
        g_optimizer = torch.optim.Adam(generator.parameters(), config.learning_rate,
                                       betas=(0.5, 0.999))
        d_optimizer = torch.optim.Adam(discriminator.parameters(),
                                       config.learning_rate * config.critic_rate,
                                       betas=(0.5, 0.999))
    else:
        g_optimizer = torch.optim.SGD(generator.parameters(), config.learning_rate)
        d_optimizer = torch.optim.SGD(discriminator.parameters(),
                                      config.learning_rate * config.critic_rate)
    real_pool = torch.from_numpy(data)
    fixed_noise = torch.randn(shown, config.noise_size)
    grid_tensor = torch.from_numpy(np.asarray(grid, dtype=np.float32)).reshape(-1, dim)
    marks = set(np.linspace(0, config.steps - 1, config.snapshots).round().astype(int))
    record = {"steps": [], "samples": [], "critic": [], "gradient": []}
    d_losses, g_losses = np.empty(config.steps), np.full(config.steps, np.nan)
    fake_means, step_gradients = np.full(config.steps, np.nan), np.full(config.steps, np.nan)
    batch = config.batch_size * config.pack
    with small_model_threads():
        for step in range(config.steps):
            real = real_pool[torch.randint(0, len(real_pool), (batch,))]
            fake = generator(torch.randn(batch, config.noise_size))
            real_logits = discriminator(real.view(-1, dim * config.pack))
            fake_logits = discriminator(fake.detach().view(-1, dim * config.pack))
            d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                      + F.binary_cross_entropy_with_logits(fake_logits,
                                                           torch.zeros_like(fake_logits)))
            d_optimizer.zero_grad()
            d_loss.backward()
            d_optimizer.step()
            if step < config.head_start:  # the generator waits while the critic learns
                d_losses[step] = d_loss.item()
                if step in marks:
                    _snapshot(record, step, np.nan, generator, discriminator, fixed_noise,
                              grid_tensor, config.pack)
                continue

            fake = generator(torch.randn(batch, config.noise_size))
            fake.retain_grad()
            g_loss = _generator_loss(discriminator(fake.view(-1, dim * config.pack)),
                                     config.loss)
            g_optimizer.zero_grad()
            g_loss.backward()
            g_optimizer.step()
            d_losses[step], g_losses[step] = d_loss.item(), g_loss.item()
            fake_means[step] = float(fake[:, 0].mean().detach())
            step_gradients[step] = float(fake.grad.norm(dim=1).mean()) * batch
            if step in marks or step == config.head_start:
                _snapshot(record, step, step_gradients[step], generator, discriminator,
                          fixed_noise, grid_tensor, config.pack)
    return ToyGANRun(np.array(record["steps"]), np.stack(record["samples"]),
                     np.stack(record["critic"]) if record["critic"] else None,
                     np.asarray(grid), np.array(record["gradient"]), d_losses, g_losses,
                     fake_means, step_gradients)


def mode_coverage(samples: np.ndarray, centres: np.ndarray, radius: float,
                  minimum_share: float = 0.02) -> tuple[int, float]:
    """Return (modes covered, share of high-quality samples) for samples (N, 2).

    A sample is high quality when it lies within ``radius`` of a mode centre; a mode is
    covered when at least ``minimum_share`` of all samples are high-quality samples of it.
    """
    distances = np.linalg.norm(samples[:, None, :] - centres[None], axis=2)  # (N, modes)
    nearest, close = distances.argmin(axis=1), distances.min(axis=1) <= radius
    shares = np.bincount(nearest[close], minlength=len(centres)) / len(samples)
    return int((shares >= minimum_share).sum()), float(close.mean())
