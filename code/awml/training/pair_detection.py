"""Training a pair detector of generated images, and scoring detectors with intervals.

A detector here is anything that gives each image a realness score (higher: more likely
real). Two numbers judge it on real images $r_i$ and generated images $f_i$:

- pair accuracy, the fraction of pairs $(r_i, f_i)$ in which the real image scores higher,
  with a Wilson score interval (the pairs are independent Bernoulli trials);
- single-image ROC AUC, the probability that a random real image outscores a random
  generated one, with a bootstrap percentile interval.

Pair accuracy over randomly formed pairs is an unbiased estimate of the AUC; the AUC uses
all $n^2$ real-fake comparisons instead of $n$, so its interval is narrower.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from awml.models.fake_detector import DetectorShape, PairDetector
from awml.profiles import device_name
from awml.progress import progress
from awml.training.threads import small_model_threads

logger = logging.getLogger(__name__)

Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class DetectorConfig:
    """How the pair detector is trained."""

    epochs: int  # passes over the training pairs
    batch_size: int = 64  # pairs per step
    learning_rate: float = 1e-3  # Adam
    shape: DetectorShape = field(default_factory=DetectorShape)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValueError(f"epochs={self.epochs!r} must be at least 1")


def _check_images(name: str, images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4 or images.dtype != np.float32:
        raise ValueError(f"{name} must be float32 images (N, C, H, W); got {images.dtype} "
                         f"{images.shape}")
    return images


def train_pair_detector(real: np.ndarray, fake: np.ndarray, config: DetectorConfig
                        ) -> tuple[PairDetector, dict[str, list[float]]]:
    """Train a ``PairDetector`` on real and generated images, float32 (N, C, H, W) in [0, 1].

    Each epoch pairs every real image with a generated one at random and puts the real one
    first or second by a coin flip; the loss is the binary cross-entropy of the logit that
    the first image is real. Returns the trained detector (eval mode, on the CPU) and the
    per-epoch history ``loss`` (nats) and ``train_pair_accuracy``. On a CPU it runs on one
    thread, as ``awml.training.threads`` explains.
    """
    with small_model_threads():
        return _train_pair_detector(real, fake, config)


def _train_pair_detector(real: np.ndarray, fake: np.ndarray, config: DetectorConfig):
    import torch
    from torch.nn import functional as F

    real, fake = _check_images("real", real), _check_images("fake", fake)
    torch.manual_seed(config.seed)
    device = torch.device(device_name())
    detector = PairDetector(config.shape).to(device)
    optimizer = torch.optim.Adam(detector.parameters(), config.learning_rate)
    real_t, fake_t = torch.from_numpy(real).to(device), torch.from_numpy(fake).to(device)
    shuffler = torch.Generator().manual_seed(config.seed)
    pairs = min(len(real_t), len(fake_t))
    history: dict[str, list[float]] = {"loss": [], "train_pair_accuracy": []}
    for _ in progress(range(config.epochs), desc="pair detector epochs"):
        real_order = torch.randperm(len(real_t), generator=shuffler)[:pairs]
        fake_order = torch.randperm(len(fake_t), generator=shuffler)[:pairs]
        real_first = torch.rand(pairs, generator=shuffler) < 0.5
        total_loss, correct, steps = 0.0, 0, 0
        for start in range(0, pairs, config.batch_size):
            chosen = slice(start, start + config.batch_size)
            reals, fakes = real_t[real_order[chosen]], fake_t[fake_order[chosen]]
            first_is_real = real_first[chosen].to(device)
            mask = first_is_real.view(-1, 1, 1, 1)
            first = torch.where(mask, reals, fakes)
            second = torch.where(mask, fakes, reals)
            logits = detector(first, second)
            loss = F.binary_cross_entropy_with_logits(logits, first_is_real.float())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total_loss += loss.item()
            correct += int(((logits > 0) == first_is_real).sum())
            steps += 1
        history["loss"].append(total_loss / steps)
        history["train_pair_accuracy"].append(correct / pairs)
    logger.info("pair detector: final loss %.3f", history["loss"][-1])
    return detector.cpu().eval(), history


def scorer_of(module: "torch.nn.Module", batch_size: int = 512,
              transform: Callable | None = None) -> Scorer:
    """Return a function mapping images (N, C, H, W) to realness scores (N,) with ``module``.

    ``transform`` (a torch function) is applied to each batch first, for a network that
    expects another input range.
    """
    import torch

    def score(images: np.ndarray) -> np.ndarray:
        module.eval()
        outputs = []
        threads = small_model_threads()
        with torch.no_grad(), threads:
            for start in range(0, len(images), batch_size):
                batch = torch.from_numpy(np.ascontiguousarray(images[start:start + batch_size]))
                outputs.append(module(transform(batch) if transform else batch).numpy())
        return np.concatenate(outputs).astype(np.float64)

    return score


def pair_accuracy(real_scores: np.ndarray, fake_scores: np.ndarray) -> np.ndarray:
    """Return per-pair correctness (N,) in {0, 0.5, 1}: real outscores fake, ties count 1/2."""
    real_scores, fake_scores = np.asarray(real_scores), np.asarray(fake_scores)
    if real_scores.shape != fake_scores.shape:
        raise ValueError(f"real and fake scores must pair up; got {real_scores.shape} "
                         f"and {fake_scores.shape}")
    return (real_scores > fake_scores) + 0.5 * (real_scores == fake_scores)


def wilson_interval(successes: float, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Return the Wilson score interval (low, high) of a proportion, 95 % by default."""
    if trials < 1:
        raise ValueError(f"trials={trials!r} must be at least 1")
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    half /= 1 + z * z / trials
    return max(0.0, centre - half), min(1.0, centre + half)


def bootstrap_auc(real_scores: np.ndarray, fake_scores: np.ndarray, rounds: int = 500,
                  seed: int = 0) -> tuple[float, float, float]:
    """Return the ROC AUC of real against fake scores and its 95 % bootstrap interval."""
    from sklearn.metrics import roc_auc_score

    labels = np.r_[np.ones(len(real_scores)), np.zeros(len(fake_scores))]
    scores = np.r_[real_scores, fake_scores]
    point = roc_auc_score(labels, scores)
    rng = np.random.default_rng(seed)
    resampled = []
    for _ in range(rounds):
        reals = rng.integers(0, len(real_scores), len(real_scores))
        fakes = rng.integers(0, len(fake_scores), len(fake_scores))
        resampled.append(roc_auc_score(labels, np.r_[real_scores[reals], fake_scores[fakes]]))
    low, high = np.percentile(resampled, [2.5, 97.5])
    return float(point), float(low), float(high)


def evaluate_detector(score: Scorer, real: np.ndarray, fake: np.ndarray) -> dict[str, float]:
    """Return pair accuracy and AUC with 95 % intervals for one detector and one generator.

    ``real`` and ``fake`` are float32 images (N, C, H, W); pair i is (real[i], fake[i]).
    Keys: ``pair_accuracy``, ``pair_low``, ``pair_high``, ``auc``, ``auc_low``,
    ``auc_high``, ``pairs``.
    """
    real_scores, fake_scores = score(real), score(fake)
    correct = pair_accuracy(real_scores, fake_scores)
    low, high = wilson_interval(correct.sum(), len(correct))
    auc, auc_low, auc_high = bootstrap_auc(real_scores, fake_scores)
    return {"pair_accuracy": float(correct.mean()), "pair_low": low, "pair_high": high,
            "auc": auc, "auc_low": auc_low, "auc_high": auc_high, "pairs": len(correct)}
