"""Training and scoring binary classifiers, with class balance and the usual metrics.

Inputs come through a function ``inputs_for(indices) -> tensor`` rather than a fixed
tensor, so the same loop serves cached features, augmented images and frozen trunks.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch
from torch import nn

from awml.progress import progress

InputsFor = Callable[[np.ndarray], torch.Tensor]


def positive_weight(labels: np.ndarray) -> float:
    """Return negatives / positives: the loss weight that balances the two classes."""
    labels = np.asarray(labels)
    positives = int((labels == 1).sum())
    if positives == 0 or positives == len(labels):
        raise ValueError(f"labels hold one class only ({positives} of {len(labels)} positive)")
    return (len(labels) - positives) / positives


def train_binary(model: nn.Module, inputs_for: InputsFor, labels: np.ndarray, *,
                 epochs: int, batch_size: int, learning_rate: float, seed: int = 0,
                 weight_decay: float = 1e-4, device: str = "cpu", desc: str = "train",
                 show_progress: bool = True) -> dict[str, list[float]]:
    """Train ``model`` (logits of shape (N,)) with AdamW, a cosine schedule, balanced BCE.

    Each epoch visits every index once in a random order. Returns the history with
    ``train_loss`` per epoch (mean balanced binary cross-entropy, nats).
    """
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs={epochs}, batch_size={batch_size}; expected both >= 1")
    labels = np.asarray(labels)
    generator = np.random.default_rng(seed)
    model.to(device).train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=learning_rate, weight_decay=weight_decay)
    batches = math.ceil(len(labels) / batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / (epochs * batches))))
    loss_fn = nn.BCEWithLogitsLoss(
        pos_weight=torch.tensor(positive_weight(labels), device=device))
    targets = torch.as_tensor(labels, dtype=torch.float32)
    history: dict[str, list[float]] = {"train_loss": []}
    epochs_bar = progress(range(epochs), desc=desc, unit="epoch", disable=not show_progress)
    for _ in epochs_bar:
        order = generator.permutation(len(labels))
        total = 0.0
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            logits = model(inputs_for(chosen).to(device))
            loss = loss_fn(logits, targets[chosen].to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(chosen)
        history["train_loss"].append(total / len(order))
    model.eval()
    return history


def predict_probabilities(model: nn.Module, inputs_for: InputsFor, count: int,
                          batch_size: int = 64, device: str = "cpu") -> np.ndarray:
    """Return the model's probability of class 1 for indices 0..count-1, float64 (count,)."""
    model.to(device).eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, count, batch_size):
            chosen = np.arange(start, min(start + batch_size, count))
            outputs.append(torch.sigmoid(model(inputs_for(chosen).to(device))).cpu().numpy())
    return np.concatenate(outputs).astype(np.float64) if outputs else np.zeros(0)


def binary_metrics(probabilities: np.ndarray, labels: np.ndarray, threshold: float = 0.5
                   ) -> dict[str, float]:
    """Return accuracy, ROC AUC and balanced accuracy at ``threshold`` (fractions in [0, 1]).

    ROC AUC is NaN when ``labels`` hold one class only.
    """
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score

    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    if probabilities.shape != labels.shape:
        raise ValueError(f"probabilities {probabilities.shape} and labels {labels.shape} differ")
    predictions = (probabilities >= threshold).astype(int)
    two_classes = len(np.unique(labels)) == 2
    return {
        "accuracy": float((predictions == labels).mean()),
        "balanced_accuracy": float(balanced_accuracy_score(labels, predictions)),
        "roc_auc": float(roc_auc_score(labels, probabilities)) if two_classes else math.nan,
    }


def confusion(probabilities: np.ndarray, labels: np.ndarray, threshold: float = 0.5
              ) -> np.ndarray:
    """Return the 2 by 2 confusion matrix: rows true class (0, 1), columns predicted."""
    from sklearn.metrics import confusion_matrix

    predictions = (np.asarray(probabilities) >= threshold).astype(int)
    return confusion_matrix(np.asarray(labels), predictions, labels=[0, 1])


def most_confident_mistakes(probabilities: np.ndarray, labels: np.ndarray, count: int = 6,
                            threshold: float = 0.5) -> np.ndarray:
    """Return indices of up to ``count`` mistakes, the most confidently wrong first."""
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    wrong = np.flatnonzero((probabilities >= threshold).astype(int) != labels)
    confidence = np.abs(probabilities[wrong] - labels[wrong])
    return wrong[np.argsort(-confidence, kind="stable")][:count]
