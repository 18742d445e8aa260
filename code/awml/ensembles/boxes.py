"""Combining object detectors: non-maximum suppression versus weighted boxes fusion.

The scene is a real photograph that ships with ultralytics (``assets/bus.jpg``, 810 x 1080
pixels) with boxes drawn by hand around its bus and its four people. No detector weights
are available offline, so the two detectors' outputs are written out below, each with the
error it makes, so that every fused box can be explained. ``simulate_detector`` makes many
more such outputs at random for a comparison over repeated trials. Fusion itself is the
``ensemble-boxes`` library; boxes are (x1, y1, x2, y2) in pixels throughout, converted to
the library's [0, 1] coordinates at the boundary.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

LABELS = {0: "person", 1: "bus"}
IMAGE_SIZE = (810, 1080)  # width, height of bus.jpg in pixels
METHODS = ("nms", "soft_nms", "wbf")


@dataclass
class Boxes:
    """Boxes (K, 4) as pixel (x1, y1, x2, y2), scores (K,) in [0, 1], labels (K,) ints."""

    boxes: np.ndarray
    scores: np.ndarray
    labels: np.ndarray
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.boxes = np.asarray(self.boxes, dtype=np.float64).reshape(-1, 4)
        self.scores = np.asarray(self.scores, dtype=np.float64).reshape(-1)
        self.labels = np.asarray(self.labels, dtype=np.int64).reshape(-1)
        if not len(self.boxes) == len(self.scores) == len(self.labels):
            raise ValueError(f"boxes, scores and labels have {len(self.boxes)}, "
                             f"{len(self.scores)} and {len(self.labels)} rows; expected equal")
        if len(self.boxes) and np.any(self.boxes[:, 2:] <= self.boxes[:, :2]):
            raise ValueError("every box needs x2 > x1 and y2 > y1 (x1, y1, x2, y2 order)")

    def __len__(self) -> int:
        return len(self.boxes)

    def above(self, threshold: float) -> "Boxes":
        """Return the boxes scoring at least ``threshold`` (notes are dropped)."""
        kept = self.scores >= threshold
        return Boxes(self.boxes[kept], self.scores[kept], self.labels[kept])


BUS_TRUTH = Boxes(
    boxes=[(15, 230, 805, 735), (50, 398, 245, 905), (222, 405, 345, 860),
           (668, 395, 810, 878), (0, 555, 78, 872)],
    scores=[1, 1, 1, 1, 1],
    labels=[1, 0, 0, 0, 0],
    notes=["bus", "man in the light coat", "man in the dark coat",
           "person cut by the right edge", "person cut by the left edge"],
)


def bus_photo() -> np.ndarray:
    """Return ultralytics' ``bus.jpg`` as uint8 (1080, 810, 3), read without importing it."""
    from PIL import Image

    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("ultralytics is not installed; its bus.jpg ships with it")
    path = Path(spec.submodule_search_locations[0]) / "assets" / "bus.jpg"
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def bus_detections() -> dict[str, Boxes]:
    """Return the outputs of two detectors on the bus photo, each box with its error.

    Detector A draws tight boxes and is confident, misses the person cut by the left
    edge and takes a bollard for a person. Detector B draws loose boxes, finds the cut
    person with a low score and takes a logo on the bus for a person.
    """
    detector_a = Boxes(
        boxes=[(25, 240, 795, 722), (60, 405, 238, 880), (230, 412, 340, 848),
               (690, 420, 810, 870), (428, 658, 462, 762)],
        scores=[0.93, 0.91, 0.88, 0.62, 0.31],
        labels=[1, 0, 0, 0, 0],
        notes=["bus, a little tight", "light coat, feet cut off", "dark coat, tight",
               "right person, top cut off", "false: a bollard"],
    )
    detector_b = Boxes(
        boxes=[(5, 215, 810, 752), (40, 388, 256, 918), (212, 395, 356, 872),
               (655, 385, 810, 888), (0, 548, 88, 880), (588, 392, 660, 490)],
        scores=[0.88, 0.86, 0.90, 0.74, 0.47, 0.26],
        labels=[1, 0, 0, 0, 0, 0],
        notes=["bus, a little loose", "light coat, loose", "dark coat, loose",
               "right person, loose", "left person, low score", "false: a logo on the bus"],
    )
    return {"A": detector_a, "B": detector_b}


