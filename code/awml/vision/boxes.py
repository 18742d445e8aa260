"""Bounding boxes: overlap (IoU), non-maximum suppression, and the YOLO formats.

Boxes are numpy arrays (K, 4) of pixel corners (x1, y1, x2, y2) with x2 > x1, y2 > y1.
YOLO labels describe a box by its centre, width and height as fractions of the image
size: (cx, cy, w, h) in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _boxes(boxes, name: str = "boxes") -> np.ndarray:
    array = np.asarray(boxes, dtype=float).reshape(-1, 4) if np.size(boxes) else np.zeros((0, 4))
    if np.any(array[:, 2:] <= array[:, :2]):
        raise ValueError(f"{name} need x2 > x1 and y2 > y1 in (x1, y1, x2, y2) order")
    return array


def box_area(boxes) -> np.ndarray:
    """Return the area of each box in square pixels, shape (K,)."""
    boxes = _boxes(boxes)
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def iou_matrix(first, second) -> np.ndarray:
    """Return the intersection over union of every pair, shape (K, M), values in [0, 1]."""
    first, second = _boxes(first, "first"), _boxes(second, "second")
    top_left = np.maximum(first[:, None, :2], second[None, :, :2])
    bottom_right = np.minimum(first[:, None, 2:], second[None, :, 2:])
    overlap = np.clip(bottom_right - top_left, 0.0, None).prod(axis=2)
    union = box_area(first)[:, None] + box_area(second)[None, :] - overlap
    return overlap / union


def nms(boxes, scores, iou_threshold: float = 0.5) -> np.ndarray:
    """Greedy non-maximum suppression: return the indices of the kept boxes, best first.

    Take the highest-scoring box left, keep it, and discard every remaining box whose IoU
    with it exceeds ``iou_threshold``; repeat until no box is left.
    """
    boxes, scores = _boxes(boxes), np.asarray(scores, dtype=float).reshape(-1)
    if len(scores) != len(boxes):
        raise ValueError(f"scores has {len(scores)} entries for {len(boxes)} boxes")
    if not 0.0 <= iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold={iou_threshold} must be in [0, 1]")
    order = list(np.argsort(-scores, kind="stable"))
    kept = []
    while order:
        best, order = order[0], order[1:]
        kept.append(best)
        if order:
            overlaps = iou_matrix(boxes[best], boxes[order])[0]
            order = [index for index, overlap in zip(order, overlaps) if overlap <= iou_threshold]
    return np.array(kept, dtype=np.int64)


def to_yolo(boxes, width: int, height: int) -> np.ndarray:
    """Return boxes as YOLO (cx, cy, w, h), fractions of the image size, shape (K, 4)."""
    boxes = _boxes(boxes)
    scale = np.array([width, height, width, height], dtype=float)
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    sizes = boxes[:, 2:] - boxes[:, :2]
    return np.hstack([centres, sizes]) / scale


def from_yolo(rows, width: int, height: int) -> np.ndarray:
    """Return YOLO (cx, cy, w, h) fractions as pixel corners (x1, y1, x2, y2), (K, 4)."""
    rows = np.asarray(rows, dtype=float).reshape(-1, 4)
    scale = np.array([width, height, width, height], dtype=float)
    centres, sizes = rows[:, :2], rows[:, 2:]
    return np.hstack([centres - sizes / 2, centres + sizes / 2]) * scale


def yolo_label_lines(boxes, classes, width: int, height: int) -> list[str]:
    """Return the lines of a YOLO label file: ``class cx cy w h`` per box, six decimals."""
    rows = to_yolo(boxes, width, height)
    return [f"{int(c)} " + " ".join(f"{value:.6f}" for value in row)
            for c, row in zip(classes, rows)]


@dataclass
class GridTarget:
    """A YOLOv1-style target: per grid cell (S, S), 5 + C numbers.

    Channels 0-1 are the box centre's offset within its cell (in [0, 1)), 2-3 the box's
    width and height as fractions of the image, 4 the objectness (1 in the cell that holds
    the centre), 5.. the one-hot class.
    """

    values: np.ndarray  # (S, S, 5 + C)
    cells: list[tuple[int, int]]  # (row, column) of the cell responsible for each box


def grid_target(boxes, classes, width: int, height: int, grid: int = 7,
                num_classes: int = 2) -> GridTarget:
    """Encode boxes as the (grid, grid, 5 + num_classes) target a YOLOv1 network learns.

    Each box is assigned to the cell that contains its centre. Limitation: one box per
    cell, as in YOLOv1; a second centre in the same cell overwrites the first.
    """
    if grid < 1 or num_classes < 1:
        raise ValueError(f"grid={grid} and num_classes={num_classes} must be at least 1")
    values = np.zeros((grid, grid, 5 + num_classes))
    cells = []
    for (cx, cy, w, h), label in zip(to_yolo(boxes, width, height), classes):
        if not 0 <= int(label) < num_classes:
            raise ValueError(f"class {label} is outside 0..{num_classes - 1}")
        col, row = min(int(cx * grid), grid - 1), min(int(cy * grid), grid - 1)
        values[row, col, :5] = (cx * grid - col, cy * grid - row, w, h, 1.0)
        values[row, col, 5:] = 0.0
        values[row, col, 5 + int(label)] = 1.0
        cells.append((row, col))
    return GridTarget(values, cells)


def decode_grid(values: np.ndarray, width: int, height: int,
                threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode a (S, S, 5 + C) grid into (boxes (K, 4), classes (K,), scores (K,)).

    A cell contributes a box when its objectness is at least ``threshold``; its score is
    objectness times the largest class probability.
    """
    values = np.asarray(values, dtype=float)
    grid = values.shape[0]
    rows, cols = np.nonzero(values[..., 4] >= threshold)
    cells = values[rows, cols]
    centres = np.column_stack([(cols + cells[:, 0]) / grid, (rows + cells[:, 1]) / grid])
    boxes = from_yolo(np.hstack([centres, cells[:, 2:4]]), width, height)
    classes = cells[:, 5:].argmax(axis=1)
    scores = cells[:, 4] * cells[:, 5:].max(axis=1)
    return boxes, classes, scores


