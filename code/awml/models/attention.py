"""Attention written out: scaled dot-product attention, multi-head attention, and a tiny
encoder-decoder that uses cross-attention to reverse a sequence.

Shapes follow PyTorch's batch-first convention: queries (B, Lq, d), keys and values
(B, Lk, d). ``scaled_dot_product_attention`` returns the attention weights as well as the
output, so that pages can draw them; it matches
``torch.nn.functional.scaled_dot_product_attention``.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def scaled_dot_product_attention(queries: torch.Tensor, keys: torch.Tensor,
                                 values: torch.Tensor, mask: torch.Tensor | None = None,
                                 scale: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (softmax(Q K^T / sqrt(d)) V, the weights).

    ``queries`` (..., Lq, d), ``keys`` (..., Lk, d), ``values`` (..., Lk, dv); ``mask``
    (Lq, Lk) or broadcastable, True where a query may attend. With ``scale=False`` the
    scores are not divided by sqrt(d). Returns the output (..., Lq, dv) and the weights
    (..., Lq, Lk), whose rows sum to 1.
    """
    if queries.shape[-1] != keys.shape[-1]:
        raise ValueError(f"queries have size {queries.shape[-1]} and keys {keys.shape[-1]} "
                         "in the last dimension; expected equal")
    scores = queries @ keys.transpose(-2, -1)  # (..., Lq, Lk)
    if scale:
        scores = scores / math.sqrt(queries.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = F.softmax(scores, dim=-1)
    return weights @ values, weights


def causal_mask(length: int) -> torch.Tensor:
    """Return a (length, length) boolean mask, True on and below the diagonal."""
    return torch.ones(length, length, dtype=torch.bool).tril()


class MultiHeadAttention(nn.Module):
    """Multi-head attention: project, attend in ``heads`` subspaces, concatenate, project.

    Each head works in d_model / heads dimensions. Parameters: four d_model x d_model
    projections with biases, 4 d_model^2 + 4 d_model in all.
    """

    def __init__(self, d_model: int, heads: int) -> None:
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model={d_model} is not divisible by heads={heads}")
        self.heads = heads
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.value = nn.Linear(d_model, d_model)
        self.output = nn.Linear(d_model, d_model)

    def _split(self, tensor: torch.Tensor) -> torch.Tensor:
        batch, length, width = tensor.shape
        return tensor.view(batch, length, self.heads, width // self.heads).transpose(1, 2)

    def forward(self, queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the output (B, Lq, d_model) and the weights (B, heads, Lq, Lk)."""
        q = self._split(self.query(queries))  # (B, h, Lq, d/h)
        k = self._split(self.key(keys))  # (B, h, Lk, d/h)
        v = self._split(self.value(values))  # (B, h, Lk, d/h)
        attended, weights = scaled_dot_product_attention(q, k, v, mask)
        batch, _, length, _ = attended.shape
        merged = attended.transpose(1, 2).reshape(batch, length, -1)  # (B, Lq, d_model)
        return self.output(merged), weights


class ReversalModel(nn.Module):
    """Reads a token sequence and writes it reversed, using cross-attention only.

    The encoder gives each source token an embedding of its symbol plus its position;
    the decoder asks, for each output position, a learned query; one multi-head
    cross-attention layer fetches the answer, and a linear layer names the symbol.
    """

    def __init__(self, vocabulary: int, length: int, d_model: int = 32, heads: int = 1) -> None:
        super().__init__()
        self.symbols = nn.Embedding(vocabulary, d_model)
        self.source_positions = nn.Parameter(torch.randn(length, d_model) * 0.5)
        self.target_positions = nn.Parameter(torch.randn(length, d_model) * 0.5)
        self.attention = MultiHeadAttention(d_model, heads)
        self.readout = nn.Linear(d_model, vocabulary)

    def forward(self, source: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Return logits (B, L, vocabulary) and cross-attention weights (B, heads, L, L)."""
        encoded = self.symbols(source) + self.source_positions  # (B, L, d)
        queries = self.target_positions.expand(len(source), -1, -1)  # (B, L, d)
        attended, weights = self.attention(queries, encoded, encoded)
        return self.readout(attended), weights


def largest_weights(dimension: int, scaled: bool, queries: int = 2000, keys: int = 16,
                    seed: int = 0) -> np.ndarray:
    """Return the largest attention weight (queries,) of random standard-normal queries
    over ``keys`` random keys of size ``dimension``, with or without the 1/sqrt(d)."""
    generator = torch.Generator().manual_seed(seed)
    query = torch.randn(queries, 1, dimension, generator=generator)
    key = torch.randn(queries, keys, dimension, generator=generator)
    _, weights = scaled_dot_product_attention(query, key, key, scale=scaled)
    return weights[:, 0].max(dim=-1).values.numpy()
