"""YOLOv8 detectors through ultralytics: trained from scratch, rebuilt from weights, run.

Ultralytics downloads a font on every training run and checks the network in several
places unless told otherwise, and it keeps settings in the home folder. Call
``ultralytics_environment()`` before importing it (every function here does): it points
``YOLO_CONFIG_DIR`` into the checkout with a local copy of the font, and sets
``YOLO_OFFLINE`` whenever ``awml`` is offline. Training runs go to a folder the caller names.

Detections come back as ``awml.ensembles.boxes.Boxes`` in pixels of the input image.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from awml.ensembles.boxes import Boxes
from awml.paths import offline, project_root
from awml.progress import progress

logger = logging.getLogger(__name__)

ARCHITECTURE = "yolov8n.yaml"  # the nano model; ships inside ultralytics, no download


def ultralytics_environment() -> Path:
    """Keep ultralytics' settings, font and network checks inside the checkout.

    Returns the ultralytics configuration folder. An existing ``YOLO_CONFIG_DIR`` is kept.
    """
    root = project_root() or Path.cwd()
    folder = Path(os.environ.setdefault("YOLO_CONFIG_DIR", str(root / ".cache" / "ultralytics")))
    font = folder / "Ultralytics" / "Arial.ttf"  # ultralytics looks in this sub-folder
    font.parent.mkdir(parents=True, exist_ok=True)
    if not font.exists():
        import matplotlib

        shutil.copyfile(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf",
                        font)
    if offline():
        os.environ["YOLO_OFFLINE"] = "1"
    os.environ.setdefault("YOLO_VERBOSE", "False")  # no per-batch bars in a built page
    return folder


@dataclass(frozen=True)
class YoloTraining:
    """Settings of one training run from scratch; the defaults are the ones that trained
    at all on a small CPU (see the lab 5 page)."""

    epochs: int
    seed: int = 0
    imgsz: int = 256
    batch: int = 8
    warmup_epochs: float = 1.0
    cache: str = "ram"
    workers: int = 1
    nominal_batch: int | None = None  # ultralytics' nbs; None steps after every batch
    learning_rate: float | None = None  # AdamW's rate; None lets ultralytics choose


def train_from_scratch(data_yaml: Path, run_dir: Path, settings: YoloTraining,
                       architecture: str = ARCHITECTURE) -> tuple[dict, dict[str, list[float]]]:
    """Train a detector from random weights on the dataset ``data_yaml``.

    ``architecture`` is an ultralytics model file (``yolov8n.yaml``, ``yolov8s.yaml``...).
    Runs are written under ``run_dir``. Returns the trained model's state dict (float32)
    and its per-epoch training losses (``box_loss``, ``cls_loss``, ``dfl_loss``).
    """
    ultralytics_environment()
    from ultralytics import YOLO

    model = YOLO(architecture)
    optimizer = {} if settings.learning_rate is None else {
        "optimizer": "AdamW", "lr0": settings.learning_rate}
    label = architecture.removesuffix(".yaml")
    name = f"{label}-seed{settings.seed}-{os.getpid()}"  # never shared by two processes
    bar = progress(total=settings.epochs, desc=f"{label} seed {settings.seed} epochs")
    history: dict[str, list[float]] = {}

    def record(trainer) -> None:  # mean training losses of the epoch that just ended
        for loss, value in trainer.tloss.items():
            name = loss if loss.endswith("loss") else f"{loss}_loss"
            history.setdefault(name, []).append(float(value))
        bar.update(1)

    model.add_callback("on_train_epoch_end", record)
    with contextlib.redirect_stdout(io.StringIO()):  # its image-caching bar ignores verbose
        model.train(data=str(data_yaml), project=str(run_dir), name=name, exist_ok=True,
                    epochs=settings.epochs, seed=settings.seed, imgsz=settings.imgsz,
                    batch=settings.batch, val=False, warmup_epochs=settings.warmup_epochs,
                    cache=settings.cache, workers=settings.workers, amp=False, plots=False,
                    pretrained=False, deterministic=True,
                    device="cpu" if _cpu_only() else None, verbose=False,
                    nbs=settings.nominal_batch or settings.batch, **optimizer)
    bar.close()
    state = {key: value.float() for key, value in model.model.state_dict().items()}
    shutil.rmtree(Path(model.trainer.save_dir), ignore_errors=True)  # the weights are in state
    return state, history


def _cpu_only() -> bool:
    from awml.profiles import device_name

    return device_name() == "cpu"


def build_detector(state: dict, names: dict[int, str], architecture: str = ARCHITECTURE
                   ) -> "torch.nn.Module":
    """Return a detection network of ``architecture`` with ``state`` loaded, in eval mode."""
    ultralytics_environment()
    from ultralytics.nn.tasks import DetectionModel

    model = DetectionModel(architecture, nc=len(names), verbose=False)
    model.load_state_dict(state)
    model.names = dict(names)
    return model.float().eval()


def pretrained_detector(name: str = "yolov8x.pt") -> "torch.nn.Module | None":
    """Return a COCO-pretrained ultralytics detection network, or None when offline.

    Offline, one line says so and the caller takes its fallback; online, ultralytics
    downloads the weights into the checkout's cache on first use.
    """
    if offline():
        logger.warning("offline: COCO-pretrained %s cannot be downloaded; using the detectors "
                       "trained from scratch on generated scenes instead", name)
        return None
    folder = ultralytics_environment()
    from ultralytics import YOLO

    # Limitation: ultralytics checkpoints are full pickles that ultralytics loads itself, not
    # with weights_only, and no sha256 of them is pinned here: none could be recorded offline.
    weights = folder / "weights" / name  # ultralytics downloads a missing asset to this path
    weights.parent.mkdir(parents=True, exist_ok=True)
    return YOLO(str(weights)).model.float().eval()


def _letterbox(image: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    from PIL import Image

    height, width = image.shape[:2]
    scale = size / max(height, width)
    if scale != 1.0:
        resized = Image.fromarray(image).resize((round(width * scale), round(height * scale)),
                                                Image.BILINEAR)
        image = np.asarray(resized)
    canvas = np.full((size, size, 3), 114, np.uint8)
    canvas[: image.shape[0], : image.shape[1]] = image
    return canvas, scale


def detect(model: "torch.nn.Module", images: list[np.ndarray], imgsz: int = 256, conf: float = 0.01,
           iou: float = 0.6, flip: bool = False, batch_size: int = 16) -> list[Boxes]:
    """Run a detection network on uint8 images (H, W, 3); return one ``Boxes`` per image.

    Each image is scaled so its longer side is ``imgsz`` and padded to a square. With
    ``flip`` the network sees the mirror image and its boxes are mirrored back, a cheap
    test-time augmentation. Boxes below ``conf`` are dropped; per-class non-maximum
    suppression at ``iou`` follows, as ultralytics does by default.
    """
    import torch
    from ultralytics.utils.nms import non_max_suppression

    results = []
    for start in range(0, len(images), batch_size):
        chunk = images[start:start + batch_size]
        prepared = [_letterbox(image[:, ::-1] if flip else image, imgsz) for image in chunk]
        batch = torch.from_numpy(np.stack([pixels for pixels, _ in prepared]))
        batch = batch.permute(0, 3, 1, 2).float() / 255.0  # (B, 3, imgsz, imgsz)
        with torch.no_grad():
            outputs = non_max_suppression(model(batch), conf_thres=conf, iou_thres=iou)
        for image, (_, scale), found in zip(chunk, prepared, outputs):
            found = found.numpy().astype(np.float64)
            boxes = found[:, :4] / scale
            if flip:
                boxes[:, [0, 2]] = image.shape[1] - boxes[:, [2, 0]]
            keep = np.all(boxes[:, 2:] > boxes[:, :2], axis=1)
            results.append(Boxes(boxes[keep], found[keep, 4], found[keep, 5].astype(np.int64)))
    return results
