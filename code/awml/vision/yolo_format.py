"""The output format of an anchor-free YOLO detector (YOLOv8), and how to decode it.

For a square input of side ``size`` YOLOv8 predicts on three grids, with strides 8, 16 and
32, so it makes ``(size/8)^2 + (size/16)^2 + (size/32)^2`` predictions (8,400 at 640
pixels). Each prediction is a column of ``4 + C`` numbers: the box centre, width and
height in input pixels, then one score per class. Decoding keeps the columns whose best
class score passes a threshold and suppresses duplicates per class.
"""

from __future__ import annotations

import numpy as np

from awml.vision.boxes import nms

STRIDES = (8, 16, 32)


def prediction_count(size: int, strides: tuple[int, ...] = STRIDES) -> int:
    """Return the number of predictions YOLOv8 makes for a ``size`` x ``size`` input."""
    if size < 1 or any(size % stride for stride in strides):
        raise ValueError(f"size={size} must be a positive multiple of {max(strides)}")
    return sum((size // stride) ** 2 for stride in strides)


def untrained_yolov8(classes: int = 80):
    """Return ultralytics' YOLOv8n network built from its architecture file, with random
    weights, in eval mode: enough to see the shapes of its output, not to detect anything."""
    from awml.models.yolo import ultralytics_environment

    ultralytics_environment()
    from ultralytics.nn.tasks import DetectionModel

    return DetectionModel("yolov8n.yaml", nc=classes, verbose=False).eval()


def decode(raw: np.ndarray, score_threshold: float = 0.25,
           iou_threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode one image's raw output (4 + C, N) into boxes (K, 4) as (x1, y1, x2, y2),
    scores (K,) and classes (K,), after per-class non-maximum suppression."""
    raw = np.asarray(raw, dtype=float)
    if raw.ndim != 2 or raw.shape[0] < 5:
        raise ValueError(f"raw must have shape (4 + C, N); got shape {raw.shape}")
    centres, sizes, scores = raw[:2].T, raw[2:4].T, raw[4:].T  # (N, 2), (N, 2), (N, C)
    classes, best = scores.argmax(axis=1), scores.max(axis=1)
    keep = best >= score_threshold
    boxes = np.hstack([centres - sizes / 2, centres + sizes / 2])[keep]
    classes, best = classes[keep], best[keep]
    valid = np.all(boxes[:, 2:] > boxes[:, :2], axis=1)
    boxes, classes, best = boxes[valid], classes[valid], best[valid]
    chosen = []
    for label in np.unique(classes):
        members = np.flatnonzero(classes == label)
        chosen.extend(members[nms(boxes[members], best[members], iou_threshold)])
    chosen = np.array(sorted(chosen, key=lambda index: -best[index]), dtype=np.int64)
    return boxes[chosen], best[chosen], classes[chosen]
