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
from functools import lru_cache
from pathlib import Path

import numpy as np

from awml.data.carnet import TARGETS, carnet_location, read_carnet
from awml.data.download import SourceUnavailable
from awml.data.streets import CLASSES, Scene, make_scenes, scene_counts, write_yolo_split
from awml.ensembles.boxes import Boxes
from awml.paths import offline, project_root
from awml.profiles import PROFILES
from awml.runs import Run, RunResult, run_or_load

logger = logging.getLogger(__name__)

TASK = "carnet-yolo"
COCO_TARGETS = {"traffic light": "signal", "stop sign": "signal", "bicycle": "vehicle",
                "car": "vehicle", "motorcycle": "vehicle", "airplane": "vehicle",
                "bus": "vehicle", "train": "vehicle", "truck": "vehicle", "boat": "vehicle"}
SPLIT_SERIES = {"train": 0, "validate": 1, "test": 2, "score": 3}  # one scene series each


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
    fusion_iou: float = 0.55  # boxes overlapping more than this are one object
    pretrained: tuple[str, ...] = ("yolov8x.pt", "yolov8l.pt", "yolov8m.pt")  # full data


CONFIGS = {
    "smoke": CarNetConfig({"train": 16, "validate": 8, "test": 8, "score": 4}, epochs=1),
    "cpu": CarNetConfig({"train": 160, "validate": 48, "test": 48, "score": 24}, epochs=8),
    "gpu": CarNetConfig({"train": 2000, "validate": 300, "test": 300, "score": 100},
                        epochs=60, members=(("yolov8n", 0), ("yolov8n", 1), ("yolov8s", 0))),
}
GPU_MINUTES = 12  # per detector, on a T4


@dataclass(frozen=True)
class DetectorRunConfig:
    """What one detector's training depends on: its scenes, model, seed and settings."""

    train_scenes: int
    scene_seed: int
    model: str
    seed: int
    epochs: int
    imgsz: int
    batch: int


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
        return self.scenes is not None

    def sizes(self) -> dict[str, int]:
        return {split: len(images) for split, images in self.images.items()}


@lru_cache(maxsize=8)
def _series(count: int, seed: int, size: int) -> tuple[Scene, ...]:
    return tuple(make_scenes(count, seed, size))


def street_data(config: CarNetConfig) -> LabData:
    """Return the generated scenes of every split; each split is its own scene series."""
    scenes = {split: list(_series(count, config.scene_seed * 10 + SPLIT_SERIES[split],
                                  config.imgsz))
              for split, count in config.scenes.items()}
    return LabData({split: [scene.image for scene in chosen] for split, chosen in scenes.items()},
                   {split: scene_counts(chosen) for split, chosen in scenes.items()},
                   f"generated: {sum(map(len, scenes.values()))} street scenes drawn in code "
                   f"(series {config.scene_seed})", scenes=scenes)


def full_data(location) -> LabData:
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


def work_dir() -> Path:
    """Return the folder for YOLO datasets and training runs, inside the checkout."""
    return (project_root() or Path.cwd()) / ".cache" / "carnet"


def _dataset_yaml(config: DetectorRunConfig) -> Path:
    import yaml

    name = f"streets-{config.train_scenes}-{config.scene_seed}-{config.imgsz}"
    folder = work_dir() / name
    data_yaml = folder / "data.yaml"
    if not data_yaml.is_file():
        train = _series(config.train_scenes, config.scene_seed * 10, config.imgsz)
        monitor = _series(8, config.scene_seed * 10 + SPLIT_SERIES["validate"], config.imgsz)
        write_yolo_split(list(train), folder, "train")
        write_yolo_split(list(monitor), folder, "monitor")
        data_yaml.write_text(yaml.safe_dump({
            "path": str(folder), "train": "images/train", "val": "images/monitor",
            "names": dict(enumerate(CLASSES))}))
    return data_yaml


def _train(config: DetectorRunConfig) -> RunResult:
    from awml.models.yolo import YoloTraining, train_from_scratch

    settings = YoloTraining(epochs=config.epochs, seed=config.seed, imgsz=config.imgsz,
                            batch=config.batch)
    state, history = train_from_scratch(_dataset_yaml(config), work_dir() / "runs", settings,
                                        architecture=f"{config.model}.yaml")
    return RunResult(metrics={f"final {name}": values[-1] for name, values in history.items()},
                     history=history, weights={"detector": state},
                     extra={"names": list(CLASSES), "model": config.model})


def train_run(model: str = "yolov8n", seed: int = 0, *, rerun: bool = False) -> Run:
    """Train one detector from scratch on the generated scenes, or load its stored run."""
    configs = {}
    for profile in PROFILES:
        chosen = CONFIGS[profile]
        configs[profile] = DetectorRunConfig(chosen.scenes["train"], chosen.scene_seed, model,
                                             seed, chosen.epochs, chosen.imgsz, chosen.batch)
    return run_or_load(TASK, configs, _train, gpu_minutes=GPU_MINUTES, rerun=rerun)


def detector_from_run(run: Run):
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


def member_detections(detectors: dict[str, object], images: list[np.ndarray],
                      config: CarNetConfig) -> dict[str, list[Boxes]]:
    """Run every detector on ``images``; with ``config.mirror`` also on mirrored images.

    Returns member name -> one ``Boxes`` per image, relabelled as targets.
    """
    from awml.models.yolo import detect

    members = {}
    for name, detector in detectors.items():
        views = [False, True] if config.mirror else [False]
        for flip in views:
            found = detect(detector, images, imgsz=config.imgsz, flip=flip)
            members[name + (" mirrored" if flip else "")] = [to_targets(f, detector.names)
                                                           for f in found]
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
