"""A one-layer softmax classifier trained with hand-written gradients, in numpy.

The layer is the dense layer of ``awml.nn.dense``; the loss is the mean categorical
cross-entropy of ``awml.nn.losses``, whose gradient with respect to the logits is
(softmax - one-hot) / N. Nothing here uses autograd.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from awml.nn.dense import dense_backward, dense_forward
from awml.nn.losses import categorical_cross_entropy, cross_entropy_gradient


@dataclass
class LayerTraining:
    """Snapshots of the weight (one (classes, features) array per recorded step) and the
    training loss (nats) at every step."""

    steps: list[int]
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    loss: list[float]


def train_softmax_layer(inputs: np.ndarray, labels: np.ndarray, classes: int = 10,
                        steps: int = 100, learning_rate: float = 0.5,
                        record: tuple[int, ...] = (0, 10, 100), seed: int = 0) -> LayerTraining:
    """Train ``W`` (classes, d) and ``b`` by full-batch gradient descent on ``inputs`` (N, d).

    The weights start as small random numbers (std 0.01). The weights after each step
    listed in ``record`` are kept (step 0 is the start).
    """
    inputs = np.asarray(inputs, dtype=np.float32)
    if inputs.ndim != 2 or labels.shape != (len(inputs),):
        raise ValueError(f"inputs must be (N, d) and labels (N,); got {inputs.shape} and "
                         f"{labels.shape}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate={learning_rate} must be positive")
    rng = np.random.default_rng(seed)
    weight = (0.01 * rng.standard_normal((classes, inputs.shape[1]))).astype(np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    result = LayerTraining([], [], [], [])
    for step in range(steps + 1):
        if step in record:
            result.steps.append(step)
            result.weights.append(weight.copy())
            result.biases.append(bias.copy())
        if step == steps:
            break
        logits = dense_forward(inputs, weight, bias)
        result.loss.append(categorical_cross_entropy(logits, labels))
        gradients = dense_backward(inputs, weight, cross_entropy_gradient(logits, labels),
                                   need_inputs=False)
        weight -= np.float32(learning_rate) * gradients.weight.astype(np.float32)
        bias -= np.float32(learning_rate) * gradients.bias.astype(np.float32)
    return result


def predict(inputs: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Return the predicted class of each row of ``inputs``, shape (N,)."""
    return dense_forward(np.asarray(inputs, dtype=float), weight, bias).argmax(axis=1)