def box_iou(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Return the intersection over union of every pair, shape (len(first), len(second))."""
    first = np.asarray(first, dtype=np.float64).reshape(-1, 4)
    second = np.asarray(second, dtype=np.float64).reshape(-1, 4)
    top_left = np.maximum(first[:, None, :2], second[None, :, :2])
    bottom_right = np.minimum(first[:, None, 2:], second[None, :, 2:])
    overlap = np.clip(bottom_right - top_left, 0, None).prod(axis=2)
    area_first = (first[:, 2:] - first[:, :2]).prod(axis=1)
    area_second = (second[:, 2:] - second[:, :2]).prod(axis=1)
    return overlap / (area_first[:, None] + area_second[None, :] - overlap)


def fuse(detections: list[Boxes], method: str = "wbf", iou_thr: float = 0.55,
         skip_box_thr: float = 0.0, weights: list[float] | None = None,
         image_size: tuple[int, int] = IMAGE_SIZE) -> Boxes:
    """Combine the boxes of several detectors on one image with ``ensemble-boxes``.

    ``method`` is ``nms`` (keep the best box of each overlapping group), ``soft_nms``
    (lower the scores of overlapping boxes instead of removing them) or ``wbf`` (replace
    each group by its score-weighted mean box). Boxes overlapping by more than
    ``iou_thr`` form a group; input boxes scoring below ``skip_box_thr`` are dropped
    first. Returns the fused boxes in pixels, best score first.
    """
    from ensemble_boxes import nms, soft_nms, weighted_boxes_fusion

    if method not in METHODS:
        raise ValueError(f"method={method!r} is not one of {', '.join(METHODS)}")
    if not 0.0 < iou_thr < 1.0:
        raise ValueError(f"iou_thr={iou_thr!r} must lie strictly between 0 and 1")
    scale = np.array([*image_size, *image_size], dtype=np.float64)
    if method != "wbf":  # the library's wbf skips low scores itself
        detections = [d.above(skip_box_thr) for d in detections]
    boxes = [np.clip(d.boxes / scale, 0, 1).tolist() for d in detections]
    scores = [d.scores.tolist() for d in detections]
    labels = [d.labels.tolist() for d in detections]
    if method == "wbf":
        fused = weighted_boxes_fusion(boxes, scores, labels, weights=weights,
                                      iou_thr=iou_thr, skip_box_thr=skip_box_thr)
    elif method == "nms":
        fused = nms(boxes, scores, labels, iou_thr=iou_thr, weights=weights)
    else:
        fused = soft_nms(boxes, scores, labels, iou_thr=iou_thr, weights=weights,
                         thresh=max(skip_box_thr, 1e-3))
    fused_boxes, fused_scores, fused_labels = fused
    order = np.argsort(-np.asarray(fused_scores))
    return Boxes(np.asarray(fused_boxes).reshape(-1, 4)[order] * scale,
                 np.asarray(fused_scores)[order], np.asarray(fused_labels)[order])


def match(predicted: Boxes, truth: Boxes, iou_threshold: float = 0.5
          ) -> tuple[np.ndarray, np.ndarray]:
    """Match predictions to true boxes of the same label, best score first.

    Returns ``hits`` (K,) booleans, True where a prediction claims a still unclaimed true
    box with IoU >= ``iou_threshold``, and ``best_iou`` (number of true boxes,) the IoU
    of the prediction that claimed each true box (0 where none did).
    """
    hits = np.zeros(len(predicted), dtype=bool)
    best_iou = np.zeros(len(truth))
    if not len(predicted) or not len(truth):
        return hits, best_iou
    overlaps = box_iou(predicted.boxes, truth.boxes)
    overlaps[predicted.labels[:, None] != truth.labels[None, :]] = 0.0
    claimed = np.zeros(len(truth), dtype=bool)
    for index in np.argsort(-predicted.scores, kind="stable"):
        candidates = np.where(claimed, -1.0, overlaps[index])
        target = int(candidates.argmax())
        if candidates[target] >= iou_threshold:
            hits[index], claimed[target] = True, True
            best_iou[target] = overlaps[index, target]
    return hits, best_iou


def average_precision(predicted: Boxes, truth: Boxes, iou_threshold: float = 0.5) -> float:
    """Return the area under the precision-recall curve (all points), in [0, 1].

    Predictions are ranked by score over all labels together; a hit is a match as in
    :func:`match`. Precision is made non-increasing before the area is taken.
    """
    if not len(truth):
        raise ValueError("truth holds no boxes; average precision is undefined")
    hits, _ = match(predicted, truth, iou_threshold)
    order = np.argsort(-predicted.scores, kind="stable")
    true_positives = np.cumsum(hits[order])
    precision = true_positives / np.arange(1, len(order) + 1)
    recall = true_positives / len(truth)
    precision = np.maximum.accumulate(precision[::-1])[::-1] if len(order) else precision
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float((steps * precision).sum())


def simulate_detector(truth: Boxes, rng: np.random.Generator, *, scale: float = 1.0,
                      jitter: float = 0.05, miss: float = 0.1, false_boxes: float = 0.5,
                      image_size: tuple[int, int] = IMAGE_SIZE) -> Boxes:
    """Return a made-up detector output for ``truth``: every error is drawn on purpose.

    Each true box is missed with probability ``miss``; otherwise it is scaled about its
    centre by ``scale`` and each side moves by a normal amount of ``jitter`` times the
    box size. Its score falls with the error it carries. About ``false_boxes`` (a Poisson
    mean) false boxes of a random label and low score are added.
    """
    if not 0.0 <= miss < 1.0 or jitter < 0 or scale <= 0 or false_boxes < 0:
        raise ValueError(f"need 0 <= miss < 1, jitter >= 0, scale > 0, false_boxes >= 0; "
                         f"got miss={miss}, jitter={jitter}, scale={scale}, "
                         f"false_boxes={false_boxes}")
    width, height = image_size
    boxes, scores, labels = [], [], []
    for box, label in zip(truth.boxes, truth.labels):
        if rng.random() < miss:
            continue
        centre, size = (box[:2] + box[2:]) / 2, (box[2:] - box[:2]) * scale
        moved = np.concatenate([centre - size / 2, centre + size / 2])
        moved += rng.normal(0, jitter, 4) * np.tile(size, 2)
        moved = np.clip(moved, 0, [width, height, width, height])
        if np.any(moved[2:] - moved[:2] < 2):
            continue
        quality = float(box_iou(moved, box)[0, 0])
        boxes.append(moved)
        scores.append(float(np.clip(0.35 + 0.6 * quality + rng.normal(0, 0.05), 0.05, 0.99)))
        labels.append(label)
    for _ in range(rng.poisson(false_boxes)):
        size = rng.uniform(40, 200, 2)
        corner = rng.uniform(0, 1, 2) * (np.array([width, height]) - size)
        boxes.append(np.concatenate([corner, corner + size]))
        scores.append(float(rng.uniform(0.1, 0.45)))
        labels.append(int(rng.choice(list(LABELS))))
    return Boxes(np.array(boxes).reshape(-1, 4), scores, labels)


def repeated_trials(truth: Boxes, trials: int = 200, seed: int = 0, iou_thr: float = 0.55,
                    tight: float = 0.93, loose: float = 1.07) -> dict[str, dict[str, np.ndarray]]:
    """Score two simulated detectors and their fusions over many random trials.

    In every trial detector A draws boxes ``tight`` times the true size and detector B
    ``loose`` times, each with independent jitter, misses and false boxes. Returns, for
    ``A``, ``B``, ``nms`` and ``wbf``, arrays (trials,) of ``mean_iou`` (over the true boxes
    found), ``ap50`` and ``ap75`` (average precision at IoU 0.5 and 0.75).
    """
    if trials < 1:
        raise ValueError(f"trials={trials!r} must be at least 1")
    rng = np.random.default_rng(seed)
    scores: dict[str, dict[str, list]] = {}
    for _ in range(trials):
        detector_a = simulate_detector(truth, rng, scale=tight)
        detector_b = simulate_detector(truth, rng, scale=loose)
        outputs = {"A": detector_a, "B": detector_b,
                   "nms": fuse([detector_a, detector_b], "nms", iou_thr=iou_thr),
                   "wbf": fuse([detector_a, detector_b], "wbf", iou_thr=iou_thr)}
        for name, predicted in outputs.items():
            found = match(predicted, truth, 0.5)[1]
            entry = scores.setdefault(name, {"mean_iou": [], "ap50": [], "ap75": []})
            entry["mean_iou"].append(found[found > 0].mean() if (found > 0).any() else 0.0)
            entry["ap50"].append(average_precision(predicted, truth, 0.5))
            entry["ap75"].append(average_precision(predicted, truth, 0.75))
    return {name: {key: np.array(values) for key, values in entry.items()}
            for name, entry in scores.items()}
