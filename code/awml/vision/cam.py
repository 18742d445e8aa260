"""Class-activation maps: where in the image a classifier found the evidence for a class.

A network that ends with global average pooling and one linear layer scores class ``c``
as ``sum_k w_ck * mean_xy F_k(x, y) + b_c``, where ``F_k`` are the last feature maps. Moving
the sum inside the mean gives the map ``M_c(x, y) = sum_k w_ck F_k(x, y)``, whose average
is the class score (minus the bias): the class-activation map of Zhou et al. (2016).
timm's EfficientNets have exactly this head (``forward_features``, then pooling, then
``classifier``), so the map is exact, not an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class ActivationMap:
    """A class-activation map for one image and one class."""

    heatmap: np.ndarray  # (H, W) in [0, 1], resized to the image
    raw: np.ndarray  # (h, w) the map at the network's final resolution, in logit units
    class_index: int
    class_name: str
    probability: float


def _features(pretrained, image: np.ndarray):
    import torch

    from awml.training.threads import torch_threads

    model = pretrained.model
    with torch.no_grad(), torch_threads(1):  # one image: more threads only wait
        features = model.forward_features(pretrained.preprocessing(image))  # (1, C, h, w)
        probabilities = model.forward_head(features).softmax(dim=1)[0]
    return features[0], probabilities


def _activation_map(pretrained, features, probabilities, class_index: int,
                    image_shape: tuple[int, ...]) -> ActivationMap:
    import torch
    from PIL import Image

    from awml.models.pretrained import imagenet_class_names

    weights = pretrained.model.get_classifier().weight.detach()  # (classes, channels)
    if not 0 <= class_index < weights.shape[0]:
        raise ValueError(f"class_index={class_index}; expected 0..{weights.shape[0] - 1}")
    raw = torch.einsum("c,chw->hw", weights[class_index], features).numpy()
    positive = np.clip(raw, 0.0, None)
    scaled = positive / (positive.max() or 1.0)
    height, width = image_shape[:2]
    resized = Image.fromarray((scaled * 255).astype(np.uint8)).resize((width, height),
                                                                         Image.BILINEAR)
    return ActivationMap(np.asarray(resized, dtype=float) / 255.0, raw, class_index,
                         imagenet_class_names()[class_index], float(probabilities[class_index]))


def class_activation_map(pretrained, image: np.ndarray, class_index: int | None = None,
                         ) -> ActivationMap:
    """Return the map of ``class_index`` (the top class by default) for ``image`` (H, W, 3).

    ``pretrained`` is an ``awml.models.pretrained.PretrainedModel`` with ImageNet's 1,000
    outputs. The heatmap is the raw map resized to the image, with negative evidence
    clipped to 0 and the maximum scaled to 1.
    """
    features, probabilities = _features(pretrained, image)
    if class_index is None:
        class_index = int(probabilities.argmax())
    return _activation_map(pretrained, features, probabilities, class_index,
                           np.asarray(image).shape)


def top_class_maps(pretrained, image: np.ndarray, k: int = 3) -> list[ActivationMap]:
    """Return the maps of the ``k`` most probable classes of ``image``, most probable first."""
    features, probabilities = _features(pretrained, image)
    if not 1 <= k <= len(probabilities):
        raise ValueError(f"k={k}; expected 1..{len(probabilities)}")
    ranked = probabilities.argsort(descending=True)[:k].tolist()
    return [_activation_map(pretrained, features, probabilities, index, np.asarray(image).shape)
            for index in ranked]


def short_name(name: str) -> str:
    """Return an ImageNet class description up to its first comma (``tabby, tabby cat``
    becomes ``tabby``)."""
    return name.split(",")[0]
