"""Lab 1: pre-training a convolutional denoising autoencoder on MNIST.

The heavy step, ``train_run``, goes through run-or-load; everything else on the page
(baselines, probes, anomaly scores, the submission) is quick given the trained network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from awml.data.mnist import Assignment, assignment_splits, load_digits
from awml.data.noise import add_noise
from awml.runs import Run, RunResult, run_or_load
from awml.training.metrics import mse, per_image_mse, psnr

TASK = "denoising"


@dataclass(frozen=True)
class DenoisingConfig:
    """One profile's settings for lab 1."""

    source: str = "offline"  # MNIST source: "offline" (5,000 digits) or "full" (70,000)
    train_size: int | None = None  # cap on training images; None uses the whole split
    noise: str = "gaussian"  # noise model, see awml.data.noise
    noise_strength: float = 0.5  # standard deviation of the Gaussian noise
    channels: tuple[int, int] = (32, 64)  # autoencoder widths at 14 x 14 and 7 x 7
    epochs: int = 10
    batch_size: int = 64
    learning_rate: float = 3e-3
    seed: int = 0


CONFIGS = {
    "smoke": DenoisingConfig(train_size=1000, epochs=2, channels=(16, 32), batch_size=32),
    "cpu": DenoisingConfig(epochs=6),
    "gpu": DenoisingConfig(source="full", channels=(64, 128), epochs=30, batch_size=256),
}
GPU_MINUTES = 6  # full run on an ml.g4dn.4xlarge (one T4), measured scale: 70,000 digits


def load_assignment(config: DenoisingConfig) -> Assignment:
    """Return the train / validate / test / score splits for ``config``."""
    splits = assignment_splits(load_digits(config.source), seed=config.seed)
    if config.train_size is not None:
        splits.train = replace(splits.train, images=splits.train.images[:config.train_size],
                               labels=splits.train.labels[:config.train_size])
    return splits


def noisy_pairs(images: np.ndarray, config: DenoisingConfig, seed: int) -> np.ndarray:
    """Return noisy copies of float ``images`` (N, 1, 28, 28) under the config's noise."""
    return add_noise(images, config.noise_strength, config.noise, seed=seed)


def build_model(config: DenoisingConfig):
    """Return an untrained autoencoder with the config's widths."""
    from awml.models.autoencoder import AutoencoderShape, DenoisingAutoencoder

    return DenoisingAutoencoder(AutoencoderShape(channels=tuple(config.channels)))


