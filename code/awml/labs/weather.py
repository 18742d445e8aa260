"""Lab 3: WeatherNet, 24 hours ahead, with and without unsupervised pre-training.

One run-or-load step, ``weather_run``, fits the baselines (persistence, the seasonal mean,
ridge regression), then for each seed pre-trains an LSTM by next-hour prediction on every
training window (no labels needed) and fine-tunes copies of it to forecast, next to LSTMs
trained from scratch, with all the labels and with a small fraction of them. The page
reads tables, figures and the submission off the stored run.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

import numpy as np

from awml.data.weather import FEATURES, HORIZON, Windows, load_panel
from awml.profiles import device_name, pick
from awml.runs import Run, RunResult, run_or_load

logger = logging.getLogger(__name__)

TASK = "weather"
SUBMISSION = "temperature_forecasts.parquet"
MODELS = ("persistence", "seasonal mean", "linear", "LSTM", "LSTM, pre-trained")


@dataclass(frozen=True)
class WeatherConfig:
    """One profile's settings for lab 3."""

    source: str = "offline"  # "offline" (pvlib stations), "full" (course panel) or "auto"
    train_stride: int = 4  # keep every n-th labelled training window (they overlap by hours)
    hidden: int = 32  # LSTM state size
    layers: int = 1
    dropout: float = 0.3  # on the LSTM's last state before the forecast head
    epochs: int = 10  # forecast training with all labels
    batch_size: int = 64  # small batches: more steps, better forecasts at the first hours
    learning_rate: float = 5e-3
    weight_decay: float = 0.01
    pretrain_epochs: int = 2  # next-hour pre-training, passes over every training window
    pretrain_batch_size: int = 128
    small_fraction: float = 0.05  # share of labelled windows in the ablation's small setting
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    ridge_alphas: tuple[float, ...] = (0.1, 1.0, 10.0, 100.0, 1000.0)
    threads: int | None = 1  # torch CPU threads (one is fastest on 2 shared cores); None: default


CONFIGS = {
    "smoke": WeatherConfig(train_stride=24, hidden=8, epochs=1, batch_size=128,
                           pretrain_epochs=1, seeds=(0,), small_fraction=0.2),
    "cpu": WeatherConfig(),
    "gpu": WeatherConfig(source="auto", train_stride=1, hidden=128, layers=2, epochs=30,
                         batch_size=256, pretrain_epochs=10, pretrain_batch_size=512,
                         seeds=(0, 1, 2, 3, 4), threads=None),
}
GPU_MINUTES = 15  # ml.g4dn.4xlarge, course panel: five seeds of pre-training and four fits


def labelled_subset(count: int, config: WeatherConfig, fraction: float = 1.0, seed: int = 0
                    ) -> np.ndarray:
    """Return indices of labelled training windows among ``count``: every ``train_stride``-th
    window, then a random ``fraction`` of those (at least two batches' worth)."""
    strided = np.arange(0, count, config.train_stride)
    if fraction >= 1.0:
        return strided
    size = min(len(strided), max(int(round(fraction * len(strided))), 2 * config.batch_size))
    return np.sort(np.random.default_rng(seed).choice(strided, size, replace=False))


def _lstm(config: WeatherConfig, seed: int):
    import torch

    from awml.models.lstm import WeatherLSTM

    torch.manual_seed(seed)
    return WeatherLSTM(inputs=8, observed=len(FEATURES), hidden=config.hidden,
                       layers=config.layers, horizon=HORIZON, dropout=config.dropout)


def _ablation(config: WeatherConfig, scaled: dict, targets: np.ndarray, scaler, device: str
              ) -> dict:
    """Train every (fraction, pre-trained) LSTM for every seed; return errors and models."""
    from awml.progress import progress
    from awml.training.forecasting import fit_forecaster, predict, pretrain_next_hour

    fractions = (1.0, config.small_fraction)
    rmse = {split: np.zeros((2, 2, len(config.seeds))) for split in ("validate", "test")}
    kept, history = {}, {}
    for column, seed in enumerate(progress(config.seeds, desc="seeds", unit="seed")):
        base = _lstm(config, seed)
        pre_loss = pretrain_next_hour(base, scaled["train"], epochs=config.pretrain_epochs,
                                      batch_size=config.pretrain_batch_size, seed=seed,
                                      device=device,
                                      learning_rate=config.learning_rate, show_progress=False)
        for row, fraction in enumerate(fractions):
            chosen = labelled_subset(len(scaled["train"]), config, fraction, seed)
            share = len(chosen) / len(labelled_subset(len(scaled["train"]), config))
            epochs = max(1, round(config.epochs / np.sqrt(share)))  # fewer labels, more epochs
            for pre, pretrained in enumerate((False, True)):
                model = copy.deepcopy(base) if pretrained else _lstm(config, seed)
                losses = fit_forecaster(
                    model, scaled["train"][chosen], targets[chosen], epochs=epochs,
                    batch_size=config.batch_size, learning_rate=config.learning_rate,
                    weight_decay=config.weight_decay, seed=seed, device=device,
                    show_progress=False)
                for split in ("validate", "test"):
                    forecast = scaler.untarget(predict(model, scaled[split], device=device))
                    error = forecast - scaled[f"{split}_truth"]
                    rmse[split][row, pre, column] = np.sqrt(np.mean(error ** 2))
                if column == 0 and row == 0:
                    kept[pretrained], history[pretrained] = model, losses
        if column == 0:
            history["pretrain"] = pre_loss
    return {"rmse": rmse, "models": kept, "history": history}


