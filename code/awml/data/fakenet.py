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

import io
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

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


class _Archive:
    """Read files by relative path from a folder or a zip, whichever ``location`` is."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.zip = zipfile.ZipFile(location) if location.suffix == ".zip" else None
        self.prefix = self._find_prefix()

    def _names(self) -> list[str]:
        if self.zip is not None:
            return [name for name in self.zip.namelist() if not name.endswith("/")]
        return [path.relative_to(self.location).as_posix()
                for path in self.location.rglob("*") if path.is_file()]

    def _find_prefix(self) -> str:
        tops = {PurePosixPath(name).parent.as_posix() for name in self._names()
                if PurePosixPath(name).stem == "train"
                and PurePosixPath(name).suffix in (".csv", ".parquet")}
        if not tops:
            raise ValueError(f"location={str(self.location)!r} holds no train.csv or "
                             "train.parquet; expected the FakeNet layout (see awml.data.fakenet)")
        top = min(tops, key=len)
        return "" if top == "." else top + "/"

    def read(self, name: str) -> bytes:
        name = self.prefix + name.lstrip("/")
        if self.zip is not None:
            try:
                return self.zip.read(name)
            except KeyError:
                raise FileNotFoundError(f"{name} is not in {self.location}") from None
        return (self.location / name).read_bytes()

    def has(self, name: str) -> bool:
        try:
            self.read(name)
        except FileNotFoundError:
            return False
        return True


def _read_table(archive: _Archive, stem: str, columns: tuple[str, ...]):
    import pandas as pd

    for suffix, reader in ((".csv", pd.read_csv), (".parquet", pd.read_parquet)):
        if archive.has(stem + suffix):
            table = reader(io.BytesIO(archive.read(stem + suffix)))
            break
    else:
        raise ValueError(f"{archive.location} lacks {stem}.csv or {stem}.parquet")
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{stem} metadata in {archive.location} lacks columns {missing}; "
                         f"it has {list(table.columns)}, expected {list(columns)}")
    if "caption" in table.columns:
        logger.info("%s: %d captions ignored, as the task requires", stem, len(table))
    return table[list(columns)]


def _load_images(archive: _Archive, names, size: int, channels: int) -> np.ndarray:
    from PIL import Image

    mode = {1: "L", 3: "RGB"}[channels]
    images = np.empty((len(names), channels, size, size), np.float32)
    for index, name in enumerate(names):
        with Image.open(io.BytesIO(archive.read(str(name)))) as image:
            pixels = np.asarray(image.convert(mode).resize((size, size), Image.BILINEAR))
        images[index] = pixels.reshape(size, size, channels).transpose(2, 0, 1) / 255.0
    return images


def read_fakenet(location: Path | str, size: int = 64, channels: int = 3) -> FakeNetData:
    """Read the FakeNet layout from a folder or a ``.zip``; captions are dropped.

    Returns a ``FakeNetData`` whose images are float32 (N, channels, size, size) in [0, 1].
    """
    location = Path(location)
    if not location.exists():
        raise ValueError(f"location={str(location)!r} does not exist; expected a FakeNet "
                         "folder or zip")
    if channels not in (1, 3):
        raise ValueError(f"channels={channels!r} must be 1 (grey) or 3 (RGB)")
    if size < 8:
        raise ValueError(f"size={size!r} must be at least 8 pixels")
    archive = _Archive(location)
    train = _read_table(archive, "train", TRAIN_COLUMNS)
    score = _read_table(archive, "score", SCORE_COLUMNS)
    load = lambda column: _load_images(archive, column, size, channels)  # noqa: E731
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
