"""Edge detection with hand-made filters, a filter learned by gradient descent, and the
filters a network learned on ImageNet.

Images here are grey, float arrays (H, W) in [0, 1]. Filtering pads by reflection, so the
image border does not look like an edge, and uses ``awml.vision.convolution.conv2d``.
"""

from __future__ import annotations

import numpy as np

from awml.vision.convolution import conv2d

KERNELS: dict[str, np.ndarray] = {
    "sobel_x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "sobel_y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "prewitt_x": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype=float),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "blur": np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=float) / 16.0,
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}


def grey(image: np.ndarray) -> np.ndarray:
    """Return ``image`` (H, W) or (H, W, 3), uint8 or float, as grey floats in [0, 1]."""
    image = np.asarray(image)
    values = image.astype(float) / 255.0 if image.dtype == np.uint8 else image.astype(float)
    if values.ndim == 3:
        values = values[..., :3] @ np.array([0.299, 0.587, 0.114])
    if values.ndim != 2:
        raise ValueError(f"image must have shape (H, W) or (H, W, 3); got shape {image.shape}")
    return values


def filter_image(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Return the response of a grey image (H, W) to a square ``kernel``, shape (H, W)."""
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be square with an odd side; got shape {kernel.shape}")
    half = kernel.shape[0] // 2
    padded = np.pad(grey(image), half, mode="reflect")
    return conv2d(padded[None], kernel[None, None])[0]


def edge_magnitude(image: np.ndarray) -> np.ndarray:
    """Return the Sobel gradient magnitude sqrt(g_x^2 + g_y^2) of a grey image, (H, W)."""
    return np.hypot(filter_image(image, KERNELS["sobel_x"]),
                    filter_image(image, KERNELS["sobel_y"]))


def learn_filter(image: np.ndarray, target: np.ndarray, size: int = 3, steps: int = 150,
                 learning_rate: float = 0.05, record: tuple[int, ...] = (0, 10, 50, 150),
                 seed: int = 0) -> dict:
    """Fit a ``size`` x ``size`` filter so that filtering ``image`` reproduces ``target``.

    The filter starts random (std 0.1) and is trained with Adam on the mean squared error
    between its response and ``target`` (same shape as the image). Returns ``kernels``
    (the filter at each recorded step), ``steps`` and ``loss`` (one value per step).
    """
    import torch

    from awml.training.threads import torch_threads

    values = grey(image)
    target = np.asarray(target, dtype=np.float32)
    if target.shape != values.shape or size % 2 == 0:
        raise ValueError(f"target must have the image's shape {values.shape} and size must "
                         f"be odd; got {target.shape} and size={size}")
    pixels = torch.tensor(np.pad(values, size // 2, mode="reflect"),
                          dtype=torch.float32)[None, None]
    wanted = torch.from_numpy(target)[None, None]
    generator = torch.Generator().manual_seed(seed)
    kernel = (0.1 * torch.randn(1, 1, size, size, generator=generator)).requires_grad_(True)
    optimizer = torch.optim.Adam([kernel], lr=learning_rate)
    result: dict = {"steps": [], "kernels": [], "loss": []}
    with torch_threads(1):
        for step in range(steps + 1):
            if step in record:
                result["steps"].append(step)
                result["kernels"].append(kernel.detach()[0, 0].numpy().copy())
            if step == steps:
                break
            loss = torch.mean((torch.nn.functional.conv2d(pixels, kernel) - wanted) ** 2)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            result["loss"].append(loss.item())
    return result


def stem_responses(pretrained, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first-layer filters (C, 3, k, k) of a pretrained network and their
    responses to ``image`` (C, H', W'), before batch normalisation.

    ``pretrained`` is an ``awml.models.pretrained.PretrainedModel`` whose model has a
    ``conv_stem`` (timm's EfficientNets do).
    """
    import torch

    stem = pretrained.model.conv_stem
    with torch.no_grad():
        responses = stem(pretrained.preprocessing(image))[0]
    return stem.weight.detach().numpy().copy(), responses.numpy()
