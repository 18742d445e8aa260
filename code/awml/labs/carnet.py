"""Lab 5, CarNet: how many signals and vehicles are in each photo?

Counts come from object detectors: an image's count of a class is its number of boxes of
that class above a per-class threshold (``awml.ensembles.detection_counts``). The full data
is the course's CarNet layout (``awml.data.carnet``) with COCO-pretrained ultralytics
detectors. Offline there is neither, so the lab generates street scenes with labelled
boxes (``awml.data.streets``) and trains YOLOv8 nano models on them from scratch, each
through run-or-load. Several detectors (seeds, mirrored test images) are then combined with
weighted boxes fusion and compared with non-maximum suppression.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from awml.data.carnet import TARGETS, carnet_location, read_carnet
from awml.data.download import SourceUnavailable
from awml.data.streets import Scene, scene_counts
from awml.ensembles.boxes import Boxes
from awml.paths import offline
from awml.runs import Run
from awml.training import street_detectors
from awml.training.street_detectors import DetectorRunConfig, scene_series

logger = logging.getLogger(__name__)

COCO_TARGETS = {"traffic light": "signal", "stop sign": "signal", "bicycle": "vehicle",
                "car": "vehicle", "motorcycle": "vehicle", "airplane": "vehicle",
                "bus": "vehicle", "train": "vehicle", "truck": "vehicle", "boat": "vehicle"}


@dataclass(frozen=True)
class CarNetConfig:
    """One profile's settings for lab 5."""

    scenes: dict[str, int]  # generated scenes per split: train, validate, test, score
    epochs: int  # training epochs of each detector
    members: tuple[tuple[str, int], ...] = (("yolov8n", 0), ("yolov8n", 1))  # model, seed
    mirror: bool = True  # add each detector on mirrored images as another member
    scene_seed: int = 5  # which generated street series
    imgsz: int = 256
    batch: int = 8
    fusion_ious: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6)  # overlaps that make one object;
    # each ensemble takes the one with the lowest validation count error
    pretrained: tuple[str, ...] = ("yolov8x.pt", "yolov8l.pt", "yolov8m.pt")  # full data
    photo_size: int = 640  # pretrained detectors see the CarNet photos at this size


CONFIGS = {
    "smoke": CarNetConfig({"train": 16, "validate": 8, "test": 8, "score": 4}, epochs=1),
    "cpu": CarNetConfig({"train": 160, "validate": 48, "test": 48, "score": 24}, epochs=8,
                        imgsz=192),
    "gpu": CarNetConfig({"train": 2000, "validate": 300, "test": 300, "score": 100},
                        epochs=60, batch=32,
                        members=(("yolov8n", 0), ("yolov8n", 1), ("yolov8s", 0))),
}


@dataclass
class LabData:
    """Images (uint8 (H, W, 3)) and true counts (int (N, 2): signals, vehicles) per split.

    Generated data also keeps its ``scenes`` (with boxes); the score split has no counts
    in the full data.
    """

    images: dict[str, list[np.ndarray]]
    counts: dict[str, np.ndarray | None]
    source: str
    scenes: dict[str, list[Scene]] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def generated(self) -> bool:
        """True for generated scenes, which come with their boxes."""
        return self.scenes is not None

    def sizes(self) -> dict[str, int]:
        """Return the number of images in each split."""
        return {split: len(images) for split, images in self.images.items()}


def street_data(config: CarNetConfig) -> LabData:
    """Return the generated scenes of every split; each split is its own scene series."""
    scenes = {split: list(scene_series(count, config.scene_seed, split, config.imgsz))
              for split, count in config.scenes.items()}
    return LabData({split: [scene.image for scene in chosen] for split, chosen in scenes.items()},
                   {split: scene_counts(chosen) for split, chosen in scenes.items()},
                   f"generated: {sum(map(len, scenes.values()))} street scenes drawn in code "
                   f"(series {config.scene_seed})", scenes=scenes)


def full_data(location: Path | str) -> LabData:
    """Return the CarNet photos: the training photos split in half for choosing thresholds
    (validate) and measuring errors (test), and the score photos."""
    data = read_carnet(location)
    half = len(data.train_images) // 2
    return LabData({"train": [], "validate": data.train_images[:half],
                    "test": data.train_images[half:], "score": data.score_images},
                   {"train": data.train_counts[:half], "validate": data.train_counts[:half],
                    "test": data.train_counts[half:], "score": None}, data.source)


