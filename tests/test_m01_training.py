"""Module 1: the training loop, schedules, range test, early stopping and the studies."""

import numpy as np
import pytest
import torch

from awml.models.dense_net import dense_net, initialise, parameter_count
from awml.training.curves import digit_split, fit
from awml.training.early_stopping import early_stopping_epoch
from awml.training.schedules import (SCHEDULES, make_schedule, range_test, schedule_curve,
                                     suggest_learning_rate)


@pytest.fixture(scope="module")
def digits():
    return digit_split(600, 300, source="offline")


def test_digit_split_is_disjoint_and_refuses_too_many(digits):
    assert digits.train_x.shape == (600, 1, 28, 28) and digits.val_y.shape == (300,)
    assert set(digits.train_y.tolist()) == set(range(10))
    with pytest.raises(ValueError, match="n_train"):
        digit_split(4900, 200, source="offline")


def test_course_scale_request_shrinks_to_the_offline_digits(caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        scaled = digit_split(60000, 10000)  # the gpu configuration, run offline
    assert len(scaled.train_y) == 4285 and len(scaled.val_y) == 714
    assert "only 5000 are available" in caplog.text


def test_fit_beats_chance_and_records_curves(digits):
    history = fit(dense_net([784, 32, 10]), digits, epochs=2, learning_rate=0.1,
                  optimizer="momentum", evaluate_train=True)
    assert len(history["val_accuracy"]) == 2 and len(history["train_accuracy"]) == 2
    assert history["val_accuracy"][-1] > 0.6  # chance is 0.1
    assert len(history["step_loss"]) == 2 * 10  # 600 digits in batches of 64
    assert torch.get_num_threads() >= 1


def test_constant_weights_keep_hidden_units_identical(digits):
    model = initialise(dense_net([784, 16, 10]), "constant", value=0.01)
    fit(model, digits, epochs=1, learning_rate=0.1)
    assert model[1].weight.std(dim=0).max().item() < 1e-6
    assert parameter_count(model) == 784 * 16 + 16 + 16 * 10 + 10


def test_schedules_have_their_shapes():
    steps = 100
    curves = {name: schedule_curve(name, steps, 0.1) for name in SCHEDULES}
    assert np.allclose(curves["constant"], 0.1)
    assert curves["cosine"][0] == pytest.approx(0.1) and curves["cosine"][-1] < 1e-3
    assert curves["warmup_cosine"][0] < 0.01 and curves["warmup_cosine"].max() == pytest.approx(0.1)
    assert len(np.unique(curves["step"].round(8))) == 3
    peak = int(np.argmax(curves["one_cycle"]))
    assert 20 < peak < 40 and curves["one_cycle"][-1] < curves["one_cycle"][0]
    with pytest.raises(ValueError, match="schedule"):
        make_schedule("exponential")


def test_range_test_stops_when_the_loss_explodes(digits):
    torch.manual_seed(0)
    test = range_test(dense_net([784, 32, 10]), digits.train_x, digits.train_y,
                      lr_min=1e-4, lr_max=100.0, steps=80, optimizer="momentum")
    assert len(test["lr"]) < 80  # stopped early
    assert 1e-3 < suggest_learning_rate(test) < test["lr"][-1]
    with pytest.raises(ValueError, match="lr_min"):
        range_test(dense_net([784, 10]), digits.train_x, digits.train_y, lr_min=1.0, lr_max=0.1)


def test_early_stopping_keeps_the_best_epoch():
    assert early_stopping_epoch([1.0, 0.8, 0.7, 0.75, 0.9, 0.95, 1.1], patience=3) == (3, 6)
    assert early_stopping_epoch([3.0, 2.0, 1.0], patience=2) == (3, 3)
    with pytest.raises(ValueError, match="patience"):
        early_stopping_epoch([1.0], patience=0)


@pytest.mark.parametrize("module", ["optimizers", "batchnorm", "schedules"])
def test_studies_run_in_the_smoke_profile(module):
    import importlib

    from awml.runs import run_or_load

    study = importlib.import_module(f"awml.studies.{module}")
    run = run_or_load(f"test-m01-{module}", study.CONFIGS, study.compute)
    assert run.profile == "smoke" and run.metrics
    assert all(0.0 <= value <= 1.0 for value in run.metrics.values())
    assert all(key.count("/") == 1 for key in run.history)


def test_wrong_batchnorm_mode_hurts_sorted_batches(digits):
    from awml.studies.batchnorm import accuracy_with_batches

    model = dense_net([784, 32, 10], batchnorm=True)
    fit(model, digits, epochs=2, learning_rate=0.1)
    right = accuracy_with_batches(model, digits.val_x, digits.val_y, 10, True, False)
    wrong = accuracy_with_batches(model, digits.val_x, digits.val_y, 10, True, True)
    assert right > 0.6 and wrong < right - 0.3
    assert accuracy_with_batches(model, digits.val_x, digits.val_y, 50, False, False) == right
