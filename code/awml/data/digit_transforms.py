"""Moving digits away from the training distribution: rotations by a known angle."""

from __future__ import annotations

import numpy as np


def rotate_digits(images: np.ndarray, degrees: float) -> np.ndarray:
    """Return ``images`` (N, 1, 28, 28) rotated counter-clockwise by ``degrees`` about
    their centre, same shape and dtype, with zeros where the rotation uncovers the frame.
    """
    from scipy.ndimage import rotate

    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images have shape {images.shape}; expected (N, 1, H, W)")
    if degrees == 0:
        return images.copy()
    turned = rotate(images, degrees, axes=(3, 2), reshape=False, order=1, mode="constant")
    return turned.astype(images.dtype)
