"""Training the MNIST DCGAN, and the run-or-load task ``dcgan-mnist`` that stores it.

``dcgan_run()`` trains the generator and discriminator of ``awml.models.gan`` on the
training split of MNIST (``awml.data.mnist.assignment_splits``), so the validation, test
and score digits stay unseen by both networks, or loads a stored run of the same code and
configuration. Every page that calls it shares one run per profile.

The losses are the non-saturating ones of Goodfellow et al. (2014): the discriminator
minimises binary cross-entropy on real (label 1) and generated (label 0) images, the
generator minimises the cross-entropy of its images against label 1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from awml.data.mnist import Assignment, assignment_splits, load_digits
from awml.models.gan import DCGANShape, Discriminator, Generator, from_unit, init_weights, to_unit
from awml.profiles import device_name
from awml.progress import progress
from awml.runs import Run, RunResult, run_or_load
from awml.training.threads import small_model_threads

logger = logging.getLogger(__name__)

TASK = "dcgan-mnist"


@dataclass(frozen=True)
class DCGANConfig:
    """How the DCGAN is trained; one per profile in ``DCGAN_CONFIGS``."""

    epochs: int  # passes over the training digits
    max_digits: int | None = None  # training digits used; None takes the whole split
    batch_size: int = 32
    learning_rate: float = 5e-4  # Adam, both networks; 2e-4 drew only strokes in 1,100 steps
    beta1: float = 0.5  # Adam's first-moment decay; 0.5 keeps GAN training steadier
    real_label: float = 0.9  # one-sided label smoothing of the real targets
    shape: DCGANShape = field(default_factory=DCGANShape)
    source: str = "auto"  # MNIST source: full when reachable, else the 5,000 offline
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValueError(f"epochs={self.epochs!r} must be at least 1")
        if self.batch_size < 2:
            raise ValueError(f"batch_size={self.batch_size!r} must be at least 2")
        if not 0.5 < self.real_label <= 1.0:
            raise ValueError(f"real_label={self.real_label!r} must lie in (0.5, 1]")


DCGAN_CONFIGS = {
    "smoke": DCGANConfig(epochs=1, max_digits=512, shape=DCGANShape(16, 16, 8),
                         source="offline"),
    "cpu": DCGANConfig(epochs=10, source="offline"),  # 1,090 steps, about 40 s on 2 cores
    "gpu": DCGANConfig(epochs=25, batch_size=128, learning_rate=2e-4,
                       shape=DCGANShape(100, 128, 64)),
}
DCGAN_GPU_MINUTES = 5  # 25 epochs of 49,000 digits on a T4

FIXED_SAMPLES = 16  # images drawn from the same noise after every epoch


@lru_cache(maxsize=2)
def mnist_splits(source: str = "auto") -> Assignment:
    """Return the MNIST assignment splits the DCGAN uses, loaded once per process.

    The DCGAN trains on ``train``; ``validate``, ``test`` and ``score`` stay unseen by it.
    """
    return assignment_splits(load_digits(source))


def training_digits(config: DCGANConfig) -> tuple[np.ndarray, str]:
    """Return the training digits, float32 (N, 1, 28, 28) in [0, 1], and their source."""
    train = mnist_splits(config.source).train
    images = train.as_float()
    if config.max_digits is not None:
        images = images[: config.max_digits]
    return images, train.source


def train_dcgan(config: DCGANConfig) -> RunResult:
    """Train a DCGAN under ``config``; return its weights, loss history and samples.

    The result holds ``weights["generator"]`` and ``weights["discriminator"]``; history
    ``d_loss``, ``g_loss`` (mean cross-entropy per epoch, nats), ``d_real`` and ``d_fake``
    (mean discriminator probability on real and generated images); arrays
    ``fixed_samples`` (epochs, 16, 28, 28) uint8 drawn from one fixed noise batch. On a
    CPU it runs on one thread: networks this small lose more to threads waiting on each
    other than they gain (see ``awml.training.threads``).
    """
    with small_model_threads():
        return _train_dcgan(config)


def _train_dcgan(config: DCGANConfig) -> RunResult:
    import torch
    from torch.nn import functional as F

    torch.manual_seed(config.seed)
    device = torch.device(device_name())
    images, source = training_digits(config)
    real_images = from_unit(torch.from_numpy(images)).to(device)
    generator = Generator(config.shape).to(device)
    discriminator = Discriminator(config.shape).to(device)
    generator.apply(init_weights)
    discriminator.apply(init_weights)
    betas = (config.beta1, 0.999)
    g_optimizer = torch.optim.Adam(generator.parameters(), config.learning_rate, betas=betas)
    d_optimizer = torch.optim.Adam(discriminator.parameters(), config.learning_rate,
                                   betas=betas)
    fixed_noise = torch.randn(FIXED_SAMPLES, config.shape.latent_dim, device=device)
    shuffler = torch.Generator().manual_seed(config.seed)

    history: dict[str, list[float]] = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": []}
    snapshots = []
    batches = len(real_images) // config.batch_size
    for _ in progress(range(config.epochs), desc="DCGAN epochs"):
        sums = dict.fromkeys(history, 0.0)
        order = torch.randperm(len(real_images), generator=shuffler)
        for step in range(batches):
            real = real_images[order[step * config.batch_size:(step + 1) * config.batch_size]]
            noise = torch.randn(len(real), config.shape.latent_dim, device=device)
            fake = generator(noise)

            real_logits = discriminator(real)
            fake_logits = discriminator(fake.detach())
            d_loss = (
                F.binary_cross_entropy_with_logits(
                    real_logits, torch.full_like(real_logits, config.real_label))
                + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
            )
            d_optimizer.zero_grad(set_to_none=True)
            d_loss.backward()
            d_optimizer.step()

            fooled_logits = discriminator(fake)
            g_loss = F.binary_cross_entropy_with_logits(fooled_logits,
                                                        torch.ones_like(fooled_logits))
            g_optimizer.zero_grad(set_to_none=True)
            g_loss.backward()
            g_optimizer.step()

            sums["d_loss"] += d_loss.item()
            sums["g_loss"] += g_loss.item()
            sums["d_real"] += torch.sigmoid(real_logits).mean().item()
            sums["d_fake"] += torch.sigmoid(fake_logits).mean().item()
        for name, total in sums.items():
            history[name].append(total / batches)
        snapshots.append(_as_uint8(generate(generator, fixed_noise)))

    logger.info("DCGAN trained on %d digits (%s): final d_loss %.3f, g_loss %.3f",
                len(real_images), source, history["d_loss"][-1], history["g_loss"][-1])
    return RunResult(
        metrics={name: values[-1] for name, values in history.items()},
        history=history,
        arrays={"fixed_samples": np.stack(snapshots)},
        weights={"generator": generator.state_dict(),
                 "discriminator": discriminator.state_dict()},
        extra={"source": source, "training_digits": len(real_images)},
    )


def generate(generator: Generator, noise: "torch.Tensor") -> "torch.Tensor":
    """Return generated images for ``noise`` in [0, 1], shape (B, 1, 28, 28), without grad."""
    import torch

    was_training = generator.training
    generator.eval()
    with torch.no_grad():
        images = to_unit(generator(noise))
    generator.train(was_training)
    return images


def _as_uint8(images) -> np.ndarray:
    return (images.squeeze(1).cpu().numpy() * 255).round().astype(np.uint8)


def dcgan_run(*, rerun: bool = False, show: bool | None = None) -> Run:
    """Train the MNIST DCGAN for the active profile, or load its stored run.

    Returns the Run of task ``dcgan-mnist``: ``weights["generator"]``,
    ``weights["discriminator"]``, the loss ``history`` and ``arrays["fixed_samples"]``.
    Rebuild the networks with ``load_dcgan(run)``.
    """
    return run_or_load(TASK, DCGAN_CONFIGS, train_dcgan, gpu_minutes=DCGAN_GPU_MINUTES,
                       rerun=rerun, show=show)


def load_dcgan(run: Run) -> tuple[Generator, Discriminator]:
    """Return the (generator, discriminator) of a ``dcgan-mnist`` run, in eval mode on CPU."""
    from awml.runs.run_or_load import canonical_config

    shape = DCGANShape(**canonical_config(run.manifest["config"])["shape"])
    generator, discriminator = Generator(shape), Discriminator(shape)
    generator.load_state_dict(run.weights["generator"])
    discriminator.load_state_dict(run.weights["discriminator"])
    return generator.eval(), discriminator.eval()


def sample_dcgan(run: Run, count: int, seed: int = 0) -> np.ndarray:
    """Return ``count`` DCGAN images of a run, float32 (count, 1, 28, 28) in [0, 1]."""
    import torch

    if count < 1:
        raise ValueError(f"count={count!r} must be a positive number of images")
    generator, _ = load_dcgan(run)
    noise = torch.randn(count, generator.shape.latent_dim,
                        generator=torch.Generator().manual_seed(seed))
    return generate(generator, noise).numpy().astype(np.float32)
