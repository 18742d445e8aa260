"""Lab 4, FakeNet: in a pair of one real and one generated image, which one is real?

Zero-shot means the detector must also work on a generator it never saw in training. The
full data is the course's FakeNet layout (``awml.data.fakenet``). Offline, the pairs are
built from real MNIST digits that no model here trained on, fakes of the DCGAN of
``awml.training.gan`` (the generator the detector trains against) and fakes of the VAE of
``awml.training.vae`` (a different family, held out from training).

Two detectors give every image a realness score: the DCGAN's own discriminator, and a
dedicated pair detector (``awml.models.fake_detector``) trained here through run-or-load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from awml.data.download import SourceUnavailable
from awml.data.fakenet import fakenet_location, read_fakenet
from awml.models.fake_detector import DetectorShape, PairDetector
from awml.models.gan import from_unit
from awml.paths import offline
from awml.runs import Run, RunResult, run_or_load
from awml.training.pair_detection import (DetectorConfig, Scorer, evaluate_detector,
                                          scorer_of, train_pair_detector)
from awml.training.gan import dcgan_run, load_dcgan, mnist_splits, sample_dcgan
from awml.training.vae import sample_vae, vae_run

logger = logging.getLogger(__name__)

TASK = "fakenet-detector"
SEEN, HELD_OUT = "DCGAN (seen in training)", "VAE (held out)"


@dataclass(frozen=True)
class FakeNetConfig:
    """One profile's settings for lab 4."""

    detector: DetectorConfig  # how the pair detector trains
    train_pairs: int | None = None  # cap on training pairs; None uses every real digit
    evaluation_pairs: int = 1000  # pairs per generator in the evaluation table
    score_pairs: int = 500  # offline score pairs (the full data brings its own)
    image_size: int = 64  # full data: images are resized to this square
    source: str = "offline"  # MNIST source of the offline pairs: offline, full or auto
    seed: int = 0


CONFIGS = {
    "smoke": FakeNetConfig(DetectorConfig(epochs=1, shape=DetectorShape(width=8)),
                           train_pairs=512, evaluation_pairs=200, score_pairs=100),
    "cpu": FakeNetConfig(DetectorConfig(epochs=3)),
    "gpu": FakeNetConfig(DetectorConfig(epochs=10, shape=DetectorShape(width=32)),
                         evaluation_pairs=5000, score_pairs=5000, source="auto"),
}
GPU_MINUTES = 3  # detector training and scoring on a T4, the generators not included


@dataclass
class LabPairs:
    """The lab's images, float32 (N, C, H, W) in [0, 1].

    ``evaluation`` maps a generator's name to (real images, fake images), paired by index;
    ``score_truth`` is 1 where the first score image is real, known offline only.
    """

    train_real: np.ndarray
    train_fake: np.ndarray
    evaluation: dict[str, tuple[np.ndarray, np.ndarray]]
    score_first: np.ndarray
    score_second: np.ndarray
    source: str
    score_truth: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    def sizes(self) -> dict[str, int]:
        """Return the number of pairs in each part."""
        return {"train": len(self.train_real),
                **{name: len(real) for name, (real, _) in self.evaluation.items()},
                "score": len(self.score_first)}


def offline_pairs(config: FakeNetConfig, gan: Run, vae: Run) -> LabPairs:
    """Return pairs from MNIST digits, DCGAN fakes (seen) and VAE fakes (held out).

    The training pairs use the digits both generators trained on; the evaluation and
    score pairs use the validate, test and score splits, which no model here has seen.
    Each set of fakes comes from its own noise seed.
    """
    splits = mnist_splits(config.source)
    train_real = splits.train.as_float()[: config.train_pairs]
    unseen = np.concatenate([splits.validate.as_float(), splits.test.as_float()])
    real = unseen[: config.evaluation_pairs]
    evaluation = {SEEN: (real, sample_dcgan(gan, len(real), seed=config.seed + 2)),
                  HELD_OUT: (real, sample_vae(vae, len(real), seed=config.seed + 3))}

    score_real = splits.score.as_float()[: config.score_pairs]
    half = len(score_real) // 2
    score_fake = np.concatenate([sample_dcgan(gan, half, seed=config.seed + 4),
                                 sample_vae(vae, len(score_real) - half, seed=config.seed + 5)])
    rng = np.random.default_rng(config.seed)
    score_fake = score_fake[rng.permutation(len(score_fake))]
    real_first = rng.random(len(score_real)) < 0.5
    mask = real_first[:, None, None, None]
    return LabPairs(
        train_real=train_real,
        train_fake=sample_dcgan(gan, len(train_real), seed=config.seed + 1),
        evaluation=evaluation,
        score_first=np.where(mask, score_real, score_fake),
        score_second=np.where(mask, score_fake, score_real),
        source=f"offline: real MNIST ({splits.train.source}), DCGAN and VAE fakes",
        score_truth=real_first.astype(np.int64),
    )


