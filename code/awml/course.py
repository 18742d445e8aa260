"""The course configuration: what differs between offerings of the course.

It lives in ``course.yml`` at the top of the book repository (``AWML_COURSE`` names
another file). Pages render its values, and the command line reads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from awml.paths import project_root


@dataclass(frozen=True)
class Instance:
    """A SageMaker instance type with its size and its cost relative to the cheapest."""

    name: str
    cores: int
    memory_gb: float
    gpu_memory_gb: float
    cost_ratio: float

    @property
    def has_gpu(self) -> bool:
        return self.gpu_memory_gb > 0


@dataclass(frozen=True)
class CourseConfig:
    """The parsed ``course.yml``; ``raw`` keeps every value for pages that render them."""

    raw: dict = field(repr=False)
    instances: dict[str, Instance]
    cpu_instance: str
    gpu_instance: str

    def get(self, dotted: str):
        """Return the value at a dotted path such as ``aws.region``."""
        value = self.raw
        for part in dotted.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"course.yml has no value at {dotted!r}")
            value = value[part]
        return value


def course_file() -> Path:
    """Return the path of the course configuration file."""
    if os.environ.get("AWML_COURSE"):
        return Path(os.environ["AWML_COURSE"])
    root = project_root()
    if root is None:
        raise FileNotFoundError(
            "course.yml not found: run inside the book repository or set AWML_COURSE"
        )
    return root / "course.yml"


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> CourseConfig:
    import yaml

    raw = yaml.safe_load(Path(path).read_text())
    instances = {
        name: Instance(name=name, **values) for name, values in raw.get("instances", {}).items()
    }
    for key in ("cpu_instance", "gpu_instance"):
        if raw.get(key) not in instances:
            raise ValueError(f"{path}: {key} {raw.get(key)!r} is not listed under instances")
    return CourseConfig(raw=raw, instances=instances, cpu_instance=raw["cpu_instance"],
                        gpu_instance=raw["gpu_instance"])


def course_config() -> CourseConfig:
    """Return the course configuration, re-read when the file changes."""
    path = course_file()
    if not path.is_file():
        raise FileNotFoundError(f"course configuration {path} does not exist")
    return _load(str(path), path.stat().st_mtime_ns)
