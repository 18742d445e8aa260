"""Reading Monte Carlo dropout samples: accuracy spread, uncertainty and abstention.

``samples`` are class probabilities from stochastic passes, shape (T, N, C); the
functions here summarise them. Drawing the samples is ``predict_proba(..., passes=T)``
in ``awml.training.classifiers``.
"""

from __future__ import annotations

import numpy as np

from awml.ensembles.combine import mutual_information, predictive_entropy


def accuracy_of_averages(samples: np.ndarray, labels: np.ndarray, passes: int,
                         draws: int = 200, seed: int = 0) -> np.ndarray:
    """Return the accuracies (draws,) of MC averages over ``passes`` random passes.

    Each draw picks ``passes`` of the T stochastic passes (with replacement), averages
    their probabilities and scores the average: the spread shows how much an MC-dropout
    answer with that many passes varies.
    """
    samples = np.asarray(samples)
    if samples.ndim != 3:
        raise ValueError(f"samples have shape {samples.shape}; expected (T, N, C)")
    if passes < 1:
        raise ValueError(f"passes={passes!r} must be at least 1")
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    scores = np.empty(draws)
    for draw in range(draws):
        chosen = rng.integers(0, len(samples), passes)
        scores[draw] = (samples[chosen].mean(axis=0).argmax(axis=1) == labels).mean()
    return scores


def uncertainty(samples: np.ndarray) -> dict[str, np.ndarray]:
    """Return per-example ``entropy`` of the mean prediction, ``expected_entropy`` of the
    passes, ``mutual_information`` (their difference) and ``max_probability``, each (N,).
    """
    mean = np.asarray(samples).mean(axis=0)
    return {
        "entropy": predictive_entropy(mean),
        "expected_entropy": predictive_entropy(samples).mean(axis=0),
        "mutual_information": mutual_information(samples),
        "max_probability": mean.max(axis=1),
    }


def selective_accuracy(probabilities: np.ndarray, labels: np.ndarray, doubt: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Return (coverage, accuracy): accuracy on the examples kept when the most doubtful
    are set aside, for every coverage from one example to all of them.

    ``doubt`` (N,) ranks the examples; higher means set aside first.
    """
    probabilities, labels = np.asarray(probabilities), np.asarray(labels)
    if len(doubt) != len(labels):
        raise ValueError(f"doubt has {len(doubt)} entries for {len(labels)} labels")
    order = np.argsort(doubt, kind="stable")
    correct = (probabilities.argmax(axis=1) == labels)[order]
    kept = np.arange(1, len(labels) + 1)
    return kept / len(labels), np.cumsum(correct) / kept