SLUGS = {"persistence": "persistence", "seasonal mean": "seasonal", "linear": "linear",
         "LSTM": "lstm", "LSTM, pre-trained": "lstm_pretrained"}


def compute(config: WeatherConfig) -> RunResult:
    """Fit the baselines and the LSTMs of every seed; return forecasts, errors and weights."""
    from contextlib import nullcontext

    from awml.training.threads import torch_threads

    with torch_threads(config.threads) if config.threads else nullcontext():
        return _compute(config)


def _compute(config: WeatherConfig) -> RunResult:
    from awml.models.forecast_baselines import LinearForecaster, SeasonalMean, persistence
    from awml.training.forecasting import WindowScaler, predict
    from awml.training.regression_metrics import forecast_metrics

    device = device_name()
    panel, source = load_panel(config.source)
    train = panel["train"]
    labelled = train.subset(labelled_subset(len(train), config))
    scaler = WindowScaler.fit(labelled.inputs, len(FEATURES))  # train only
    scaled = {split: scaler.windows(panel[split].inputs)
              for split in ("train", "validate", "test", "score")}
    scaled.update(validate_truth=panel["validate"].targets, test_truth=panel["test"].targets)
    seasonal = SeasonalMean.fit(labelled)
    linear = LinearForecaster.fit(labelled, panel["validate"], config.ridge_alphas)
    ablation = _ablation(config, scaled, scaler.target(train.targets), scaler, device)

    models = ablation["models"]
    arrays: dict[str, np.ndarray] = {}
    for split in ("test", "score"):
        windows = panel[split]
        forecasts = {"persistence": persistence(windows),
                     "seasonal mean": seasonal.predict(windows), "linear": linear.predict(windows)}
        for name, pretrained in (("LSTM", False), ("LSTM, pre-trained", True)):
            scaled_forecast = predict(models[pretrained], scaled[split], device=device)
            forecasts[name] = scaler.untarget(scaled_forecast)
        arrays.update({f"{split}_{SLUGS[name]}": values.astype(np.float32)
                       for name, values in forecasts.items()})
        arrays[f"{split}_city"], arrays[f"{split}_start"] = windows.city, windows.start
        if windows.targets is not None:
            arrays[f"{split}_truth"] = windows.targets.astype(np.float32)

    metrics = {}
    for name in MODELS:
        scores = forecast_metrics(arrays[f"test_{SLUGS[name]}"], arrays["test_truth"])
        metrics.update({f"{name}/{metric}": float(value) for metric, value in scores.items()})
    validation = ablation["rmse"]["validate"][0, :, 0]  # all labels, seed 0: (scratch, pre)
    submitted = "LSTM, pre-trained" if validation[1] < validation[0] else "LSTM"
    return RunResult(
        metrics=metrics,
        history={"pretrain_loss": ablation["history"]["pretrain"],
                 "lstm_loss": ablation["history"][False],
                 "lstm_pretrained_loss": ablation["history"][True]},
        arrays={**arrays, "ablation_test_rmse": ablation["rmse"]["test"],
                "ablation_validate_rmse": ablation["rmse"]["validate"]},
        weights={"lstm": models[False].state_dict(), "lstm_pretrained": models[True].state_dict()},
        extra={"source": source, "cities": list(panel["test"].cities),
               "score_cities": list(panel["score"].cities), "submitted": submitted,
               "linear_alpha": linear.alpha, "labelled_windows": len(labelled),
               "small_windows": len(labelled_subset(len(train), config, config.small_fraction)),
               "unlabelled_windows": len(train), "scaler_mean": list(scaler.mean),
               "scaler_std": list(scaler.std), "seeds": list(config.seeds),
               "fractions": [1.0, config.small_fraction]},
    )


def weather_run(**options) -> Run:
    """Run lab 3's heavy step for the active profile, or load a stored run of the same code."""
    return run_or_load(TASK, CONFIGS, compute, gpu_minutes=GPU_MINUTES, **options)


def run_all(profile: str) -> list[Run]:
    """Run or load the lab's heavy steps for ``profile`` (used by ``awml lab run``)."""
    return [weather_run(profile=profile)]


def active_config() -> WeatherConfig:
    """Return the configuration of the active profile."""
    return pick(CONFIGS)


def config_of(run: Run) -> WeatherConfig:
    """Return the ``WeatherConfig`` a run was made with."""
    values = dict(run.manifest["config"])
    values["seeds"] = tuple(values["seeds"])
    values["ridge_alphas"] = tuple(values["ridge_alphas"])
    return WeatherConfig(**values)


def model_from_run(run: Run, pretrained: bool = False):
    """Return the first seed's LSTM (pre-trained or not, all labels) with its stored weights."""
    model = _lstm(config_of(run), seed=0)
    model.load_state_dict(run.weights["lstm_pretrained" if pretrained else "lstm"])
    return model.eval()
