"""The schedule study: one network trained under each learning-rate schedule.

Every run uses SGD with momentum at the same peak learning rate, the same initial weights
and the same batches; only the schedule differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from awml.runs import RunResult
from awml.training.schedules import SCHEDULES


@dataclass(frozen=True)
class ScheduleStudy:
    """Digits used, network width, training length and the peak learning rate."""

    n_train: int = 3000  # training digits
    n_val: int = 1000  # validation digits
    hidden: int = 100  # units in each of the two hidden layers
    epochs: int = 4
    batch_size: int = 64
    learning_rate: float = 0.1  # peak rate of every schedule (SGD with momentum 0.9)
    source: str = "auto"  # MNIST source: auto uses the full 70,000 digits when reachable


CONFIGS = {
    "smoke": ScheduleStudy(n_train=300, n_val=200, hidden=16, epochs=1),
    "cpu": ScheduleStudy(),
    "gpu": ScheduleStudy(n_train=60000, n_val=10000, hidden=512, epochs=20, batch_size=128),
}


def compute(config: ScheduleStudy) -> RunResult:
    """Train one network per schedule; history keys are ``<schedule>/<curve>``."""
    import torch

    from awml.models.dense_net import dense_net
    from awml.profiles import device_name
    from awml.training.curves import digit_split, fit
    from awml.training.schedules import make_schedule

    split = digit_split(config.n_train, config.n_val, source=config.source)
    sizes = [784, config.hidden, config.hidden, 10]
    torch.manual_seed(0)
    start = dense_net(sizes).state_dict()
    history, metrics = {}, {}
    for name in SCHEDULES:
        model = dense_net(sizes)
        model.load_state_dict(start)
        curves = fit(model, split, config.epochs, config.learning_rate, optimizer="momentum",
                     batch_size=config.batch_size, schedule=make_schedule(name),
                     device=device_name())
        for key in ("step_loss", "step_lr", "val_loss", "val_accuracy"):
            history[f"{name}/{key}"] = curves[key]
        metrics[f"{name}/val_accuracy"] = curves["val_accuracy"][-1]
    return RunResult(metrics=metrics, history=history, extra={"data": split.source})
