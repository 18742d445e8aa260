"""Module 5 (ensembles): combining probabilities, MC dropout, classical ensembles, boxes."""

import numpy as np
import pytest

from awml.data.digit_transforms import displace_digits, rotate_digits, shifted_copies
from awml.data.toys import gaussian_circles, gaussian_circles_posterior
from awml.ensembles.combine import (accuracy, average_probabilities, brier_score,
                                    ensemble_curve, geometric_mean_probabilities,
                                    mutual_information, negative_log_likelihood)
from awml.ensembles.mc_dropout import accuracy_of_averages, selective_accuracy


def test_averages_of_two_members():
    members = np.array([[[0.9, 0.1]], [[0.5, 0.5]]])
    assert np.allclose(average_probabilities(members), [[0.7, 0.3]])
    geometric = geometric_mean_probabilities(members)
    assert np.allclose(geometric.sum(axis=1), 1)
    assert geometric[0, 0] == pytest.approx(0.75, abs=1e-6)  # sqrt(.45) / (sqrt(.45)+sqrt(.05))


def test_mutual_information_is_zero_for_agreement_and_log2_for_opposites():
    agree = np.array([[[0.3, 0.7]], [[0.3, 0.7]]])
    opposite = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])
    assert mutual_information(agree)[0] == pytest.approx(0.0, abs=1e-9)
    assert mutual_information(opposite)[0] == pytest.approx(np.log(2), abs=1e-6)


def test_ensemble_of_complementary_members_beats_each_member():
    labels = np.array([0, 1, 0, 1])
    first = np.array([[0.9, 0.1], [0.4, 0.6], [0.45, 0.55], [0.2, 0.8]])
    second = np.array([[0.8, 0.2], [0.55, 0.45], [0.9, 0.1], [0.3, 0.7]])
    curve = ensemble_curve(np.stack([first, second]), labels)
    assert curve["member_accuracy"] == [0.75, 0.75]
    assert curve["accuracy"][-1] == 1.0
    mean_member_nll = np.mean([negative_log_likelihood(first, labels),
                               negative_log_likelihood(second, labels)])
    averaged = average_probabilities(np.stack([first, second]))
    assert negative_log_likelihood(averaged, labels) < mean_member_nll  # Jensen
    assert brier_score(np.eye(2)[labels], labels) == 0.0


def test_combining_refuses_a_flat_array():
    with pytest.raises(ValueError, match="member_probabilities"):
        average_probabilities(np.ones((4, 10)))
    with pytest.raises(ValueError, match="rule"):
        ensemble_curve(np.ones((2, 3, 2)) / 2, np.zeros(3, int), rule="median")


def test_shifts_move_pixels_and_refuse_leaving_the_frame():
    images = np.zeros((1, 1, 5, 5), np.float32)
    images[0, 0, 2, 2] = 1
    moved = shifted_copies(images, [(0, 0), (1, -2)])
    assert moved[0, 0, 0, 2, 2] == 1 and moved[1, 0, 0, 3, 0] == 1
    with pytest.raises(ValueError, match="out of the frame"):
        shifted_copies(images, [(5, 0)])
    assert displace_digits(images, 1, seed=3).sum() == pytest.approx(1.0)


def test_rotation_by_180_degrees_flips_the_image():
    images = np.zeros((1, 1, 28, 28), np.float32)
    images[0, 0, 5, 9] = 1
    turned = rotate_digits(images, 180)
    assert turned[0, 0, 22, 18] == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(rotate_digits(images, 0), images)


def test_mc_helpers():
    labels = np.array([0, 1, 1])
    samples = np.array([[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]] * 4)
    assert np.allclose(accuracy_of_averages(samples, labels, passes=2, draws=5), 2 / 3)
    coverage, kept_accuracy = selective_accuracy(samples[0], labels, doubt=np.array([0, 1, 2]))
    assert np.allclose(coverage, [1 / 3, 2 / 3, 1]) and kept_accuracy[1] == 1.0
    assert accuracy(samples[0], labels) == pytest.approx(2 / 3)


def test_gaussian_circles_are_balanced_and_the_true_circle_is_best():
    points, labels = gaussian_circles(4000, overlap=0.3, seed=0)
    assert abs(labels.mean() - 0.5) < 0.03
    best = ((gaussian_circles_posterior(points)[:, 1] > 0.5) == labels).mean()
    assert 0.8 < best < 0.95
    with pytest.raises(ValueError, match="overlap"):
        gaussian_circles(10, overlap=-1)


def test_bagging_and_boosting_replays():
    from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
    from sklearn.tree import DecisionTreeClassifier

    from awml.ensembles.classic import (adaboost_weights, bagging_curve, staged_accuracy,
                                        staged_proba)

    points, labels = gaussian_circles(300, seed=1)
    test_points, test_labels = gaussian_circles(1000, seed=2)
    bagging = BaggingClassifier(DecisionTreeClassifier(), n_estimators=20,
                                random_state=0).fit(points, labels)
    curve = bagging_curve(bagging, test_points, test_labels)
    assert len(curve) == 20 and curve[-1] > curve[0]
    boosting = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=30,
                                  random_state=0).fit(points, labels)
    staged = staged_accuracy(boosting, test_points, test_labels)
    assert staged[-1] > staged[0] + 0.1  # one stump cannot draw a circle, thirty can
    weights = adaboost_weights(boosting, points, labels, rounds=1)
    wrong = boosting.estimators_[0].predict(points) != labels
    assert weights.sum() == pytest.approx(1.0) and weights[wrong].min() > weights[~wrong].max()
    with pytest.raises(ValueError, match="rounds"):
        staged_proba(boosting, points, rounds=31)
