"""Training the MNIST VAE, and the run-or-load task ``vae-mnist`` that stores it.

The VAE trains on the same training split of MNIST as the DCGAN
(``awml.training.gan.mnist_splits``), so both generators leave the same digits unseen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from awml.models.vae import VAE, VAEShape, negative_elbo
from awml.profiles import device_name
from awml.progress import progress
from awml.runs import Run, RunResult, run_or_load
from awml.training.gan import mnist_splits
from awml.training.threads import small_model_threads

logger = logging.getLogger(__name__)

TASK = "vae-mnist"


@dataclass(frozen=True)
class VAEConfig:
    """How the VAE is trained; one per profile in ``VAE_CONFIGS``."""

    epochs: int  # passes over the training digits
    max_digits: int | None = None  # training digits used; None takes the whole split
    batch_size: int = 64
    learning_rate: float = 1e-3  # Adam
    shape: VAEShape = field(default_factory=VAEShape)
    source: str = "auto"  # MNIST source: full when reachable, else the 5,000 offline
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValueError(f"epochs={self.epochs!r} must be at least 1")
        if self.batch_size < 1:
            raise ValueError(f"batch_size={self.batch_size!r} must be at least 1")


VAE_CONFIGS = {
    "smoke": VAEConfig(epochs=1, max_digits=512, shape=VAEShape(8, 8), source="offline"),
    "cpu": VAEConfig(epochs=6, source="offline"),
    "gpu": VAEConfig(epochs=30, shape=VAEShape(32, 64)),
}
VAE_GPU_MINUTES = 3  # 30 epochs of 49,000 digits on a T4


def train_vae(config: VAEConfig) -> RunResult:
    """Train a VAE under ``config``; return its weights and per-epoch loss.

    History ``loss`` is the mean negative ELBO per training image in nats per epoch. On a
    CPU it runs on one thread, as ``awml.training.threads`` explains.
    """
    with small_model_threads():
        return _train_vae(config)


def _train_vae(config: VAEConfig) -> RunResult:
    import torch

    torch.manual_seed(config.seed)
    device = torch.device(device_name())
    train = mnist_splits(config.source).train
    images = torch.from_numpy(train.as_float()[: config.max_digits]).to(device)
    model = VAE(config.shape).to(device)
    optimizer = torch.optim.Adam(model.parameters(), config.learning_rate)
    shuffler = torch.Generator().manual_seed(config.seed)
    losses: list[float] = []
    batches = max(len(images) // config.batch_size, 1)
    for _ in progress(range(config.epochs), desc="VAE epochs"):
        order = torch.randperm(len(images), generator=shuffler)
        total = 0.0
        for step in range(batches):
            batch = images[order[step * config.batch_size:(step + 1) * config.batch_size]]
            logits, mean, log_variance = model(batch)
            loss = negative_elbo(logits, batch, mean, log_variance)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item()
        losses.append(total / batches)
    logger.info("VAE trained on %d digits: final loss %.1f nats", len(images), losses[-1])
    return RunResult(metrics={"loss": losses[-1]}, history={"loss": losses},
                     weights={"vae": model.state_dict()},
                     extra={"source": train.source, "training_digits": len(images)})


def vae_run(*, rerun: bool = False, show: bool | None = None) -> Run:
    """Train the MNIST VAE for the active profile, or load its stored run (task ``vae-mnist``)."""
    return run_or_load(TASK, VAE_CONFIGS, train_vae, gpu_minutes=VAE_GPU_MINUTES, rerun=rerun,
                       show=show)


def sample_vae(run: Run, count: int, seed: int = 0) -> np.ndarray:
    """Return ``count`` VAE images of a run, float32 (count, 1, 28, 28) in [0, 1]."""
    import torch

    if count < 1:
        raise ValueError(f"count={count!r} must be a positive number of images")
    shape = VAEShape(**run.manifest["config"]["shape"])
    model = VAE(shape)
    model.load_state_dict(run.weights["vae"])
    model.eval()
    with torch.no_grad():
        images = model.sample(count, torch.Generator().manual_seed(seed))
    return images.numpy().astype(np.float32)
