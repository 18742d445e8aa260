"""Counting objects from detections: per-class thresholds, fused ensembles, count errors.

An image's count of class $c$ is the number of its boxes of that class scoring at least
$t_c$. The thresholds are chosen on validation images to minimise the mean absolute count
error, one class at a time. An ensemble first combines its members' boxes on each image
with ``awml.ensembles.boxes.fuse`` (non-maximum suppression or weighted boxes fusion) and
is then counted like a single detector.
"""

from __future__ import annotations

import numpy as np

from awml.ensembles.boxes import Boxes, fuse

THRESHOLD_GRID = np.round(np.arange(0.01, 0.951, 0.01), 2)


def count_boxes(detections: list[Boxes], thresholds: np.ndarray) -> np.ndarray:
    """Return the counts per image and class, int (N, C), for ``thresholds`` (C,)."""
    thresholds = np.asarray(thresholds, dtype=np.float64)
    counts = np.zeros((len(detections), len(thresholds)), np.int64)
    for index, found in enumerate(detections):
        for label, threshold in enumerate(thresholds):
            counts[index, label] = int(np.sum((found.labels == label)
                                              & (found.scores >= threshold)))
    return counts


def _counts_over_grid(detections: list[Boxes], label: int, grid: np.ndarray) -> np.ndarray:
    """Return counts of class ``label`` per threshold and image, int (len(grid), N)."""
    counts = np.empty((len(grid), len(detections)), np.int64)
    for index, found in enumerate(detections):
        scores = np.sort(found.scores[found.labels == label])
        counts[:, index] = len(scores) - np.searchsorted(scores, grid, side="left")
    return counts


def choose_thresholds(detections: list[Boxes], truth: np.ndarray,
                      grid: np.ndarray = THRESHOLD_GRID) -> np.ndarray:
    """Return per-class thresholds (C,) minimising the mean absolute count error on
    ``detections`` against ``truth`` (N, C); among tied thresholds the median is taken."""
    truth = np.asarray(truth)
    if truth.ndim != 2 or len(truth) != len(detections):
        raise ValueError(f"truth has shape {truth.shape}; expected ({len(detections)}, classes)")
    chosen = np.empty(truth.shape[1])
    for label in range(truth.shape[1]):
        counts = _counts_over_grid(detections, label, grid)
        errors = np.abs(counts - truth[None, :, label]).mean(axis=1)
        best = grid[np.isclose(errors, errors.min())]
        chosen[label] = best[len(best) // 2]
    return chosen


def count_errors(predicted: np.ndarray, truth: np.ndarray, targets: tuple[str, ...]
                 ) -> dict[str, float]:
    """Return the MAE and RMSE of each target's counts and the MAE averaged over targets."""
    difference = np.asarray(predicted, np.float64) - np.asarray(truth, np.float64)
    if difference.ndim != 2 or difference.shape[1] != len(targets):
        raise ValueError(f"counts have shape {difference.shape}; expected (N, {len(targets)})")
    errors = {}
    for column, name in enumerate(targets):
        errors[f"{name} MAE"] = float(np.abs(difference[:, column]).mean())
        errors[f"{name} RMSE"] = float(np.sqrt((difference[:, column] ** 2).mean()))
    errors["mean MAE"] = float(np.abs(difference).mean())
    return errors


def fuse_members(members: list[list[Boxes]], image_sizes: list[tuple[int, int]],
                 method: str = "wbf", iou_thr: float = 0.55, skip_box_thr: float = 0.01
                 ) -> list[Boxes]:
    """Combine several detectors' boxes image by image.

    ``members`` holds one list of ``Boxes`` per detector, all over the same images;
    ``image_sizes`` gives each image's (width, height) in pixels. Returns one ``Boxes``
    per image, in pixels.
    """
    if not members or len({len(member) for member in members}) != 1:
        raise ValueError(f"members must be lists of equal length; got lengths "
                         f"{[len(member) for member in members]}")
    if len(image_sizes) != len(members[0]):
        raise ValueError(f"image_sizes has {len(image_sizes)} entries; expected "
                         f"{len(members[0])}, one per image")
    fused = []
    for index, size in enumerate(image_sizes):
        found = [member[index] for member in members]
        if method != "wbf":  # suppression has nothing to weigh, and the library fails on empties
            found = [boxes for boxes in found if len(boxes)]
        if not any(len(boxes) for boxes in found):
            fused.append(Boxes(np.zeros((0, 4)), [], []))
            continue
        fused.append(fuse(found, method=method, iou_thr=iou_thr, skip_box_thr=skip_box_thr,
                          image_size=size))
    return fused
