"""Learning-rate schedules and the learning-rate range test.

``make_schedule(name, ...)`` returns a factory ``(optimizer, total_steps) -> scheduler``
built from torch's own schedulers, stepped once per batch; ``schedule_curve`` evaluates
one on a dummy parameter so its shape can be plotted. ``range_test`` trains a fresh model
while the learning rate grows geometrically and records the loss at each step.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch

SCHEDULES = ("constant", "step", "cosine", "warmup_cosine", "one_cycle")


def make_schedule(name: str, warmup_fraction: float = 0.1, drops: int = 2,
                  gamma: float = 0.1, peak_fraction: float = 0.3,
                  div_factor: float = 25.0) -> Callable:
    """Return ``factory(optimizer, total_steps)`` for schedule ``name``.

    ``step``: multiply the rate by ``gamma`` at ``drops`` evenly spaced steps. ``cosine``:
    from the base rate down to 0 along half a cosine. ``warmup_cosine``: a linear rise
    from 1 % of the base rate during the first ``warmup_fraction`` of training, then
    cosine. ``one_cycle``: from base / ``div_factor`` up to the base rate at
    ``peak_fraction`` of training, then down to base / (``div_factor`` * 10^4).
    """
    if name not in SCHEDULES:
        raise ValueError(f"schedule {name!r} is not one of {', '.join(SCHEDULES)}")
    if not 0.0 < warmup_fraction < 1.0:
        raise ValueError(f"warmup_fraction={warmup_fraction} must be in (0, 1)")
    if not 0.0 < peak_fraction < 1.0:
        raise ValueError(f"peak_fraction={peak_fraction} must be in (0, 1)")
    lr = torch.optim.lr_scheduler

    def factory(optimizer, total_steps: int):
        if name == "constant":
            return lr.LambdaLR(optimizer, lambda step: 1.0)
        if name == "step":
            every = max(1, -(-total_steps // (drops + 1)))
            return lr.StepLR(optimizer, step_size=every, gamma=gamma)
        if name == "cosine":
            return lr.CosineAnnealingLR(optimizer, T_max=total_steps)
        if name == "warmup_cosine":
            warmup = max(1, round(warmup_fraction * total_steps))
            return lr.SequentialLR(optimizer, [
                lr.LinearLR(optimizer, start_factor=0.01, total_iters=warmup),
                lr.CosineAnnealingLR(optimizer, T_max=max(1, total_steps - warmup))],
                milestones=[warmup])
        base = optimizer.param_groups[0]["lr"]
        return lr.OneCycleLR(optimizer, max_lr=base, total_steps=total_steps + 1,
                             pct_start=peak_fraction, div_factor=div_factor,
                             final_div_factor=1e4, cycle_momentum=False)

    return factory


def schedule_curve(name: str, total_steps: int, base_lr: float = 0.1, **options) -> np.ndarray:
    """Return the learning rate used at each of ``total_steps`` steps, shape (total_steps,)."""
    if total_steps < 1:
        raise ValueError(f"total_steps={total_steps} must be at least 1")
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=base_lr)
    scheduler = make_schedule(name, **options)(optimizer, total_steps)
    rates = []
    for _ in range(total_steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return np.array(rates)


def range_test(model: torch.nn.Module, images: torch.Tensor, labels: torch.Tensor,
               lr_min: float = 1e-4, lr_max: float = 10.0, steps: int = 100,
               batch_size: int = 64, optimizer: str = "sgd", seed: int = 0,
               stop_factor: float = 4.0) -> dict[str, np.ndarray]:
    """Train ``model`` for up to ``steps`` batches with a geometrically growing rate.

    Returns ``lr`` and ``loss`` (per step) and ``smoothed`` (an exponential moving average
    of the loss, bias-corrected). The test stops early once the smoothed loss exceeds
    ``stop_factor`` times its best value: the rate has become too large.
    """
    from awml.training.curves import make_optimizer
    from awml.training.threads import torch_threads

    if not 0 < lr_min < lr_max:
        raise ValueError(f"need 0 < lr_min < lr_max; got lr_min={lr_min}, lr_max={lr_max}")
    with torch_threads(1):
        return _range_test(model, images, labels, lr_min, lr_max, steps, batch_size,
                           make_optimizer(optimizer, model.parameters(), lr_min), seed,
                           stop_factor)


def _range_test(model, images, labels, lr_min, lr_max, steps, batch_size, opt, seed,
                stop_factor) -> dict[str, np.ndarray]:
    torch.manual_seed(seed)
    factor = (lr_max / lr_min) ** (1.0 / max(1, steps - 1))
    generator = torch.Generator().manual_seed(seed)
    rates, losses, smoothed = [], [], []
    average, best = 0.0, math.inf
    model.train()
    for step in range(steps):
        rate = lr_min * factor**step
        for group in opt.param_groups:
            group["lr"] = rate
        batch = torch.randint(len(labels), (batch_size,), generator=generator)
        loss = torch.nn.functional.cross_entropy(model(images[batch]), labels[batch])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        value = loss.item()
        average = 0.9 * average + 0.1 * value
        rates.append(rate)
        losses.append(value)
        smoothed.append(average / (1 - 0.9 ** (step + 1)))
        best = min(best, smoothed[-1])
        if not math.isfinite(value) or smoothed[-1] > stop_factor * best:
            break
    return {"lr": np.array(rates), "loss": np.array(losses), "smoothed": np.array(smoothed)}


def suggest_learning_rate(test: dict[str, np.ndarray]) -> float:
    """Return the rate where the smoothed loss falls fastest per decade of learning rate."""
    rates, smoothed = test["lr"], test["smoothed"]
    if len(rates) < 5:
        raise ValueError(f"the range test has {len(rates)} steps; need at least 5")
    slope = np.gradient(smoothed, np.log10(rates))
    usable = slice(2, len(rates) - 2)
    return float(rates[usable][np.argmin(slope[usable])])
