"""Module 3 (recurrent networks): the recurrence, BPTT, gated cells and attention."""

import numpy as np
import pytest
import torch

from awml.data.sequence_tasks import adding_problem, reversal_task
from awml.models.attention import (MultiHeadAttention, causal_mask, largest_weights,
                                   scaled_dot_product_attention)
from awml.models.rnn import (lstm_gates, parameter_count, random_weights, recurrent_layer,
                             rnn_forward)
from awml.training.bptt import clip_by_norm, descend, gradient_norms, scaled_orthogonal


def test_numpy_recurrence_matches_torch():
    inputs = np.random.default_rng(0).normal(size=(7, 3, 4))
    weights = random_weights(4, 5, radius=0.9, seed=1)
    ours = rnn_forward(inputs, *weights)
    layer = torch.nn.RNN(4, 5, dtype=torch.float64)
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.tensor(weights[0]))
        layer.weight_hh_l0.copy_(torch.tensor(weights[1]))
        layer.bias_ih_l0.zero_()
        layer.bias_hh_l0.zero_()
        theirs, _ = layer(torch.tensor(inputs))
    assert np.allclose(ours, theirs.numpy(), atol=1e-12)
    with pytest.raises(ValueError, match="input_weights"):
        rnn_forward(inputs, weights[0][:, :3], weights[1], weights[2])


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_parameter_counts_match_pytorch(kind):
    layer = recurrent_layer(kind, 6, 10)
    assert sum(p.numel() for p in layer.parameters()) == parameter_count(kind, 6, 10, 2)
    assert parameter_count(kind, 6, 10) < parameter_count(kind, 6, 10, 2)
    with pytest.raises(ValueError, match="kind"):
        parameter_count("transformer", 6, 10)


def test_lstm_gate_replay_reproduces_the_hidden_state():
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(2, 6, batch_first=True)
    inputs = torch.randn(3, 9, 2)
    gates = lstm_gates(lstm, inputs)
    expected, _ = lstm(inputs)
    hidden = gates["output"] * np.tanh(gates["cell"])
    assert np.allclose(hidden, expected.detach().numpy(), atol=1e-5)
    assert 0 <= gates["forget"].min() and gates["forget"].max() <= 1


def test_gradient_norms_follow_the_spectral_radius():
    inputs = np.random.default_rng(0).normal(size=(30, 4))
    flat = gradient_norms(inputs, 1.0, hidden=8, activation="identity")
    assert np.allclose(flat, flat[-1])
    shrinking = gradient_norms(inputs, 0.5, hidden=8, activation="identity")
    assert shrinking[0] / shrinking[-1] == pytest.approx(0.5 ** 29, rel=1e-6)
    assert gradient_norms(inputs, 1.0, hidden=8)[0] < flat[0]  # tanh derivatives shrink it
    singular = np.linalg.svd(scaled_orthogonal(6, 1.7), compute_uv=False)
    assert np.allclose(singular, 1.7)


def test_clipping_saves_the_descent_from_the_cliff():
    wild = descend(1.5, learning_rate=0.3, steps=3)
    tame = descend(1.5, learning_rate=0.3, steps=3, clip=1.0)
    assert wild["weight"][1] < -10 and wild["loss"][-1] > 3
    assert 1.0 < tame["weight"][1] < 1.5 and tame["loss"][-1] < 0.01
    assert np.linalg.norm(clip_by_norm(np.array([3.0, 4.0]), 1.0)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="threshold"):
        clip_by_norm(np.ones(2), 0)


def test_sequence_tasks():
    inputs, targets = adding_problem(2000, 20, seed=0)
    assert inputs.shape == (2000, 20, 2) and (inputs[:, :, 1].sum(axis=1) == 2).all()
    assert abs(((targets - 1) ** 2).mean() - 1 / 6) < 0.01
    source, target = reversal_task(5, 6)
    assert (target == source[:, ::-1]).all()
    with pytest.raises(ValueError, match="length"):
        adding_problem(3, 5)


def test_attention_matches_pytorch_with_and_without_mask():
    q, k, v = torch.randn(2, 4, 5, 8), torch.randn(2, 4, 5, 8), torch.randn(2, 4, 5, 3)
    ours, weights = scaled_dot_product_attention(q, k, v)
    assert torch.allclose(ours, torch.nn.functional.scaled_dot_product_attention(q, k, v),
                          atol=1e-5)
    assert torch.allclose(weights.sum(-1), torch.ones(2, 4, 5))
    masked, weights = scaled_dot_product_attention(q, k, v, mask=causal_mask(5))
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert torch.allclose(masked, expected, atol=1e-5) and weights[..., 0, 1:].abs().max() == 0
    with pytest.raises(ValueError, match="last dimension"):
        scaled_dot_product_attention(q, torch.randn(2, 4, 5, 7), v)


def test_multi_head_attention_equals_pytorch_with_the_same_weights():
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    ours = MultiHeadAttention(8, 2)
    with torch.no_grad():
        for index, layer in enumerate((ours.query, ours.key, ours.value)):
            layer.weight.copy_(theirs.in_proj_weight[8 * index:8 * (index + 1)])
            layer.bias.copy_(theirs.in_proj_bias[8 * index:8 * (index + 1)])
        ours.output.weight.copy_(theirs.out_proj.weight)
        ours.output.bias.copy_(theirs.out_proj.bias)
    x, memory = torch.randn(3, 4, 8), torch.randn(3, 6, 8)
    expected, expected_weights = theirs(x, memory, memory, average_attn_weights=False)
    result, weights = ours(x, memory, memory)
    assert torch.allclose(result, expected, atol=1e-5)
    assert torch.allclose(weights, expected_weights, atol=1e-5)
    with pytest.raises(ValueError, match="divisible"):
        MultiHeadAttention(10, 3)


def test_scaling_keeps_the_softmax_out_of_saturation():
    assert np.median(largest_weights(256, scaled=False, queries=300)) > 0.9
    assert np.median(largest_weights(256, scaled=True, queries=300)) < 0.5
