"""Boxes drawn by hand on real photographs, and a pretrained detector where one exists.

The ground truth was drawn by looking at the photographs that ship with ultralytics:
``zidane.jpg`` (1280 x 720 pixels, two men on a football sideline) and ``bus.jpg`` (810 x
1080, a street with a bus). No detector weights ship offline; ``pretrained_detections``
runs ultralytics' COCO-trained YOLOv8 when its weights can be fetched, and otherwise
says so in one line and returns None.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from awml.paths import offline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LabelledPhoto:
    """A photograph's name, its boxes (K, 4) as pixel (x1, y1, x2, y2), class indices (K,),
    the class names and a description of each box."""

    photo: str
    boxes: np.ndarray
    classes: np.ndarray
    class_names: tuple[str, ...]
    descriptions: tuple[str, ...]

    def names(self) -> list[str]:
        """Return the class name of each box."""
        return [self.class_names[c] for c in self.classes]

    def image(self) -> np.ndarray:
        """Return the photograph as uint8 RGB (H, W, 3)."""
        from awml.data.people import photograph

        return photograph(self.photo)


SIDELINE = LabelledPhoto(
    photo="zidane",
    boxes=np.array([(125, 200, 1150, 720), (748, 42, 1140, 720), (432, 432, 502, 720),
                    (990, 312, 1046, 500)], dtype=float),
    classes=np.array([0, 0, 1, 1]),
    class_names=("person", "tie"),
    descriptions=("man pointing, arm outstretched", "grey-haired man on the right",
                  "tie of the man pointing", "tie of the man on the right"),
)


def pretrained_detections(image: np.ndarray, weights: str = "yolov8n.pt",
                          confidence: float = 0.25):
    """Run a COCO-pretrained YOLOv8 on ``image``; return ``(boxes, scores, names)`` or None.

    Offline the weights cannot be downloaded: one line is logged and None comes back.
    """
    if offline():
        logger.warning("offline: the COCO-pretrained %s weights cannot be downloaded, so no "
                       "detector runs here; the boxes on this page are drawn by hand", weights)
        return None
    from awml.models.yolo import detect, pretrained_detector

    model = pretrained_detector(weights)
    if model is None:
        return None
    found = detect(model, [image], imgsz=640, conf=confidence, iou=0.5)[0]
    names = [model.names[int(label)] for label in found.labels]
    return found.boxes, found.scores, names
