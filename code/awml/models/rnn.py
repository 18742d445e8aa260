"""Recurrent layers written out, their parameter counts, and small sequence models.

``rnn_forward`` is the plain recurrence in numpy, step by step, so that it can be checked
against ``torch.nn.RNN``. ``parameter_count`` gives the textbook formula for a simple RNN,
a GRU and an LSTM (PyTorch keeps two bias vectors per gate where the equations have one).
``SequenceRegressor`` reads a sequence with any of the three cells and predicts one number
from the last hidden state.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # weight blocks per cell kind


def rnn_forward(inputs: np.ndarray, input_weights: np.ndarray, recurrent_weights: np.ndarray,
                bias: np.ndarray, initial: np.ndarray | None = None) -> np.ndarray:
    """Run h_t = tanh(W_xh x_t + W_hh h_{t-1} + b) over ``inputs`` (T, B, D).

    ``input_weights`` is (H, D), ``recurrent_weights`` (H, H), ``bias`` (H,), ``initial``
    (B, H) (zeros by default). Returns every hidden state, shape (T, B, H).
    """
    steps, batch, _ = inputs.shape
    hidden_size = recurrent_weights.shape[0]
    if input_weights.shape != (hidden_size, inputs.shape[2]):
        raise ValueError(f"input_weights has shape {input_weights.shape}; expected "
                         f"({hidden_size}, {inputs.shape[2]})")
    state = np.zeros((batch, hidden_size)) if initial is None else initial
    states = np.empty((steps, batch, hidden_size))
    for step in range(steps):
        state = np.tanh(inputs[step] @ input_weights.T + state @ recurrent_weights.T + bias)
        states[step] = state
    return states


def random_weights(input_size: int, hidden_size: int, radius: float, seed: int = 0
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return untrained (W_xh (H, D), W_hh (H, H), b (H,)) for ``rnn_forward``.

    W_xh is normal with scale 1/sqrt(D); W_hh is a random orthogonal matrix times
    ``radius``, so every singular value (and the spectral radius) equals ``radius``; b = 0.
    """
    from awml.training.bptt import scaled_orthogonal

    rng = np.random.default_rng(seed)
    input_weights = rng.normal(0, 1 / np.sqrt(input_size), (hidden_size, input_size))
    return input_weights, scaled_orthogonal(hidden_size, radius, seed), np.zeros(hidden_size)


def parameter_count(kind: str, input_size: int, hidden_size: int,
                    biases_per_gate: int = 1) -> int:
    """Return the parameters of one recurrent layer: gates * (H (D + H) + biases * H).

    ``kind`` is ``rnn`` (1 block), ``gru`` (3) or ``lstm`` (4); PyTorch uses
    ``biases_per_gate=2`` (an input bias and a recurrent bias per block).
    """
    if kind not in GATES:
        raise ValueError(f"kind={kind!r} is not one of {', '.join(GATES)}")
    blocks = GATES[kind]
    return blocks * (hidden_size * (input_size + hidden_size) + biases_per_gate * hidden_size)


def recurrent_layer(kind: str, input_size: int, hidden_size: int) -> nn.Module:
    """Return a one-layer, batch-first ``nn.RNN`` (tanh), ``nn.GRU`` or ``nn.LSTM``."""
    if kind not in GATES:
        raise ValueError(f"kind={kind!r} is not one of {', '.join(GATES)}")
    layer = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind]
    return layer(input_size, hidden_size, batch_first=True)


class SequenceRegressor(nn.Module):
    """A recurrent layer over (B, T, D) inputs and a linear read-out of the last state."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, outputs: int = 1) -> None:
        super().__init__()
        self.kind = kind
        self.recurrent = recurrent_layer(kind, input_size, hidden_size)
        self.readout = nn.Linear(hidden_size, outputs)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        states, _ = self.recurrent(inputs)  # (B, T, H)
        return self.readout(states[:, -1]).squeeze(-1)  # (B,) or (B, outputs)


def lstm_gates(lstm: nn.LSTM, inputs: torch.Tensor) -> dict[str, np.ndarray]:
    """Replay a one-layer batch-first LSTM step by step and return its gate activations.

    Returns ``input``, ``forget``, ``output`` (sigmoid gates), ``candidate`` (tanh) and
    ``cell``, each (B, T, H), for ``inputs`` (B, T, D). PyTorch orders the four weight
    blocks as input, forget, candidate, output.
    """
    if lstm.num_layers != 1 or not lstm.batch_first:
        raise ValueError("lstm must be a one-layer, batch-first nn.LSTM")
    hidden_size = lstm.hidden_size
    batch = inputs.shape[0]
    state = torch.zeros(batch, hidden_size)
    cell = torch.zeros(batch, hidden_size)
    traces: dict[str, list] = {name: [] for name in ("input", "forget", "candidate",
                                                     "output", "cell")}
    with torch.no_grad():
        for step in range(inputs.shape[1]):
            blocks = (inputs[:, step] @ lstm.weight_ih_l0.T + lstm.bias_ih_l0
                      + state @ lstm.weight_hh_l0.T + lstm.bias_hh_l0)
            input_gate, forget, candidate, output = blocks.chunk(4, dim=1)
            input_gate, forget, output = (torch.sigmoid(input_gate), torch.sigmoid(forget),
                                          torch.sigmoid(output))
            candidate = torch.tanh(candidate)
            cell = forget * cell + input_gate * candidate
            state = output * torch.tanh(cell)
            for name, value in zip(traces, (input_gate, forget, candidate, output, cell)):
                traces[name].append(value)
    return {name: torch.stack(values, dim=1).numpy() for name, values in traces.items()}
