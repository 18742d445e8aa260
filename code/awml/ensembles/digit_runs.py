"""The ensemble chapter's MNIST experiments, as run-or-load tasks.

- ``dropout_run()`` (task ``m05-dropout-rates``): one MLP per dropout rate, with learning
  curves and weights; the Monte Carlo dropout page reuses its networks.
- ``ensembles_run()`` (task ``m05-deep-ensembles``): held-out probabilities of networks
  trained from different seeds, of the snapshots of one cyclic run, and of one network
  under test-time shifts.

Held-out digits are the validation and test splits of ``assignment_splits`` together;
neither is used for training or for choosing anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from awml.data.digit_transforms import displace_digits, shifted_copies
from awml.data.mnist import assignment_splits, load_digits
from awml.ensembles.combine import mutual_information
from awml.models.digit_classifiers import ClassifierShape, make_classifier
from awml.runs import Run, RunResult, run_or_load
from awml.training.classifiers import TrainSettings, predict_proba, train_classifier
from awml.training.threads import small_model_threads

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

TTA_SHIFTS = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1), (-1, 1)]


@dataclass(frozen=True)
class DigitData:
    """Training digits, held-out digits (float32 (N, 1, 28, 28) in [0, 1]) and labels."""

    train_images: np.ndarray
    train_labels: np.ndarray
    heldout_images: np.ndarray
    heldout_labels: np.ndarray
    source: str


@lru_cache(maxsize=4)
def digit_data(max_train: int | None = None, source: str = "auto") -> DigitData:
    """Return the training split (first ``max_train`` digits) and the held-out digits.

    The result is cached for the process (reading MNIST takes seconds); treat its arrays
    as read-only.
    """
    digits = load_digits(source)
    splits = assignment_splits(digits)
    train = splits.train.as_float()[:max_train]
    labels = splits.train.labels[:max_train]
    heldout = np.concatenate([splits.validate.as_float(), splits.test.as_float()])
    heldout_labels = np.concatenate([splits.validate.labels, splits.test.labels])
    return DigitData(train, labels, heldout, heldout_labels, digits.source)


@dataclass(frozen=True)
class DropoutConfig:
    """One network per dropout rate, all else equal."""

    rates: tuple[float, ...] = (0.0, 0.2, 0.5, 0.8)
    hidden: int = 256  # units in each of the two hidden layers
    epochs: int = 24
    batch_size: int = 128
    learning_rate: float = 1e-3
    max_train: int | None = 1000  # few digits, so that a network can overfit; None: all
    seed: int = 0


DROPOUT_CONFIGS = {
    "smoke": DropoutConfig(rates=(0.0, 0.5), hidden=32, epochs=2, max_train=300),
    "cpu": DropoutConfig(),
    "gpu": DropoutConfig(hidden=1024, epochs=60, max_train=None),
}


def train_dropout_grid(config: DropoutConfig) -> RunResult:
    """Train one MLP per rate; return histories ``p=<rate>/<name>`` and weights by rate."""
    with small_model_threads():
        return _train_dropout_grid(config)


def _train_dropout_grid(config: DropoutConfig) -> RunResult:
    data = digit_data(config.max_train)
    settings = TrainSettings(epochs=config.epochs, batch_size=config.batch_size,
                             learning_rate=config.learning_rate, seed=config.seed)
    history, weights, metrics = {}, {}, {}
    for rate in config.rates:
        shape = ClassifierShape(hidden=config.hidden, dropout=rate)
        trained = train_classifier(make_classifier(shape, config.seed), data.train_images,
                                   data.train_labels, settings,
                                   test=(data.heldout_images, data.heldout_labels),
                                   desc=f"dropout {rate:g}")
        for name, values in trained.history.items():
            history[f"p={rate:g}/{name}"] = values
        weights[f"p={rate:g}"] = {k: v.cpu() for k, v in trained.model.state_dict().items()}
        metrics[f"p={rate:g}/test_accuracy"] = trained.history["test_accuracy"][-1]
    return RunResult(metrics=metrics, history=history, weights=weights,
                     extra={"source": data.source, "train_digits": len(data.train_images)})


def dropout_run(show: bool | None = None) -> Run:
    """Train the dropout grid for the active profile, or load its stored run."""
    return run_or_load("m05-dropout-rates", DROPOUT_CONFIGS, train_dropout_grid,
                       gpu_minutes=3, show=show)


def dropout_network(run: Run, rate: float) -> "torch.nn.Module":
    """Return the MLP of ``run`` trained with dropout ``rate``, in eval mode."""
    key = f"p={rate:g}"
    if key not in run.weights:
        raise ValueError(f"rate={rate!r} was not trained; the run has {sorted(run.weights)}")
    config = run.manifest["config"]
    model = make_classifier(ClassifierShape(hidden=config["hidden"], dropout=rate))
    model.load_state_dict(run.weights[key])
    return model.eval()


@dataclass(frozen=True)
class EnsembleConfig:
    """Independent seeds versus snapshots of one run versus test-time shifts."""

    shape: ClassifierShape = field(default_factory=lambda: ClassifierShape(hidden=128,
                                                                           dropout=0.0))
    members: int = 5  # independently seeded networks, and snapshots of the cyclic run
    epochs: int = 15  # per network; the cyclic run gets the same number in all
    batch_size: int = 128
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    displacement: int = 2  # pixels; how far the held-out digits are moved for the TTA test
    max_train: int | None = None


ENSEMBLE_CONFIGS = {
    "smoke": EnsembleConfig(shape=ClassifierShape(hidden=32), members=2, epochs=2,
                            max_train=300),
    "cpu": EnsembleConfig(),
    "gpu": EnsembleConfig(shape=ClassifierShape(kind="cnn", hidden=128, dropout=0.3),
                          epochs=20),
}


def train_ensembles(config: EnsembleConfig) -> RunResult:
    """Train the members; return their held-out probabilities.

    Arrays: ``seed_members`` and ``snapshot_members`` (members, N, 10); ``tta_clean`` and
    ``tta_moved`` (shifts, N, 10), the first seeded network on the held-out digits and on
    the same digits moved by up to ``displacement`` pixels, under each of ``TTA_SHIFTS``
    (the first shift is none); ``labels`` (N,); ``hardest_index`` (8,) and
    ``hardest_images`` (8, 1, 28, 28), the held-out digits on which the seeded networks
    disagree most (largest mutual information). History: ``snapshot_lr`` and
    ``snapshot_test_accuracy`` per epoch of the cyclic run.
    """
    with small_model_threads():
        return _train_ensembles(config)


def _settings(config: EnsembleConfig, seed: int, cycles: int = 1) -> TrainSettings:
    return TrainSettings(epochs=config.epochs, batch_size=config.batch_size,
                         optimizer=config.optimizer, learning_rate=config.learning_rate,
                         cycles=cycles, seed=seed)


def _train_ensembles(config: EnsembleConfig) -> RunResult:
    data = digit_data(config.max_train)
    moved = displace_digits(data.heldout_images, config.displacement)
    seeds, arrays = [], {}
    for seed in range(config.members):
        trained = train_classifier(make_classifier(config.shape, seed), data.train_images,
                                   data.train_labels, _settings(config, seed),
                                   desc=f"seed {seed}")
        seeds.append(predict_proba(trained.model, data.heldout_images))
        if seed == 0:
            for name, images in (("tta_clean", data.heldout_images), ("tta_moved", moved)):
                shifted = shifted_copies(images, TTA_SHIFTS)
                arrays[name] = np.stack([predict_proba(trained.model, copy)
                                         for copy in shifted]).astype(np.float32)

    model = make_classifier(config.shape, seed=100)
    trained = train_classifier(model, data.train_images, data.train_labels,
                               _settings(config, 100, cycles=config.members),
                               test=(data.heldout_images, data.heldout_labels),
                               desc="snapshot run")
    snapshots = []
    for state in trained.snapshots:
        model.load_state_dict(state)
        snapshots.append(predict_proba(model, data.heldout_images))
    hardest = np.argsort(-mutual_information(np.stack(seeds)), kind="stable")[:8]
    arrays.update({"seed_members": np.stack(seeds).astype(np.float32),
                   "snapshot_members": np.stack(snapshots).astype(np.float32),
                   "labels": data.heldout_labels, "hardest_index": hardest,
                   "hardest_images": data.heldout_images[hardest]})
    return RunResult(history={"snapshot_lr": trained.history["learning_rate"],
                              "snapshot_test_accuracy": trained.history["test_accuracy"]},
                     arrays=arrays,
                     extra={"source": data.source, "train_digits": len(data.train_images),
                            "tta_shifts": TTA_SHIFTS})


def ensembles_run(show: bool | None = None) -> Run:
    """Train the ensemble comparison for the active profile, or load its stored run."""
    return run_or_load("m05-deep-ensembles", ENSEMBLE_CONFIGS, train_ensembles,
                       gpu_minutes=6, show=show)
