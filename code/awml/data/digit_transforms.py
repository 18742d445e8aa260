"""Moving digits away from the training distribution: shifts and rotations."""

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


def shifted_copies(images: np.ndarray, shifts: list[tuple[int, int]]) -> np.ndarray:
    """Return ``images`` (N, 1, H, W) moved by each (rows, columns) shift, zero-filled.

    The result has shape (len(shifts), N, 1, H, W); it feeds test-time augmentation.
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images have shape {images.shape}; expected (N, 1, H, W)")
    height, width = images.shape[2:]
    copies = np.zeros((len(shifts), *images.shape), dtype=images.dtype)
    for index, (rows, columns) in enumerate(shifts):
        if abs(rows) >= height or abs(columns) >= width:
            raise ValueError(f"shift {(rows, columns)} moves the images out of the frame")
        source = images[..., max(0, -rows):height - max(0, rows),
                        max(0, -columns):width - max(0, columns)]
        copies[index, ..., max(0, rows):height - max(0, -rows),
               max(0, columns):width - max(0, -columns)] = source
    return copies


def displace_digits(images: np.ndarray, max_shift: int = 2, seed: int = 0) -> np.ndarray:
    """Return ``images`` (N, 1, H, W), each moved by its own random shift of up to
    ``max_shift`` pixels in each direction (zero-filled): digits cropped less carefully.
    """
    images = np.asarray(images)
    rng = np.random.default_rng(seed)
    shifts = rng.integers(-max_shift, max_shift + 1, (len(images), 2))
    moved = np.empty_like(images)
    for index, (rows, columns) in enumerate(shifts):
        moved[index] = shifted_copies(images[index:index + 1], [(int(rows), int(columns))])[0, 0]
    return moved


def blur_digits(images: np.ndarray, sigma: float) -> np.ndarray:
    """Return ``images`` (N, 1, H, W) blurred by a Gaussian of ``sigma`` pixels."""
    from scipy.ndimage import gaussian_filter

    if sigma < 0:
        raise ValueError(f"sigma={sigma!r} must be non-negative")
    if sigma == 0:
        return np.asarray(images).copy()
    return gaussian_filter(np.asarray(images), sigma=(0, 0, sigma, sigma)).astype(
        np.asarray(images).dtype)
