"""Noise models for images in [0, 1]."""

from __future__ import annotations

import numpy as np

KINDS = ("gaussian", "salt-and-pepper")


def add_noise(images: np.ndarray, strength: float, kind: str = "gaussian",
              seed: int = 0) -> np.ndarray:
    """Return a noisy copy of ``images`` (any shape, float in [0, 1]), clipped to [0, 1].

    ``strength`` is the standard deviation for ``gaussian`` noise and the fraction of
    pixels flipped to black or white for ``salt-and-pepper``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not a noise model; expected one of {KINDS}")
    if kind == "gaussian" and strength < 0:
        raise ValueError(f"strength={strength} must be >= 0 for gaussian noise")
    if kind == "salt-and-pepper" and not 0 <= strength <= 1:
        raise ValueError(f"strength={strength} must be in [0, 1] for salt-and-pepper noise")
    rng = np.random.default_rng(seed)
    images = np.asarray(images, dtype=np.float32)
    if kind == "gaussian":
        noisy = images + rng.normal(0.0, strength, size=images.shape).astype(np.float32)
    else:
        noisy = images.copy()
        flipped = rng.random(images.shape) < strength
        noisy[flipped] = rng.integers(0, 2, size=int(flipped.sum())).astype(np.float32)
    return np.clip(noisy, 0.0, 1.0)
