"""Looking inside scikit-learn's bagging and AdaBoost ensembles, member by member.

scikit-learn fits the ensembles; these helpers replay them one member at a time, so a page
can show how accuracy and decision regions change as members are added, and which
training points AdaBoost weighs most after a given number of rounds.
"""

from __future__ import annotations

import numpy as np


def bagging_curve(bagging, points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return the accuracy (M,) of the average of the first 1..M members of ``bagging``.

    ``bagging`` is a fitted ``BaggingClassifier`` or ``RandomForestClassifier`` whose
    members see all features (probabilities are averaged, as scikit-learn does).
    """
    members = bagging.estimators_
    running = np.zeros((len(points), len(bagging.classes_)))
    scores = np.empty(len(members))
    for index, member in enumerate(members):
        running += member.predict_proba(points)
        scores[index] = (bagging.classes_[running.argmax(axis=1)] == labels).mean()
    return scores


def staged_accuracy(booster, points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return the accuracy (rounds,) of a fitted AdaBoost after each boosting round."""
    return np.array([(stage == labels).mean() for stage in booster.staged_predict(points)])


def staged_proba(booster, points: np.ndarray, rounds: int) -> np.ndarray:
    """Return AdaBoost's class probabilities (N, 2) using only its first ``rounds`` rounds."""
    if not 1 <= rounds <= len(booster.estimators_):
        raise ValueError(f"rounds={rounds!r} must lie between 1 and "
                         f"{len(booster.estimators_)}, the rounds fitted")
    for stage, probabilities in enumerate(booster.staged_predict_proba(points), start=1):
        if stage == rounds:
            return probabilities
    raise AssertionError("unreachable: staged_predict_proba yields one array per round")


def adaboost_weights(booster, points: np.ndarray, labels: np.ndarray, rounds: int
                     ) -> np.ndarray:
    """Return the training-point weights (N,) that AdaBoost uses in round ``rounds + 1``.

    The weights are replayed from the fitted members: start uniform, multiply the weight
    of every point member m gets wrong by exp(alpha_m), renormalise (scikit-learn's
    two-class SAMME update). Hard points near the boundary grow heavy.
    """
    weights = np.full(len(points), 1.0 / len(points))
    fitted = zip(booster.estimators_[:rounds], booster.estimator_weights_[:rounds])
    for member, alpha in fitted:
        wrong = member.predict(points) != labels
        weights *= np.exp(alpha * wrong)
        weights /= weights.sum()
    return weights
