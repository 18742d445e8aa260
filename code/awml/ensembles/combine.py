"""Combining the class probabilities of several models, and measuring the result.

Everything here works on numpy arrays of probabilities: ``(M, N, C)`` for M members (or
M stochastic passes), N examples and C classes. Scores use natural logarithms (nats).
"""

from __future__ import annotations

import numpy as np

EPSILON = 1e-12


def _check_stack(member_probabilities: np.ndarray) -> np.ndarray:
    stack = np.asarray(member_probabilities, dtype=np.float64)
    if stack.ndim != 3:
        raise ValueError(f"member_probabilities has shape {stack.shape}; expected (M, N, C)")
    return stack


def average_probabilities(member_probabilities: np.ndarray) -> np.ndarray:
    """Return the arithmetic mean over members, shape (N, C): the usual ensemble."""
    return _check_stack(member_probabilities).mean(axis=0)


def geometric_mean_probabilities(member_probabilities: np.ndarray) -> np.ndarray:
    """Return the renormalised geometric mean over members, shape (N, C)."""
    logs = np.log(_check_stack(member_probabilities) + EPSILON).mean(axis=0)
    logs -= logs.max(axis=1, keepdims=True)
    unnormalised = np.exp(logs)
    return unnormalised / unnormalised.sum(axis=1, keepdims=True)


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Return the fraction of examples whose most probable class is the label."""
    return float((np.asarray(probabilities).argmax(axis=-1) == np.asarray(labels)).mean())


def negative_log_likelihood(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Return the mean of -log p(label), in nats; lower is better."""
    probabilities = np.asarray(probabilities)
    picked = probabilities[np.arange(len(labels)), np.asarray(labels)]
    return float(-np.log(picked + EPSILON).mean())


def brier_score(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Return the mean squared distance to the one-hot label, summed over classes."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    one_hot = np.eye(probabilities.shape[1])[np.asarray(labels)]
    return float(((probabilities - one_hot) ** 2).sum(axis=1).mean())


def predictive_entropy(probabilities: np.ndarray) -> np.ndarray:
    """Return the entropy of each predictive distribution (N, C) -> (N,), in nats."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    return -(probabilities * np.log(probabilities + EPSILON)).sum(axis=-1)


def mutual_information(member_probabilities: np.ndarray) -> np.ndarray:
    """Return the members' disagreement per example, shape (N,), in nats.

    It is the entropy of the mean prediction minus the mean entropy of the members; it is
    zero when all members agree and grows as they disagree.
    """
    stack = _check_stack(member_probabilities)
    mean_entropy = predictive_entropy(stack).mean(axis=0)
    return predictive_entropy(stack.mean(axis=0)) - mean_entropy


def ensemble_curve(member_probabilities: np.ndarray, labels: np.ndarray,
                   rule: str = "mean") -> dict[str, list]:
    """Score the ensembles of the first 1, 2, ..., M members.

    ``rule`` is ``mean`` (average the probabilities) or ``geometric`` (average the log
    probabilities and renormalise). Returns lists of length M: ``size``, ``accuracy``,
    ``nll`` and ``brier`` of each combination, and ``member_accuracy`` of each member.
    """
    if rule not in ("mean", "geometric"):
        raise ValueError(f"rule={rule!r} is not one of mean, geometric")
    stack = _check_stack(member_probabilities)
    curve: dict[str, list] = {"size": [], "accuracy": [], "nll": [], "brier": [],
                              "member_accuracy": []}
    running = np.zeros_like(stack[0])
    for index, member in enumerate(stack):
        if rule == "mean":
            running += member
            mean = running / (index + 1)
        else:
            running += np.log(member + EPSILON)
            logs = running / (index + 1)
            mean = np.exp(logs - logs.max(axis=1, keepdims=True))
            mean /= mean.sum(axis=1, keepdims=True)
        curve["size"].append(index + 1)
        curve["accuracy"].append(accuracy(mean, labels))
        curve["nll"].append(negative_log_likelihood(mean, labels))
        curve["brier"].append(brier_score(mean, labels))
        curve["member_accuracy"].append(accuracy(member, labels))
    return curve

