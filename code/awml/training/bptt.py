"""Backpropagation through time, measured: gradient norms per step, a cliff, clipping.

``gradient_norms`` runs a simple recurrent network with recurrent weights of a chosen
spectral radius over a real input sequence and returns the norm of the gradient of a
loss at the last step with respect to every earlier hidden state. ``cliff_loss`` is the
loss of a one-unit recurrent network as a function of its recurrent weight, which has a
wall where the network's long-run behaviour switches; ``descend`` walks down it with and
without gradient clipping.
"""

from __future__ import annotations

import numpy as np
import torch

ACTIVATIONS = ("tanh", "identity")


def scaled_orthogonal(size: int, radius: float, seed: int = 0) -> np.ndarray:
    """Return a random orthogonal matrix (size, size) times ``radius``.

    All its singular values equal ``radius``, so repeated multiplication scales every
    vector by exactly ``radius`` per step.
    """
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.normal(size=(size, size)))
    return radius * q * np.sign(np.diag(r))


def gradient_norms(inputs: np.ndarray, radius: float, hidden: int = 32,
                   activation: str = "tanh", seed: int = 0) -> np.ndarray:
    """Return ||dL/dh_t|| for t = 1..T, shape (T,), for L = mean of the last hidden state.

    ``inputs`` (T, D) is one sequence; input weights are normal with scale 1/sqrt(D),
    recurrent weights ``scaled_orthogonal(hidden, radius)``, no bias.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation={activation!r} is not one of {', '.join(ACTIVATIONS)}")
    rng = np.random.default_rng(seed + 1)
    steps, features = inputs.shape
    input_weights = torch.tensor(rng.normal(0, 1 / np.sqrt(features), (hidden, features)))
    recurrent = torch.tensor(scaled_orthogonal(hidden, radius, seed), requires_grad=True)
    sequence = torch.tensor(np.asarray(inputs, dtype=np.float64))
    squash = torch.tanh if activation == "tanh" else (lambda value: value)
    state = torch.zeros(hidden, dtype=torch.float64)
    states = []
    for step in range(steps):
        state = squash(input_weights @ sequence[step] + recurrent @ state)
        state.retain_grad()
        states.append(state)
    state.mean().backward()
    return np.array([float(s.grad.norm()) for s in states])


def cliff_loss(weight, bias: float = -0.2, start: float = 0.5, steps: int = 40,
               target: float = -0.9) -> "torch.Tensor | np.ndarray":
    """Return the loss (h_T - target)^2 of h_t = tanh(weight h_{t-1} + bias), h_0 = start.

    Works on floats, numpy arrays (elementwise) and torch tensors (differentiably).
    """
    state = torch.as_tensor(weight, dtype=torch.float64) * 0 + start
    weight = torch.as_tensor(weight, dtype=torch.float64)
    for _ in range(steps):
        state = torch.tanh(weight * state + bias)
    loss = (state - target) ** 2
    return loss if loss.requires_grad else loss.numpy()


def clip_by_norm(gradient: np.ndarray, threshold: float) -> np.ndarray:
    """Return ``gradient`` rescaled to norm ``threshold`` if it is longer, else unchanged."""
    if threshold <= 0:
        raise ValueError(f"threshold={threshold!r} must be positive")
    gradient = np.asarray(gradient, dtype=np.float64)
    norm = np.linalg.norm(gradient)
    return gradient * min(1.0, threshold / norm) if norm > 0 else gradient


def descend(start: float, learning_rate: float, steps: int, clip: float | None = None
            ) -> dict[str, np.ndarray]:
    """Gradient descent on ``cliff_loss`` from ``start``, optionally clipping each gradient.

    Returns arrays (steps + 1,) ``weight`` and ``loss`` along the path, and (steps,)
    ``gradient`` (before clipping).
    """
    weight = float(start)
    path = {"weight": [weight], "loss": [], "gradient": []}
    for _ in range(steps):
        tensor = torch.tensor(weight, dtype=torch.float64, requires_grad=True)
        loss = cliff_loss(tensor)
        (gradient,) = torch.autograd.grad(loss, tensor)
        path["loss"].append(float(loss.detach()))
        path["gradient"].append(float(gradient))
        step = gradient.numpy() if clip is None else clip_by_norm(gradient.numpy(), clip)
        weight = float(weight - learning_rate * step)
        path["weight"].append(weight)
    path["loss"].append(float(cliff_loss(weight)))
    return {name: np.array(values) for name, values in path.items()}


def train_with_clipping(inputs: np.ndarray, targets: np.ndarray, clip: float | None,
                        steps: int = 300, learning_rate: float = 0.5, hidden: int = 32,
                        batch_size: int = 64, seed: int = 0) -> dict[str, np.ndarray]:
    """Train a simple recurrent regressor with plain SGD, clipping the gradient norm or not.

    ``inputs`` (N, T, D) and ``targets`` (N,) should be standardised. Returns arrays
    (steps,) ``loss`` (mean squared error of each batch) and ``gradient_norm`` (before
    clipping); entries after the loss first becomes infinite or NaN are NaN.
    """
    from awml.models.rnn import SequenceRegressor
    from awml.training.threads import small_model_threads

    torch.manual_seed(seed)
    model = SequenceRegressor("rnn", inputs.shape[2], hidden)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    features = torch.as_tensor(inputs, dtype=torch.float32)
    answers = torch.as_tensor(targets, dtype=torch.float32)
    sampler = torch.Generator().manual_seed(seed)
    losses, norms = np.full(steps, np.nan), np.full(steps, np.nan)
    with small_model_threads():
        for step in range(steps):
            chosen = torch.randint(0, len(features), (batch_size,), generator=sampler)
            loss = ((model(features[chosen]) - answers[chosen]) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            limit = clip if clip is not None else float("inf")
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), limit)
            if not (torch.isfinite(loss) and torch.isfinite(norm)):
                break
            losses[step], norms[step] = loss.item(), norm.item()
            optimizer.step()
    return {"loss": losses, "gradient_norm": norms}
