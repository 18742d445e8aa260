"""Generated street scenes with labelled boxes: vehicles and traffic signals.

No labelled street photographs exist offline here, so lab 5 draws its own: a sky, a row
of buildings with windows, a road with lane marks, then cars, buses and trucks on the road
(class ``vehicle``) and traffic lights and stop signs beside it (class ``signal``). Every
scene is a pure function of ``(seed, index)``, so the same call draws the same pixels on
every machine. Objects lower in the picture are drawn larger, as a camera would see them.
Boxes are pixel (x1, y1, x2, y2) with labels 0 = signal, 1 = vehicle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

CLASSES = ("signal", "vehicle")
SIGNAL, VEHICLE = 0, 1


@dataclass
class Scene:
    """One picture: ``image`` uint8 (H, W, 3), ``boxes`` float (K, 4), ``labels`` int (K,)."""

    image: np.ndarray
    boxes: np.ndarray
    labels: np.ndarray

    def counts(self) -> np.ndarray:
        """Return the number of objects per class, int (2,): signals, vehicles."""
        return np.bincount(self.labels, minlength=len(CLASSES))


def _colour(rng: np.random.Generator, low: int = 0, high: int = 256) -> tuple[int, int, int]:
    return tuple(int(value) for value in rng.integers(low, high, 3))


def _overlaps(box, boxes, limit: float = 0.25) -> bool:
    for other in boxes:
        width = min(box[2], other[2]) - max(box[0], other[0])
        height = min(box[3], other[3]) - max(box[1], other[1])
        if width > 0 and height > 0:
            smaller = min((box[2] - box[0]) * (box[3] - box[1]),
                          (other[2] - other[0]) * (other[3] - other[1]))
            if width * height > limit * smaller:
                return True
    return False


def _background(draw, rng, size: int, horizon: int) -> None:
    sky = np.array(_colour(rng, 120, 230))
    for y in range(horizon):
        shade = sky * (0.75 + 0.25 * y / horizon)
        draw.line([(0, y), (size, y)], fill=tuple(int(v) for v in shade))
    x = 0
    while x < size:
        width, height = int(rng.integers(20, 60)), int(rng.integers(20, horizon - 5))
        wall = _colour(rng, 60, 200)
        draw.rectangle([x, horizon - height, x + width, horizon], fill=wall)
        rows = range(horizon - height + 4, horizon - 6, 9)
        columns = range(x + 3, x + width - 5, 8)
        shades = rng.integers(20, 120, (len(rows), len(columns), 3)).tolist()
        for wy, shade_row in zip(rows, shades):
            for wx, shade in zip(columns, shade_row):
                draw.rectangle([wx, wy, wx + 4, wy + 5], fill=tuple(shade))
        x += width + int(rng.integers(0, 8))
    grey = int(rng.integers(70, 120))
    draw.rectangle([0, horizon, size, size], fill=(grey, grey, grey + 5))
    for lane in (0.45, 0.75):
        y = int(horizon + lane * (size - horizon))
        for dash in range(int(rng.integers(0, 20)), size, 36):
            draw.rectangle([dash, y, dash + 18, y + 2], fill=(235, 235, 220))


def _vehicle(draw, rng, size: int, horizon: int):
    y_bottom = int(rng.integers(horizon + 25, size))
    scale = 0.5 + 0.9 * (y_bottom - horizon) / (size - horizon)
    kind = rng.choice(["car", "car", "bus", "truck"])
    width = int(scale * {"car": rng.integers(34, 50), "bus": rng.integers(70, 95),
                         "truck": rng.integers(55, 75)}[kind])
    height = int(scale * {"car": rng.integers(16, 22), "bus": rng.integers(28, 36),
                          "truck": rng.integers(26, 34)}[kind])
    x = int(rng.integers(-width // 4, size - 3 * width // 4))
    box = [x, y_bottom - height, x + width, y_bottom]
    return box, kind, scale


def _draw_vehicle(draw, rng, box, kind: str, scale: float) -> None:
    x1, y1, x2, y2 = box
    wheel = max(3, int(5 * scale))
    body = _colour(rng, 30, 256)
    if kind == "car":
        roof = y1 + (y2 - y1) // 2
        draw.rectangle([x1, roof, x2, y2 - wheel // 2], fill=body)
        draw.polygon([(x1 + (x2 - x1) // 5, roof), (x1 + (x2 - x1) // 3, y1),
                      (x2 - (x2 - x1) // 3, y1), (x2 - (x2 - x1) // 6, roof)], fill=body)
        draw.rectangle([x1 + (x2 - x1) // 3 + 2, y1 + 2, x2 - (x2 - x1) // 3 - 2, roof - 1],
                       fill=(150, 190, 215))
    elif kind == "bus":
        draw.rectangle([x1, y1, x2, y2 - wheel // 2], fill=body)
        for wx in range(x1 + 3, x2 - 6, max(6, (x2 - x1) // 7)):
            draw.rectangle([wx, y1 + 3, wx + max(3, (x2 - x1) // 10), y1 + (y2 - y1) // 3],
                           fill=(150, 190, 215))
    else:
        cab = x1 + (x2 - x1) // 4
        draw.rectangle([cab, y1, x2, y2 - wheel // 2], fill=_colour(rng, 150, 256))
        draw.rectangle([x1, y1 + (y2 - y1) // 3, cab - 1, y2 - wheel // 2], fill=body)
        draw.rectangle([x1 + 2, y1 + (y2 - y1) // 3 + 2, cab - 3, y1 + (y2 - y1) // 2 + 2],
                       fill=(150, 190, 215))
    for wx in (x1 + (x2 - x1) // 5, x2 - (x2 - x1) // 5):
        draw.ellipse([wx - wheel, y2 - 2 * wheel, wx + wheel, y2], fill=(20, 20, 20))


def _signal(draw, rng, size: int, horizon: int):
    scale = float(rng.uniform(1.0, 1.6))
    kind = rng.choice(["light", "light", "stop"])
    width = int(scale * (10 if kind == "light" else 18))
    height = int(scale * (26 if kind == "light" else 18))
    x = int(rng.integers(2, size - width - 2))
    y = int(rng.integers(max(2, horizon - 70), horizon + 10))
    return [x, y, x + width, y + height], kind, scale


def _draw_signal(draw, rng, box, kind: str, size: int) -> None:
    x1, y1, x2, y2 = box
    centre = (x1 + x2) // 2
    draw.rectangle([centre - 1, y2, centre + 1, min(size, y2 + (y2 - y1) * 2)], fill=(60, 60, 60))
    if kind == "light":
        draw.rectangle(box, fill=(25, 25, 25))
        lit = int(rng.integers(0, 3))
        radius = (x2 - x1) // 2 - 2
        for slot, colour in enumerate([(230, 30, 30), (240, 200, 20), (30, 220, 60)]):
            cy = y1 + (slot + 0.5) * (y2 - y1) / 3
            shade = colour if slot == lit else tuple(c // 4 for c in colour)
            draw.ellipse([centre - radius, cy - radius, centre + radius, cy + radius], fill=shade)
    else:
        w, h = x2 - x1, y2 - y1
        octagon = [(x1 + w * a, y1 + h * b) for a, b in ((0.3, 0), (0.7, 0), (1, 0.3), (1, 0.7),
                                                         (0.7, 1), (0.3, 1), (0, 0.7), (0, 0.3))]
        draw.polygon(octagon, fill=(200, 20, 25), outline=(240, 240, 240))
        draw.rectangle([x1 + w * 0.2, y1 + h * 0.45, x2 - w * 0.2, y1 + h * 0.55],
                       fill=(240, 240, 240))


def make_scene(seed: int, index: int, size: int = 256) -> Scene:
    """Return scene ``index`` of the series ``seed``: an image of ``size`` x ``size`` pixels.

    Each scene holds 0 to 6 vehicles and 0 to 4 signals; objects overlap little.
    """
    from PIL import Image, ImageDraw

    if size < 128:
        raise ValueError(f"size={size!r} must be at least 128 pixels")
    rng = np.random.default_rng([seed, index])
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    horizon = int(size * rng.uniform(0.35, 0.5))
    _background(draw, rng, size, horizon)

    boxes, labels = [], []
    for _ in range(int(rng.integers(0, 5))):
        box, kind, _ = _signal(draw, rng, size, horizon)
        if not _overlaps(box, boxes, 0.0):
            _draw_signal(draw, rng, box, kind, size)
            boxes.append(box)
            labels.append(SIGNAL)
    vehicles = sorted((_vehicle(draw, rng, size, horizon) for _ in range(rng.integers(0, 7))),
                      key=lambda item: item[0][3])  # far ones first, near ones on top
    for box, kind, scale in vehicles:
        if not _overlaps(box, boxes):
            _draw_vehicle(draw, rng, box, kind, scale)
            boxes.append(box)
            labels.append(VEHICLE)

    pixels = np.asarray(image, dtype=np.float32) * np.float32(rng.uniform(0.7, 1.2))
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * np.float32(6)
    clipped = np.clip(np.asarray(boxes, dtype=np.float64).reshape(-1, 4), 0, size)
    return Scene(np.clip(pixels, 0, 255).astype(np.uint8), clipped,
                 np.asarray(labels, dtype=np.int64))


def make_scenes(count: int, seed: int, size: int = 256) -> list[Scene]:
    """Return scenes 0 .. ``count`` - 1 of the series ``seed``."""
    if count < 1:
        raise ValueError(f"count={count!r} must be a positive number of scenes")
    return [make_scene(seed, index, size) for index in range(count)]


def scene_counts(scenes: list[Scene]) -> np.ndarray:
    """Return the true counts of the scenes, int (N, 2): signals, vehicles."""
    return np.stack([scene.counts() for scene in scenes])


def write_yolo_split(scenes: list[Scene], folder: Path, split: str) -> Path:
    """Write scenes as ``folder/images/split/*.png`` with YOLO label files beside them
    (``folder/labels/split/*.txt``: class, centre x, centre y, width, height in [0, 1]).

    Returns the images folder.
    """
    from PIL import Image

    images, labels = Path(folder) / "images" / split, Path(folder) / "labels" / split
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    for index, scene in enumerate(scenes):
        height, width = scene.image.shape[:2]
        Image.fromarray(scene.image).save(images / f"{index:05d}.png")
        rows = []
        for (x1, y1, x2, y2), label in zip(scene.boxes, scene.labels):
            rows.append(f"{label} {(x1 + x2) / 2 / width:.6f} {(y1 + y2) / 2 / height:.6f} "
                        f"{(x2 - x1) / width:.6f} {(y2 - y1) / height:.6f}")
        (labels / f"{index:05d}.txt").write_text("\n".join(rows) + ("\n" if rows else ""))
    return images
