"""The course's FakeNet data: pairs of a real and a generated image, read from a folder or zip.

The layout, at the top of the folder or zip (or inside its one top-level folder)::

    train.csv   one row per pair: real, fake, caption  (image paths relative to the top)
    score.csv   one row per pair: first, second[, caption]  (which one is real is hidden)
    ...         the images, in any sub-folders, in any format Pillow reads

Either metadata file may be Parquet instead (``train.parquet``, ``score.parquet``).
Captions describe what the generator was asked to draw; the task forbids using them, so
the reader drops them. Images are resized to a square and scaled to [0, 1].
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from awml.data.archive import LayoutArchive
from awml.data.download import SourceUnavailable
from awml.paths import data_dir

logger = logging.getLogger(__name__)

ENV_VAR = "AWML_FAKENET"
TRAIN_COLUMNS = ("real", "fake")
SCORE_COLUMNS = ("first", "second")


@dataclass
class FakeNetData:
    """Images as float32 (N, C, size, size) in [0, 1]: training pairs and score pairs."""

    train_real: np.ndarray
    train_fake: np.ndarray
    score_first: np.ndarray
    score_second: np.ndarray
    source: str

    def __post_init__(self) -> None:
        if len(self.train_real) != len(self.train_fake):
            raise ValueError(f"train_real has {len(self.train_real)} images but train_fake "
                             f"{len(self.train_fake)}; they must pair up")
        if len(self.score_first) != len(self.score_second):
            raise ValueError(f"score_first has {len(self.score_first)} images but "
                             f"score_second {len(self.score_second)}; they must pair up")


def _images(archive: LayoutArchive, names, size: int, channels: int) -> np.ndarray:
    from PIL import Image

    mode = {1: "L", 3: "RGB"}[channels]
    images = np.empty((len(names), channels, size, size), np.float32)
    for index, name in enumerate(names):
        pixels = archive.image(str(name), mode)
        resized = np.asarray(Image.fromarray(pixels).resize((size, size), Image.BILINEAR))
        images[index] = resized.reshape(size, size, channels).transpose(2, 0, 1) / 255.0
    return images


def read_fakenet(location: Path | str, size: int = 64, channels: int = 3) -> FakeNetData:
    """Read the FakeNet layout from a folder or a ``.zip``; captions are dropped.

    Returns a ``FakeNetData`` whose images are float32 (N, channels, size, size) in [0, 1].
    """
    if channels not in (1, 3):
        raise ValueError(f"channels={channels!r} must be 1 (grey) or 3 (RGB)")
    if size < 8:
        raise ValueError(f"size={size!r} must be at least 8 pixels")
    archive = LayoutArchive(location, "train")
    train = archive.table("train", TRAIN_COLUMNS)
    score = archive.table("score", SCORE_COLUMNS)
    ignored = sum(len(table) for table in (train, score) if "caption" in table.columns)
    if ignored:
        logger.info("%d captions ignored, as the task requires", ignored)
    load = lambda column: _images(archive, column, size, channels)  # noqa: E731
    return FakeNetData(load(train["real"]), load(train["fake"]), load(score["first"]),
                       load(score["second"]), f"full: FakeNet from {location}")


def fakenet_location() -> Path:
    """Return where the FakeNet data is: ``AWML_FAKENET``, or ``fakenet``/``fakenet.zip``
    under the data folder; raises ``SourceUnavailable`` when none exists."""
    candidates = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    candidates += [data_dir() / "fakenet", data_dir() / "fakenet.zip"]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise SourceUnavailable(f"no FakeNet data at {', '.join(map(str, candidates))}")