def lab_data(config: CarNetConfig) -> LabData:
    """Return the full CarNet data when present and allowed, else the generated scenes.

    The reason for taking generated scenes is kept in ``notes`` as one line.
    """
    if not offline():
        try:
            return full_data(carnet_location())
        except SourceUnavailable as reason:
            note = f"CarNet data unavailable ({reason}); using generated street scenes"
    else:
        note = "AWML_OFFLINE is set: using generated street scenes, not the CarNet photos"
    data = street_data(config)
    data.notes.append(note)
    return data


def detector_configs(model: str, seed: int) -> dict[str, DetectorRunConfig]:
    """Return one detector's training settings for every profile."""
    return {profile: DetectorRunConfig(chosen.scenes["train"], chosen.scene_seed, model, seed,
                                       chosen.epochs, chosen.imgsz, chosen.batch)
            for profile, chosen in CONFIGS.items()}


def train_run(model: str = "yolov8n", seed: int = 0, *, rerun: bool = False) -> Run:
    """Train one detector from scratch on the generated scenes, or load its stored run."""
    return street_detectors.detector_run(detector_configs(model, seed), rerun=rerun)


def train_runs(members: tuple[tuple[str, int], ...], *, rerun: bool = False) -> dict[str, Run]:
    """Train or load one detector per (model, seed) member; returns name -> Run.

    Ultralytics trains on a CPU with one thread fewer than the machine has cores, so on a
    two-core machine it uses one: the detectors still missing from the store then train
    side by side in separate processes, and every run is loaded from the store here.
    """
    missing = [(model, seed) for model, seed in members
               if rerun or not street_detectors.is_stored(detector_configs(model, seed))]
    workers = street_detectors.parallel_workers(len(missing))
    if workers > 1:
        logger.info("training %d detectors in %d processes", len(missing), workers)
        street_detectors.run_in_processes(
            [f"from awml.labs.carnet import train_run; train_run({model!r}, {seed}, "
             f"rerun={rerun})" for model, seed in missing], workers)
        rerun = False
    return {f"{model} seed {seed}": train_run(model, seed, rerun=rerun)
            for model, seed in members}


def detector_from_run(run: Run) -> "torch.nn.Module":
    """Return the detection network of a ``carnet-yolo`` run, in eval mode on the CPU."""
    from awml.models.yolo import build_detector

    names = dict(enumerate(run.extra["names"]))
    return build_detector(run.weights["detector"], names, f"{run.extra['model']}.yaml")


def to_targets(found: Boxes, names: dict[int, str]) -> Boxes:
    """Relabel a detector's boxes as targets (0 signal, 1 vehicle); other classes are dropped.

    Class names that are targets already map to themselves; COCO names map by
    ``COCO_TARGETS``.
    """
    mapping = {index: TARGETS.index(COCO_TARGETS.get(name, name))
               for index, name in names.items() if COCO_TARGETS.get(name, name) in TARGETS}
    keep = np.isin(found.labels, list(mapping))
    labels = np.array([mapping[label] for label in found.labels[keep]], dtype=np.int64)
    return Boxes(found.boxes[keep], found.scores[keep], labels)


def member_detections(detectors: dict[str, object], data: LabData, split: str,
                      config: CarNetConfig) -> dict[str, list[Boxes]]:
    """Run every detector on the images of ``split``, and with ``config.mirror`` also on
    their mirror images. Returns member name -> one ``Boxes`` per image, as targets."""
    from awml.models.yolo import detect
    from awml.training.threads import small_model_threads

    size = config.imgsz if data.generated else config.photo_size
    members = {}
    with small_model_threads():  # shared cores: more threads wait on each other
        for name, detector in detectors.items():
            for flip in [False, True] if config.mirror else [False]:
                found = detect(detector, data.images[split], imgsz=size, flip=flip)
                members[name + (" mirrored" if flip else "")] = [
                    to_targets(boxes, detector.names) for boxes in found]
    return members


def pretrained_detectors(config: CarNetConfig) -> dict[str, object]:
    """Return the COCO-pretrained detectors of ``config.pretrained``; empty when offline."""
    from awml.models.yolo import pretrained_detector

    detectors = {}
    for name in config.pretrained:
        detector = pretrained_detector(name)
        if detector is None:
            break
        detectors[name.removesuffix(".pt")] = detector
    return detectors


def choose_detectors(data: LabData, pretrained: dict, trained: dict) -> dict:
    """Return the pretrained detectors for the CarNet photos, the trained ones otherwise."""
    return pretrained if pretrained and not data.generated else trained
