"""Scaling, pre-training and fitting of sequence forecasters, on arrays in memory.

Windows are (N, T, F) arrays whose first ``observed`` features are measurements and the
rest calendar features (already in [-1, 1]). The scaler is fitted on training windows
only and maps each measured feature to zero mean and unit spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from awml.progress import progress


@dataclass(frozen=True)
class WindowScaler:
    """Per-feature mean and standard deviation of the measured features (fitted on train)."""

    mean: tuple[float, ...]
    std: tuple[float, ...]

    @classmethod
    def fit(cls, windows: np.ndarray, observed: int) -> "WindowScaler":
        """Fit on training windows (N, T, F); features with no spread get a std of 1."""
        flat = np.asarray(windows)[:, :, :observed].reshape(-1, observed)
        std = flat.std(axis=0)
        return cls(tuple(flat.mean(axis=0)), tuple(np.where(std > 1e-9, std, 1.0)))

    def windows(self, windows: np.ndarray) -> np.ndarray:
        """Return float32 windows (N, T, F) with the measured features scaled."""
        scaled = np.array(windows, dtype=np.float32)
        observed = len(self.mean)
        scaled[:, :, :observed] = (scaled[:, :, :observed] - self.mean) / self.std
        return scaled

    def target(self, values: np.ndarray, column: int = 0) -> np.ndarray:
        """Return ``values`` of feature ``column`` in scaled units, float32."""
        return ((np.asarray(values) - self.mean[column]) / self.std[column]).astype(np.float32)

    def untarget(self, values: np.ndarray, column: int = 0) -> np.ndarray:
        """Return scaled values of feature ``column`` in its original units, float64."""
        return np.asarray(values, dtype=np.float64) * self.std[column] + self.mean[column]


def _batches(count: int, batch_size: int, generator: np.random.Generator):
    order = generator.permutation(count)
    return [order[start:start + batch_size] for start in range(0, count, batch_size)]


def _optimise(model, loss_of, count: int, epochs: int, batch_size: int, learning_rate: float,
              seed: int, desc: str, show_progress: bool, weight_decay: float = 0.0
              ) -> list[float]:
    generator = np.random.default_rng(seed)
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate,
                                  weight_decay=weight_decay)
    total_steps = epochs * math.ceil(count / batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / total_steps)))
    losses = []
    model.train()
    for _ in progress(range(epochs), desc=desc, unit="epoch", disable=not show_progress):
        total = 0.0
        for chosen in _batches(count, batch_size, generator):
            loss = loss_of(torch.from_numpy(chosen))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item() * len(chosen)
        losses.append(total / count)
    model.eval()
    return losses


def pretrain_next_hour(model, windows: np.ndarray, *, epochs: int, batch_size: int = 128,
                       learning_rate: float = 3e-3, seed: int = 0, device: str = "cpu",
                       show_progress: bool = True) -> list[float]:
    """Pre-train ``model`` on unlabelled scaled windows by next-hour prediction.

    Returns the mean squared error per epoch (scaled units).
    """
    data = torch.from_numpy(windows).to(device)
    model.to(device)
    return _optimise(model, lambda chosen: model.next_hour_loss(data[chosen]), len(data),
                     epochs, batch_size, learning_rate, seed, "pre-train", show_progress)


def fit_forecaster(model, windows: np.ndarray, targets: np.ndarray, *, epochs: int,
                   batch_size: int = 128, learning_rate: float = 3e-3, seed: int = 0,
                   weight_decay: float = 0.0, device: str = "cpu", show_progress: bool = True
                   ) -> list[float]:
    """Fit ``model`` to scaled targets (N, H) from scaled windows (N, T, F).

    Returns the training mean squared error per epoch (scaled units).
    """
    if len(windows) != len(targets):
        raise ValueError(f"windows has {len(windows)} samples but targets {len(targets)}")
    data, goal = torch.from_numpy(windows).to(device), torch.from_numpy(targets).to(device)
    model.to(device)

    def loss_of(chosen):
        return torch.nn.functional.mse_loss(model(data[chosen]), goal[chosen])

    return _optimise(model, loss_of, len(data), epochs, batch_size, learning_rate, seed,
                     "forecast", show_progress, weight_decay)


def predict(model, windows: np.ndarray, batch_size: int = 2048, device: str = "cpu"
            ) -> np.ndarray:
    """Return the model's scaled forecasts (N, H) for scaled windows (N, T, F), float32."""
    model.to(device).eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(windows), batch_size):
            batch = torch.from_numpy(windows[start:start + batch_size]).to(device)
            outputs.append(model(batch).cpu().numpy())
    return np.concatenate(outputs)
