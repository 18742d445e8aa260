"""The optimizer study: one MLP trained on real digits by each of four optimizers.

Each optimizer gets the learning rate that suits it (plain SGD needs a much larger one
than Adam), the same initial weights and the same batches, so the curves differ only by
the update rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from awml.runs import RunResult

LEARNING_RATES = {"sgd": 0.5, "momentum": 0.05, "rmsprop": 0.001, "adam": 0.001}


@dataclass(frozen=True)
class OptimizerStudy:
    """Digits used, network width and training length of the study."""

    n_train: int = 3000  # training digits
    n_val: int = 1000  # validation digits
    hidden: int = 100  # units in each of the two hidden layers
    epochs: int = 3
    batch_size: int = 64
    source: str = "auto"  # MNIST source: auto uses the full 70,000 digits when reachable


CONFIGS = {
    "smoke": OptimizerStudy(n_train=400, n_val=200, hidden=32, epochs=1),
    "cpu": OptimizerStudy(),
    "gpu": OptimizerStudy(n_train=60000, n_val=10000, hidden=512, epochs=15, batch_size=128),
}


def compute(config: OptimizerStudy) -> RunResult:
    """Train one network per optimizer; history keys are ``<optimizer>/<curve>``."""
    import torch

    from awml.models.dense_net import dense_net
    from awml.profiles import device_name
    from awml.training.curves import digit_split, fit

    split = digit_split(config.n_train, config.n_val, source=config.source)
    torch.manual_seed(0)
    start = dense_net([784, config.hidden, config.hidden, 10]).state_dict()
    history, metrics = {}, {}
    for name, rate in LEARNING_RATES.items():
        model = dense_net([784, config.hidden, config.hidden, 10])
        model.load_state_dict(start)
        curves = fit(model, split, config.epochs, rate, optimizer=name,
                     batch_size=config.batch_size, device=device_name(), desc=name)
        for key in ("train_loss", "val_loss", "val_accuracy", "step_loss"):
            history[f"{name}/{key}"] = curves[key]
        metrics[f"{name}/val_accuracy"] = curves["val_accuracy"][-1]
    return RunResult(metrics=metrics, history=history, extra={"data": split.source})
