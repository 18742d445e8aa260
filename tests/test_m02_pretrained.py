"""Module 2: class-activation maps and feature visualisation on EfficientNet-Lite0."""

import numpy as np
import pytest
import torch

from awml.data.people import photograph


@pytest.fixture(scope="module")
def network():
    from awml.models.pretrained import efficientnet_lite0

    return efficientnet_lite0()


def test_activation_map_averages_to_the_logit(network):
    from awml.vision.cam import class_activation_map, top_class_maps

    cat = photograph("chelsea")
    top = class_activation_map(network, cat)
    assert top.class_name == "Egyptian cat" and top.probability > 0.5
    with torch.no_grad():
        logit = network.model(network.preprocessing(cat))[0, top.class_index].item()
    bias = network.model.get_classifier().bias[top.class_index].item()
    assert top.raw.mean() + bias == pytest.approx(logit, abs=1e-3)
    assert top.heatmap.shape == cat.shape[:2] and top.heatmap.max() == pytest.approx(1.0, abs=0.01)
    ranked = top_class_maps(network, cat, k=3)
    assert ranked[0].class_index == top.class_index
    assert ranked[0].probability >= ranked[1].probability >= ranked[2].probability
    with pytest.raises(ValueError, match="class_index"):
        class_activation_map(network, cat, 1000)


def test_tie_map_peaks_inside_a_hand_drawn_tie_box(network):
    from awml.models.pretrained import imagenet_class_names
    from awml.vision.cam import class_activation_map, short_name
    from awml.vision.ground_truth import SIDELINE

    tie = [short_name(name) for name in imagenet_class_names()].index("Windsor tie")
    heat = class_activation_map(network, SIDELINE.image(), tie).heatmap
    row, col = np.unravel_index(heat.argmax(), heat.shape)
    ties = SIDELINE.boxes[SIDELINE.classes == 1]
    margin = 64  # half a cell of the 7 x 7 map, in pixels
    assert any(x1 - margin <= col <= x2 + margin and y1 - margin <= row <= y2 + margin
               for x1, y1, x2, y2 in ties)


def test_dream_raises_its_objective(network):
    from awml.vision.dream import dream, visualise_channel

    result = dream(network, photograph("coffee"), block=2, steps=4, octaves=2, size=64,
                   record=(4,))
    assert result.steps == [4, 8] and result.images[0].shape == (64, 64, 3)
    assert result.objective[3] > result.objective[0]
    assert visualise_channel(network, 2, 0, steps=2, size=32).dtype == np.uint8
    with pytest.raises(ValueError, match="block"):
        dream(network, photograph("coffee"), block=9, steps=1, size=32)


def test_stem_filters_and_the_dream_study(network):
    from awml.runs import run_or_load
    from awml.studies import deepdream
    from awml.vision.edges import stem_responses

    kernels, responses = stem_responses(network, photograph("astronaut"))
    assert kernels.shape == (32, 3, 3, 3) and responses.shape == (32, 112, 112)
    run = run_or_load("test-m02-deepdream", deepdream.CONFIGS, deepdream.compute)
    assert run.arrays["block2"].shape == (1, 64, 64, 3)
    assert run.arrays["channels"].shape == (1, 64, 64, 3)
