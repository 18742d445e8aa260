"""Person / no person data: the offline images, the course layout (folder or zip), COCO."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from awml.data import people
from awml.data.coco_people import build_from_coco, label_crops


@pytest.fixture(scope="module")
def offline():
    return people.load_people("auto")


def test_offline_source_is_real_and_labelled_by_hand(offline):
    assert offline.source.startswith("offline")
    assert len(offline.labelled) == 200 and offline.labelled.labels.sum() == 100
    assert offline.labelled.image(0).shape == (25, 25, 3)
    assert offline.score.labels is None and len(offline.score) == 9
    answers = dict(zip(offline.score.names, offline.score_answers))
    assert answers["astronaut"] == 1 and answers["chelsea"] == 0 and answers["zidane"] == 1
    bus = offline.score.image(offline.score.names.index("bus"))
    assert bus.shape == (1080, 810, 3) and bus.dtype == np.uint8


def test_full_source_offline_is_refused_in_one_line():
    with pytest.raises(people.SourceUnavailable, match="AWML_OFFLINE is set"):
        people.load_people("full")
    with pytest.raises(ValueError, match="source='web'"):
        people.load_people("web")
    with pytest.raises(ValueError, match="name='moon' is not a hand-labelled photograph"):
        people.photograph("moon")


def test_stratified_split_keeps_the_class_balance():
    labels = np.r_[np.ones(30, int), np.zeros(70, int)]
    train, test = people.stratified_split(labels, 0.2, seed=1)
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 100
    assert labels[test].sum() == 6 and len(test) == 20
    with pytest.raises(ValueError, match="test_fraction=1.5"):
        people.stratified_split(labels, 1.5)


def _coco(folder, offline):
    """A small COCO annotation file over three real photographs, with hand-drawn boxes."""
    images, annotations = [], []
    for image_id, name in enumerate(["bus", "coffee", "zidane"], start=1):
        array = offline.score.image(offline.score.names.index(name))
        from PIL import Image

        Image.fromarray(array).save(folder / f"{name}.jpg")
        height, width = array.shape[:2]
        images.append({"id": image_id, "file_name": f"{name}.jpg", "width": width,
                       "height": height})
    annotations.append({"image_id": 1, "category_id": 1, "bbox": [220, 400, 200, 500]})
    annotations.append({"image_id": 3, "category_id": 1, "bbox": [500, 40, 600, 680]})
    annotations.append({"image_id": 2, "category_id": 47, "bbox": [100, 100, 300, 200]})
    coco = {"images": images, "annotations": annotations,
            "categories": [{"id": 1, "name": "person"}, {"id": 47, "name": "cup"}]}
    path = folder / "instances.json"
    path.write_text(json.dumps(coco))
    return path


def test_coco_builder_writes_what_the_reader_reads(tmp_path, offline):
    annotations = _coco(tmp_path, offline)
    crops = {crop.file_name: crop for crop in label_crops(json.loads(annotations.read_text()))}
    assert crops["bus.jpg"].person == 1 and crops["coffee.jpg"].person == 0
    assert crops["zidane.jpg"].box == (280, 0, 1000, 720)

    archive = build_from_coco(annotations, tmp_path, tmp_path / "course", size=64,
                              score_fraction=0.34, make_zip=True)
    for location in (tmp_path / "course", archive):
        data = people.read_course_dataset(location)
        assert len(data.labelled) == 2 and len(data.score) == 1
        assert data.labelled.image(0).shape == (64, 64, 3)
        assert data.score_answers is not None and data.source.startswith("full")
    assert people.load_people("auto", path=archive).source.startswith("full")


def test_bad_course_layouts_are_refused(tmp_path):
    with pytest.raises(ValueError, match="has no labels.csv"):
        people.read_course_dataset(tmp_path)
    (tmp_path / "labels.csv").write_text("image,person\na.jpg,yes\n")
    (tmp_path / "a.jpg").write_bytes(b"")
    with pytest.raises(ValueError, match="person must be 0 or 1"):
        people.read_course_dataset(tmp_path)
    (tmp_path / "labels.csv").write_text("file,label\na.jpg,1\n")
    with pytest.raises(ValueError, match=r"lacks columns \['image', 'person'\]"):
        people.read_course_dataset(tmp_path)
    bundle = tmp_path / "empty.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(ValueError, match="holds no labels.csv"):
        people.read_course_dataset(bundle)
