"""Detectors trained from scratch on generated street scenes, one run-or-load run each.

A run (task ``carnet-yolo``) depends on its ``DetectorRunConfig``: which scenes, which
model, which seed and how long. Its dataset and ultralytics' run folder live under
``<checkout>/.cache/carnet``. ``train_runs`` trains the detectors still missing from the
store side by side in separate processes when that uses the cores better (see its
docstring), then loads every run in the calling process.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from awml.data.streets import CLASSES, Scene, make_scenes, write_yolo_split
from awml.paths import project_root
from awml.profiles import current_profile, device_name
from awml.runs import Run, RunResult, run_or_load

logger = logging.getLogger(__name__)

TASK = "carnet-yolo"
GPU_MINUTES = 12  # per detector of the gpu profile, on a T4
SPLIT_SERIES = {"train": 0, "validate": 1, "test": 2, "score": 3}  # one scene series each
MONITOR_SCENES = 8  # scenes ultralytics validates on once, after the last epoch


@dataclass(frozen=True)
class DetectorRunConfig:
    """What one detector's training depends on: its scenes, model, seed and settings."""

    train_scenes: int  # generated training scenes
    scene_seed: int  # which generated street series
    model: str  # ultralytics model name without suffix, e.g. yolov8n
    seed: int
    epochs: int
    imgsz: int
    batch: int


@lru_cache(maxsize=8)
def scene_series(count: int, scene_seed: int, split: str, size: int) -> tuple[Scene, ...]:
    """Return the first ``count`` scenes of a split's series, generated once per process."""
    return tuple(make_scenes(count, scene_seed * 10 + SPLIT_SERIES[split], size))


def work_dir() -> Path:
    """Return the folder for YOLO datasets and training runs, inside the checkout."""
    return (project_root() or Path.cwd()) / ".cache" / "carnet"


def dataset_yaml(config: DetectorRunConfig) -> Path:
    """Write the run's training scenes as a YOLO dataset once; return its ``data.yaml``.

    Each run gets its own copy, so runs training side by side never share label caches.
    """
    import yaml

    name = f"streets-{config.train_scenes}-{config.scene_seed}-{config.imgsz}"
    folder = work_dir() / name / f"{config.model}-seed{config.seed}"
    data_yaml = folder / "data.yaml"
    if not data_yaml.is_file():
        train = scene_series(config.train_scenes, config.scene_seed, "train", config.imgsz)
        monitor = scene_series(MONITOR_SCENES, config.scene_seed, "validate", config.imgsz)
        write_yolo_split(list(train), folder, "train")
        write_yolo_split(list(monitor), folder, "monitor")
        data_yaml.write_text(yaml.safe_dump({
            "path": str(folder), "train": "images/train", "val": "images/monitor",
            "names": dict(enumerate(CLASSES))}))
    return data_yaml


def train_detector(config: DetectorRunConfig) -> RunResult:
    """Train one detector from scratch; return its weights and per-epoch losses."""
    from awml.models.yolo import YoloTraining, train_from_scratch

    settings = YoloTraining(epochs=config.epochs, seed=config.seed, imgsz=config.imgsz,
                            batch=config.batch)
    state, history = train_from_scratch(dataset_yaml(config), work_dir() / "runs", settings,
                                        architecture=f"{config.model}.yaml")
    return RunResult(metrics={f"final {name}": values[-1] for name, values in history.items()},
                     history=history, weights={"detector": state},
                     extra={"names": list(CLASSES), "model": config.model})


def detector_run(configs: dict[str, DetectorRunConfig], *, rerun: bool = False) -> Run:
    """Train one detector for the active profile's config, or load its stored run."""
    return run_or_load(TASK, configs, train_detector, gpu_minutes=GPU_MINUTES, rerun=rerun)


def is_stored(configs: dict[str, DetectorRunConfig]) -> bool:
    """True when the store holds a run that ``detector_run`` would look for first."""
    from awml.runs.run_or_load import canonical_config, run_key
    from awml.runs.store import default_store

    profile, store = current_profile(), default_store()
    candidates = ["gpu", profile] if profile == "cpu" else [profile]
    return any(store.fetch(run_key(TASK, name, canonical_config(configs[name]))) is not None
               for name in candidates)


def parallel_workers(missing: int) -> int:
    """Return how many detectors to train at once: ultralytics trains on a CPU with one
    thread fewer than there are cores, so a two-core machine has a core to spare."""
    if device_name() != "cpu" or missing < 2:
        return 1
    cores = os.cpu_count() or 1
    return min(missing, max(1, cores // max(1, cores - 1)))


def run_in_processes(calls: list[str], workers: int) -> None:
    """Run Python statements ``calls``, ``workers`` at a time, each in its own process.

    Raises ``RuntimeError`` with the last line of the first failing process's errors.
    """
    for start in range(0, len(calls), workers):
        started = [subprocess.Popen([sys.executable, "-c", call], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
                   for call in calls[start:start + workers]]
        try:
            for process in started:
                _, errors = process.communicate()
                if process.returncode:
                    last = errors.strip().splitlines()[-1] if errors.strip() else "no message"
                    raise RuntimeError(f"training a detector in a separate process failed: "
                                       f"{last}")
        finally:  # an interrupted or failed batch leaves no process running
            for process in started:
                if process.poll() is None:
                    process.kill()
                    process.wait()
