"""The dense (fully connected) layer as a matrix product, forwards and backwards by hand.

A batch of ``N`` inputs with ``d_in`` features each, ``X`` of shape (N, d_in), goes through
a layer with weight ``W`` of shape (d_out, d_in) and bias ``b`` of shape (d_out,) as
``Y = X W^T + b``. Given the gradient of a scalar loss with respect to ``Y``, the backward
pass returns the gradients with respect to ``X``, ``W`` and ``b``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class DenseGradients:
    """Gradients of a loss with respect to a dense layer's inputs, weight and bias."""

    inputs: np.ndarray | None  # (N, d_in); None when not asked for
    weight: np.ndarray  # (d_out, d_in)
    bias: np.ndarray  # (d_out,)


def _check_shapes(inputs: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> None:
    if inputs.ndim != 2:
        raise ValueError(f"inputs must have shape (N, d_in); got shape {inputs.shape}")
    if weight.ndim != 2 or weight.shape[1] != inputs.shape[1]:
        raise ValueError(f"weight must have shape (d_out, {inputs.shape[1]}); "
                         f"got shape {weight.shape}")
    if bias is not None and bias.shape != (weight.shape[0],):
        raise ValueError(f"bias must have shape ({weight.shape[0]},); got shape {bias.shape}")


def dense_forward(inputs: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Return ``inputs @ weight.T + bias``, shape (N, d_out)."""
    _check_shapes(inputs, weight, bias)
    return inputs @ weight.T + bias


def dense_backward(inputs: np.ndarray, weight: np.ndarray, grad_outputs: np.ndarray,
                   need_inputs: bool = True) -> DenseGradients:
    """Return the gradients of the loss given ``grad_outputs`` = dLoss/dY, shape (N, d_out).

    ``need_inputs=False`` skips the gradient with respect to the inputs (a first layer,
    whose inputs are data, does not need it).
    """
    _check_shapes(inputs, weight, None)
    if grad_outputs.shape != (inputs.shape[0], weight.shape[0]):
        raise ValueError(f"grad_outputs must have shape {(inputs.shape[0], weight.shape[0])}; "
                         f"got shape {grad_outputs.shape}")
    return DenseGradients(inputs=grad_outputs @ weight if need_inputs else None,
                          weight=grad_outputs.T @ inputs,
                          bias=grad_outputs.sum(axis=0))


def autograd_gradients(inputs: np.ndarray, weight: np.ndarray, bias: np.ndarray,
                       grad_outputs: np.ndarray) -> DenseGradients:
    """Return the same gradients as ``dense_backward``, computed by torch's autograd.

    The loss is ``sum(Y * grad_outputs)``, whose gradient with respect to ``Y`` is exactly
    ``grad_outputs``; computed in float64.
    """
    import torch

    tensors = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)
               for a in (inputs, weight, bias)]
    outputs = torch.nn.functional.linear(*tensors)
    (outputs * torch.tensor(np.asarray(grad_outputs, dtype=np.float64))).sum().backward()
    return DenseGradients(*(t.grad.numpy() for t in tensors))


def max_differences(mine: DenseGradients, reference: DenseGradients) -> dict[str, float]:
    """Return the largest absolute difference per gradient, keyed ``inputs``, ``weight``,
    ``bias``."""
    return {name: float(np.max(np.abs(getattr(mine, name) - getattr(reference, name))))
            for name in ("inputs", "weight", "bias")}


def numerical_weight_gradient(loss, weight: np.ndarray, index: tuple[int, int],
                              step: float = 1e-6) -> float:
    """Return a central finite difference of ``loss(weight)`` for one weight entry."""
    shifted = weight.astype(np.float64).copy()
    shifted[index] += step
    above = loss(shifted)
    shifted[index] -= 2 * step
    below = loss(shifted)
    return float((above - below) / (2 * step))
