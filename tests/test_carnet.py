"""Lab 5 (CarNet) in the smoke profile: scenes, the layout reader, counting, ensembles,
offline ultralytics, and the submission."""

import logging
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from awml.data.carnet import read_carnet
from awml.data.streets import CLASSES, make_scene, scene_counts, write_yolo_split
from awml.ensembles.boxes import Boxes
from awml.ensembles.detection_counts import (choose_thresholds, count_boxes, count_errors,
                                             fuse_members)
from awml.labs import carnet, carnet_report
from awml.training import street_detectors


def test_scenes_are_deterministic_and_their_boxes_fit():
    scene = make_scene(5, 3)
    again = make_scene(5, 3)
    assert np.array_equal(scene.image, again.image) and np.array_equal(scene.boxes, again.boxes)
    assert not np.array_equal(scene.image, make_scene(6, 3).image)
    assert scene.image.shape == (256, 256, 3) and scene.image.dtype == np.uint8
    counts = scene_counts([make_scene(5, index) for index in range(30)])
    assert counts.shape == (30, 2) and counts.sum(axis=0).min() > 10
    for index in range(30):
        boxes = make_scene(5, index).boxes
        assert np.all(boxes >= 0) and np.all(boxes <= 256)
        assert np.all(boxes[:, 2:] > boxes[:, :2])
    with pytest.raises(ValueError, match="size=64"):
        make_scene(0, 0, size=64)


def test_yolo_labels_are_normalised_centres(tmp_path):
    scene = make_scene(5, 1)
    write_yolo_split([scene], tmp_path, "train")
    rows = np.loadtxt(tmp_path / "labels" / "train" / "00000.txt", ndmin=2)
    assert len(rows) == len(scene.boxes)
    assert set(rows[:, 0].astype(int)) <= {0, 1} and np.all((rows[:, 1:] >= 0) & (rows[:, 1:] <= 1))
    x1, y1, x2, y2 = scene.boxes[0]
    assert np.allclose(rows[0, 1:], [(x1 + x2) / 512, (y1 + y2) / 512, (x2 - x1) / 256,
                                     (y2 - y1) / 256], atol=1e-5)


def _carnet_layout(folder):
    from PIL import Image

    (folder / "photos").mkdir(parents=True)
    for index in range(5):
        Image.fromarray(np.full((300, 900, 3), index * 40, np.uint8)).save(
            folder / "photos" / f"{index}.jpg")
    pd.DataFrame({"file": [f"photos/{i}.jpg" for i in range(3)], "signal": [0, 2, 1],
                  "vehicle": [3, 0, 5]}).to_csv(folder / "train.csv", index=False)
    pd.DataFrame({"file": ["photos/3.jpg", "photos/4.jpg"]}).to_parquet(folder / "score.parquet")
    return folder


def test_carnet_reader_takes_a_folder_or_a_zip(tmp_path):
    folder = _carnet_layout(tmp_path / "carnet")
    data = read_carnet(folder)
    assert data.train_counts.tolist() == [[0, 3], [2, 0], [1, 5]]
    assert data.train_images[0].shape == (213, 640, 3)  # the longer side scaled to 640
    assert data.score_files == ["photos/3.jpg", "photos/4.jpg"]
    archive = tmp_path / "carnet.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in folder.rglob("*"):
            bundle.write(path, path.relative_to(folder).as_posix())
    assert len(read_carnet(archive, max_side=None).score_images) == 2
    pd.DataFrame({"file": ["photos/0.jpg"], "signal": [-1], "vehicle": [2]}).to_csv(
        folder / "train.csv", index=False)
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        read_carnet(folder)
    pd.DataFrame({"file": ["photos/0.jpg"], "signal": [1]}).to_csv(folder / "train.csv")
    with pytest.raises(ValueError, match=r"lacks columns \['vehicle'\]"):
        read_carnet(folder)


def test_full_data_splits_training_photos_when_online(tmp_path, monkeypatch):
    folder = _carnet_layout(tmp_path / "carnet")
    monkeypatch.setenv("AWML_OFFLINE", "0")
    monkeypatch.setenv("AWML_CARNET", str(folder))
    data = carnet.lab_data(carnet.CONFIGS["smoke"])
    assert not data.generated and data.sizes() == {"train": 0, "validate": 1, "test": 2,
                                                   "score": 2}
    assert data.counts["test"].tolist() == [[2, 0], [1, 5]] and data.counts["score"] is None


def test_coco_classes_map_to_the_two_targets():
    names = {0: "person", 1: "car", 2: "traffic light", 3: "boat", 4: "stop sign"}
    found = Boxes([[0, 0, 5, 5]] * 5, [0.9, 0.8, 0.7, 0.6, 0.5], [0, 1, 2, 3, 4])
    mapped = carnet.to_targets(found, names)
    assert mapped.labels.tolist() == [1, 0, 1, 0] and mapped.scores.tolist() == [0.8, 0.7, 0.6, 0.5]
    own = carnet.to_targets(found, dict(enumerate(CLASSES)))
    assert own.labels.tolist() == [0, 1]


