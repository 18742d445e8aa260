"""The ImageNet EfficientNet-Lite0 weights: checked, mapped onto timm, and right on real photos."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

import numpy as np
import pytest

from awml.models import pretrained


@pytest.fixture(scope="module")
def lite0():
    return pretrained.efficientnet_lite0()


def test_weights_file_has_the_recorded_digest():
    from awml.runs.artifacts import sha256_file

    path = pretrained.lite0_weights_path()
    assert path.name == pretrained.LITE0_FILE
    assert pretrained.LITE0_SHA256.startswith("57934424")
    assert sha256_file(path) == pretrained.LITE0_SHA256


def test_real_photographs_get_their_imagenet_classes(lite0):
    from skimage import data

    cat, coffee = lite0.top_k([data.chelsea(), data.coffee()], k=3)
    assert cat[0][0] == "Egyptian cat" and cat[0][1] > 0.6
    assert coffee[0][0] == "espresso" and coffee[0][1] > 0.8
    assert [p for _, p in cat] == sorted((p for _, p in cat), reverse=True)


def test_preprocessing_scales_to_minus_one_one():
    white_and_black = np.zeros((40, 60, 3), np.uint8)
    white_and_black[:, :30] = 255
    inputs = pretrained.LITE0_PREPROCESSING(white_and_black)
    assert inputs.shape == (1, 3, 224, 224)
    assert float(inputs.max()) == pytest.approx(1.0, abs=1e-6)
    assert float(inputs.min()) == pytest.approx(-1.0, abs=1e-6)
    gray = pretrained.LITE0_PREPROCESSING([np.full((10, 10), 0.5), np.zeros((8, 8, 3))])
    assert gray.shape == (2, 3, 224, 224)


def test_bad_inputs_are_refused_with_one_clear_line(lite0):
    with pytest.raises(ValueError, match="images: got an array of shape"):
        pretrained.LITE0_PREPROCESSING(np.zeros((5, 5, 7)))
    with pytest.raises(ValueError, match="k=0"):
        lite0.top_k(np.zeros((32, 32, 3), np.uint8), k=0)
    with pytest.raises(ValueError, match="num_classes"):
        pretrained.efficientnet_lite0(num_classes=0)
    with pytest.raises(ValueError, match="not a timm EfficientNet"):
        pretrained.hub_efficientnet("resnet50")


def test_a_tampered_weight_file_is_refused(tmp_path):
    copy = tmp_path / "weights.pth"
    shutil.copyfile(pretrained.lite0_weights_path(), copy)
    with open(copy, "r+b") as handle:
        handle.seek(-1, 2)
        last = handle.read(1)
        handle.seek(-1, 2)
        handle.write(bytes([last[0] ^ 1]))
    with pytest.raises(pretrained.WeightsUnavailable, match="refusing to load"):
        pretrained.lite0_state_dict(copy)


def test_offline_hub_request_falls_back_to_lite0_in_one_line(monkeypatch, caplog):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with caplog.at_level(logging.WARNING, logger="awml.models.pretrained"):
        model = pretrained.pretrained_efficientnet("efficientnet_b3", num_classes=2)
    assert model.name == pretrained.LITE0_ARCHITECTURE
    assert model.preprocessing == pretrained.LITE0_PREPROCESSING
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1 and "efficientnet_b3 unavailable" in lines[0]
    assert model.model.get_classifier().out_features == 2


def test_new_head_keeps_the_backbone(lite0):
    import torch

    fresh = pretrained.efficientnet_lite0(num_classes=2)
    assert torch.equal(fresh.model.conv_stem.weight, lite0.model.conv_stem.weight)
    features = pretrained.feature_extractor(fresh)
    with torch.no_grad():
        out = features(pretrained.LITE0_PREPROCESSING(np.zeros((30, 30, 3), np.uint8)))
    assert out.shape == (1, 1280)


def test_importing_the_module_does_not_import_torch():
    code = ("import sys, awml.models.pretrained; "
            "print(any(m in sys.modules for m in ('torch', 'timm', 'PIL')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_hub_weights_are_checked_against_the_hash_they_are_stored_under(tmp_path, monkeypatch):
    import hashlib

    import huggingface_hub

    from awml.models import hub_weights

    content = b"not really weights"
    good = tmp_path / hashlib.sha256(content).hexdigest()
    good.write_bytes(content)
    bad = tmp_path / ("0" * 64)
    bad.write_bytes(content)
    for blob, ok in ((good, True), (bad, False)):
        monkeypatch.setattr(huggingface_hub, "hf_hub_download", lambda *a, b=blob, **k: str(b))
        if ok:
            assert hub_weights.verified_hub_file("timm/efficientnet_b0.ra_in1k") == good
        else:
            with pytest.raises(pretrained.WeightsUnavailable, match="refusing to load"):
                hub_weights.verified_hub_file("timm/efficientnet_b0.ra_in1k")
