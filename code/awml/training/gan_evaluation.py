"""Scoring generated digits without a likelihood: a judge network and its features.

A small classifier (the "judge") is trained on real MNIST training digits. Its class
probabilities give an Inception-score analogue and the class balance of a generator; its
last hidden layer gives features for a Frechet distance and for k-nearest-neighbour
precision and recall. The same recipe, with an ImageNet network as the judge, gives the
Inception score and the FID used for natural images.
"""

from __future__ import annotations

import numpy as np
import torch

from awml.models.digit_classifiers import ClassifierShape, DigitMLP
from awml.training.classifiers import TrainSettings, predict_proba, train_classifier
from awml.training.threads import small_model_threads


def train_judge(images: np.ndarray, labels: np.ndarray, epochs: int = 10, hidden: int = 256,
                seed: int = 0) -> DigitMLP:
    """Train the judge, a DigitMLP with two ``hidden``-unit layers, on real digits."""
    torch.manual_seed(seed)
    model = DigitMLP(ClassifierShape(hidden=hidden, dropout=0.2))
    return train_classifier(model, images, labels, TrainSettings(epochs=epochs, seed=seed),
                            desc="judge").model


def judge_features(judge: DigitMLP, images: np.ndarray) -> np.ndarray:
    """Return the judge's last hidden activations for ``images``: (N, hidden) float64."""
    body = judge.net[:-1]  # everything but the final linear layer
    body.eval()
    with torch.no_grad(), small_model_threads():
        return body(torch.as_tensor(np.asarray(images, dtype=np.float32))).double().numpy()


def judge_probabilities(judge: DigitMLP, images: np.ndarray) -> np.ndarray:
    """Return the judge's class probabilities for ``images``: (N, 10)."""
    return predict_proba(judge, np.asarray(images, dtype=np.float32))


def inception_score(probabilities: np.ndarray) -> float:
    """Return exp(mean KL(p(y|x) || p(y))): between 1 (useless) and the number of classes.

    It is high when each image is classified confidently and the classes are balanced.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64) + 1e-12
    marginal = probabilities.mean(axis=0, keepdims=True)
    divergence = (probabilities * (np.log(probabilities) - np.log(marginal))).sum(axis=1)
    return float(np.exp(divergence.mean()))


def frechet_distance(first: np.ndarray, second: np.ndarray) -> float:
    """Return the Frechet distance between Gaussians fitted to two feature sets (N, d).

    ||mu_1 - mu_2||^2 + trace(S_1 + S_2 - 2 (S_1 S_2)^(1/2)); 0 for identical statistics.
    """
    from scipy.linalg import sqrtm
    from threadpoolctl import threadpool_limits

    if first.shape[1] != second.shape[1]:
        raise ValueError(f"feature sizes differ: {first.shape[1]} and {second.shape[1]}")
    mean_gap = first.mean(axis=0) - second.mean(axis=0)
    ridge = 1e-6 * np.eye(first.shape[1])  # dead units have zero variance; keep S invertible
    cov_first = np.cov(first, rowvar=False) + ridge
    cov_second = np.cov(second, rowvar=False) + ridge
    with threadpool_limits(1):  # small matrices: one thread is faster than two competing
        root = sqrtm(cov_first @ cov_second)
    root = root.real if np.iscomplexobj(root) else root
    return float(mean_gap @ mean_gap + np.trace(cov_first + cov_second - 2 * root))


def _knn_radii(points: np.ndarray, k: int) -> np.ndarray:
    from scipy.spatial.distance import cdist

    return np.sort(cdist(points, points), axis=1)[:, k]  # column 0 is the point itself


def precision_recall(real: np.ndarray, generated: np.ndarray, k: int = 3
                     ) -> tuple[float, float]:
    """Return k-nearest-neighbour precision and recall of ``generated`` against ``real``.

    Precision: share of generated points inside the real manifold (within the k-NN radius
    of some real point). Recall: share of real points inside the generated manifold.
    """
    from scipy.spatial.distance import cdist

    def inside(points: np.ndarray, support: np.ndarray) -> float:
        radii = _knn_radii(support, k)
        return float((cdist(points, support) <= radii[None]).any(axis=1).mean())

    return inside(generated, real), inside(real, generated)


def nearest_neighbours(queries: np.ndarray, references: np.ndarray) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Return the index (Q,) and pixel distance (Q,) of each query's nearest reference."""
    flat_queries = queries.reshape(len(queries), -1).astype(np.float64)
    flat_references = references.reshape(len(references), -1).astype(np.float64)
    squared = ((flat_queries ** 2).sum(1)[:, None] - 2 * flat_queries @ flat_references.T
               + (flat_references ** 2).sum(1)[None])
    index = squared.argmin(axis=1)
    return index, np.sqrt(np.maximum(squared[np.arange(len(index)), index], 0))
