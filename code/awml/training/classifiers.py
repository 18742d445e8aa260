"""Training and querying the small digit classifiers of the ensemble chapter.

``train_classifier`` runs mini-batch training with a cosine learning rate that restarts
``cycles`` times (one cycle is plain cosine annealing; several give the snapshots of a
snapshot ensemble) and records accuracy and loss after every epoch. ``predict_proba``
returns class probabilities with dropout switched off, or ``passes`` stochastic passes
with dropout left on (Monte Carlo dropout).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from awml.profiles import device_name
from awml.progress import progress
from awml.training.threads import small_model_threads

TRAIN_SCORED = 500  # training images scored after every epoch


@dataclass(frozen=True)
class TrainSettings:
    """How a classifier is trained."""

    epochs: int = 10
    batch_size: int = 128
    learning_rate: float = 1e-3  # peak learning rate of each cosine cycle
    optimizer: str = "adam"  # "adam" or "sgd" (momentum 0.9)
    cycles: int = 1  # cosine cycles; the model at the end of each is kept as a snapshot
    seed: int = 0  # initialisation and batch order

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError(f"epochs={self.epochs!r} and batch_size={self.batch_size!r} "
                             "must be at least 1")
        if self.optimizer not in ("adam", "sgd"):
            raise ValueError(f"optimizer={self.optimizer!r} is not one of adam, sgd")
        if not 1 <= self.cycles <= self.epochs:
            raise ValueError(f"cycles={self.cycles!r} must lie between 1 and epochs")


@dataclass
class Trained:
    """A trained model, its per-epoch history and the snapshots taken at cycle ends."""

    model: nn.Module
    history: dict[str, list[float]] = field(default_factory=dict)
    snapshots: list[dict] = field(default_factory=list)


def cyclic_cosine(step: int, total_steps: int, cycles: int, peak: float) -> float:
    """Return the learning rate at ``step`` of cosine annealing restarted ``cycles`` times.

    Within each cycle of ``ceil(total_steps / cycles)`` steps the rate falls from ``peak``
    to nearly zero along half a cosine, then jumps back to ``peak``.
    """
    length = math.ceil(total_steps / cycles)
    position = (step % length) / length
    return peak / 2 * (math.cos(math.pi * position) + 1)


def _as_tensors(images: np.ndarray, labels: np.ndarray | None = None):
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != (1, 28, 28):
        raise ValueError(f"images have shape {images.shape}; expected (N, 1, 28, 28)")
    tensors = [torch.from_numpy(images)]
    if labels is not None:
        if len(labels) != len(images):
            raise ValueError(f"labels has {len(labels)} entries for {len(images)} images")
        tensors.append(torch.from_numpy(np.asarray(labels, dtype=np.int64)))
    return tensors


def train_classifier(model: nn.Module, images: np.ndarray, labels: np.ndarray,
                     settings: TrainSettings = TrainSettings(),
                     test: tuple[np.ndarray, np.ndarray] | None = None,
                     desc: str = "training") -> Trained:
    """Train ``model`` on ``images`` (N, 1, 28, 28) in [0, 1] and integer ``labels`` (N,).

    Returns a :class:`Trained` whose history holds, per epoch, ``train_loss`` and
    ``train_accuracy`` (dropout off, on the first ``TRAIN_SCORED`` training images, to
    keep the bookkeeping cheap), ``learning_rate`` at the
    epoch's end and, with ``test``, ``test_loss`` and ``test_accuracy``. Losses are mean
    cross-entropy in nats. ``snapshots`` holds a copy of the weights after each cycle.
    """
    with small_model_threads():
        return _train(model, images, labels, settings, test, desc)


def _train(model: nn.Module, images: np.ndarray, labels: np.ndarray, settings: TrainSettings,
           test: tuple[np.ndarray, np.ndarray] | None, desc: str) -> Trained:
    torch.manual_seed(settings.seed)
    device = torch.device(device_name())
    model.to(device)
    inputs, targets = (tensor.to(device) for tensor in _as_tensors(images, labels))
    if settings.optimizer == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=settings.learning_rate)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=settings.learning_rate,
                                    momentum=0.9)
    batches = math.ceil(len(inputs) / settings.batch_size)
    total = settings.epochs * batches
    cycle_epochs = math.ceil(settings.epochs / settings.cycles)
    order_generator = torch.Generator().manual_seed(settings.seed)  # on the CPU
    result = Trained(model)
    step = 0
    for epoch in progress(range(settings.epochs), desc=desc):
        model.train()
        order = torch.randperm(len(inputs), generator=order_generator).to(device)
        for start in range(0, len(inputs), settings.batch_size):
            chosen = order[start:start + settings.batch_size]
            for group in optimizer.param_groups:
                group["lr"] = cyclic_cosine(step, total, settings.cycles,
                                            settings.learning_rate)
            loss = F.cross_entropy(model(inputs[chosen]), targets[chosen])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
        _record(result.history, "train", model, images[:TRAIN_SCORED], labels[:TRAIN_SCORED])
        if test is not None:
            _record(result.history, "test", model, *test)
        result.history.setdefault("learning_rate", []).append(optimizer.param_groups[0]["lr"])
        if (epoch + 1) % cycle_epochs == 0 or epoch + 1 == settings.epochs:
            result.snapshots.append(copy.deepcopy(model.state_dict()))
    model.eval()
    result.snapshots = [{name: value.cpu() for name, value in state.items()}
                        for state in result.snapshots]
    return result


def _record(history: dict, prefix: str, model: nn.Module, images, labels) -> None:
    probabilities = predict_proba(model, images)
    labels = np.asarray(labels)
    picked = probabilities[np.arange(len(labels)), labels]
    history.setdefault(f"{prefix}_loss", []).append(float(-np.log(picked + 1e-12).mean()))
    accuracy = float((probabilities.argmax(1) == labels).mean())
    history.setdefault(f"{prefix}_accuracy", []).append(accuracy)


def predict_proba(model: nn.Module, images: np.ndarray, passes: int | None = None,
                  seed: int = 0, batch_size: int = 1000) -> np.ndarray:
    """Return class probabilities for ``images`` (N, 1, 28, 28).

    With ``passes=None`` dropout is off and the result has shape (N, 10). With an integer
    ``passes`` dropout stays on, each pass draws new masks, and the result has shape
    (passes, N, 10): the samples of Monte Carlo dropout.
    """
    device = next(model.parameters()).device
    (inputs,) = _as_tensors(images)
    if passes is not None and passes < 1:
        raise ValueError(f"passes={passes!r} must be a positive number of passes or None")
    was_training = model.training
    model.eval()
    if passes is not None:
        for module in model.modules():
            if isinstance(module, nn.Dropout):
                module.train()
        torch.manual_seed(seed)
    outputs = []
    with torch.no_grad(), small_model_threads():
        for _ in range(passes or 1):
            chunks = [F.softmax(model(inputs[i:i + batch_size].to(device)), dim=1).cpu()
                      for i in range(0, len(inputs), batch_size)]
            outputs.append(torch.cat(chunks).numpy())
    model.train(was_training)
    return outputs[0] if passes is None else np.stack(outputs)
