"""A small supervised training loop with a progress bar and a recorded history."""

from __future__ import annotations

import math
from typing import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader

from awml.progress import progress


def set_seed(seed: int) -> None:
    """Seed Python's, numpy's and torch's generators."""
    import random

    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def evaluate_loss(model: nn.Module, loader: DataLoader, loss_fn: Callable,
                  device: str = "cpu") -> float:
    """Return the mean of ``loss_fn`` over ``loader``, weighted by batch size."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            total += float(loss_fn(model(inputs), targets)) * len(inputs)
            count += len(inputs)
    return total / max(count, 1)


def fit(model: nn.Module, train: DataLoader, validate: DataLoader | None, loss_fn: Callable,
        epochs: int, learning_rate: float, device: str = "cpu", desc: str = "train",
        weight_decay: float = 0.0) -> dict[str, list[float]]:
    """Train ``model`` with Adam and a cosine learning-rate schedule.

    Returns the history: ``train_loss`` and ``validate_loss`` per epoch (the latter
    only with a validation loader), and ``learning_rate`` at the start of each epoch.
    """
    if epochs < 1:
        raise ValueError(f"epochs={epochs} must be at least 1")
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate,
                                 weight_decay=weight_decay)
    steps = epochs * len(train)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / steps)))
    history: dict[str, list[float]] = {"train_loss": [], "learning_rate": []}
    if validate is not None:
        history["validate_loss"] = []

    bar = progress(total=steps, desc=desc, unit="batch")
    for epoch in range(epochs):
        history["learning_rate"].append(optimizer.param_groups[0]["lr"])
        model.train()
        total, count = 0.0, 0
        for inputs, targets in train:
            inputs, targets = inputs.to(device), targets.to(device)
            loss = loss_fn(model(inputs), targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(inputs)
            count += len(inputs)
            bar.update(1)
        history["train_loss"].append(total / count)
        postfix = {"epoch": epoch + 1, "train": f"{total / count:.4f}"}
        if validate is not None:
            history["validate_loss"].append(evaluate_loss(model, validate, loss_fn, device))
            postfix["validate"] = f"{history['validate_loss'][-1]:.4f}"
        bar.set_postfix(postfix)
    bar.close()
    return history
