"""One API for heavy work: run a computation, or load a stored run of the same code.

A run is keyed by task, profile and configuration; its manifest also records the
fingerprint of the ``awml`` code it depends on. ``run_or_load`` resolves, in order:

1. On a CPU build (``cpu`` profile), a stored ``gpu`` run whose configuration and code
   match: it is loaded and labelled a recorded GPU run.
2. A stored run of the active profile with matching configuration and code: loaded.
3. Otherwise the computation runs under the active profile and its result is stored.

A stored run that fails a check (a file hash, the code fingerprint, the configuration) is
refused with one logged line and the next option is taken; nothing crashes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import json
import logging
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from awml import __version__
from awml.paths import artifacts_dir
from awml.profiles import PROFILES, current_profile, describe_device
from awml.runs.artifacts import ArtifactRefused, check_run, load_payload, write_run
from awml.runs.fingerprint import code_fingerprint
from awml.runs.store import ArtifactStore, default_store

logger = logging.getLogger(__name__)

SHOWS = {
    "gpu-recorded": "a recorded GPU run",
    "gpu": "a GPU run",
    "cpu": "a CPU preview",
    "smoke": "a smoke run",
}


@dataclass
class RunResult:
    """What a computation returns: all of it is stored and comes back on load.

    ``metrics`` maps names to numbers, ``history`` maps names to per-epoch lists,
    ``arrays`` holds numpy arrays (sample predictions), ``weights`` maps a model name to
    its state dict, ``extra`` holds any other JSON-serialisable values.
    """

    metrics: dict[str, float] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)
    arrays: dict[str, Any] = field(default_factory=dict)
    weights: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Run(RunResult):
    """A run's result with its provenance: which profile made it and what the reader sees."""

    task: str = ""
    profile: str = ""
    shows: str = ""
    loaded: bool = False
    manifest: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    instance: str = ""
    gpu_minutes: float | None = None

    @property
    def seconds(self) -> float:
        """Seconds the computation took when it ran, wherever it ran."""
        return float(self.manifest.get("seconds", 0.0))

    def summary(self) -> str:
        """One line: what the reader is looking at, where it ran and how long it took."""
        where = self.manifest.get("device", "?")
        origin = "loaded from the artifact store" if self.loaded else "computed now"
        return (
            f"{self.task}: {SHOWS[self.shows]} (profile {self.profile}, {where}, "
            f"{self.seconds:.0f} s; {origin})"
        )

    def badge_html(self) -> str:
        """The badge a ``gpu`` cell shows: instance, expected time and what is shown."""
        recorded = self.shows == "gpu-recorded"
        if recorded:
            expected = f"{self.seconds / 60:.0f} min measured"
        elif self.gpu_minutes is not None:
            expected = f"about {self.gpu_minutes:g} min"
        else:
            expected = "time not recorded"
        notes = "".join(f"<br><small>{html.escape(note)}</small>" for note in self.notes)
        return (
            f'<div class="awml-run awml-shows-{self.shows}" data-awml-shows="{self.shows}" '
            f'data-awml-task="{html.escape(self.task)}">'
            f'<span class="awml-run-label">{"Recorded GPU run" if recorded else "GPU cell"}</span> '
            f"full run: <b>{html.escape(self.instance or 'a GPU instance')}</b>, {expected}. "
            f"You are looking at <b>{SHOWS[self.shows]}</b>: {html.escape(self.summary())}."
            f"{notes}</div>"
        )

    def _repr_html_(self) -> str:
        return self.badge_html()

    def __repr__(self) -> str:
        return self.summary()


def canonical_config(config: Any) -> dict:
    """Return ``config`` (a dataclass or a mapping) as a JSON-ready dict."""
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        config = dataclasses.asdict(config)
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dataclass or a dict; got {type(config).__name__}")
    return json.loads(json.dumps(config, sort_keys=True, default=str))


def run_key(task: str, profile: str, config: dict) -> str:
    """Return the store key of a run: ``profile/task/<hash of the configuration>``."""
    text = json.dumps({"task": task, "profile": profile, "config": config}, sort_keys=True)
    return f"{profile}/{task}/{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


