"""Build the person / no person dataset from COCO's instance annotations.

Each COCO image gives one square crop (its centre, as wide as its shorter side), resized
to ``size`` pixels. The crop is labelled 1 when person boxes cover at least
``min_person_fraction`` of it, 0 when no person box touches it; crops in between (a sliver
of a person at the edge) are left out, so every label is unambiguous. The output is the
folder layout that ``awml.data.people.read_course_dataset`` reads.
"""

from __future__ import annotations

import csv
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from awml.data.people import ANSWERS_FILE, LABEL_FILE, SCORE_FILE
from awml.progress import progress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CropLabel:
    """The label of one crop: ``person`` is 1, 0, or None when ambiguous (left out)."""

    image_id: int
    file_name: str
    box: tuple[int, int, int, int]  # left, top, right, bottom of the square crop, pixels
    person: int | None
    person_fraction: float  # share of the crop covered by person boxes, 0..1


def _person_category(categories: list[dict]) -> int:
    for category in categories:
        if category.get("name") == "person":
            return int(category["id"])
    raise ValueError("annotations have no category named 'person'")


def label_crops(coco: dict, min_person_fraction: float = 0.05) -> list[CropLabel]:
    """Return the centre-crop label of every image in a COCO annotation dictionary.

    The covered share is the sum of the person boxes' overlaps with the crop, capped at 1
    (overlapping boxes are counted twice, which only matters near the threshold).
    """
    if not 0.0 < min_person_fraction < 1.0:
        raise ValueError(f"min_person_fraction={min_person_fraction!r}; expected (0, 1)")
    person_id = _person_category(coco.get("categories", []))
    boxes: dict[int, list[list[float]]] = {}
    for annotation in coco.get("annotations", []):
        if annotation["category_id"] == person_id:
            boxes.setdefault(annotation["image_id"], []).append(annotation["bbox"])

    labels = []
    for image in coco["images"]:
        width, height = int(image["width"]), int(image["height"])
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        covered = 0.0
        for x, y, w, h in boxes.get(image["id"], []):
            overlap_w = max(0.0, min(x + w, left + side) - max(x, left))
            overlap_h = max(0.0, min(y + h, top + side) - max(y, top))
            covered += overlap_w * overlap_h
        fraction = min(1.0, covered / side ** 2)
        if fraction >= min_person_fraction:
            person = 1
        elif fraction == 0.0:
            person = 0
        else:
            person = None
        labels.append(CropLabel(int(image["id"]), image["file_name"],
                                (left, top, left + side, top + side), person, fraction))
    return labels


def _write_table(path: Path, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def build_from_coco(annotation_file: str | Path, image_dir: str | Path, output: str | Path,
                    *, size: int = 224, score_fraction: float = 0.2,
                    limit: int | None = None, min_person_fraction: float = 0.05,
                    seed: int = 0, make_zip: bool = False) -> Path:
    """Write the course dataset from COCO images and annotations; return its folder or zip.

    Parameters
    ----------
    annotation_file : a COCO ``instances_*.json``.
    image_dir : the folder holding the images it names.
    output : the folder to write (``images/``, ``labels.csv``, ``score.csv``,
        ``score_answers.csv``); with ``make_zip`` also ``output.zip``, which is returned.
    size : side of the square crops in pixels.
    score_fraction : share of the kept crops set aside to score (their answers go to
        ``score_answers.csv``, for the instructor).
    limit : keep at most this many crops (a random sample), e.g. 100,000 for the course.
    """
    from PIL import Image

    if size < 8:
        raise ValueError(f"size={size!r}; expected at least 8 pixels")
    if not 0.0 <= score_fraction < 1.0:
        raise ValueError(f"score_fraction={score_fraction!r}; expected a number in [0, 1)")
    coco = json.loads(Path(annotation_file).read_text())
    crops = [crop for crop in label_crops(coco, min_person_fraction) if crop.person is not None]
    order = np.random.default_rng(seed).permutation(len(crops))
    crops = [crops[i] for i in order[:limit]]
    logger.info("%d crops kept, %d with a person", len(crops), sum(c.person for c in crops))

    output = Path(output)
    (output / "images").mkdir(parents=True, exist_ok=True)
    names = []
    for crop in progress(crops, desc="crops", unit="image"):
        name = f"images/{crop.image_id:012d}.jpg"
        with Image.open(Path(image_dir) / crop.file_name) as picture:
            square = picture.convert("RGB").crop(crop.box)
            square.resize((size, size), Image.BICUBIC).save(output / name, quality=95)
        names.append(name)

    score_count = int(round(score_fraction * len(crops)))
    labelled = [(n, c.person) for n, c in zip(names[score_count:], crops[score_count:])]
    scored = sorted(zip(names[:score_count], crops[:score_count]))
    _write_table(output / LABEL_FILE, ("image", "person"), sorted(labelled))
    _write_table(output / SCORE_FILE, ("image",), [(n,) for n, _ in scored])
    _write_table(output / ANSWERS_FILE, ("image", "person"), [(n, c.person) for n, c in scored])
    if make_zip:
        return Path(shutil.make_archive(str(output), "zip", root_dir=output))
    return output
