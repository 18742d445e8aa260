"""Lab 4 (FakeNet) in the smoke profile: the layout reader, the detectors, the submission."""

import zipfile

import numpy as np
import pandas as pd
import pytest

from awml.data.fakenet import read_fakenet
from awml.labs import fakenet
from awml.models.fake_detector import DetectorShape, PairDetector
from awml.training.pair_detection import pair_accuracy, wilson_interval


def _write_layout(folder, pairs=6, score=4, parquet=False):
    from PIL import Image

    rng = np.random.default_rng(0)
    (folder / "images").mkdir(parents=True)
    names = []
    for index in range(2 * (pairs + score)):
        name = f"images/{index:03d}.png"
        pixels = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / name)
        names.append(name)
    train = pd.DataFrame({"real": names[:pairs], "fake": names[pairs:2 * pairs],
                          "caption": ["a cat on a sofa"] * pairs})
    score_table = pd.DataFrame({"first": names[2 * pairs:2 * pairs + score],
                                "second": names[2 * pairs + score:], "caption": ["x"] * score})
    if parquet:
        train.to_parquet(folder / "train.parquet")
    else:
        train.to_csv(folder / "train.csv", index=False)
    score_table.to_csv(folder / "score.csv", index=False)
    return folder


def test_reader_takes_a_folder_or_a_zip_and_drops_captions(tmp_path):
    folder = _write_layout(tmp_path / "fakenet")
    data = read_fakenet(folder, size=16, channels=3)
    assert data.train_real.shape == (6, 3, 16, 16) and data.train_real.dtype == np.float32
    assert data.score_first.shape == data.score_second.shape == (4, 3, 16, 16)
    assert 0.0 <= data.train_fake.min() and data.train_fake.max() <= 1.0
    assert not hasattr(data, "captions")

    archive = tmp_path / "fakenet.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in folder.rglob("*"):
            bundle.write(path, "course-data/" + path.relative_to(folder).as_posix())
    zipped = read_fakenet(archive, size=16, channels=1)
    assert zipped.train_real.shape == (6, 1, 16, 16)
    grey = np.tensordot([0.299, 0.587, 0.114], data.train_real, axes=([0], [1]))[:, None]
    assert np.abs(zipped.train_real - grey).max() < 0.02


def test_reader_accepts_parquet_and_names_what_is_missing(tmp_path):
    folder = _write_layout(tmp_path / "parquet", parquet=True)
    assert len(read_fakenet(folder, size=8).train_real) == 6
    pd.DataFrame({"real": ["a.png"], "caption": ["b"]}).to_csv(folder / "train.csv", index=False)
    (folder / "train.parquet").unlink()
    with pytest.raises(ValueError, match=r"lacks columns \['fake'\]"):
        read_fakenet(folder, size=8)
    with pytest.raises(ValueError, match="does not exist"):
        read_fakenet(tmp_path / "nowhere")


def test_full_data_is_used_when_present_and_online(tmp_path, monkeypatch):
    folder = _write_layout(tmp_path / "fakenet", pairs=10)
    monkeypatch.setenv("AWML_OFFLINE", "0")
    monkeypatch.setenv("AWML_FAKENET", str(folder))
    config = fakenet.CONFIGS["smoke"]
    pairs = fakenet.lab_pairs(config, gan=None, vae=None)
    assert pairs.source.startswith("full") and pairs.notes == []
    assert pairs.sizes() == {"train": 8, "held-back training pairs": 2, "score": 4}
    assert pairs.train_real.shape[1:] == (3, config.image_size, config.image_size)


def test_wilson_interval_and_pair_accuracy():
    low, high = wilson_interval(50, 100)
    assert abs(low - 0.4038) < 1e-3 and abs(high - 0.5962) < 1e-3
    low, high = wilson_interval(100, 100)
    assert abs(high - 1.0) < 1e-9 and 0.96 < low < 0.97
    assert pair_accuracy(np.array([2.0, 1.0, 0.0]), np.array([1.0, 1.0, 3.0])).tolist() == [
        1.0, 0.5, 0.0]
    with pytest.raises(ValueError, match="trials=0"):
        wilson_interval(0, 0)


