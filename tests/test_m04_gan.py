"""Module 4 (GANs): toy GANs, latent walks, evaluation scores, detectors, conditional GAN."""

import numpy as np
import pytest
import torch

from awml.data.toys import ring_centres, ring_of_gaussians
from awml.training.gan_evaluation import (frechet_distance, inception_score, nearest_neighbours,
                                          precision_recall)
from awml.training.latent import interpolate
from awml.training.toy_gan import ToyGANConfig, mode_coverage, train_toy_gan


def test_toy_gan_moves_its_samples_onto_the_data():
    data = np.random.default_rng(0).normal(3.0, 0.5, size=(4000, 1))
    run = train_toy_gan(data, ToyGANConfig(steps=400, batch_size=64, width=16, snapshots=5))
    assert run.samples.shape == (5, 2000, 1) and run.critic.shape == (5, 200)
    assert abs(run.samples[0].mean() - 3.0) > 1.5  # starts near 0
    assert abs(run.samples[-1].mean() - 3.0) < 0.5
    with pytest.raises(ValueError, match="loss"):
        ToyGANConfig(loss="wasserstein")


def test_minimax_loss_saturates_against_a_confident_critic():
    data = np.random.default_rng(0).normal(size=(4000, 1))
    gradients = {}
    for loss in ("minimax", "non-saturating"):
        run = train_toy_gan(data, ToyGANConfig(loss=loss, optimizer="sgd", learning_rate=0.05,
                                               start_offset=-4.0, head_start=150, steps=152,
                                               batch_size=64, width=16, snapshots=2))
        gradients[loss] = run.step_gradient[150]
        assert np.isnan(run.step_gradient[:150]).all()
    assert gradients["non-saturating"] > 10 * gradients["minimax"]


def test_mode_coverage_counts_modes():
    centres = ring_centres(8)
    all_modes = ring_of_gaussians(4000, spread=0.02, seed=1)
    one_mode = centres[[0]] + np.random.default_rng(2).normal(0, 0.02, (4000, 2))
    assert mode_coverage(all_modes, centres, 0.15) == (8, pytest.approx(1.0))
    assert mode_coverage(one_mode, centres, 0.15)[0] == 1


def test_interpolation_paths():
    rng = np.random.default_rng(0)
    start, end = rng.normal(size=64), rng.normal(size=64)
    for method in ("linear", "spherical"):
        path = interpolate(start, end, 7, method)
        assert np.allclose(path[0], start) and np.allclose(path[-1], end)
    middle = interpolate(start, end, 3, "spherical")[1]
    assert np.linalg.norm(middle) == pytest.approx((np.linalg.norm(start)
                                                    + np.linalg.norm(end)) / 2)
    assert np.linalg.norm(interpolate(start, end, 3)[1]) < 0.85 * np.linalg.norm(middle)
    with pytest.raises(ValueError, match="method"):
        interpolate(start, end, 3, "cubic")


def test_scores_behave_at_their_extremes():
    assert inception_score(np.eye(10)) == pytest.approx(10, rel=1e-6)
    assert inception_score(np.tile(np.eye(10)[3], (20, 1))) == pytest.approx(1, rel=1e-6)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, 5))
    assert frechet_distance(features, features) == pytest.approx(0, abs=1e-6)
    assert frechet_distance(features, features + 2) == pytest.approx(20, rel=1e-3)
    assert precision_recall(features, features) == (1.0, 1.0)
    precision, recall = precision_recall(features, features[:, :] * 0.05)  # collapsed
    assert precision > 0.9 and recall < 0.3
    images = rng.random((5, 1, 28, 28))
    index, distance = nearest_neighbours(images[[3, 1]], images)
    assert index.tolist() == [3, 1] and np.allclose(distance, 0, atol=1e-6)
    with pytest.raises(ValueError, match="feature sizes"):
        frechet_distance(features, features[:, :3])


def test_detectors_separate_obviously_different_images():
    from awml.training.fake_detection import detection_scores, fit_detector, log_spectrum

    rng = np.random.default_rng(0)
    real = rng.random((200, 1, 28, 28)).astype(np.float32) * 0.5
    fake = real + 0.2 * (np.indices((28, 28)).sum(0) % 2)  # a checkerboard trace
    assert log_spectrum(real).shape == (200, 28, 28)
    for features in ("pixels", "spectrum"):
        detector = fit_detector(real[:100], fake[:100], features)
        assert detection_scores(detector, real[100:], fake[100:])["auc"] > 0.95
    with pytest.raises(ValueError, match="features"):
        fit_detector(real, fake, "wavelets")


def test_conditional_generator_uses_its_label():
    from awml.models.conditional_gan import ConditionalGenerator, ConditionalShape
    from awml.training.conditional_gan import conditional_samples

    torch.manual_seed(0)
    generator = ConditionalGenerator(ConditionalShape(8, 4, 16, 16))
    grid = conditional_samples(generator, per_class=3)
    assert grid.shape == (10, 3, 28, 28) and 0 <= grid.min() and grid.max() <= 1
    assert not np.allclose(grid[0], grid[1])  # same noise, different labels


def test_smoke_runs_of_the_chapter():
    from awml.training.conditional_gan import conditional_run, load_conditional_generator
    from awml.training.fake_detection import discriminator_detector
    from awml.training.gan import dcgan_run

    run = conditional_run(show=False)
    assert run.arrays["samples"].shape == (10, 8, 28, 28)
    assert load_conditional_generator(run)(torch.zeros(2, 8),
                                          torch.tensor([1, 2])).shape == (2, 1, 28, 28)
    detector = discriminator_detector(dcgan_run(show=False))
    scores = detector(np.zeros((3, 1, 28, 28), np.float32))
    assert scores.shape == (3,) and ((0 <= scores) & (scores <= 1)).all()
