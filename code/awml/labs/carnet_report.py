"""Lab 5, CarNet: counts from detections, the comparison table, the figure, the submission.

Every detector and ensemble is counted the same way: per-class thresholds chosen on the
validation scenes, then applied unchanged to the test or score scenes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from awml.data.carnet import TARGETS
from awml.ensembles.boxes import Boxes
from awml.ensembles.detection_counts import (choose_thresholds, count_boxes, count_errors,
                                             fuse_members)

if TYPE_CHECKING:
    from awml.labs.carnet import LabData

FUSIONS = {"nms": "non-maximum suppression", "wbf": "weighted boxes fusion"}


def fused(members: dict[str, list[Boxes]], images: list[np.ndarray], method: str,
          iou_thr: float) -> list[Boxes]:
    """Return the boxes of all ``members`` fused image by image with ``method``."""
    sizes = [(image.shape[1], image.shape[0]) for image in images]
    return fuse_members(list(members.values()), sizes, method=method, iou_thr=iou_thr)


def _validation_error(found: list[Boxes], counts: np.ndarray) -> float:
    thresholds = choose_thresholds(found, counts)
    return count_errors(count_boxes(found, thresholds), counts, TARGETS)["mean MAE"]


def candidates(found: dict[str, dict[str, list[Boxes]]], data: LabData,
               ious: tuple[float, ...]
               ) -> tuple[dict[str, list[Boxes]], dict[str, list[Boxes]], dict[str, float]]:
    """Return every counter to compare on the validation and test images, and the fusion
    IoU chosen for each ensemble.

    ``found`` maps a split to member name -> boxes per image. The counters are each member
    alone and the ensemble of all members under each fusion method; an ensemble's IoU is
    the one of ``ious`` with the lowest validation count error.
    """
    validate, test = dict(found["validate"]), dict(found["test"])
    chosen = {}
    for method, label in FUSIONS.items():
        name = f"ensemble ({label})"
        options = {iou: fused(found["validate"], data.images["validate"], method, iou)
                   for iou in ious}
        errors = {iou: _validation_error(boxes, data.counts["validate"])
                  for iou, boxes in options.items()}
        chosen[name] = min(errors, key=errors.get)
        validate[name] = options[chosen[name]]
        test[name] = fused(found["test"], data.images["test"], method, chosen[name])
    return validate, test, chosen


def comparison_table(validate: dict[str, list[Boxes]], test: dict[str, list[Boxes]],
                     validate_counts: np.ndarray, test_counts: np.ndarray,
                     train_counts: np.ndarray) -> "pandas.DataFrame":
    """Return a DataFrame of count errors on the test scenes, one row per counter.

    Thresholds are chosen per counter on the validation scenes; the first row is the
    baseline that predicts the mean training count (rounded) for every image.
    """
    import pandas as pd

    baseline = np.tile(np.round(train_counts.mean(axis=0)), (len(test_counts), 1))
    rows = {"baseline: mean training count": {**count_errors(baseline, test_counts, TARGETS),
                                              "signal threshold": np.nan,
                                              "vehicle threshold": np.nan}}
    for name, found in test.items():
        thresholds = choose_thresholds(validate[name], validate_counts)
        rows[name] = {**count_errors(count_boxes(found, thresholds), test_counts, TARGETS),
                      "signal threshold": thresholds[0], "vehicle threshold": thresholds[1]}
    return pd.DataFrame(rows).T


def best_single_and_ensemble(table: "pandas.DataFrame", singles: list[str]
                             ) -> tuple[str, float, str, float]:
    """Return (best single name, its mean MAE, best ensemble name, its mean MAE)."""
    ensembles = [name for name in table.index if name.startswith("ensemble")]
    single = table.loc[singles, "mean MAE"].idxmin()
    ensemble = table.loc[ensembles, "mean MAE"].idxmin()
    return single, float(table.loc[single, "mean MAE"]), ensemble, float(
        table.loc[ensemble, "mean MAE"])


def draw_counts(images: list[np.ndarray], detections: list[Boxes], thresholds: np.ndarray,
                truth: np.ndarray, columns: int = 4) -> "matplotlib.figure.Figure":
    """Return a figure of ``images`` with the boxes that count drawn (signals magenta,
    vehicles cyan) and each image's counted and true numbers in its title."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    rows = -(-len(images) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.8 * rows),
                                squeeze=False)
    counted = count_boxes(detections, thresholds)
    for axis in axes.flat:
        axis.axis("off")
    for axis, image, found, count, true in zip(axes.flat, images, detections, counted, truth):
        axis.imshow(image)
        for box, score, label in zip(found.boxes, found.scores, found.labels):
            if score >= thresholds[label]:
                axis.add_patch(Rectangle(box[:2], *(box[2:] - box[:2]), fill=False, lw=1.2,
                                         color=("magenta", "cyan")[label]))
        axis.set_title(f"signals {count[0]} ({true[0]}), vehicles {count[1]} ({true[1]})",
                       fontsize=8)
    figure.tight_layout(pad=0.3)
    return figure


def draw_truth(data: LabData, split: str = "train", count: int = 8
               ) -> "matplotlib.figure.Figure":
    """Return a figure of the first ``count`` images of ``split`` with their true counts in
    the titles and, for generated scenes, their true boxes."""
    images = data.images[split][:count]
    if data.generated:
        truth = [Boxes(scene.boxes, np.ones(len(scene.boxes)), scene.labels)
                 for scene in data.scenes[split][:count]]
    else:
        truth = [Boxes(np.zeros((0, 4)), [], []) for _ in images]
    return draw_counts(images, truth, [0.5, 0.5], data.counts[split][:count])


def check_submission(frame: "pandas.DataFrame", rows: int) -> None:
    """Raise ``ValueError`` with one line unless ``frame`` is a valid CarNet submission:
    the columns ``signal`` and ``vehicle`` in that order, ``rows`` rows, whole numbers >= 0."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"submission is a {type(frame).__name__}; expected a pandas DataFrame")
    if list(frame.columns) != list(TARGETS):
        raise ValueError(f"submission has columns {list(frame.columns)}; expected "
                         f"{list(TARGETS)} in that order")
    if len(frame) != rows:
        raise ValueError(f"submission has {len(frame)} rows; expected {rows}, one per score "
                         "photo in the metadata's order")
    for column in TARGETS:
        values = frame[column]
        if not pd.api.types.is_integer_dtype(values.dtype):
            raise ValueError(f"column {column!r} has dtype {values.dtype}; expected integers")
        if (values < 0).any():
            first = int(np.flatnonzero((values < 0).to_numpy())[0])
            raise ValueError(f"column {column!r} has negative counts (row {first}: "
                             f"{values.iloc[first]}); expected counts >= 0")


def write_submission(counts: np.ndarray, rows: int, path: Path | str) -> Path:
    """Check ``counts`` (rows, 2: signal, vehicle) and write them as Parquet to ``path``.

    Nothing is written when a check fails; the written file is read back and checked again.
    """
    import pandas as pd

    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[1] != len(TARGETS):
        raise ValueError(f"counts has shape {counts.shape}; expected ({rows}, {len(TARGETS)})")
    if not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts has dtype {counts.dtype}; expected whole numbers")
    frame = pd.DataFrame(counts.astype(np.int64), columns=list(TARGETS))
    check_submission(frame, rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    check_submission(pd.read_parquet(path), rows)
    return path
