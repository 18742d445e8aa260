"""Lab 3's tables, figures and submission, read off a stored ``weather`` run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from awml.labs.parquet_submission import write_submission
from awml.labs.weather import MODELS, SLUGS, SUBMISSION
from awml.paths import outputs_dir
from awml.runs import Run
from awml.training.intervals import mean_interval
from awml.training.regression_metrics import forecast_metrics

TEMPERATURE_RANGE = (-90.0, 60.0)  # degrees C: any forecast outside is refused


def metrics_table(run: Run):
    """Return the test metrics of every model (rows), with RMSE relative to persistence."""
    import pandas as pd

    rows = {name: {metric: run.metrics[f"{name}/{metric}"]
                   for metric in ("rmse", "mse", "mae", "bias", "r2")} for name in MODELS}
    frame = pd.DataFrame(rows).T
    frame["rmse vs persistence"] = frame["rmse"] / frame.loc["persistence", "rmse"] - 1
    return frame.round(3)


def horizon_rmse(run: Run) -> dict[str, np.ndarray]:
    """Return each model's test RMSE per horizon hour: name -> (24,) in degrees C."""
    truth = run.arrays["test_truth"]
    return {name: forecast_metrics(run.arrays[f"test_{SLUGS[name]}"], truth, axis=0)["rmse"]
            for name in MODELS}


def horizon_table(run: Run, hours=(1, 3, 6, 12, 24)):
    """Return the test RMSE of every model at chosen horizon hours (1 = the next hour)."""
    import pandas as pd

    errors = horizon_rmse(run)
    return pd.DataFrame({f"hour {hour}": {name: values[hour - 1]
                                          for name, values in errors.items()}
                         for hour in hours}).round(2)


def horizon_metrics(run: Run, model: str, hours=(1, 3, 6, 12, 24)):
    """Return every metric of one model at chosen horizon hours (rows), on the test set."""
    import pandas as pd

    if model not in SLUGS:
        raise ValueError(f"model={model!r} is not one of {', '.join(MODELS)}")
    scores = forecast_metrics(run.arrays[f"test_{SLUGS[model]}"], run.arrays["test_truth"],
                              axis=0)
    frame = pd.DataFrame({metric: values[np.asarray(hours) - 1]
                          for metric, values in scores.items()},
                         index=pd.Index([f"hour {hour}" for hour in hours], name=model))
    return frame.round(3)


def ablation_table(run: Run, confidence: float = 0.95):
    """Return the test RMSE of the pre-training ablation: mean over seeds with an interval.

    Rows are the share of labels; columns say whether the LSTM was pre-trained, and the
    last column is the paired difference (pre-trained minus not) with its interval.
    """
    import pandas as pd

    errors = run.arrays["ablation_test_rmse"]  # (fractions, [scratch, pre-trained], seeds)
    rows = {}
    for row, fraction in enumerate(run.extra["fractions"]):
        entry = {}
        for column, label in enumerate(("from scratch", "pre-trained")):
            mean, low, high = mean_interval(errors[row, column], confidence)
            entry[label] = f"{mean:.3f} [{low:.3f}, {high:.3f}]"
        mean, low, high = mean_interval(errors[row, 1] - errors[row, 0], confidence)
        entry["difference"] = f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]"
        rows[f"{fraction:.0%} of labels"] = entry
    frame = pd.DataFrame(rows).T
    frame.columns.name = f"test RMSE (C), mean over {errors.shape[2]} seeds, {confidence:.0%}"
    return frame


def forecast_samples(run: Run, count: int = 4, seed: int = 0) -> list[dict]:
    """Return ``count`` random test samples: city, past 24 h, truth and each model's forecast."""
    rng = np.random.default_rng(seed)
    cities = run.extra["cities"]
    picked = rng.choice(len(run.arrays["test_truth"]), count, replace=False)
    return [{"city": cities[int(run.arrays["test_city"][i])],
             "start": str(run.arrays["test_start"][i])[:16].replace("T", " "),
             "past": run.arrays["test_persistence"][i],  # the observed last 24 hours
             "truth": run.arrays["test_truth"][i],
             "forecasts": {name: run.arrays[f"test_{SLUGS[name]}"][i]
                           for name in ("linear", run.extra["submitted"])}}
            for i in picked]


def write_forecast_submission(run: Run, folder=None) -> Path:
    """Write the submitted model's score forecasts as ``temperature_forecasts.parquet``.

    One float64 column, ``temperature``, one row per (sample, horizon hour), sample-major
    (rows 0-23 are the first sample's hours 1-24), every value within TEMPERATURE_RANGE.
    """
    forecasts = run.arrays[f"score_{SLUGS[run.extra['submitted']]}"]
    path = Path(folder or outputs_dir()) / SUBMISSION
    return write_submission(forecasts.astype(np.float64).ravel(), "temperature",
                            forecasts.size, path, *TEMPERATURE_RANGE)


def score_rmse(run: Run) -> float | None:
    """Return the submitted forecasts' RMSE on the score samples where truth is known."""
    if "score_truth" not in run.arrays:
        return None
    error = run.arrays[f"score_{SLUGS[run.extra['submitted']]}"] - run.arrays["score_truth"]
    return float(np.sqrt(np.mean(error.astype(np.float64) ** 2)))