def test_thresholds_minimise_the_validation_count_error():
    detections = [Boxes([[0, 0, 9, 9]] * 3, [0.9, 0.5, 0.2], [1, 1, 0]),
                  Boxes([[0, 0, 9, 9]] * 2, [0.8, 0.3], [1, 0])]
    truth = np.array([[0, 2], [1, 1]])
    thresholds = choose_thresholds(detections, truth)
    assert 0.2 < thresholds[0] <= 0.3 and 0.0 < thresholds[1] <= 0.5
    assert count_boxes(detections, thresholds).tolist() == truth.tolist()
    errors = count_errors(np.array([[1, 2], [1, 4]]), truth, ("signal", "vehicle"))
    assert errors == {"signal MAE": 0.5, "signal RMSE": np.sqrt(0.5), "vehicle MAE": 1.5,
                      "vehicle RMSE": np.sqrt(4.5), "mean MAE": 1.0}
    with pytest.raises(ValueError, match="expected \\(2, classes\\)"):
        choose_thresholds(detections, truth[:1])


def test_fusion_keeps_agreed_objects_and_discounts_lonely_boxes():
    first = [Boxes([[10, 10, 50, 50], [100, 100, 120, 140]], [0.9, 0.6], [1, 0])]
    second = [Boxes([[12, 11, 52, 49]], [0.8], [1])]
    wbf = fuse_members([first, second], [(256, 256)], method="wbf")[0]
    assert len(wbf) == 2
    agreed = wbf.scores[wbf.labels == 1][0]
    lonely = wbf.scores[wbf.labels == 0][0]
    assert agreed == pytest.approx(0.85) and lonely == pytest.approx(0.3)
    nms = fuse_members([first, second], [(256, 256)], method="nms")[0]
    assert sorted(nms.scores.tolist()) == [0.6, 0.9]
    empty = fuse_members([[Boxes(np.zeros((0, 4)), [], [])]] * 2, [(256, 256)])[0]
    assert len(empty) == 0
    with pytest.raises(ValueError, match="equal length"):
        fuse_members([first, first * 2], [(256, 256)])


def test_ultralytics_stays_offline_and_in_the_checkout(caplog, root):
    from awml.models.yolo import pretrained_detector, ultralytics_environment

    folder = ultralytics_environment()
    from ultralytics.utils.checks import check_font

    assert (folder / "Ultralytics" / "Arial.ttf").is_file()
    assert Path(check_font("Arial.ttf")) == folder / "Ultralytics" / "Arial.ttf"  # no download
    assert Path(os.environ["YOLO_CONFIG_DIR"]).resolve().is_relative_to(root)
    assert os.environ["YOLO_OFFLINE"] == "1"
    with caplog.at_level(logging.WARNING):
        assert pretrained_detector("yolov8x.pt") is None
        assert carnet.pretrained_detectors(carnet.CONFIGS["smoke"]) == {}
    lines = [record.message for record in caplog.records]
    assert lines[0].startswith("offline: COCO-pretrained yolov8x.pt cannot be downloaded")


@pytest.fixture(scope="module")
def smoke_lab():
    config = carnet.CONFIGS["smoke"]
    data = carnet.lab_data(config)
    runs = carnet.train_runs(config.members)  # two detectors, side by side on two cores
    run = runs["yolov8n seed 0"]
    detectors = {"yolov8n seed 0": carnet.detector_from_run(run)}
    found = {split: carnet.member_detections(detectors, data, split, config)
             for split in ("validate", "test", "score")}
    return config, data, run, found


def test_smoke_training_round_trips_and_detects(smoke_lab, root):
    config, data, run, found = smoke_lab
    assert data.generated and data.sizes() == config.scenes
    assert run.task == "carnet-yolo" and set(run.history) == {"box_loss", "cls_loss",
                                                              "dfl_loss"}
    assert list(found["test"]) == ["yolov8n seed 0", "yolov8n seed 0 mirrored"]
    assert all(isinstance(boxes, Boxes) for boxes in found["test"]["yolov8n seed 0"])
    assert (street_detectors.work_dir() / "runs").resolve().is_relative_to(root)
    assert not (Path.home() / ".config" / "Ultralytics").exists()


def test_comparison_table_and_checked_submission(smoke_lab, tmp_path):
    config, data, _, found = smoke_lab
    validate, test, ious = carnet_report.candidates(found, data, config.fusion_ious)
    assert set(ious) == {"ensemble (non-maximum suppression)", "ensemble (weighted boxes fusion)"}
    assert set(ious.values()) <= set(config.fusion_ious)
    table = carnet_report.comparison_table(validate, test, data.counts["validate"],
                                           data.counts["test"], data.counts["train"])
    assert table.index[0].startswith("baseline")
    assert "ensemble (weighted boxes fusion)" in table.index
    assert {"signal MAE", "vehicle RMSE", "mean MAE"} <= set(table.columns)

    rows = len(data.images["score"])
    counts = np.array([[1, 2]] * rows)
    path = carnet_report.write_submission(counts, rows, tmp_path / "carnet.parquet")
    written = pd.read_parquet(path)
    assert list(written.columns) == ["signal", "vehicle"] and written.shape == (rows, 2)
    with pytest.raises(ValueError, match=r"expected \['signal', 'vehicle'\] in that order"):
        carnet_report.check_submission(written[["vehicle", "signal"]], rows)
    with pytest.raises(ValueError, match="dtype float64; expected whole numbers"):
        carnet_report.write_submission(counts * 1.0, rows, tmp_path / "bad.parquet")
    with pytest.raises(ValueError, match="negative counts"):
        carnet_report.write_submission(-counts, rows, tmp_path / "bad.parquet")
    with pytest.raises(ValueError, match=f"has {rows + 1} rows"):
        carnet_report.write_submission(np.vstack([counts, [[0, 0]]]), rows,
                                       tmp_path / "bad.parquet")
    assert not (tmp_path / "bad.parquet").exists()
