"""Module 3 (recurrent networks): trained runs and probabilistic forecasting."""

import numpy as np
import pytest
import torch

from awml.models.forecaster import GRUForecaster
from awml.training.probabilistic import (calibration, coverage, gaussian_nll,
                                         gaussian_quantiles, pinball_loss, rmse)


def test_pinball_loss_is_smallest_at_the_quantile():
    targets = np.random.default_rng(0).exponential(size=(4000, 1))
    candidates = np.linspace(0, 4, 401)
    losses = [pinball_loss(np.full((4000, 1, 1), c), targets, [0.9]) for c in candidates]
    best = candidates[int(np.argmin(losses))]
    assert best == pytest.approx(np.quantile(targets, 0.9), abs=0.05)
    with pytest.raises(ValueError, match="quantiles"):
        pinball_loss(np.zeros((2, 3, 2)), np.zeros((2, 3)), [0.5])


def test_gaussian_scores_agree_between_numpy_and_torch():
    mean, scale, target = np.zeros((5, 2)), np.full((5, 2), 2.0), np.ones((5, 2))
    expected = np.log(2) + 1 / 8 + 0.5 * np.log(2 * np.pi)
    assert gaussian_nll(mean, scale, target) == pytest.approx(expected)
    as_torch = gaussian_nll(*(torch.tensor(a) for a in (mean, scale, target)))
    assert float(as_torch) == pytest.approx(expected)
    draws = np.random.default_rng(1).normal(size=(20000, 1))
    bands = gaussian_quantiles(np.zeros((20000, 1)), np.ones((20000, 1)), [0.1, 0.5, 0.9])
    assert coverage(bands[..., 0], bands[..., 2], draws) == pytest.approx(0.8, abs=0.02)
    assert np.allclose(calibration(bands, draws), [0.1, 0.5, 0.9], atol=0.02)
    assert rmse(np.ones(4), np.zeros(4)) == 1.0


def test_quantile_head_never_crosses():
    torch.manual_seed(0)
    model = GRUForecaster(3, 8, horizon=5, head="quantile", quantiles=(0.1, 0.5, 0.9))
    output = model(torch.randn(16, 7, 3))
    assert output.shape == (16, 5, 3) and (output.diff(dim=-1) > 0).all()
    mean, scale = GRUForecaster(3, 8, 5, head="gaussian")(torch.randn(4, 7, 3))
    assert (scale > 0).all() and mean.shape == (4, 5)
    with pytest.raises(ValueError, match="head"):
        GRUForecaster(3, 8, 5, head="median")
    with pytest.raises(ValueError, match="increasing"):
        GRUForecaster(3, 8, 5, head="quantile", quantiles=(0.9, 0.1))


def test_smoke_memory_and_reversal_runs():
    from awml.training.sequence_runs import memory_run, reversal_run, trained_memory_model

    memory = memory_run(show=False)
    assert set(memory.history) == {"rnn", "gru", "lstm"}
    assert trained_memory_model(memory, "lstm")(torch.zeros(2, 12, 2)).shape == (2,)
    with pytest.raises(ValueError, match="kind"):
        trained_memory_model(memory, "transformer")
    reversal = reversal_run(show=False)
    assert reversal.arrays["weights"].shape[-2:] == (8, 8)
    assert np.allclose(reversal.arrays["weights"].sum(-1), 1, atol=1e-5)
    assert reversal.history["loss"][-1] < reversal.history["loss"][0]


def test_smoke_forecasters_beat_a_constant_forecast():
    from awml.training.forecast_runs import forecast_panel, forecast_run

    run = forecast_run(("point", "quantile"), show=False)
    panel, _ = forecast_panel(run.manifest["config"]["train_stride"])
    test = panel["test"]
    assert run.arrays["point"].shape == test.targets.shape
    constant = np.full_like(test.targets, panel["train"].targets.mean())
    assert rmse(run.arrays["point"], test.targets) < 0.7 * rmse(constant, test.targets)
    assert (np.diff(run.arrays["quantiles"], axis=-1) > 0).all()