def full_pairs(config: FakeNetConfig, location: Path | str) -> LabPairs:
    """Return pairs from the FakeNet layout at ``location``; a fifth of the training pairs
    is held back for evaluation, since the score pairs come without answers."""
    data = read_fakenet(location, size=config.image_size, channels=3)
    order = np.random.default_rng(config.seed).permutation(len(data.train_real))
    held, kept = order[: len(order) // 5], order[len(order) // 5:][: config.train_pairs]
    return LabPairs(
        train_real=data.train_real[kept], train_fake=data.train_fake[kept],
        evaluation={"held-back training pairs": (data.train_real[held],
                                                 data.train_fake[held])},
        score_first=data.score_first, score_second=data.score_second, source=data.source)


def lab_pairs(config: FakeNetConfig, gan: Run, vae: Run) -> LabPairs:
    """Return the full FakeNet pairs when they are present and allowed, else offline pairs.

    The reason for taking the offline pairs is kept in ``notes`` as one line.
    """
    if not offline():
        try:
            return full_pairs(config, fakenet_location())
        except SourceUnavailable as reason:
            note = f"FakeNet data unavailable ({reason}); using the offline pairs"
    else:
        note = "AWML_OFFLINE is set: using the offline pairs, not the FakeNet data"
    pairs = offline_pairs(config, gan, vae)
    pairs.notes.append(note)
    return pairs


def _train(config: FakeNetConfig) -> RunResult:
    pairs = lab_pairs(config, dcgan_run(show=False), vae_run(show=False))
    channels = pairs.train_real.shape[1]
    detector_config = replace(config.detector,
                              shape=replace(config.detector.shape, channels=channels))
    detector, history = train_pair_detector(pairs.train_real, pairs.train_fake,
                                            detector_config)
    score = scorer_of(detector.scorer)
    metrics = {}
    for name, (real, fake) in pairs.evaluation.items():
        result = evaluate_detector(score, real, fake)
        metrics[f"{name}: pair accuracy"] = result["pair_accuracy"]
        metrics[f"{name}: AUC"] = result["auc"]
    return RunResult(metrics=metrics, history=history,
                     weights={"detector": detector.state_dict()},
                     extra={"source": pairs.source, "channels": channels,
                            "train_pairs": len(pairs.train_real)})


def train_detector_run(*, rerun: bool = False) -> Run:
    """Train the pair detector for the active profile, or load its stored run.

    It trains against DCGAN fakes only (``dcgan_run``); the VAE fakes stay unseen.
    """
    return run_or_load(TASK, CONFIGS, _train, gpu_minutes=GPU_MINUTES, rerun=rerun)


def detector_from_run(run: Run) -> PairDetector:
    """Return the pair detector stored in a ``fakenet-detector`` run, in eval mode."""
    shape = DetectorShape(**{**run.manifest["config"]["detector"]["shape"],
                             "channels": run.extra["channels"]})
    detector = PairDetector(shape)
    detector.load_state_dict(run.weights["detector"])
    return detector.eval()


def discriminator_scorer(gan: Run) -> Scorer:
    """Return the DCGAN discriminator as a scorer: its logit on images in [0, 1]."""
    _, discriminator = load_dcgan(gan)
    return scorer_of(discriminator, transform=from_unit)


def evaluation_table(scorers: dict[str, Scorer], pairs: LabPairs) -> "pandas.DataFrame":
    """Return a DataFrame with one row per detector and generator: pair accuracy and ROC AUC
    with 95 % intervals (Wilson for pairs, bootstrap for AUC) and the number of pairs."""
    import pandas as pd

    rows = []
    for detector, score in scorers.items():
        for generator, (real, fake) in pairs.evaluation.items():
            rows.append({"detector": detector, "generator": generator,
                         **evaluate_detector(score, real, fake)})
    return pd.DataFrame(rows).set_index(["detector", "generator"])


def pair_probabilities(detector: PairDetector, first: np.ndarray, second: np.ndarray
                       ) -> np.ndarray:
    """Return the probability that each first image is the real one, float32 (N,)."""
    score = scorer_of(detector.scorer)
    difference = score(first) - score(second)
    return (1.0 / (1.0 + np.exp(-difference))).astype(np.float32)


def wrong_pairs(score: Scorer, real: np.ndarray, fake: np.ndarray) -> np.ndarray:
    """Return the indices of the pairs the scorer gets wrong (the fake scores at least as
    high as the real image), the widest margin first."""
    margin = score(real) - score(fake)
    wrong = np.flatnonzero(margin <= 0)
    return wrong[np.argsort(margin[wrong], kind="stable")]


SUBMISSION_COLUMN = "probability"


def check_submission(frame: "pandas.DataFrame", rows: int) -> None:
    """Raise ``ValueError`` with one line unless ``frame`` is a valid FakeNet submission:
    exactly one column ``probability`` of float32, ``rows`` rows, every value in [0, 1]."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"submission is a {type(frame).__name__}; expected a pandas DataFrame")
    if list(frame.columns) != [SUBMISSION_COLUMN]:
        raise ValueError(f"submission has columns {list(frame.columns)}; "
                         f"expected [{SUBMISSION_COLUMN!r}]")
    if len(frame) != rows:
        raise ValueError(f"submission has {len(frame)} rows; expected {rows}, one per score pair")
    values = frame[SUBMISSION_COLUMN]
    if values.dtype != np.float32:
        raise ValueError(f"column {SUBMISSION_COLUMN!r} has dtype {values.dtype}; "
                         "expected float32")
    bad = ~((values >= 0) & (values <= 1)).to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"column {SUBMISSION_COLUMN!r} has {int(bad.sum())} values outside "
                         f"[0, 1] or missing (row {first}: {values.iloc[first]!r})")


def write_submission(probabilities: np.ndarray, rows: int, path: Path | str) -> Path:
    """Check ``probabilities`` (one per score pair) and write them as Parquet to ``path``.

    Nothing is written when a check fails; the written file is read back and checked again.
    Returns the path.
    """
    import pandas as pd

    values = np.asarray(probabilities)
    if values.ndim != 1:
        raise ValueError(f"probabilities has shape {values.shape}; expected ({rows},)")
    frame = pd.DataFrame({SUBMISSION_COLUMN: values.astype(np.float32)})
    check_submission(frame, rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    check_submission(pd.read_parquet(path), rows)
    return path
