"""The recurrent chapter's trained models, as run-or-load tasks.

- ``memory_run()`` (task ``m03-adding-problem``): a simple RNN, a GRU and an LSTM trained
  on the adding problem; validation error during training and the weights.
- ``reversal_run()`` (task ``m03-reversal-attention``): the cross-attention model of
  ``awml.models.attention`` trained to reverse token sequences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from awml.data.sequence_tasks import adding_problem, reversal_task
from awml.models.attention import ReversalModel
from awml.models.rnn import SequenceRegressor
from awml.profiles import device_name
from awml.progress import progress
from awml.runs import Run, RunResult, run_or_load
from awml.training.threads import small_model_threads


@dataclass(frozen=True)
class MemoryConfig:
    """The adding problem: how long, how wide and how long to train."""

    length: int = 50  # time steps per sequence
    hidden: int = 32
    steps: int = 500  # Adam updates per cell
    batch_size: int = 64
    learning_rate: float = 1e-2
    clip: float = 1.0  # gradient norm
    train_sequences: int = 20_000
    evaluate_every: int = 50  # steps between validation scores
    kinds: tuple[str, ...] = ("rnn", "gru", "lstm")
    seed: int = 0


MEMORY_CONFIGS = {
    "smoke": MemoryConfig(length=12, hidden=8, steps=40, train_sequences=500,
                          evaluate_every=10),
    "cpu": MemoryConfig(),
    "gpu": MemoryConfig(length=100, hidden=64, steps=4000, evaluate_every=200),
}


def memory_model(kind: str, hidden: int) -> SequenceRegressor:
    """Return a regressor for the adding problem; an LSTM gets forget-gate biases of 1."""
    model = SequenceRegressor(kind, 2, hidden)
    if kind == "lstm":  # start by remembering: sigmoid(1) = 0.73 keeps most of the cell
        with torch.no_grad():
            model.recurrent.bias_ih_l0[hidden:2 * hidden].fill_(1.0)
    return model


def train_memory_cells(config: MemoryConfig) -> RunResult:
    """Train each cell kind; history ``<kind>`` holds the validation MSE every
    ``evaluate_every`` steps; weights by kind; ``metrics`` the final MSE per kind and
    ``baseline`` (always answering 1)."""
    device = torch.device(device_name())
    inputs, targets = (torch.from_numpy(a).to(device) for a in adding_problem(
        config.train_sequences, config.length, seed=config.seed))
    check_inputs, check_targets = (torch.from_numpy(a).to(device) for a in adding_problem(
        500, config.length, seed=config.seed + 1))
    history, weights, metrics = {}, {}, {}
    with small_model_threads():
        for kind in config.kinds:
            torch.manual_seed(config.seed)
            model = memory_model(kind, config.hidden).to(device)
            optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
            sampler = torch.Generator().manual_seed(config.seed)
            history[kind] = []
            for step in progress(range(config.steps), desc=kind):
                chosen = torch.randint(0, len(inputs), (config.batch_size,),
                                       generator=sampler).to(device)
                loss = ((model(inputs[chosen]) - targets[chosen]) ** 2).mean()
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
                optimizer.step()
                if (step + 1) % config.evaluate_every == 0:
                    with torch.no_grad():
                        error = ((model(check_inputs) - check_targets) ** 2).mean().item()
                    history[kind].append(error)
            weights[kind] = {name: value.cpu() for name, value in model.state_dict().items()}
            metrics[kind] = history[kind][-1]
    metrics["baseline"] = float(((check_targets - 1) ** 2).mean())
    return RunResult(metrics=metrics, history=history, weights=weights,
                     arrays={"example_inputs": check_inputs[:8].cpu().numpy()})


def memory_run(show: bool | None = None) -> Run:
    """Train the three cells on the adding problem, or load the stored run."""
    return run_or_load("m03-adding-problem", MEMORY_CONFIGS, train_memory_cells,
                       gpu_minutes=4, show=show)


def trained_memory_model(run: Run, kind: str) -> SequenceRegressor:
    """Return the ``kind`` network of a ``m03-adding-problem`` run, in eval mode."""
    if kind not in run.weights:
        raise ValueError(f"kind={kind!r} was not trained; the run has {sorted(run.weights)}")
    model = memory_model(kind, run.manifest["config"]["hidden"])
    model.load_state_dict(run.weights[kind])
    return model.eval()


@dataclass(frozen=True)
class ReversalConfig:
    """The reversal task for the attention heat map."""

    length: int = 8
    vocabulary: int = 10
    d_model: int = 32
    heads: int = 2
    steps: int = 400
    batch_size: int = 64
    learning_rate: float = 1e-2
    seed: int = 0


REVERSAL_CONFIGS = {
    "smoke": ReversalConfig(steps=30),
    "cpu": ReversalConfig(),
    "gpu": ReversalConfig(length=16, steps=2000),
}


def train_reversal(config: ReversalConfig) -> RunResult:
    """Train the reversal model; history ``loss`` per step (cross-entropy, nats), metric
    ``token_accuracy`` on 1,000 new sequences, arrays ``source`` (8, L) and ``weights``
    (8, heads, L, L) of the cross-attention on eight of them."""
    torch.manual_seed(config.seed)
    device = torch.device(device_name())
    model = ReversalModel(config.vocabulary, config.length, config.d_model,
                          config.heads).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    source, target = (torch.from_numpy(a).to(device) for a in reversal_task(
        20_000, config.length, config.vocabulary, seed=config.seed))
    check_source, check_target = (torch.from_numpy(a).to(device) for a in reversal_task(
        1000, config.length, config.vocabulary, seed=config.seed + 1))
    sampler = torch.Generator().manual_seed(config.seed)
    losses = []
    with small_model_threads():
        for _ in progress(range(config.steps), desc="reversal"):
            chosen = torch.randint(0, len(source), (config.batch_size,),
                                   generator=sampler).to(device)
            logits, _ = model(source[chosen])
            loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1),
                                                     target[chosen].flatten())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            logits, weights = model(check_source)
    accuracy = float((logits.argmax(-1) == check_target).float().mean())
    return RunResult(metrics={"token_accuracy": accuracy}, history={"loss": losses},
                     weights={"model": {k: v.cpu() for k, v in model.state_dict().items()}},
                     arrays={"source": check_source[:8].cpu().numpy(),
                             "weights": weights[:8].cpu().numpy().astype(np.float32)})


def reversal_run(show: bool | None = None) -> Run:
    """Train the reversal model, or load the stored run."""
    return run_or_load("m03-reversal-attention", REVERSAL_CONFIGS, train_reversal,
                       gpu_minutes=1, show=show)