def jitter_proposals(truth, per_box: int = 6, spread: float = 0.12, false_positives: int = 3,
                     width: int = 1280, height: int = 720, seed: int = 0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Imitate a detector's raw output around ground-truth boxes, before suppression.

    Each true box gets ``per_box`` candidates whose corners move by up to ``spread`` of the
    box's size; a candidate's score falls as its IoU with the true box falls. A few
    ``false_positives`` are placed at random with low scores. Returns boxes (K, 4),
    scores (K,) and, per candidate, the index of its true box (-1 for false positives).
    """
    truth = _boxes(truth, "truth")
    rng = np.random.default_rng(seed)
    boxes, scores, owners = [], [], []
    for index, box in enumerate(truth):
        size = np.tile(box[2:] - box[:2], 2)
        for _ in range(per_box):
            candidate = box + rng.uniform(-spread, spread, 4) * size
            candidate[2:] = np.maximum(candidate[2:], candidate[:2] + 2)
            candidate = np.clip(candidate, 0, [width, height, width, height])
            overlap = iou_matrix(box, candidate)[0, 0]
            boxes.append(candidate)
            scores.append(float(np.clip(0.35 + 0.6 * overlap + rng.normal(0, 0.03), 0, 1)))
            owners.append(index)
    for _ in range(false_positives):
        corner = rng.uniform([0, 0], [width * 0.8, height * 0.8])
        boxes.append(np.r_[corner, corner + rng.uniform(40, 160, 2)])
        scores.append(float(rng.uniform(0.05, 0.3)))
        owners.append(-1)
    return np.array(boxes), np.array(scores), np.array(owners)
