"""The MNIST DCGAN task ``dcgan-mnist`` in the smoke profile, and the MNIST VAE."""

import numpy as np
import pytest

from awml.models.gan import DCGANShape, Discriminator, Generator, from_unit
from awml.training import gan, vae


@pytest.fixture(scope="module")
def gan_run():
    return gan.dcgan_run(show=False)


def test_dcgan_run_stores_both_networks_and_their_history(gan_run):
    assert gan_run.task == "dcgan-mnist" and gan_run.profile == "smoke"
    assert set(gan_run.weights) == {"generator", "discriminator"}
    epochs = gan.DCGAN_CONFIGS["smoke"].epochs
    assert {len(values) for values in gan_run.history.values()} == {epochs}
    assert set(gan_run.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert gan_run.arrays["fixed_samples"].shape == (epochs, 16, 28, 28)
    assert gan_run.extra["training_digits"] == gan.DCGAN_CONFIGS["smoke"].max_digits


def test_second_call_loads_the_stored_run(gan_run):
    again = gan.dcgan_run(show=False)
    assert again.loaded and again.manifest["code_fingerprint"] == gan_run.manifest[
        "code_fingerprint"]
    for name, tensor in gan_run.weights["generator"].items():
        assert np.array_equal(again.weights["generator"][name].numpy(), tensor.cpu().numpy())


def test_networks_rebuild_and_the_discriminator_prefers_real_digits(gan_run):
    import torch
    from sklearn.metrics import roc_auc_score

    generator, discriminator = gan.load_dcgan(gan_run)
    fakes = gan.sample_dcgan(gan_run, 200, seed=1)
    assert fakes.shape == (200, 1, 28, 28) and fakes.dtype == np.float32
    assert 0.0 <= fakes.min() and fakes.max() <= 1.0
    assert np.array_equal(fakes, gan.sample_dcgan(gan_run, 200, seed=1))
    real = gan.mnist_splits("offline").test.as_float()[:200]
    with torch.no_grad():
        scores = discriminator(from_unit(torch.from_numpy(np.concatenate([real, fakes]))))
    auc = roc_auc_score(np.r_[np.ones(200), np.zeros(200)], scores.numpy())
    assert auc > 0.8, f"the discriminator separates real from fake with AUC {auc:.2f} only"


def test_shapes_and_bad_settings_are_refused():
    import torch

    shape = DCGANShape(8, 4, 4)
    images = Generator(shape)(torch.randn(3, 8))
    assert images.shape == (3, 1, 28, 28)
    assert Discriminator(shape)(images).shape == (3,)
    with pytest.raises(ValueError, match="epochs=0 must be at least 1"):
        gan.DCGANConfig(epochs=0)
    with pytest.raises(ValueError, match="latent_dim=0 must be a positive integer"):
        DCGANShape(latent_dim=0)
    with pytest.raises(ValueError, match="real_label=0.3"):
        gan.DCGANConfig(epochs=1, real_label=0.3)


def test_gan_and_vae_leave_the_same_digits_unseen():
    splits = gan.mnist_splits("offline")
    assert splits is gan.mnist_splits("offline")  # loaded once per process
    run = vae.vae_run(show=False)
    assert run.extra["training_digits"] == vae.VAE_CONFIGS["smoke"].max_digits
    samples = vae.sample_vae(run, 10, seed=2)
    assert samples.shape == (10, 1, 28, 28) and 0.0 <= samples.min() <= samples.max() <= 1.0
    with pytest.raises(ValueError, match="count=0"):
        vae.sample_vae(run, 0)
