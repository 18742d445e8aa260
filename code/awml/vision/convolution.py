"""Two-dimensional convolution written out, and the arithmetic of its output size.

Deep-learning libraries compute a cross-correlation and call it convolution: the kernel
is not flipped. ``conv2d`` does the same, so it agrees with ``torch.nn.functional.conv2d``.
For an input of size ``n`` along one axis, a kernel of size ``k``, stride ``s``, padding
``p`` on each side and dilation ``d``, the output has
``floor((n + 2p - d (k - 1) - 1) / s) + 1`` positions.
"""

from __future__ import annotations

import numpy as np


def output_size(n: int, kernel: int, stride: int = 1, padding: int = 0,
                dilation: int = 1) -> int:
    """Return the number of output positions along one axis (the formula above)."""
    for name, value, least in (("n", n, 1), ("kernel", kernel, 1), ("stride", stride, 1),
                               ("padding", padding, 0), ("dilation", dilation, 1)):
        if not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name}={value!r}; expected an integer >= {least}")
    span = dilation * (kernel - 1) + 1  # input positions one kernel placement covers
    if n + 2 * padding < span:
        raise ValueError(f"the dilated kernel spans {span} positions but the padded input "
                         f"has only {n + 2 * padding}")
    return (n + 2 * padding - span) // stride + 1


def conv2d(images: np.ndarray, kernels: np.ndarray, bias: np.ndarray | None = None,
           stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """Return the cross-correlation of ``images`` (C_in, H, W) with ``kernels``
    (C_out, C_in, k, k), shape (C_out, H_out, W_out).

    Output channel ``o`` at position (i, j) is the sum over input channels ``c`` and
    kernel offsets (u, v) of ``kernels[o, c, u, v] * padded[c, i*s + u*d, j*s + v*d]``,
    plus ``bias[o]``. Written with one loop over the kernel offsets and matrix products
    across channels, which shows that a convolution is a dense layer applied at every
    position with shared weights.
    """
    images, kernels = np.asarray(images, dtype=float), np.asarray(kernels, dtype=float)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (C_in, H, W); got shape {images.shape}")
    if kernels.ndim != 4 or kernels.shape[1] != images.shape[0] or \
            kernels.shape[2] != kernels.shape[3]:
        raise ValueError(f"kernels must have shape (C_out, {images.shape[0]}, k, k); "
                         f"got shape {kernels.shape}")
    channels_out, _, size, _ = kernels.shape
    height = output_size(images.shape[1], size, stride, padding, dilation)
    width = output_size(images.shape[2], size, stride, padding, dilation)
    padded = np.pad(images, ((0, 0), (padding, padding), (padding, padding)))
    result = np.zeros((channels_out, height, width))
    for u in range(size):
        for v in range(size):
            rows = u * dilation + stride * np.arange(height)
            cols = v * dilation + stride * np.arange(width)
            patch = padded[:, rows[:, None], cols[None, :]]  # (C_in, H_out, W_out)
            result += np.einsum("oc,chw->ohw", kernels[:, :, u, v], patch)
    if bias is not None:
        result += np.asarray(bias, dtype=float)[:, None, None]
    return result


def parameter_count(channels_in: int, channels_out: int, kernel: int, bias: bool = True) -> int:
    """Return the number of weights of a convolution layer: C_out (C_in k^2 + 1)."""
    return channels_out * (channels_in * kernel * kernel + (1 if bias else 0))
