"""The course's CarNet data: street photos with two counts, read from a folder or a zip.

The layout, at the top of the folder or zip (or inside its one top-level folder)::

    train.csv   one row per photo: file, signal, vehicle  (path relative to the top, counts)
    score.csv   one row per photo: file                   (counts hidden)
    ...         the photos, in any sub-folders, in any format Pillow reads

Either table may be Parquet instead. ``signal`` counts traffic lights and stop signs;
``vehicle`` counts cars, buses, trucks, trains, motorcycles, bicycles, airplanes and boats.
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

ENV_VAR = "AWML_CARNET"
TARGETS = ("signal", "vehicle")
TRAIN_COLUMNS = ("file", *TARGETS)
SCORE_COLUMNS = ("file",)


@dataclass
class CarNetData:
    """Photos as uint8 (H, W, 3) arrays of varying size, and the training counts (N, 2)."""

    train_images: list[np.ndarray]
    train_counts: np.ndarray
    score_images: list[np.ndarray]
    score_files: list[str]
    source: str


def _shrunk(pixels: np.ndarray, max_side: int | None) -> np.ndarray:
    from PIL import Image

    height, width = pixels.shape[:2]
    if max_side is None or max(height, width) <= max_side:
        return pixels
    scale = max_side / max(height, width)
    size = (round(width * scale), round(height * scale))
    return np.asarray(Image.fromarray(pixels).resize(size, Image.BILINEAR))


def read_carnet(location: Path | str, max_side: int | None = 640) -> CarNetData:
    """Read the CarNet layout from a folder or a ``.zip``.

    Photos whose longer side exceeds ``max_side`` pixels are scaled down (None keeps them).
    Counts must be whole numbers of at least zero; anything else is refused.
    """
    archive = LayoutArchive(location, "train")
    train = archive.table("train", TRAIN_COLUMNS)
    score = archive.table("score", SCORE_COLUMNS)
    counts = train[list(TARGETS)].to_numpy()
    if not np.issubdtype(counts.dtype, np.number) or np.any(counts < 0) or np.any(
            counts != np.round(counts)):
        raise ValueError(f"train counts in {location} must be whole numbers >= 0; got "
                         f"dtype {counts.dtype}, minimum {counts.min()}")
    load = lambda names: [_shrunk(archive.image(str(name)), max_side)  # noqa: E731
                          for name in names]
    return CarNetData(load(train["file"]), counts.astype(np.int64), load(score["file"]),
                      [str(name) for name in score["file"]], f"full: CarNet from {location}")


def carnet_location() -> Path:
    """Return where the CarNet data is: ``AWML_CARNET``, or ``carnet``/``carnet.zip`` under
    the data folder; raises ``SourceUnavailable`` when none exists."""
    candidates = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    candidates += [data_dir() / "carnet", data_dir() / "carnet.zip"]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise SourceUnavailable(f"no CarNet data at {', '.join(map(str, candidates))}")
