"""Early stopping: stop when the validation loss has not improved for a while."""

from __future__ import annotations

import math
from typing import Sequence


def early_stopping_epoch(val_losses: Sequence[float], patience: int = 5) -> tuple[int, int]:
    """Return (best epoch, epoch at which training stops), both counted from 1.

    Training stops once ``patience`` epochs in a row have not beaten the best validation
    loss so far; the weights of the best epoch are the ones kept. If that never happens,
    the stopping epoch is the last one.
    """
    if patience < 1:
        raise ValueError(f"patience={patience} must be at least 1")
    if not len(val_losses):
        raise ValueError("val_losses is empty; expected one loss per epoch")
    best_loss, best_epoch = math.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)
