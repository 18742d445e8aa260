"""Train a classifier on digits while recording its learning curves.

``digit_split`` gives train and validation tensors of real MNIST digits; ``fit`` trains a
model with a named optimizer and an optional learning-rate schedule and returns per-epoch
and per-step curves. The chapters on optimizers, initialisation, regularisation, batch
normalisation and schedules all train through it, so their curves are comparable.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import torch
from torch import nn

from awml.progress import progress
from awml.training.threads import torch_threads

logger = logging.getLogger(__name__)

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam", "adamw")


@dataclass
class Split:
    """Digits as float tensors (N, 1, 28, 28) in [0, 1] with int64 labels (N,)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    source: str

    def __repr__(self) -> str:
        return (f"Split({len(self.train_y)} train, {len(self.val_y)} validation digits; "
                f"{self.source})")


def digit_split(n_train: int, n_val: int, seed: int = 0, source: str = "auto") -> Split:
    """Return ``n_train`` and ``n_val`` disjoint MNIST digits drawn at random with ``seed``.

    ``source`` is passed to ``awml.data.mnist.load_digits``; offline there are 5,000 digits.
    With ``source="auto"``, a request larger than the digits available (a course-scale
    configuration run where the full set cannot be downloaded) is scaled down to fit, in
    the same proportions, and one warning line says so; an explicit source is never
    scaled.
    """
    from awml.paths import offline

    digits = _digits("offline" if source == "auto" and offline() else source)
    if n_train < 1 or n_val < 1:
        raise ValueError(f"n_train={n_train} and n_val={n_val} must both be positive")
    if n_train + n_val > len(digits) and source == "auto":
        scale = len(digits) / (n_train + n_val)
        logger.warning("asked for %d + %d digits but only %d are available (%s); using %d + %d",
                       n_train, n_val, len(digits), digits.source, int(n_train * scale),
                       int(n_val * scale))
        n_train, n_val = int(n_train * scale), int(n_val * scale)
    if n_train + n_val > len(digits):
        raise ValueError(f"n_train={n_train} and n_val={n_val} must sum to at most the "
                         f"{len(digits)} digits available from source={source!r}")
    order = np.random.default_rng(seed).permutation(len(digits))
    images = torch.from_numpy(digits.as_float())
    labels = torch.from_numpy(digits.labels)
    train, val = order[:n_train], order[n_train:n_train + n_val]
    return Split(images[train], labels[train], images[val], labels[val], digits.source)


@lru_cache(maxsize=2)
def _digits(source: str):
    from awml.data.mnist import load_digits

    return load_digits(source)  # read once per process: parsing the offline file is slow


def make_optimizer(name: str, parameters, learning_rate: float, weight_decay: float = 0.0):
    """Return the torch optimizer ``name`` (momentum means SGD with momentum 0.9)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer {name!r} is not one of {', '.join(OPTIMIZERS)}")
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=learning_rate, weight_decay=weight_decay)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=learning_rate, momentum=0.9,
                               weight_decay=weight_decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=learning_rate, alpha=0.9,
                                   weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(parameters, lr=learning_rate, weight_decay=weight_decay)
    return torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=weight_decay)


def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor,
             batch_size: int = 1000) -> tuple[float, float]:
    """Return (mean cross-entropy in nats, accuracy in [0, 1]) in evaluation mode."""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            logits = model(images[start:start + batch_size])
            target = labels[start:start + batch_size]
            total_loss += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
            correct += int((logits.argmax(1) == target).sum())
    return total_loss / len(labels), correct / len(labels)


def fit(model: nn.Module, split: Split, epochs: int, learning_rate: float,
        optimizer: str = "sgd", batch_size: int = 64, weight_decay: float = 0.0,
        l1: float = 0.0, schedule: Callable | None = None, seed: int = 0,
        desc: str = "train", show_progress: bool = False,
        device: str = "cpu", evaluate_train: bool = False,
        threads: int | None = 1) -> dict[str, list[float]]:
    """Train ``model`` with cross-entropy and return its curves.

    ``schedule(optimizer, total_steps)``, when given, returns a torch LR scheduler that is
    stepped after every batch. ``l1`` adds ``l1 * sum |w|`` over weight matrices to the loss.
    The history has, per epoch: ``train_loss`` (mean over the epoch's batches),
    ``val_loss``, ``val_accuracy``, ``train_accuracy``; per step: ``step_loss``,
    ``step_lr``. A loss that turns non-finite stops training; its epochs are left out.
    ``device`` is where the model and the data go (``cuda`` on a GPU machine).
    ``train_accuracy`` (in evaluation mode, after each epoch) is recorded only with
    ``evaluate_train=True``, since it costs a pass over the training set.
    ``threads`` CPU threads are used while training (see ``awml.training.threads``);
    None keeps torch's setting.
    """
    with torch_threads(threads) if threads is not None else nullcontext():
        return _fit(model, split, epochs, learning_rate, optimizer, batch_size, weight_decay,
                    l1, schedule, seed, desc, show_progress, device, evaluate_train)


def _fit(model, split, epochs, learning_rate, optimizer, batch_size, weight_decay, l1,
         schedule, seed, desc, show_progress, device, evaluate_train):
    if epochs < 1:
        raise ValueError(f"epochs={epochs} must be at least 1")
    torch.manual_seed(seed)
    model.to(device)
    split = Split(*(tensor.to(device) for tensor in (split.train_x, split.train_y, split.val_x,
                                                     split.val_y)), split.source)
    opt = make_optimizer(optimizer, model.parameters(), learning_rate, weight_decay)
    steps_per_epoch = -(-len(split.train_y) // batch_size)
    scheduler = schedule(opt, epochs * steps_per_epoch) if schedule else None
    weights = [p for name, p in model.named_parameters() if p.ndim > 1]
    history: dict[str, list[float]] = {key: [] for key in (
        "train_loss", "train_accuracy", "val_loss", "val_accuracy", "step_loss", "step_lr")}
    generator = torch.Generator().manual_seed(seed)
    epochs_bar = progress(range(epochs), desc=desc, disable=not show_progress)
    for _ in epochs_bar:
        model.train()
        order = torch.randperm(len(split.train_y), generator=generator).to(device)
        losses = []
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            loss = nn.functional.cross_entropy(model(split.train_x[batch]), split.train_y[batch])
            history["step_lr"].append(opt.param_groups[0]["lr"])
            history["step_loss"].append(loss.item())
            if l1:
                loss = loss + l1 * sum(w.abs().sum() for w in weights)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if scheduler is not None:
                scheduler.step()
            losses.append(history["step_loss"][-1])
        if not np.isfinite(losses[-1]):
            break
        history["train_loss"].append(float(np.mean(losses)))
        if evaluate_train:
            history["train_accuracy"].append(evaluate(model, split.train_x, split.train_y)[1])
        val_loss, val_accuracy = evaluate(model, split.val_x, split.val_y)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history
