"""Build the book: the environment every build and test shares, then Jupyter Book.

``python -m awml.book.build [ROOT]`` builds ``ROOT/_build/html`` with warnings as errors.
The environment keeps the build offline (Hugging Face and ultralytics told so, data read
from offline sources) and out of the home folder (Jupyter, IPython, matplotlib, torch and
ultralytics get folders under ``ROOT/.cache``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from awml.book.offline_guard import GUARD_DIR


def build_environment(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Return ``base`` (the current environment by default) with the build's variables.

    Values already set in ``base`` for ``AWML_PROFILE`` and ``AWML_OFFLINE`` are kept, so a
    person can build another profile or with network access on purpose.
    """
    env = dict(os.environ if base is None else base)
    cache = root / ".cache"
    env.update({
        "HF_HUB_OFFLINE": "1",
        "YOLO_OFFLINE": "1",
        "YOLO_CONFIG_DIR": str(cache / "ultralytics"),
        "MPLCONFIGDIR": str(cache / "matplotlib"),
        "JUPYTER_CONFIG_DIR": str(cache / "jupyter" / "config"),
        "JUPYTER_DATA_DIR": str(cache / "jupyter" / "data"),
        "JUPYTER_RUNTIME_DIR": str(cache / "jupyter" / "runtime"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": str(cache / "ipython"),
        "XDG_CACHE_HOME": str(cache / "xdg-cache"),
        "XDG_CONFIG_HOME": str(cache / "xdg-config"),
        "XDG_DATA_HOME": str(cache / "xdg-data"),
        "TORCH_HOME": str(cache / "torch"),
        "HF_HOME": str(cache / "huggingface"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "AWML_PLAIN_PROGRESS": "1",
        "AWML_ROOT": str(root),
    })
    env.setdefault("AWML_PROFILE", "cpu")
    env.setdefault("AWML_OFFLINE", "1")
    if env["AWML_OFFLINE"] == "1":
        env["AWML_NETGUARD_LOG"] = str(cache / "network-attempts.log")
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (GUARD_DIR, env.get("PYTHONPATH", "")) if part)
    return env


def prepare(root: Path) -> None:
    """Create the cache folders and give ultralytics its font without a download."""
    cache = root / ".cache"
    for name in ("ultralytics", "matplotlib", "ipython", "torch"):
        (cache / name).mkdir(parents=True, exist_ok=True)
    font = cache / "ultralytics" / "Arial.ttf"
    if not font.exists():
        import matplotlib

        dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        shutil.copyfile(dejavu, font)


def create_execution_cache(root: Path) -> None:
    """Create the jupyter-cache database before parallel workers would race to create it."""
    import yaml
    from jupyter_cache import get_cache

    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    folder = (config.get("execute") or {}).get("cache") or "_build/.jupyter_cache"
    get_cache(root / folder).list_project_records()  # opening it creates its tables


def cores() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_jobs(env: dict[str, str]) -> int:
    """Return how many pages a build executes at once: ``AWML_BUILD_JOBS``, else one per
    core, at most four (each page's kernel holds a model and its data in memory)."""
    value = env.get("AWML_BUILD_JOBS", "").strip()
    if not value:
        return max(1, min(4, cores()))
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"AWML_BUILD_JOBS={value!r}: expected a whole number of at least 1")
    return int(value)


def jupyter_book(jobs: int) -> None:
    """Run Jupyter Book's command line (arguments from ``sys.argv``) with ``jobs`` Sphinx
    workers; its ``build`` command has no option for them."""
    import jupyter_book.sphinx
    from jupyter_book.cli.main import main
    from sphinx.errors import SphinxParallelError

    build_sphinx = jupyter_book.sphinx.build_sphinx

    def build_with_jobs(*args, **kwargs):
        result = build_sphinx(*args, jobs=jobs, **kwargs)
        if isinstance(result, SphinxParallelError):  # a worker's error: show its traceback,
            print(result.traceback, file=sys.stderr)  # which names the page and the cell
        return result

    jupyter_book.sphinx.build_sphinx = build_with_jobs
    main()


def build(root: Path, extra_args: list[str] | None = None,
          env: dict[str, str] | None = None) -> int:
    """Build the book under ``root``; return Jupyter Book's exit status.

    Pages execute ``build_jobs`` at a time, each kernel with its share of the cores (see
    ``awml.book.scheduling`` for the order). In an offline build (the default) any attempt
    to reach another machine fails the build, even one that the code which made it caught:
    the attempts are listed.
    """
    prepare(root)
    environment = build_environment(root, env)
    jobs = build_jobs(environment)
    if jobs > 1:
        create_execution_cache(root)
        environment.setdefault("OMP_NUM_THREADS", str(max(1, cores() // jobs)))
    attempts = Path(environment.get("AWML_NETGUARD_LOG", root / ".cache" / "none.log"))
    attempts.unlink(missing_ok=True)
    command = [sys.executable, "-c",
               f"from awml.book.build import jupyter_book; jupyter_book({jobs})", "build",
               str(root), "--warningiserror", "--keep-going", *(extra_args or [])]
    status = subprocess.call(command, env=environment, cwd=root)
    if attempts.is_file() and attempts.read_text().strip():
        print("The offline build tried to reach the network:\n" + attempts.read_text(),
              file=sys.stderr)
        return status or 3
    return status


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args.pop(0)).resolve() if args and not args[0].startswith("-") else Path.cwd()
    started = time.perf_counter()
    status = build(root, args)
    seconds = time.perf_counter() - started
    if status == 0:
        print(f"Book built in {seconds:.0f} s: open {root / '_build' / 'html' / 'index.html'}")
    else:
        print(f"Book build failed after {seconds:.0f} s (exit status {status}); "
              "the first error above names the page and the cell.", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