def test_pair_detector_is_antisymmetric():
    import torch

    detector = PairDetector(DetectorShape(channels=1, width=4)).eval()
    first, second = torch.rand(5, 1, 28, 28), torch.rand(5, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(detector(first, second), -detector(second, first), atol=1e-5)


@pytest.fixture(scope="module")
def lab():
    from awml.training.gan import dcgan_run
    from awml.training.vae import vae_run

    gan, vae = dcgan_run(show=False), vae_run(show=False)
    config = fakenet.CONFIGS["smoke"]
    pairs = fakenet.lab_pairs(config, gan, vae)
    run = fakenet.train_detector_run()
    return gan, pairs, run


def test_offline_pairs_say_why_and_keep_the_vae_out_of_training(lab):
    _, pairs, run = lab
    assert pairs.notes == ["AWML_OFFLINE is set: using the offline pairs, not the FakeNet data"]
    assert set(pairs.evaluation) == {fakenet.SEEN, fakenet.HELD_OUT}
    assert pairs.sizes()["train"] == fakenet.CONFIGS["smoke"].train_pairs
    assert run.extra["train_pairs"] == fakenet.CONFIGS["smoke"].train_pairs
    assert set(np.unique(pairs.score_truth)) <= {0, 1}


def test_detectors_beat_chance_with_intervals(lab):
    from awml.training.pair_detection import scorer_of

    gan, pairs, run = lab
    detector = fakenet.detector_from_run(run)
    table = fakenet.evaluation_table({"discriminator": fakenet.discriminator_scorer(gan),
                                      "pair detector": scorer_of(detector.scorer)}, pairs)
    assert list(table.index.get_level_values(0)) == ["discriminator"] * 2 + ["pair detector"] * 2
    assert (table.pair_low <= table.pair_accuracy).all()
    assert (table.pair_accuracy <= table.pair_high).all()
    assert (table.auc_low <= table.auc_high).all()
    seen = table.loc[("pair detector", fakenet.SEEN)]
    assert seen.pair_low > 0.5, f"pair detector on seen fakes: {seen.pair_accuracy:.2f}"
    real, fake = pairs.evaluation[fakenet.SEEN]
    wrong = fakenet.wrong_pairs(scorer_of(detector.scorer), real, fake)
    assert len(wrong) == round((1 - seen.pair_accuracy) * len(real))


def test_submission_is_checked_before_it_is_written(lab, tmp_path):
    _, pairs, run = lab
    detector = fakenet.detector_from_run(run)
    probabilities = fakenet.pair_probabilities(detector, pairs.score_first, pairs.score_second)
    rows = len(pairs.score_first)
    path = fakenet.write_submission(probabilities, rows, tmp_path / "submission.parquet")
    written = pd.read_parquet(path)
    assert list(written.columns) == ["probability"] and written.probability.dtype == np.float32
    with pytest.raises(ValueError, match=f"has {rows - 1} rows; expected {rows}"):
        fakenet.write_submission(probabilities[:-1], rows, tmp_path / "short.parquet")
    with pytest.raises(ValueError, match=r"values outside \[0, 1\]"):
        fakenet.write_submission(probabilities + 1, rows, tmp_path / "big.parquet")
    assert not (tmp_path / "short.parquet").exists() and not (tmp_path / "big.parquet").exists()
    with pytest.raises(ValueError, match="dtype float64; expected float32"):
        fakenet.check_submission(written.astype("float64"), rows)
    with pytest.raises(ValueError, match=r"expected \['probability'\]"):
        fakenet.check_submission(written.rename(columns={"probability": "p"}), rows)
