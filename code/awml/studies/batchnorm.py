"""The batch-normalisation study: deep, narrow networks trained with and without it.

For each activation and learning rate, the same network (six hidden layers, PyTorch's
default initialisation) is trained twice on real digits, once with a BatchNorm1d layer
after every hidden Linear layer and once without, from the same seed and on the same
batches.
"""

from __future__ import annotations

from dataclasses import dataclass

from awml.runs import RunResult


@dataclass(frozen=True)
class BatchNormStudy:
    """Digits used, network shape, training length and the settings compared."""

    n_train: int = 3000  # training digits
    n_val: int = 1000  # validation digits
    hidden: int = 64  # units in each hidden layer
    depth: int = 6  # hidden layers
    epochs: int = 3
    batch_size: int = 64
    learning_rates: tuple[float, ...] = (0.01, 0.1, 1.0)  # plain SGD
    activations: tuple[str, ...] = ("logistic", "relu")
    source: str = "auto"  # MNIST source: auto uses the full 70,000 digits when reachable


CONFIGS = {
    "smoke": BatchNormStudy(n_train=300, n_val=200, hidden=16, depth=3, epochs=1,
                            learning_rates=(0.1,), activations=("relu",)),
    "cpu": BatchNormStudy(),
    "gpu": BatchNormStudy(n_train=60000, n_val=10000, hidden=256, epochs=10, batch_size=128),
}


def run_name(activation: str, learning_rate: float, batchnorm: bool) -> str:
    """Return the history prefix of one training run, e.g. ``relu lr=0.1 BN``."""
    return f"{activation} lr={learning_rate:g} {'BN' if batchnorm else 'plain'}"


def compute(config: BatchNormStudy) -> RunResult:
    """Train every (activation, rate, with/without BN) network; keys ``<run name>/<curve>``."""
    import torch

    from awml.models.dense_net import dense_net
    from awml.profiles import device_name
    from awml.training.curves import digit_split, fit

    split = digit_split(config.n_train, config.n_val, source=config.source)
    sizes = [784] + [config.hidden] * config.depth + [10]
    history, metrics = {}, {}
    for activation in config.activations:
        for rate in config.learning_rates:
            for batchnorm in (False, True):
                torch.manual_seed(0)
                model = dense_net(sizes, activation=activation, batchnorm=batchnorm)
                curves = fit(model, split, config.epochs, rate, optimizer="sgd",
                             batch_size=config.batch_size, device=device_name())
                name = run_name(activation, rate, batchnorm)
                for key in ("step_loss", "val_accuracy"):
                    history[f"{name}/{key}"] = curves[key]
                metrics[f"{name}/val_accuracy"] = (curves["val_accuracy"] or [0.0])[-1]
    return RunResult(metrics=metrics, history=history, extra={"data": split.source})


def accuracy_with_batches(model, images, labels, batch_size: int, sorted_batches: bool,
                          batch_statistics: bool) -> float:
    """Return the accuracy of ``model`` when test digits arrive in batches of ``batch_size``.

    ``sorted_batches`` groups digits of the same label together, as data sorted by class
    would arrive; ``batch_statistics`` runs BatchNorm layers in training mode (normalising
    with each batch's own mean and variance) instead of evaluation mode (running
    averages). A copy of the model is used, so its running statistics are not touched.
    """
    import copy

    import torch

    from awml.training.threads import torch_threads

    if batch_size < 2 and batch_statistics:
        raise ValueError(f"batch_size={batch_size}: batch statistics need at least 2 examples")
    probe = copy.deepcopy(model)
    probe.train(batch_statistics)
    order = torch.argsort(labels, stable=True) if sorted_batches else torch.arange(len(labels))
    correct = 0
    with torch.no_grad(), torch_threads(1):
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            correct += int((probe(images[batch]).argmax(1) == labels[batch]).sum())
    return correct / len(labels)
