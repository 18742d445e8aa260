"""Person / no person: the course's image dataset, or real images that ship offline.

Full source: the course's dataset of 224 by 224 RGB images cut from COCO (80,000
labelled, 20,000 to score), a folder or a zip holding the images and two small CSV files:

- ``labels.csv`` with columns ``image`` (a file name relative to the folder) and
  ``person`` (1 when the image shows a person, 0 otherwise): the labelled images;
- ``score.csv`` with column ``image``: the images to score, in submission order. Without
  it, every image not in ``labels.csv`` is scored, in file-name order.
- ``score_answers.csv`` (optional, for instructors) with ``image`` and ``person``.

``awml.data.coco_people.build_from_coco`` writes exactly this from COCO annotations.

Offline source: scikit-image's ``lfw_subset`` (100 face crops, then 100 crops of other
things, 25 by 25 grayscale) as the labelled set, and nine real photographs that installed
packages ship as the images to score. Their labels were set by hand, looking at each
photograph, in ``people_labels.csv`` next to this module; they are kept out of training.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from awml.data.download import SourceUnavailable
from awml.paths import offline

logger = logging.getLogger(__name__)

LABEL_FILE = "labels.csv"
SCORE_FILE = "score.csv"
ANSWERS_FILE = "score_answers.csv"
HAND_LABELS = Path(__file__).with_name("people_labels.csv")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
SOURCES = ("auto", "full", "offline")
PATH_VARIABLE = "AWML_PEOPLE_DATA"


@dataclass
class ImageSet:
    """Images by name, with labels (1 person, 0 no person) or None, read on demand.

    Images come back as uint8 RGB arrays of shape (H, W, 3); sizes may differ.
    """

    names: list[str]
    labels: np.ndarray | None
    read: Callable[[str], np.ndarray] = field(repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def image(self, index: int) -> np.ndarray:
        """Return image ``index`` as uint8 RGB of shape (H, W, 3)."""
        return self.read(self.names[index])

    def images(self, indices=None) -> list[np.ndarray]:
        """Return the images at ``indices`` (all by default) as a list of (H, W, 3) arrays."""
        indices = range(len(self)) if indices is None else indices
        return [self.image(int(index)) for index in indices]

    def subset(self, indices) -> "ImageSet":
        """Return the images at ``indices`` as a new set sharing the same reader."""
        indices = np.asarray(indices, dtype=int)
        labels = None if self.labels is None else self.labels[indices]
        return ImageSet([self.names[i] for i in indices], labels, self.read)


@dataclass
class PeopleData:
    """The labelled images, the images to score, and where they came from.

    ``score_answers`` holds the score images' true labels where they are known (the
    hand labels offline, an instructor's answer file); it is never used for training.
    """

    labelled: ImageSet
    score: ImageSet
    source: str
    score_answers: np.ndarray | None = None
    score_descriptions: list[str] | None = None


def _rgb(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    if array.dtype != np.uint8:
        array = (np.clip(array, 0.0, 1.0) * 255.0).round().astype(np.uint8)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    return np.ascontiguousarray(array[:, :, :3])


def _decode(data: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))


def hand_labels() -> list[dict[str, str]]:
    """Return the rows of ``people_labels.csv``: name, package, resource, person, description."""
    with open(HAND_LABELS, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def photograph(name: str) -> np.ndarray:
    """Return one of the hand-labelled photographs as uint8 RGB (H, W, 3)."""
    rows = {row["name"]: row for row in hand_labels()}
    if name not in rows:
        raise ValueError(f"name={name!r} is not a hand-labelled photograph; "
                         f"expected one of {', '.join(rows)}")
    row = rows[name]
    if row["package"] == "scikit-image":
        from skimage import data

        image = getattr(data, row["resource"])()
        image = image[0] if isinstance(image, tuple) else image
        return _rgb(image)
    if row["package"] == "matplotlib":
        import matplotlib

        folder = Path(matplotlib.get_data_path())
    else:
        import importlib.util

        spec = importlib.util.find_spec(row["package"])
        if spec is None or not spec.submodule_search_locations:
            raise SourceUnavailable(f"package {row['package']} is not installed")
        folder = Path(list(spec.submodule_search_locations)[0])
    return _decode((folder / row["resource"]).read_bytes())


def load_offline() -> PeopleData:
    """Return ``lfw_subset`` (200 labelled crops) and the nine photographs to score."""
    from skimage import data

    crops = data.lfw_subset()  # (200, 25, 25) floats in [0, 1]; 100 faces first
    labelled_images = {f"lfw_{index:03d}": _rgb(crop) for index, crop in enumerate(crops)}
    labels = np.r_[np.ones(100, np.int64), np.zeros(100, np.int64)]
    rows = hand_labels()
    photos = {row["name"]: photograph(row["name"]) for row in rows}
    every = {**labelled_images, **photos}
    return PeopleData(
        labelled=ImageSet(list(labelled_images), labels, every.__getitem__),
        score=ImageSet(list(photos), None, every.__getitem__),
        source="offline: scikit-image lfw_subset (200 crops) and 9 hand-labelled photographs",
        score_answers=np.array([int(row["person"]) for row in rows], np.int64),
        score_descriptions=[row["description"] for row in rows],
    )


class _Archive:
    """Read files from a folder or a zip by their name relative to the dataset's root."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            self.zip, self.prefix = None, ""
            if not (path / LABEL_FILE).is_file():
                raise ValueError(f"path={str(path)!r} has no {LABEL_FILE}; expected a "
                                 "folder or zip with labels.csv and the images")
            return
        if not zipfile.is_zipfile(path):
            raise ValueError(f"path={str(path)!r} is neither a folder nor a zip file")
        self._handles: dict[int, zipfile.ZipFile] = {}
        self.zip = self._zip_handle()
        found = [name for name in self.zip.namelist() if name.rsplit("/", 1)[-1] == LABEL_FILE]
        if not found:
            raise ValueError(f"path={str(path)!r} holds no {LABEL_FILE}")
        self.prefix = min(found, key=len)[: -len(LABEL_FILE)]

    def _zip_handle(self) -> zipfile.ZipFile:
        # One handle per process: data-loader workers must not share a file position.
        pid = os.getpid()
        if pid not in self._handles:
            self._handles[pid] = zipfile.ZipFile(self.path)
        return self._handles[pid]

    def exists(self, name: str) -> bool:
        if self.zip is None:
            return (self.path / name).is_file()
        return (self.prefix + name) in self.zip.NameToInfo

    def read_bytes(self, name: str) -> bytes:
        if self.zip is None:
            return (self.path / name).read_bytes()
        return self._zip_handle().read(self.prefix + name)

    def images(self) -> list[str]:
        if self.zip is None:
            names = [p.relative_to(self.path).as_posix() for p in self.path.rglob("*")
                     if p.is_file()]
        else:
            names = [n[len(self.prefix):] for n in self.zip.namelist() if n.startswith(self.prefix)]
        return sorted(n for n in names if n.lower().endswith(IMAGE_SUFFIXES))

    def table(self, name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
        text = self.read_bytes(name).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        header = rows[0].keys() if rows else ()
        missing = [column for column in columns if column not in header]
        if missing:
            raise ValueError(f"{name} in {self.path} lacks columns {missing}; "
                             f"expected {list(columns)}")
        return rows


def _labels(rows: list[dict[str, str]], file: str) -> np.ndarray:
    values = [row["person"].strip() for row in rows]
    bad = sorted({value for value in values if value not in ("0", "1")})
    if bad:
        raise ValueError(f"{file}: person must be 0 or 1; got {bad[:3]}")
    return np.array([int(value) for value in values], np.int64)


def read_course_dataset(path: str | Path) -> PeopleData:
    """Return the course dataset in the folder or zip at ``path`` (layout: module docstring).

    Images are read on demand, so 100,000 of them need no more memory than a batch.
    """
    archive = _Archive(Path(path))
    label_rows = archive.table(LABEL_FILE, ("image", "person"))
    labelled_names = [row["image"] for row in label_rows]
    if archive.exists(SCORE_FILE):
        score_names = [row["image"] for row in archive.table(SCORE_FILE, ("image",))]
    else:
        known = set(labelled_names)
        score_names = [name for name in archive.images() if name not in known]
    missing = [name for name in labelled_names[:50] + score_names[:50]
               if not archive.exists(name)]
    if missing:
        raise ValueError(f"path={str(path)!r} lacks images its tables name, e.g. {missing[:3]}")
    answers = None
    if archive.exists(ANSWERS_FILE):
        rows = {row["image"]: row for row in archive.table(ANSWERS_FILE, ("image", "person"))}
        if all(name in rows for name in score_names):
            answers = _labels([rows[name] for name in score_names], ANSWERS_FILE)

    def read(name: str) -> np.ndarray:
        return _decode(archive.read_bytes(name))

    return PeopleData(
        labelled=ImageSet(labelled_names, _labels(label_rows, LABEL_FILE), read),
        score=ImageSet(score_names, None, read),
        source=f"full: course dataset at {path} ({len(labelled_names)} labelled, "
               f"{len(score_names)} to score)",
        score_answers=answers,
    )


def load_people(source: str = "auto", path: str | Path | None = None) -> PeopleData:
    """Return the person / no person data from ``source``: ``full``, ``offline`` or ``auto``.

    The full dataset is the folder or zip at ``path`` (or ``AWML_PEOPLE_DATA``); ``auto``
    falls back to the offline images with one warning line when it is not available.
    """
    if source not in SOURCES:
        raise ValueError(f"source={source!r} is not one of {', '.join(SOURCES)}")
    if source == "offline":
        return load_offline()
    location = path or os.environ.get(PATH_VARIABLE)
    try:
        if offline() and path is None:
            raise SourceUnavailable("AWML_OFFLINE is set")
        if not location:
            raise SourceUnavailable(f"no path given and {PATH_VARIABLE} is not set")
        if not Path(location).exists():
            raise SourceUnavailable(f"{location} does not exist")
        return read_course_dataset(location)
    except SourceUnavailable as reason:
        if source == "full":
            raise
        logger.warning("course person dataset unavailable (%s); using the offline images",
                       reason)
        return load_offline()


def stratified_split(labels: np.ndarray, test_fraction: float, seed: int = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Return (train indices, test indices) with each class split in the same proportion."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction={test_fraction!r}; expected a number in (0, 1)")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        cut = int(round(test_fraction * len(members)))
        test.append(members[:cut])
        train.append(members[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))