def denoise(model, noisy_images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Return the model's estimates for ``noisy_images`` (N, 1, 28, 28), float32 in [0, 1]."""
    import torch

    model.eval()
    device = next(model.parameters()).device
    outputs = []
    with torch.no_grad():
        for start in range(0, len(noisy_images), batch_size):
            batch = torch.from_numpy(noisy_images[start:start + batch_size]).to(device)
            outputs.append(model(batch).cpu().numpy())
    return np.concatenate(outputs).astype(np.float32)


def train(config: DenoisingConfig) -> RunResult:
    """Train the autoencoder under ``config`` and evaluate it on the test split."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    from awml.profiles import device_name
    from awml.training.loop import fit, set_seed

    set_seed(config.seed)
    splits = load_assignment(config)
    clean = {name: getattr(splits, name).as_float() for name in ("train", "validate", "test")}
    noisy = {name: noisy_pairs(images, config, seed=index + 1)
             for index, (name, images) in enumerate(clean.items())}

    def loader(name: str, shuffle: bool) -> DataLoader:
        pairs = TensorDataset(torch.from_numpy(noisy[name]), torch.from_numpy(clean[name]))
        return DataLoader(pairs, batch_size=config.batch_size, shuffle=shuffle)

    model = build_model(config)
    device = device_name()
    history = fit(model, loader("train", True), loader("validate", False),
                  torch.nn.functional.mse_loss, config.epochs, config.learning_rate,
                  device=device, desc="denoising autoencoder")
    model.cpu()
    denoised = denoise(model, noisy["test"])
    metrics = {
        "test_mse_noisy": mse(noisy["test"], clean["test"]),
        "test_mse_denoised": mse(denoised, clean["test"]),
        "test_psnr_noisy": psnr(noisy["test"], clean["test"]),
        "test_psnr_denoised": psnr(denoised, clean["test"]),
    }
    samples = slice(0, 16)
    return RunResult(
        metrics=metrics,
        history=history,
        arrays={"clean": clean["test"][samples], "noisy": noisy["test"][samples],
                "denoised": denoised[samples]},
        weights={"denoiser": model.state_dict()},
        extra={"architecture": model.architecture(), "sizes": splits.sizes(),
               "source": splits.train.source},
    )


def train_run(**options) -> Run:
    """Run or load the training of the active profile (see ``awml.runs.run_or_load``)."""
    return run_or_load(TASK, CONFIGS, train, gpu_minutes=GPU_MINUTES, **options)


def run_all(profile: str) -> list[Run]:
    """Run or load the lab's heavy steps for ``profile`` (used by ``awml lab run``)."""
    return [train_run(profile=profile)]


def model_from_run(run: Run):
    """Return the trained autoencoder stored in ``run``, on the CPU, in eval mode."""
    from awml.models.autoencoder import DenoisingAutoencoder

    model = DenoisingAutoencoder.from_architecture(run.extra["architecture"])
    model.load_state_dict(run.weights["denoiser"])
    return model.eval()


def config_of(run: Run) -> DenoisingConfig:
    """Return the configuration that produced ``run``."""
    values = dict(run.manifest["config"])
    values["channels"] = tuple(values["channels"])
    return DenoisingConfig(**values)


def best_blur(noisy_images: np.ndarray, clean_images: np.ndarray,
              sigmas=(0.5, 0.75, 1.0, 1.5, 2.0)) -> tuple[float, float]:
    """Return the Gaussian-blur width (pixels) with the best PSNR, and that PSNR in dB."""
    from scipy.ndimage import gaussian_filter

    scores = {sigma: psnr(gaussian_filter(noisy_images, sigma=(0, 0, sigma, sigma)),
                          clean_images) for sigma in sigmas}
    sigma = max(scores, key=scores.get)
    return sigma, scores[sigma]


def encoder_features(model, images: np.ndarray) -> np.ndarray:
    """Return the frozen encoder's codes of ``images``, flattened: (N, C * 7 * 7)."""
    import torch

    with torch.no_grad():
        codes = model.encode(torch.from_numpy(images))
    return codes.reshape(len(images), -1).numpy()


def probe_accuracy(train_features: np.ndarray, train_labels: np.ndarray,
                   test_features: np.ndarray, test_labels: np.ndarray,
                   per_class: int = 10, draws: int = 5, seed: int = 0) -> np.ndarray:
    """Return test accuracies of a linear classifier fitted on ``per_class`` labels a class.

    One accuracy per random draw of the labelled images: shape (draws,).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(seed)
    accuracies = []
    for _ in range(draws):
        chosen = np.concatenate([
            rng.choice(np.flatnonzero(train_labels == label), per_class, replace=False)
            for label in np.unique(train_labels)
        ])
        probe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.1))
        probe.fit(train_features[chosen], train_labels[chosen])
        accuracies.append(probe.score(test_features, test_labels))
    return np.array(accuracies)


def reconstruction_errors(model, images: np.ndarray) -> np.ndarray:
    """Return each image's mean squared difference from its reconstruction: (N,)."""
    return per_image_mse(denoise(model, images), images)


def write_submission(denoised_score: np.ndarray, expected_count: int, model,
                     folder: Path) -> dict[str, Path]:
    """Check and write the submission: denoised score images, weights and architecture.

    ``denoised_score`` must be float32 of shape (expected_count, 1, 28, 28) in [0, 1].
    Writes ``denoised.parquet`` (columns ``index`` and ``pixels``, 784 floats a row),
    ``denoiser.pt`` (the state dict) and ``architecture.json``; returns their paths.
    """
    import pandas as pd
    import torch

    expected_shape = (expected_count, 1, 28, 28)
    if denoised_score.shape != expected_shape:
        raise ValueError(f"denoised images have shape {denoised_score.shape}; "
                         f"expected {expected_shape}")
    if denoised_score.dtype != np.float32:
        raise ValueError(f"denoised images have dtype {denoised_score.dtype}; expected float32")
    if not np.isfinite(denoised_score).all():
        raise ValueError("denoised images contain NaN or infinite values")
    if denoised_score.min() < 0 or denoised_score.max() > 1:
        raise ValueError(f"denoised pixels span [{denoised_score.min():.3g}, "
                         f"{denoised_score.max():.3g}]; expected values in [0, 1]")

    folder.mkdir(parents=True, exist_ok=True)
    paths = {"images": folder / "denoised.parquet", "weights": folder / "denoiser.pt",
             "architecture": folder / "architecture.json"}
    table = pd.DataFrame({"index": np.arange(expected_count),
                          "pixels": list(denoised_score.reshape(expected_count, -1))})
    table.to_parquet(paths["images"], index=False)
    torch.save(model.state_dict(), paths["weights"])
    paths["architecture"].write_text(json.dumps(model.architecture(), indent=1))
    return paths
