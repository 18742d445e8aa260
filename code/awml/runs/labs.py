"""The labs as runnable units: find them, load one, run its heavy steps for a profile.

A lab is a module ``awml.labs.<name>`` that defines::

    def run_all(profile: str) -> object:
        '''Run (or load) every heavy step of the lab for ``profile``; return the Runs.'''

Each step goes through ``awml.runs.run_or_load``, so its results land in the artifact
store that ``AWML_ARTIFACTS`` names. Labs are imported only when one is run, because a
lab's imports (torch, timm, ultralytics) take seconds; a module of ``awml.labs`` that
defines no ``run_all`` (a helper shared by labs) is not a lab.
"""

from __future__ import annotations

import ast
import importlib
import logging
import os
import pkgutil
import tempfile
from pathlib import Path
from types import ModuleType

from awml.profiles import PROFILES

logger = logging.getLogger(__name__)

PACKAGE = "awml.labs"


def _modules() -> dict[str, Path | None]:
    package = importlib.import_module(PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        spec = info.module_finder.find_spec(f"{PACKAGE}.{info.name}", None)
        found[info.name] = Path(spec.origin) if spec and spec.origin else None
    return found


def _defines_run_all(source: Path | None) -> bool:
    if source is None or source.suffix != ".py":
        return False
    tree = ast.parse(source.read_text())
    return any(isinstance(node, ast.FunctionDef) and node.name == "run_all"
               for node in tree.body)


def lab_names() -> list[str]:
    """Return the labs: modules of ``awml.labs`` defining ``run_all``, read, not imported."""
    return sorted(name for name, source in _modules().items() if _defines_run_all(source))


def check_lab_name(name: str) -> str:
    """Return ``name`` when it is a lab; raise ValueError saying why it is not otherwise."""
    if name in lab_names():
        return name
    if name in _modules():
        raise ValueError(f"{PACKAGE}.{name} defines no run_all(profile), so its heavy steps "
                         "cannot be run from the command line")
    raise ValueError(f"LAB {name!r} is not a lab; expected one of: "
                     f"{', '.join(lab_names()) or 'none yet'}")


def load_lab(name: str) -> ModuleType:
    """Import lab ``name`` (checked to define ``run_all(profile)``)."""
    return importlib.import_module(f"{PACKAGE}.{check_lab_name(name)}")


def distributed_rank() -> int:
    """Return this process's rank under torchrun (``RANK``), 0 when not distributed."""
    return int(os.environ.get("RANK", "0") or 0)


def run_lab(name: str, profile: str):
    """Run every heavy step of lab ``name`` under ``profile`` and return what it returns.

    Under torchrun, only rank 0 writes to the artifact store: the other ranks store their
    copies in a scratch folder, so concurrent processes never write the same run.
    Limitation: a lab splits its work across GPUs only if its own code uses
    ``torch.distributed``; otherwise every rank repeats the same computation.
    """
    if profile not in PROFILES:
        raise ValueError(f"--profile {profile!r} is not one of {', '.join(PROFILES)}")
    module = load_lab(name)
    os.environ["AWML_PROFILE"] = profile
    rank = distributed_rank()
    if rank > 0:
        scratch = tempfile.mkdtemp(prefix=f"awml-rank{rank}-")
        os.environ["AWML_ARTIFACTS"] = scratch
        logger.info("rank %d writes its runs to %s, not the shared store", rank, scratch)
    return module.run_all(profile)
