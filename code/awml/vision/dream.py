"""Feature visualisation by gradient ascent on the input, in the DeepDream manner.

Instead of changing the weights to lower a loss, change the image to raise the activation
of some part of a trained network. ``dream`` amplifies whatever a block of the network
already sees in a photo (the mean squared activation of the block); ``visualise_channel``
starts from faint noise and raises one channel's mean activation, showing what that
channel responds to. Both work on the normalised input of an
``awml.models.pretrained.PretrainedModel`` (values in [-1, 1] for EfficientNet-Lite0) and
use the two tricks of the DeepDream recipe: a random shift (jitter) of the image at each
step, and octaves (a few scales, coarse first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Dream:
    """Snapshots (uint8 RGB images) after the recorded steps, and the objective per step."""

    steps: list[int] = field(default_factory=list)
    images: list[np.ndarray] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)


def block_activations(model, inputs, block: int):
    """Return the output of ``model.blocks[block]`` (timm EfficientNet) for ``inputs``."""
    blocks = len(model.blocks)
    if not 0 <= block < blocks:
        raise ValueError(f"block={block}; this network has blocks 0..{blocks - 1}")
    return model.blocks[: block + 1](model.bn1(model.conv_stem(inputs)))


def _few_threads(device):
    """One CPU thread for a single image on the CPU (more only wait); nothing on a GPU."""
    from contextlib import nullcontext

    from awml.training.threads import torch_threads

    return torch_threads(1) if device.type == "cpu" else nullcontext()


def _to_uint8(inputs) -> np.ndarray:
    picture = inputs.detach()[0].permute(1, 2, 0).cpu().numpy()
    return ((picture + 1.0) * 127.5).clip(0, 255).astype(np.uint8)


def _resize(inputs, size: int):
    import torch.nn.functional as F

    return F.interpolate(inputs, size=(size, size), mode="bilinear", align_corners=False)


def _ascend(model, inputs, objective, steps: int, step_size: float, jitter: int, rng,
            result: Dream, offset: int, record: tuple[int, ...]):
    import torch

    for step in range(steps):
        shift_y, shift_x = rng.integers(-jitter, jitter + 1, size=2) if jitter else (0, 0)
        shifted = torch.roll(inputs, shifts=(int(shift_y), int(shift_x)), dims=(2, 3))
        shifted = shifted.detach().requires_grad_(True)
        value = objective(shifted)
        value.backward()
        gradient = shifted.grad
        gradient = gradient / (gradient.abs().mean() + 1e-8)  # a step of fixed size
        shifted = shifted.detach() + step_size * gradient
        inputs = torch.roll(shifted, shifts=(-int(shift_y), -int(shift_x)),
                            dims=(2, 3)).clamp(-1, 1)
        result.objective.append(value.item())
        if offset + step + 1 in record:
            result.steps.append(offset + step + 1)
            result.images.append(_to_uint8(inputs))
    return inputs


def dream(pretrained, image: np.ndarray, block: int = 4, steps: int = 10, octaves: int = 2,
          octave_scale: float = 1.4, step_size: float = 0.015, jitter: int = 8,
          size: int = 224, record: tuple[int, ...] = (), seed: int = 0) -> Dream:
    """Amplify what ``model.blocks[block]`` sees in ``image`` (H, W, 3): DeepDream.

    The objective is half the mean squared activation of the block. Octaves go from the
    coarsest, ``size / octave_scale ** (octaves - 1)`` pixels, to ``size``; the details
    added at one scale are carried up to the next. ``steps`` gradient-ascent steps run at
    each octave; ``record`` lists the global step numbers (1-based) to snapshot, and the
    final image is always recorded. Snapshots come back at ``size`` x ``size`` pixels.
    """
    import torch

    if steps < 1 or octaves < 1 or octave_scale <= 1.0:
        raise ValueError(f"need steps >= 1, octaves >= 1 and octave_scale > 1; got {steps}, "
                         f"{octaves}, {octave_scale}")
    model = pretrained.model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    device = next(model.parameters()).device
    base = pretrained.preprocessing.normalize(
        torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)[None]
    ).to(device)
    sizes = [max(32, round(size / octave_scale**k)) for k in reversed(range(octaves))]
    rng = np.random.default_rng(seed)
    result = Dream()

    def objective(inputs):
        return 0.5 * block_activations(model, inputs, block).pow(2).mean()

    detail = torch.zeros_like(_resize(base, sizes[0]))
    with _few_threads(device):
        for index, octave_size in enumerate(sizes):
            start = _resize(base, octave_size)
            inputs = start + _resize(detail, octave_size)
            inputs = _ascend(model, inputs, objective, steps, step_size, jitter, rng, result,
                             index * steps, record)
            detail = inputs - start
    if not result.steps or result.steps[-1] != steps * octaves:
        result.steps.append(steps * octaves)
        result.images.append(_to_uint8(inputs))
    result.images = [_same_size(picture, size) for picture in result.images]
    return result


def _same_size(picture: np.ndarray, size: int) -> np.ndarray:
    from PIL import Image

    if picture.shape[0] == size:
        return picture
    return np.asarray(Image.fromarray(picture).resize((size, size), Image.BILINEAR))


def visualise_channel(pretrained, block: int, channel: int, steps: int = 24,
                      size: int = 128, step_size: float = 0.05, jitter: int = 4,
                      seed: int = 0) -> np.ndarray:
    """Return an image (size, size, 3) uint8 grown from faint noise to excite one channel.

    The objective is the mean activation of ``channel`` of ``model.blocks[block]``.
    """
    import torch

    model = pretrained.model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    inputs = (0.1 * torch.randn(1, 3, size, size, generator=generator)).to(device)
    channels = block_activations(model, inputs, block).shape[1]
    if not 0 <= channel < channels:
        raise ValueError(f"channel={channel}; block {block} has channels 0..{channels - 1}")
    result = Dream()

    def objective(pixels):
        return block_activations(model, pixels, block)[:, channel].mean()

    with _few_threads(device):
        inputs = _ascend(model, inputs, objective, steps, step_size, jitter,
                         np.random.default_rng(seed), result, 0, ())
    return _to_uint8(inputs)