def run_or_load(
    task: str,
    configs: dict[str, Any],
    compute: Callable[[Any], RunResult],
    *,
    modules: list[str] | None = None,
    profile: str | None = None,
    store: ArtifactStore | None = None,
    instance: str | None = None,
    gpu_minutes: float | None = None,
    rerun: bool = False,
    show: bool | None = None,
) -> Run:
    """Run ``compute(configs[profile])`` or load a stored run of the same code and config.

    Parameters
    ----------
    task : a stable name such as ``"denoising"``; it names the run in the store.
    configs : one configuration per profile (``smoke``, ``cpu``, ``gpu``).
    compute : the computation; it gets the chosen configuration and returns a RunResult.
    modules : the ``awml`` modules whose code the run depends on (their imports are
        followed); by default the module that defines ``compute``.
    profile : the profile to use; by default ``AWML_PROFILE`` or what the machine allows.
    store : where runs are kept; by default ``AWML_ARTIFACTS`` or the local folder.
    instance, gpu_minutes : the recommended instance and the expected minutes of a full
        run on it, shown in the badge of a ``gpu`` cell.
    rerun : compute even when a matching stored run exists.
    show : display the run's badge; by default only inside a notebook.

    Returns
    -------
    Run : the result with its provenance (``shows`` is ``gpu-recorded``, ``gpu``,
        ``cpu`` or ``smoke``).
    """
    profile = profile or current_profile()
    if profile not in PROFILES:
        raise ValueError(f"profile {profile!r} is not one of {', '.join(PROFILES)}")
    missing = [name for name in PROFILES if name not in configs]
    if missing:
        raise ValueError(f"configs for task {task!r} lack profiles {missing}")
    store = store or default_store()
    fingerprint = code_fingerprint(modules or [compute.__module__])
    if instance is None:
        from awml.course import course_config

        instance = course_config().gpu_instance
    notes: list[str] = []

    candidates = [("gpu", "gpu-recorded")] if profile == "cpu" else []
    candidates.append((profile, profile))
    run = None
    if not rerun:
        for stored_profile, shows in candidates:
            run = _try_load(store, task, stored_profile, configs[stored_profile],
                            fingerprint, shows, notes)
            if run is not None:
                break
    if run is None:
        with _computing(run_key(task, profile, canonical_config(configs[profile]))):
            if not rerun:  # another process may have stored the run while this one waited
                run = _try_load(store, task, profile, configs[profile], fingerprint, profile,
                                notes)
            if run is None:
                run = _compute(store, task, profile, configs[profile], compute, fingerprint)
    run.notes, run.instance, run.gpu_minutes = notes, instance, gpu_minutes
    logger.info(run.summary())
    if show if show is not None else _in_notebook():
        from IPython.display import display

        display(run)
    return run


@contextmanager
def _computing(key: str) -> Iterator[None]:
    """Hold this machine's lock on run ``key`` while it is computed.

    Pages executed side by side (a parallel book build) that need the same run then compute
    it once: the second waits, and finds the run stored when the lock is released.
    """
    from filelock import FileLock, Timeout

    folder = artifacts_dir() / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / (key.replace("/", "--") + ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        logger.info("waiting for another process that is computing run %s", key)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _expected_manifest(task: str, profile: str, config: dict, fingerprint: str) -> dict:
    return {"task": task, "profile": profile, "config": config, "code_fingerprint": fingerprint}


def _try_load(store, task, profile, config, fingerprint, shows, notes) -> Run | None:
    config = canonical_config(config)
    key = run_key(task, profile, config)
    folder = store.fetch(key)
    if folder is None:
        return None
    try:
        manifest = check_run(folder, _expected_manifest(task, profile, config, fingerprint))
        payload = load_payload(folder)
    except ArtifactRefused as reason:
        line = f"refused stored {profile} run {store.describe()}/{key}: {reason}"
        logger.warning("%s; %s", line, "trying the next option")
        notes.append(line)
        return None
    return Run(**payload, task=task, profile=profile, shows=shows, loaded=True,
               manifest=manifest)


def _compute(store, task, profile, config, compute, fingerprint) -> Run:
    config_dict = canonical_config(config)
    started = time.perf_counter()
    result = compute(config)
    if not isinstance(result, RunResult):
        raise TypeError(f"compute for task {task!r} returned {type(result).__name__}, "
                        "expected a RunResult")
    manifest = {
        **_expected_manifest(task, profile, config_dict, fingerprint),
        "seconds": round(time.perf_counter() - started, 2),
        "device": describe_device(),
        "awml_version": __version__,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    key = run_key(task, profile, config_dict)
    with tempfile.TemporaryDirectory(prefix="awml-run-") as scratch:
        folder = Path(scratch) / "run"
        write_run(folder, manifest, result)
        store.save(key, folder)
        manifest = json.loads((folder / "manifest.json").read_text())
    return Run(**vars(result), task=task, profile=profile, shows=profile, loaded=False,
               manifest=manifest)
