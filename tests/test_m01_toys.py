"""Module 1: loss surfaces, optimizer paths, norm balls and robust line fits."""

import math

import numpy as np
import pytest

from awml.data.diabetes import corrupt_targets, load_bmi_progression
from awml.toys import penalties
from awml.toys.descent import distance_to_minimum, trajectory
from awml.toys.line_fit import fit_line
from awml.toys.surfaces import SURFACES, get_surface


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradients_match_finite_differences(name):
    surface = get_surface(name)
    point, step = np.array([0.3, -0.4]), 1e-6
    gradient = surface.grad(*point)
    for axis in range(2):
        shift = np.zeros(2)
        shift[axis] = step
        slope = (surface.f(*(point + shift)) - surface.f(*(point - shift))) / (2 * step)
        assert slope == pytest.approx(gradient[axis], rel=1e-5, abs=1e-8)


def test_momentum_beats_gradient_descent_in_the_banana_valley():
    surface = get_surface("rosenbrock")
    plain = trajectory(surface, "sgd", 0.01, 200)
    momentum = trajectory(surface, "momentum", 0.003, 200)
    assert distance_to_minimum(surface, momentum)[-1] < 0.2
    assert distance_to_minimum(surface, plain)[-1] > 0.2


def test_adam_first_step_has_the_length_of_the_learning_rate():
    points = trajectory(get_surface("ravine"), "adam", 0.25, 1)
    assert np.allclose(np.abs(points[1] - points[0]), 0.25)


def test_gradient_descent_diverges_above_the_stability_limit():
    ravine = get_surface("ravine")  # curvature 20 across the valley: stable below 0.1
    assert distance_to_minimum(ravine, trajectory(ravine, "sgd", 0.09, 100))[-1] < 1e-3
    runaway = trajectory(ravine, "sgd", 0.11, 300)
    assert runaway.shape == (301, 2) and np.all(np.isfinite(runaway))
    assert distance_to_minimum(ravine, runaway)[-1] > 100


def test_descent_refuses_bad_settings():
    ravine = get_surface("ravine")
    with pytest.raises(ValueError, match="nesterov"):
        trajectory(ravine, "nesterov", 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        trajectory(ravine, "sgd", -1.0)
    with pytest.raises(ValueError, match="beta"):
        trajectory(ravine, "sgd", 0.1, beta=0.9)
    with pytest.raises(ValueError, match="surface"):
        get_surface("bowl")


def test_l1_ball_puts_the_minimum_on_an_axis_and_l2_does_not():
    lasso = penalties.constrained_minimum(1, 1.0)
    ridge = penalties.constrained_minimum(2, 1.0)
    assert abs(lasso[1]) < 1e-3 and penalties.lp_norm(lasso, 1) == pytest.approx(1, abs=1e-3)
    assert abs(ridge[1]) > 0.05
    assert np.allclose(penalties.lp_norm(penalties.unit_ball(math.inf), math.inf), 1)


def test_robust_losses_resist_spoiled_labels_on_real_patients():
    patients = load_bmi_progression()
    assert len(patients.x) == 442
    spoiled, mask = corrupt_targets(patients.y, 0.1)
    assert mask.sum() == 44

    def level(loss, targets):
        intercept, slope = fit_line(patients.x, targets, loss, delta=40)
        return intercept + slope * patients.x.mean()

    mse_shift = level("mse", spoiled) - level("mse", patients.y)
    assert mse_shift > 50
    for loss in ("mae", "huber"):
        assert abs(level(loss, spoiled) - level(loss, patients.y)) < 0.3 * mse_shift
    with pytest.raises(ValueError, match="fraction"):
        corrupt_targets(patients.y, 1.5)
