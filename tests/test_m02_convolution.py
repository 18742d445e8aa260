"""Module 2: convolution arithmetic and edge filters written by hand."""

import numpy as np
import pytest
import torch

from awml.vision.convolution import conv2d, output_size, parameter_count
from awml.vision.edges import KERNELS, edge_magnitude, filter_image, grey, learn_filter


@pytest.mark.parametrize("stride,padding,dilation", [(1, 0, 1), (2, 1, 1), (1, 2, 2), (3, 0, 2)])
def test_conv2d_matches_torch(stride, padding, dilation):
    rng = np.random.default_rng(0)
    images, kernels = rng.normal(size=(3, 12, 10)), rng.normal(size=(5, 3, 3, 3))
    bias = rng.normal(size=5)
    mine = conv2d(images, kernels, bias, stride, padding, dilation)
    theirs = torch.nn.functional.conv2d(torch.tensor(images)[None], torch.tensor(kernels),
                                        torch.tensor(bias), stride, padding, dilation)[0]
    assert mine.shape == tuple(theirs.shape)
    assert np.allclose(mine, theirs.numpy())


def test_output_size_formula_and_refusals():
    for n, k, s, p, d in [(224, 3, 2, 1, 1), (7, 3, 1, 0, 2), (256, 7, 3, 3, 4), (5, 5, 1, 0, 1)]:
        layer = torch.nn.Conv2d(1, 1, k, s, p, d)
        assert layer(torch.zeros(1, 1, n, n)).shape[-1] == output_size(n, k, s, p, d)
    with pytest.raises(ValueError, match="stride"):
        output_size(10, 3, stride=0)
    with pytest.raises(ValueError, match="spans"):
        output_size(4, 3, dilation=3)
    assert parameter_count(64, 128, 3) == 73856


def test_conv2d_refuses_mismatched_channels():
    with pytest.raises(ValueError, match="kernels must have shape"):
        conv2d(np.zeros((3, 8, 8)), np.zeros((2, 1, 3, 3)))


def test_sobel_on_a_ramp_and_a_flat_image():
    ramp = np.tile(np.arange(20.0) * 0.01, (15, 1))  # brightness rises 0.01 per column
    response = filter_image(ramp, KERNELS["sobel_x"])
    assert np.allclose(response[:, 1:-1], 0.08)  # 8 g away from the reflected border
    assert np.allclose(filter_image(np.full((9, 9), 0.4), KERNELS["laplacian"]), 0.0)
    assert edge_magnitude(np.full((9, 9), 0.4)).max() == pytest.approx(0.0)
    with pytest.raises(ValueError, match="odd"):
        filter_image(ramp, np.ones((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        grey(np.zeros((2, 3, 4, 5)))


def test_a_learned_filter_approaches_sobel_on_a_real_photo():
    from awml.data.people import photograph

    camera = grey(photograph("camera"))[::8, ::8]  # 64 x 64
    target = filter_image(camera, KERNELS["sobel_x"])
    learning = learn_filter(camera, target, steps=300, learning_rate=0.1, record=(0, 300))
    assert learning["loss"][-1] < 0.01 * learning["loss"][0]
    gap = np.abs(learning["kernels"][-1] - KERNELS["sobel_x"])
    assert gap.max() < 0.5 < np.abs(learning["kernels"][0] - KERNELS["sobel_x"]).max()
