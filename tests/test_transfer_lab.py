"""Lab 2 in the smoke profile: transfer beats training from scratch with few labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from awml.labs import transfer, transfer_report
from awml.models.finetune import split_efficientnet
from awml.models.pretrained import efficientnet_lite0
from awml.training.intervals import mean_interval


@pytest.fixture(scope="module")
def smoke_run():
    return transfer.transfer_run(show=False)


def test_smoke_run_shows_what_transfer_buys(smoke_run):
    assert smoke_run.profile == "smoke" and smoke_run.extra["data_source"].startswith("offline")
    curve_transfer = smoke_run.arrays["curve_transfer"].mean(axis=1)
    curve_scratch = smoke_run.arrays["curve_scratch"].mean(axis=1)
    assert curve_transfer[0] > curve_scratch[0] + 0.1, (curve_transfer, curve_scratch)
    assert smoke_run.metrics["transfer_roc_auc"] > 0.9
    table = transfer_report.curve_table(smoke_run)
    assert table.index.tolist() == smoke_run.arrays["curve_sizes"].tolist()


def test_reports_and_submission_read_off_the_run(smoke_run, tmp_path):
    assert transfer_report.results_table(smoke_run).shape == (3, 3)
    matrices = transfer_report.confusion_matrices(smoke_run)
    assert all(matrix.sum() == len(smoke_run.arrays["test_labels"]) for matrix in matrices.values())
    images, captions = transfer_report.hardest_test_images(smoke_run)
    assert len(images) == len(captions) == transfer.SHOWN_TEST_IMAGES
    assert set(transfer_report.photograph_table(smoke_run).columns) >= {"hand label"}
    path = transfer_report.write_person_submission(smoke_run, folder=tmp_path)
    frame = pd.read_parquet(path)
    assert frame.shape == (9, 1) and frame["probability"].between(0, 1).all()


def test_stored_top_rebuilds_the_classifier(smoke_run):
    from awml.data.people import photograph

    again = transfer_report.person_probabilities(smoke_run, [photograph("astronaut")])
    assert again[0] == pytest.approx(smoke_run.arrays["score_transfer"][0], abs=1e-4)


def test_split_network_freezes_the_trunk_and_stages_the_top():
    trunk, top = split_efficientnet(efficientnet_lite0().model, trainable_blocks=1)
    assert not any(p.requires_grad for p in trunk.parameters())
    top.set_stage("head")
    learning = {name for name, p in top.named_parameters() if p.requires_grad}
    assert learning == {"classifier.weight", "classifier.bias"}
    top.set_stage("top")
    assert all(p.requires_grad for p in top.parameters())
    with pytest.raises(ValueError, match="trainable_blocks=9"):
        split_efficientnet(efficientnet_lite0().model, trainable_blocks=9)


def test_intervals_widen_with_spread_and_shrink_with_draws():
    mean, low, high = mean_interval([[0.8, 0.9, 1.0], [0.9, 0.9, 0.9]], axis=1)
    assert mean.tolist() == pytest.approx([0.9, 0.9])
    assert high[0] - low[0] > 0.2 and high[1] == pytest.approx(low[1])
    with pytest.raises(ValueError, match="confidence=95"):
        mean_interval([1.0, 2.0], confidence=95)


def test_balanced_draws_and_curve_sizes():
    labels = np.r_[np.ones(12, int), np.zeros(30, int)]
    chosen = transfer.balanced_draw(labels, 5, np.random.default_rng(0))
    assert np.bincount(labels[chosen]).tolist() == [5, 5]
    config = transfer.CONFIGS["cpu"]
    assert transfer.curve_sizes(config, labels) == [2, 5, 10, 12]
