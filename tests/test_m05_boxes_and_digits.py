"""Module 5 (ensembles): detector fusion on the bus photo, and the digit ensembles."""

import numpy as np
import pytest

from awml.ensembles.boxes import (BUS_TRUTH, Boxes, average_precision, box_iou, bus_detections,
                                  fuse, match, repeated_trials, simulate_detector)


def test_iou_of_known_boxes():
    assert box_iou([0, 0, 10, 10], [5, 0, 15, 10])[0, 0] == pytest.approx(1 / 3)
    assert box_iou([0, 0, 10, 10], [20, 20, 30, 30])[0, 0] == 0.0


def test_boxes_refuse_swapped_corners():
    with pytest.raises(ValueError, match="x2 > x1"):
        Boxes([[10, 0, 0, 10]], [0.5], [0])


def test_wbf_averages_by_score_and_nms_keeps_the_best():
    first = Boxes([[100, 50, 200, 350]], [0.9], [0])
    second = Boxes([[110, 60, 220, 370]], [0.6], [0])
    fused = fuse([first, second], "wbf", iou_thr=0.5)
    assert np.allclose(fused.boxes[0], [104, 54, 208, 358], atol=0.5)
    assert fused.scores[0] == pytest.approx(0.75, abs=1e-3)
    kept = fuse([first, second], "nms", iou_thr=0.5)
    assert len(kept) == 1 and np.allclose(kept.boxes[0], [100, 50, 200, 350], atol=0.5)
    with pytest.raises(ValueError, match="method"):
        fuse([first], "vote")


def test_wbf_fits_the_bus_scene_better_than_either_detector():
    detections = bus_detections()
    fused = fuse(list(detections.values()), "wbf")
    wbf_iou = match(fused, BUS_TRUTH)[1]
    for detector in detections.values():
        assert wbf_iou.mean() > match(detector, BUS_TRUTH)[1].mean()
    assert average_precision(fused, BUS_TRUTH, 0.75) > average_precision(
        fuse(list(detections.values()), "nms"), BUS_TRUTH, 0.75) - 1e-9
    assert average_precision(BUS_TRUTH, BUS_TRUTH) == pytest.approx(1.0)


def test_simulated_detectors_are_reproducible_and_fusion_helps_on_average():
    first = simulate_detector(BUS_TRUTH, np.random.default_rng(4))
    again = simulate_detector(BUS_TRUTH, np.random.default_rng(4))
    assert np.array_equal(first.boxes, again.boxes)
    results = repeated_trials(BUS_TRUTH, trials=40, seed=1)
    assert results["wbf"]["mean_iou"].mean() > results["nms"]["mean_iou"].mean()
    assert results["wbf"]["ap50"].mean() > max(results["A"]["ap50"].mean(),
                                               results["B"]["ap50"].mean())


def test_cyclic_cosine_restarts():
    from awml.training.classifiers import cyclic_cosine

    rates = [cyclic_cosine(step, 100, 4, 0.1) for step in range(100)]
    assert rates[0] == rates[25] == rates[50] == pytest.approx(0.1)
    assert rates[24] < 0.001


def test_smoke_digit_runs_beat_chance_and_keep_their_shapes():
    from awml.ensembles.digit_runs import (DROPOUT_CONFIGS, ENSEMBLE_CONFIGS, dropout_network,
                                           dropout_run, ensembles_run)
    from awml.training.classifiers import TrainSettings, predict_proba

    run = dropout_run(show=False)
    assert set(run.weights) == {f"p={rate:g}" for rate in DROPOUT_CONFIGS["smoke"].rates}
    network = dropout_network(run, 0.5)
    images = np.random.default_rng(0).random((7, 1, 28, 28), dtype=np.float32)
    assert predict_proba(network, images, passes=3).shape == (3, 7, 10)
    with pytest.raises(ValueError, match="rate"):
        dropout_network(run, 0.3)

    ensembles = ensembles_run(show=False)
    members = ENSEMBLE_CONFIGS["smoke"].members
    labels = ensembles.arrays["labels"]
    assert ensembles.arrays["seed_members"].shape == (members, len(labels), 10)
    chance = np.bincount(labels).max() / len(labels)
    assert (ensembles.arrays["seed_members"].mean(0).argmax(1) == labels).mean() > chance
    with pytest.raises(ValueError, match="cycles"):
        TrainSettings(epochs=2, cycles=3)
