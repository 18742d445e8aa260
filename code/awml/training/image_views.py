"""Encode images once for transfer learning: frozen-trunk outputs of several views, small copies.

View 0 of an image is the image itself; views 1..k are random augmentations of it (a
random resized crop keeping 60-100% of the area, a horizontal flip half of the time,
brightness, contrast and saturation jitter). Their trunk outputs are computed once and
kept as float16, so training the top for many epochs costs no further trunk passes: this
is augmentation drawn ahead of time. A small copy of each image (uint8) feeds the network
trained from scratch.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from awml.progress import progress

AREA_KEPT = (0.6, 1.0)


def _augmenter(size: int):
    from torchvision.transforms import v2

    return v2.Compose([v2.RandomResizedCrop(size, scale=AREA_KEPT, antialias=True),
                       v2.RandomHorizontalFlip(), v2.ColorJitter(0.3, 0.3, 0.3)])


class ImageViews(Dataset):
    """Item i: (views (V, 3, S, S) normalised for the network, small uint8 (3, s, s))."""

    def __init__(self, images, indices, preprocessing, copies: int, small_size: int) -> None:
        self.images, self.indices = images, np.asarray(indices, dtype=int)
        self.preprocessing, self.copies, self.small_size = preprocessing, copies, small_size
        self.augment = _augmenter(preprocessing.size) if copies else None

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, item: int) -> tuple[torch.Tensor, torch.Tensor]:
        unit = self.preprocessing.to_unit(self.images.image(int(self.indices[item])))[0]
        views = [unit] + [self.augment(unit).clamp(0, 1) for _ in range(self.copies)]
        normalised = self.preprocessing.normalize(torch.stack(views))
        small = torch.nn.functional.interpolate(unit[None], size=self.small_size,
                                                mode="bilinear", antialias=True)[0]
        return normalised, (small.clamp(0, 1) * 255).round().to(torch.uint8)


def encode_views(trunk: torch.nn.Module, dataset: ImageViews, batch_size: int = 32,
                 workers: int = 0, device: str = "cpu", desc: str = "encode"
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (trunk outputs float16 (N, V, C, h, w), small images uint8 (N, 3, s, s))."""
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=workers,
                        persistent_workers=False)
    trunk.to(device).eval()
    outputs, smalls = [], []
    with torch.inference_mode():
        for views, small in progress(loader, desc=desc, unit="batch"):
            count, per_image = views.shape[:2]
            flat = views.flatten(0, 1).to(device)  # (N * V, 3, S, S)
            encoded = trunk(flat).to(torch.float16).cpu()
            outputs.append(encoded.unflatten(0, (count, per_image)))
            smalls.append(small)
    return torch.cat(outputs), torch.cat(smalls)


def jitter_small(images: torch.Tensor, generator: torch.Generator, pad: int = 2
                 ) -> torch.Tensor:
    """Return uint8 images (N, 3, s, s) flipped half the time and shifted by up to ``pad``
    pixels, as floats in [-1, 1]: the augmentation of the network trained from scratch."""
    floats = images.float() / 127.5 - 1.0
    flip = torch.rand(len(floats), generator=generator) < 0.5
    floats = torch.where(flip[:, None, None, None], floats.flip(3), floats)
    size = floats.shape[-1]
    padded = torch.nn.functional.pad(floats, (pad,) * 4, mode="replicate")
    dx, dy = torch.randint(0, 2 * pad + 1, (2,), generator=generator).tolist()
    return padded[:, :, dy:dy + size, dx:dx + size]
