"""Module 2: boxes, IoU, non-maximum suppression and the YOLO formats."""

import logging

import numpy as np
import pytest
import torch
import torchvision

from awml.vision import boxes as B
from awml.vision.ground_truth import SIDELINE, pretrained_detections
from awml.vision.yolo_format import decode, prediction_count


def test_iou_of_simple_pairs():
    square = np.array([0, 0, 10, 10])
    shifted = np.array([5, 0, 15, 10])
    far = np.array([20, 20, 30, 30])
    table = B.iou_matrix(square, np.vstack([square, shifted, far]))
    assert np.allclose(table, [[1.0, 1 / 3, 0.0]])
    with pytest.raises(ValueError, match="x2 > x1"):
        B.iou_matrix([5, 5, 1, 1], square)


def test_nms_matches_torchvision_on_many_random_boxes():
    rng = np.random.default_rng(0)
    corners = rng.uniform(0, 100, size=(60, 2))
    candidates = np.hstack([corners, corners + rng.uniform(5, 40, size=(60, 2))])
    scores = rng.uniform(size=60)
    for threshold in (0.1, 0.5, 0.9):
        reference = torchvision.ops.nms(torch.tensor(candidates), torch.tensor(scores), threshold)
        assert list(B.nms(candidates, scores, threshold)) == reference.tolist()
    with pytest.raises(ValueError, match="iou_threshold"):
        B.nms(candidates, scores, 1.5)


def test_low_nms_threshold_deletes_an_overlapping_person():
    candidates, scores, owners = B.jitter_proposals(SIDELINE.boxes, seed=0)
    strict = set(owners[B.nms(candidates, scores, 0.2)])
    loose = set(owners[B.nms(candidates, scores, 0.5)])
    assert 0 not in strict and {0, 1, 2, 3} <= loose


def test_yolo_round_trip_and_label_lines():
    rows = B.to_yolo(SIDELINE.boxes, 1280, 720)
    assert np.all((rows >= 0) & (rows <= 1))
    assert np.allclose(B.from_yolo(rows, 1280, 720), SIDELINE.boxes)
    lines = B.yolo_label_lines(SIDELINE.boxes, SIDELINE.classes, 1280, 720)
    assert lines[0].split()[0] == "0" and len(lines[2].split()) == 5


def test_grid_target_collides_at_seven_cells_but_not_thirteen():
    coarse = B.grid_target(SIDELINE.boxes, SIDELINE.classes, 1280, 720, grid=7)
    fine = B.grid_target(SIDELINE.boxes, SIDELINE.classes, 1280, 720, grid=13)
    assert len(set(coarse.cells)) == 3 and len(set(fine.cells)) == 4
    decoded, classes, scores = B.decode_grid(fine.values, 1280, 720)
    order = np.argsort(decoded[:, 0])
    assert np.allclose(decoded[order], SIDELINE.boxes[np.argsort(SIDELINE.boxes[:, 0])])
    assert np.all(scores == 1.0)
    with pytest.raises(ValueError, match="class"):
        B.grid_target(SIDELINE.boxes, [0, 0, 5, 1], 1280, 720, num_classes=2)


def test_yolov8_decode_keeps_one_box_per_object():
    raw = np.zeros((6, 5))  # 4 box numbers + 2 classes, 5 positions
    raw[:4] = np.array([[50, 52, 200, 10, 30],  # centre x of each position
                        [50, 50, 80, 10, 30],  # centre y
                        [20, 20, 10, 4, 4],  # width
                        [20, 20, 10, 4, 4]], dtype=float)  # height
    raw[4:] = np.array([[0.9, 0.8, 0.0, 0.1, 0.0],  # class 0: a box and its duplicate
                        [0.0, 0.0, 0.7, 0.0, 0.0]])  # class 1
    boxes, scores, classes = decode(raw, score_threshold=0.25, iou_threshold=0.5)
    assert len(boxes) == 2 and list(classes) == [0, 1]
    assert scores[0] == pytest.approx(0.9)
    assert prediction_count(640) == 8400
    with pytest.raises(ValueError, match="multiple"):
        prediction_count(100)


def test_detector_is_skipped_offline_with_one_line(caplog):
    with caplog.at_level(logging.WARNING):
        assert pretrained_detections(np.zeros((32, 32, 3), np.uint8)) is None
    assert len(caplog.records) == 1 and "offline" in caplog.records[0].getMessage()
