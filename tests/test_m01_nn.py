"""Module 1: layers, activations, losses and batch norm written by hand agree with torch."""

import numpy as np
import pytest
import torch

from awml.nn import activations, losses
from awml.nn.batchnorm import BatchNorm
from awml.nn.dense import autograd_gradients, dense_backward, dense_forward, max_differences
from awml.nn.initialization import propagate
from awml.nn.one_layer import predict, train_softmax_layer


def test_dense_backward_matches_autograd():
    rng = np.random.default_rng(1)
    inputs, weight, bias = rng.normal(size=(7, 5)), rng.normal(size=(3, 5)), rng.normal(size=3)
    upstream = rng.normal(size=(7, 3))
    assert dense_forward(inputs, weight, bias).shape == (7, 3)
    gaps = max_differences(dense_backward(inputs, weight, upstream),
                           autograd_gradients(inputs, weight, bias, upstream))
    assert max(gaps.values()) < 1e-12


def test_dense_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="weight must have shape"):
        dense_forward(np.zeros((2, 4)), np.zeros((3, 5)), np.zeros(3))
    with pytest.raises(ValueError, match="grad_outputs"):
        dense_backward(np.zeros((2, 4)), np.zeros((3, 4)), np.zeros((2, 2)))


@pytest.mark.parametrize("name", activations.ACTIVATIONS)
def test_activation_and_derivative_match_torch(name):
    z = np.linspace(-6, 6, 241)
    points = torch.tensor(z, requires_grad=True)
    values = activations.torch_activation(name)(points)
    values.sum().backward()
    assert np.allclose(activations.activate(name, z), values.detach().numpy(), atol=1e-12)
    assert np.allclose(activations.derivative(name, z), points.grad.numpy(), atol=1e-12)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="swish"):
        activations.activate("swish", np.zeros(3))


def test_saturation_grows_with_spread_for_tanh_but_not_relu():
    rng = np.random.default_rng(0)
    narrow, wide = rng.normal(0, 0.5, 10000), rng.normal(0, 5, 10000)
    tanh_narrow = activations.small_gradient_fraction("tanh", narrow)
    assert activations.small_gradient_fraction("tanh", wide) > tanh_narrow + 0.3
    relu_gap = (activations.small_gradient_fraction("relu", wide)
                - activations.small_gradient_fraction("relu", narrow))
    assert abs(relu_gap) < 0.05


def test_losses_match_torch():
    rng = np.random.default_rng(2)
    logits, labels = 3 * rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    tensor = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(tensor, torch.tensor(labels))
    loss.backward()
    assert losses.categorical_cross_entropy(logits, labels) == pytest.approx(loss.item())
    assert np.allclose(losses.cross_entropy_gradient(logits, labels), tensor.grad.numpy())
    targets = (labels > 1).astype(float)
    reference = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(logits[:, 0]), torch.tensor(targets))
    assert losses.binary_cross_entropy(logits[:, 0], targets) == pytest.approx(reference.item())
    predictions, truth = rng.normal(size=20), rng.normal(size=20)
    huber = torch.nn.HuberLoss(delta=0.7)(torch.tensor(predictions), torch.tensor(truth))
    assert losses.huber(predictions, truth, 0.7) == pytest.approx(huber.item())


def test_softmax_temperature_keeps_ranking_and_flattens():
    logits = np.array([2.0, 1.0, -1.0])
    cold, warm = losses.softmax(logits, 0.5), losses.softmax(logits, 5.0)
    assert np.argmax(cold) == np.argmax(warm) == 0
    assert cold[0] > losses.softmax(logits)[0] > warm[0]
    assert np.isclose(losses.softmax(np.array([1000.0, 0.0])).sum(), 1.0)
    with pytest.raises(ValueError, match="temperature"):
        losses.softmax(logits, 0.0)


def test_regression_losses_refuse_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        losses.mse(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="delta"):
        losses.huber(np.zeros(3), np.zeros(3), delta=0)


def test_batchnorm_matches_torch_in_both_modes():
    rng = np.random.default_rng(3)
    mine, theirs = BatchNorm(4), torch.nn.BatchNorm1d(4).double()
    for _ in range(3):
        batch = rng.normal(1.0, 2.0, size=(8, 4))
        assert np.allclose(mine.train_forward(batch), theirs(torch.tensor(batch)).detach())
    theirs.eval()
    single = rng.normal(size=(1, 4))
    assert np.allclose(mine.eval_forward(single), theirs(torch.tensor(single)).detach())
    with pytest.raises(ValueError, match="at least 2"):
        mine.train_forward(single)


def test_he_keeps_relu_signal_alive_where_small_weights_kill_it():
    inputs = np.random.default_rng(4).normal(size=(200, 64))
    he = propagate(inputs, depth=20, width=64, activation="relu", scheme="he")
    small = propagate(inputs, depth=20, width=64, activation="relu", scheme="small")
    assert 0.2 < he.activation_std[-1] / he.activation_std[0] < 5
    assert small.activation_std[-1] < 1e-20
    assert he.samples.shape[0] == 20


def test_one_layer_classifier_learns_real_digits():
    from awml.training.curves import digit_split

    digits = digit_split(1000, 500, source="offline")
    images = np.concatenate([digits.train_x.numpy(), digits.val_x.numpy()]).reshape(1500, -1)
    labels = np.concatenate([digits.train_y.numpy(), digits.val_y.numpy()])
    result = train_softmax_layer(images[:1000], labels[:1000], steps=40, record=(0, 40))
    assert result.loss[-1] < 0.5 * result.loss[0]
    accuracy = np.mean(predict(images[1000:], result.weights[-1], result.biases[-1])
                       == labels[1000:])
    assert accuracy > 0.75  # chance is 0.1
