"""Lab 3: real hourly stations split by time, the course panel's format, baselines, smoke run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from awml.data import weather as data
from awml.labs import weather, weather_report
from awml.models.forecast_baselines import LinearForecaster, SeasonalMean, persistence
from awml.training.forecasting import WindowScaler, predict
from awml.training.regression_metrics import forecast_metrics


@pytest.fixture(scope="module")
def panel():
    return data.offline_panel()


def test_stations_are_real_hourly_years():
    miami = data.load_station("Miami FL")
    assert len(miami) == 8760 and list(miami.columns) == list(data.FEATURES)
    assert 15 < miami["temperature"].mean() < 30  # tenths of a degree converted
    assert miami.index.freq == "h"
    with pytest.raises(ValueError, match="city='Paris'"):
        data.load_station("Paris")


def test_splits_are_by_time_and_windows_stay_inside(panel):
    assert panel["train"].start.max() < panel["validate"].start.min()
    assert panel["validate"].start.max() < panel["test"].start.min()
    last_train_target = panel["train"].start.max() + np.timedelta64(23, "h")
    first_test_input = panel["test"].start.min() - np.timedelta64(24, "h")
    assert last_train_target < first_test_input
    assert panel["train"].inputs.shape[1:] == (24, 8) and panel["train"].targets.shape[1] == 24
    score_hours = pd.DatetimeIndex(panel["score"].start).hour
    assert (score_hours == 0).all() and len(panel["score"]) == 3 * 91


def test_the_scaler_sees_only_training_windows(panel):
    scaler = WindowScaler.fit(panel["train"].inputs, observed=4)
    scaled = scaler.windows(panel["train"].inputs)
    assert np.allclose(scaled[:, :, :4].reshape(-1, 4).mean(axis=0, dtype=np.float64), 0, atol=1e-4)
    assert np.allclose(scaled[:, :, 4:], panel["train"].inputs[:, :, 4:], atol=1e-6)
    test_scaled = scaler.windows(panel["test"].inputs)[:, :, 0]
    assert test_scaled.mean() < -0.3  # autumn is colder than January to August


def test_linear_model_beats_persistence_and_seasonal_mean(panel):
    truth = panel["test"].targets
    rmse = {name: forecast_metrics(forecast, truth)["rmse"] for name, forecast in {
        "persistence": persistence(panel["test"]),
        "seasonal": SeasonalMean.fit(panel["train"]).predict(panel["test"]),
        "linear": LinearForecaster.fit(panel["train"], panel["validate"]).predict(panel["test"]),
    }.items()}
    assert rmse["linear"] < 0.85 * rmse["persistence"] < rmse["seasonal"], rmse


def test_metrics_are_right_on_known_values():
    truth = np.array([[1.0, 2.0], [3.0, 4.0]])
    scores = forecast_metrics(np.array([[1.0, 2.0], [3.0, 6.0]]), truth)
    assert scores["mse"] == pytest.approx(1.0) and scores["bias"] == pytest.approx(0.5)
    assert scores["mae"] == pytest.approx(0.5) and scores["r2"] == pytest.approx(1 - 1 / 1.25)
    per_hour = forecast_metrics(np.zeros((3, 2)), np.array([[1.0, 0], [1, 0], [1, 0]]), axis=0)
    assert per_hour["rmse"].tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="differ"):
        forecast_metrics(np.zeros(3), np.zeros(4))


def test_panel_round_trips_through_parquet_and_s3(panel, tmp_path):
    import boto3
    from moto import mock_aws

    small = {"train": panel["train"].subset(np.arange(5)),
             "test": panel["test"].subset(np.arange(3)), "score": panel["score"].subset([0, 1])}
    folder = data.write_panel(small, tmp_path / "panel")
    again = data.read_panel(folder)
    order = np.lexsort((np.arange(5), np.array(small["train"].cities)[small["train"].city]))
    assert np.allclose(again["train"].inputs, small["train"].inputs[order])
    assert again["score"].targets is None and again["test"].targets.shape == (3, 24)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="course")
        for split in small:
            s3.upload_file(str(folder / f"{split}.parquet"), "course", f"weather/{split}.parquet")
        from_s3 = data.read_panel("s3://course/weather")
    assert np.allclose(from_s3["test"].targets, again["test"].targets)
    with pytest.raises(ValueError, match="has no train.parquet"):
        data.read_panel(tmp_path)
    frame = pd.read_parquet(folder / "test.parquet").drop(columns="pressure")
    frame.to_parquet(folder / "test.parquet")
    with pytest.raises(ValueError, match=r"lacks columns \['pressure'\]"):
        data.read_panel(folder)


@pytest.fixture(scope="module")
def smoke_run():
    return weather.weather_run(show=False)


def test_smoke_run_forecasts_and_submits(smoke_run, tmp_path):
    assert smoke_run.profile == "smoke" and smoke_run.extra["source"].startswith("offline")
    table = weather_report.metrics_table(smoke_run)
    assert list(table.index) == list(weather.MODELS) and table["rmse"].notna().all()
    assert smoke_run.arrays["ablation_test_rmse"].shape == (2, 2, 1)
    assert weather_report.horizon_table(smoke_run).shape == (5, 5)
    per_hour = weather_report.horizon_metrics(smoke_run, "linear")
    assert list(per_hour.columns) == ["mse", "rmse", "mae", "bias", "r2"] and len(per_hour) == 5
    with pytest.raises(ValueError, match="model='GRU' is not one of"):
        weather_report.horizon_metrics(smoke_run, "GRU")
    path = weather_report.write_forecast_submission(smoke_run, folder=tmp_path)
    frame = pd.read_parquet(path)
    assert list(frame.columns) == ["temperature"] and len(frame) == 273 * 24
    assert frame["temperature"].between(*weather_report.TEMPERATURE_RANGE).all()


def test_stored_weights_rebuild_the_lstm(smoke_run, panel):
    model = weather.model_from_run(smoke_run)
    scaler = WindowScaler(tuple(smoke_run.extra["scaler_mean"]),
                          tuple(smoke_run.extra["scaler_std"]))
    forecast = scaler.untarget(predict(model, scaler.windows(panel["test"].inputs)))
    assert np.allclose(forecast, smoke_run.arrays["test_lstm"], atol=1e-3)
