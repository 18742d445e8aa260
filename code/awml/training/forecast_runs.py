"""Recurrent weather forecasters for the recurrent chapter, as run-or-load tasks.

``forecast_run(heads)`` trains one ``GRUForecaster`` per head on the weather windows of
``awml.data.weather`` (the course panel when configured, else pvlib's three stations:
train January to August, validate September, test October to December) and returns its
forecasts for every test window, in degrees C.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from awml.data.weather import load_panel
from awml.models.forecaster import GRUForecaster
from awml.profiles import device_name
from awml.progress import progress
from awml.runs import Run, RunResult, run_or_load
from awml.training.threads import small_model_threads
from awml.training.probabilistic import gaussian_nll, pinball_loss


@dataclass(frozen=True)
class ForecastConfig:
    """How the forecasters are trained."""

    heads: tuple[str, ...] = ("point",)
    hidden: int = 64
    epochs: int = 6
    batch_size: int = 128
    learning_rate: float = 3e-3
    train_stride: int = 3  # use every third training window (neighbours overlap anyway)
    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)
    seed: int = 0


def forecast_configs(heads: tuple[str, ...]) -> dict[str, ForecastConfig]:
    """Return the per-profile configurations for training ``heads``."""
    return {"smoke": ForecastConfig(heads=heads, hidden=16, epochs=3, train_stride=6),
            "cpu": ForecastConfig(heads=heads),
            "gpu": ForecastConfig(heads=heads, hidden=128, epochs=40, train_stride=1)}


def forecast_panel(train_stride: int = 3) -> tuple[dict, str]:
    """Return ``load_panel("auto", train_stride=...)``: (splits, source line), cached for
    the process; treat the arrays as read-only."""
    return _cached_panel(int(train_stride))


@lru_cache(maxsize=2)
def _cached_panel(train_stride: int) -> tuple[dict, str]:
    return load_panel("auto", train_stride=train_stride)


class Scaler:
    """Standardises inputs per channel and temperatures with the training statistics."""

    def __init__(self, train_inputs: np.ndarray) -> None:
        flat = train_inputs.reshape(-1, train_inputs.shape[-1])
        self.mean, self.std = flat.mean(axis=0), np.maximum(flat.std(axis=0), 1e-9)

    def inputs(self, values: np.ndarray) -> torch.Tensor:
        """Standardise input windows (N, T, D) into a float32 tensor."""
        return torch.as_tensor((values - self.mean) / self.std, dtype=torch.float32)

    def targets(self, values: np.ndarray) -> torch.Tensor:
        """Standardise temperatures (N, H) with the temperature channel's statistics."""
        return torch.as_tensor((values - self.mean[0]) / self.std[0], dtype=torch.float32)

    def degrees(self, values: np.ndarray, shift: bool = True) -> np.ndarray:
        """Map standardised temperatures (or, with ``shift=False``, spreads) to degrees C."""
        return values * self.std[0] + (self.mean[0] if shift else 0.0)


def _loss(model: GRUForecaster, output, target: torch.Tensor) -> torch.Tensor:
    if model.head == "point":
        return ((output - target) ** 2).mean()
    if model.head == "gaussian":
        return gaussian_nll(*output, target)
    return pinball_loss(output, target, model.quantiles)


def train_forecasters(config: ForecastConfig) -> RunResult:
    """Train one forecaster per head; return test forecasts in degrees C.

    Arrays: ``targets`` (N, 24), ``city`` (N,), ``start_hour`` (N,) hours since 1970 of
    the first forecast hour, and per head ``point`` (N, 24); ``gaussian_mean`` and
    ``gaussian_scale`` (N, 24); ``quantiles`` (N, 24, Q). History per head:
    ``<head>/train_loss`` and ``<head>/validate_loss`` per epoch (standardised units).
    """
    with small_model_threads():
        return _train_forecasters(config)


def _train_forecasters(config: ForecastConfig) -> RunResult:
    panel, source = forecast_panel(config.train_stride)
    scaler = Scaler(panel["train"].inputs)
    train_x, train_y = scaler.inputs(panel["train"].inputs), scaler.targets(panel["train"].targets)
    check_x, check_y = (scaler.inputs(panel["validate"].inputs),
                        scaler.targets(panel["validate"].targets))
    test = panel["test"]
    device = torch.device(device_name())
    arrays = {"targets": test.targets.astype(np.float32), "city": test.city,
              "start_hour": test.start.astype("datetime64[h]").astype(np.int64)}
    history = {}
    for head in config.heads:
        torch.manual_seed(config.seed)
        model = GRUForecaster(train_x.shape[-1], config.hidden, train_y.shape[1], head,
                              config.quantiles).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
        sampler = torch.Generator().manual_seed(config.seed)
        for _ in progress(range(config.epochs), desc=f"{head} forecaster"):
            model.train()
            order = torch.randperm(len(train_x), generator=sampler)
            total = 0.0
            for start in range(0, len(order), config.batch_size):
                chosen = order[start:start + config.batch_size]
                loss = _loss(model, model(train_x[chosen].to(device)), train_y[chosen].to(device))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item() * len(chosen)
            history.setdefault(f"{head}/train_loss", []).append(total / len(order))
            model.eval()
            with torch.no_grad():
                check = _loss(model, model(check_x.to(device)), check_y.to(device)).item()
            history.setdefault(f"{head}/validate_loss", []).append(check)
        with torch.no_grad():
            output = model(scaler.inputs(test.inputs).to(device))
        if head == "point":
            arrays["point"] = scaler.degrees(output.cpu().numpy())
        elif head == "gaussian":
            arrays["gaussian_mean"] = scaler.degrees(output[0].cpu().numpy())
            arrays["gaussian_scale"] = scaler.degrees(output[1].cpu().numpy(), shift=False)
        else:
            arrays["quantiles"] = scaler.degrees(output.cpu().numpy())
    arrays = {name: np.asarray(value) for name, value in arrays.items()}
    return RunResult(history=history, arrays=arrays,
                     extra={"source": source, "cities": list(test.cities),
                            "train_windows": len(train_x)})


def forecast_run(heads: tuple[str, ...], show: bool | None = None) -> Run:
    """Train forecasters with ``heads`` (``point``, ``gaussian``, ``quantile``) or load them.

    Each combination of heads is its own task, so pages that need different heads do not
    retrain each other's models.
    """
    return run_or_load(f"m03-forecast-{'-'.join(heads)}", forecast_configs(tuple(heads)),
                       train_forecasters, gpu_minutes=3, show=show)
