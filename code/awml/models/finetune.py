"""Split a timm EfficientNet into a frozen trunk and a trainable top for fine-tuning.

The **trunk** (stem and all blocks but the last ``trainable_blocks``) stays frozen: its
outputs can be computed once and cached. The **top** (the last blocks, the 1x1 head
convolution, global pooling and a new linear classifier) is trained in two stages: first
the classifier alone (a new head on a frozen backbone), then the whole top.
"""

from __future__ import annotations

import torch
from torch import nn


class Top(nn.Module):
    """The trainable end of an EfficientNet: last blocks, head convolution, pool, classifier."""

    def __init__(self, blocks: nn.Sequential, conv_head: nn.Module, bn_head: nn.Module,
                 features: int, num_classes: int = 1, dropout: float = 0.2) -> None:
        super().__init__()
        self.blocks, self.conv_head, self.bn_head = blocks, conv_head, bn_head
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(features, num_classes)
        self.num_classes = num_classes

    def features(self, trunk_output: torch.Tensor) -> torch.Tensor:
        """Return pooled features (N, C) for trunk outputs (N, C_trunk, H, W)."""
        x = self.bn_head(self.conv_head(self.blocks(trunk_output)))
        return x.mean(dim=(2, 3))

    def forward(self, trunk_output: torch.Tensor) -> torch.Tensor:
        """Return logits: (N,) for one class, (N, num_classes) otherwise."""
        logits = self.classifier(self.dropout(self.features(trunk_output)))
        return logits.squeeze(1) if self.num_classes == 1 else logits

    def set_stage(self, stage: str) -> None:
        """``head``: only the classifier learns; ``top``: everything here learns.

        Batch-norm statistics stay frozen in both stages (small batches of few images would
        spoil them); the affine parameters learn in the ``top`` stage.
        """
        if stage not in ("head", "top"):
            raise ValueError(f"stage={stage!r}; expected 'head' or 'top'")
        for name, parameter in self.named_parameters():
            parameter.requires_grad = stage == "top" or name.startswith("classifier.")

    def train(self, mode: bool = True) -> "Top":
        super().train(mode)
        for module in self.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                module.eval()
        return self


def split_efficientnet(model: nn.Module, trainable_blocks: int = 1, num_classes: int = 1
                       ) -> tuple[nn.Module, Top]:
    """Return (trunk, top) of a timm EfficientNet; the trunk is frozen and in eval mode.

    ``trainable_blocks`` of the model's stages (0 to all) go to the top with the head
    convolution; the top gets a new classifier with ``num_classes`` outputs.
    """
    stages = len(model.blocks)
    if not isinstance(trainable_blocks, int) or not 0 <= trainable_blocks <= stages:
        raise ValueError(f"trainable_blocks={trainable_blocks!r}; expected 0 to {stages}")
    cut = stages - trainable_blocks
    trunk = nn.Sequential(model.conv_stem, model.bn1, *model.blocks[:cut])
    for parameter in trunk.parameters():
        parameter.requires_grad = False
    trunk.eval()
    top = Top(nn.Sequential(*model.blocks[cut:]), model.conv_head, model.bn2,
              model.num_features, num_classes)
    return trunk, top
