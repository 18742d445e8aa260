"""Execution profiles: how much work a page or a lab does.

``smoke`` runs in seconds for tests, ``cpu`` is the book build on a small CPU machine and
``gpu`` is the course-scale run. ``AWML_PROFILE`` chooses one; unset, the profile is
``gpu`` when CUDA is available and ``cpu`` otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

PROFILES = ("smoke", "cpu", "gpu")
ENV_VAR = "AWML_PROFILE"


def cuda_available() -> bool:
    """True when torch is installed and sees a CUDA device."""
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def current_profile() -> str:
    """Return the active profile name: ``smoke``, ``cpu`` or ``gpu``."""
    requested = os.environ.get(ENV_VAR, "").strip().lower()
    if not requested:
        return "gpu" if cuda_available() else "cpu"
    if requested not in PROFILES:
        raise ValueError(
            f"{ENV_VAR}={requested!r} is not a profile; expected one of {', '.join(PROFILES)}"
        )
    return requested


def device_name() -> str:
    """Return ``cuda`` when a GPU is usable and ``cpu`` otherwise."""
    return "cuda" if cuda_available() else "cpu"


def describe_device() -> str:
    """Return a one-line description of the compute device, e.g. ``cpu (2 cores)``."""
    if cuda_available():
        import torch

        count = torch.cuda.device_count()
        return f"cuda: {count} x {torch.cuda.get_device_name(0)}"
    return f"cpu ({os.cpu_count()} cores)"


@dataclass(frozen=True)
class RunContext:
    """Where a computation runs: the profile and the device."""

    profile: str
    device: str

    def __str__(self) -> str:
        return f"profile {self.profile} on {describe_device()}"


def context() -> RunContext:
    """Return the active profile and device."""
    return RunContext(profile=current_profile(), device=device_name())


def pick(configs: dict, profile: str | None = None):
    """Return the entry of ``configs`` for ``profile`` (the active one by default)."""
    profile = profile or current_profile()
    missing = [name for name in PROFILES if name not in configs]
    if missing:
        raise ValueError(f"configs lacks profiles {missing}; expected keys {list(PROFILES)}")
    return configs[profile]
