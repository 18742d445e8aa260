"""Measure the book's build: cold, unchanged, after a one-page edit; pages; import awml.

Usage: ``.venv/bin/python scripts/benchmark.py [--page book/setup/sagemaker.md]``

The builds run in a temporary copy of the committed files, with an empty execution cache
and an empty artifact store, so the cold build trains everything and the user's own
``_build`` and ``artifacts`` are left alone. Prints a table and writes the numbers to
``_build/benchmark.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_checkout(destination: Path) -> None:
    """Copy the files git tracks (and new files it does not ignore) into ``destination``."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in listed.splitlines():
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assets = ROOT / ".cache" / "site-assets"
    if assets.is_dir():
        shutil.copytree(assets, destination / ".cache" / "site-assets",
                        ignore=shutil.ignore_patterns("npm-cache"))


def build(copy: Path) -> float:
    """Build the copy and return the wall-clock seconds; stop on a failed build."""
    env = dict(os.environ, PYTHONPATH=str(copy / "code"))
    for name in ("AWML_ROOT", "AWML_ARTIFACTS", "AWML_ARTIFACTS_DIR", "AWML_PROFILE"):
        env.pop(name, None)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "awml.book.build", str(copy)], env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed after {seconds:.0f} s:\n{result.stdout[-4000:]}"
                 f"\n{result.stderr[-4000:]}")
    return seconds


def page_seconds(copy: Path) -> dict[str, float]:
    """Return each executed page's execution seconds from the jupyter-cache records."""
    from jupyter_cache import get_cache

    cache = get_cache(copy / "_build" / ".jupyter_cache")
    seconds = {}
    for record in cache.list_cache_records():
        path = Path(record.uri)
        name = str(path.relative_to(copy)) if path.is_relative_to(copy) else str(path)
        seconds[name] = round(float(record.data.get("execution_seconds", float("nan"))), 1)
    return dict(sorted(seconds.items()))


def edit_page(page: Path) -> None:
    """Change the code of a page's first code cell without changing what it does."""
    text = page.read_text()
    marker = "```{code-cell} ipython3\n"
    if marker not in text:
        sys.exit(f"{page} has no code cell to edit")
    position = text.index(marker) + len(marker)
    while text[position] == ":":  # keep the cell's options first
        position = text.index("\n", position) + 1
    page.write_text(text[:position] + "# benchmark edit\n" + text[position:])


def import_seconds(repeats: int = 7) -> float:
    """Return the median seconds of ``import awml`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import awml; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeats)]
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="book/setup/sagemaker.md",
                        help="the page whose code is edited for the one-page rebuild")
    args = parser.parse_args()

    from awml.book.build import build_jobs

    numbers: dict[str, object] = {"import_awml_s": round(import_seconds(), 3),
                                  "build_jobs": build_jobs(dict(os.environ))}
    with tempfile.TemporaryDirectory(prefix="awml-benchmark-") as scratch:
        copy = Path(scratch) / "book"
        copy_checkout(copy)
        numbers["cold_build_s"] = round(build(copy), 1)
        numbers["pages_s"] = page_seconds(copy)
        numbers["unchanged_rebuild_s"] = round(build(copy), 1)
        edit_page(copy / args.page)
        numbers["one_page_edit_s"] = round(build(copy), 1)
        numbers["edited_page"] = args.page
        numbers["edited_page_s"] = page_seconds(copy).get(args.page)

    pages = numbers["pages_s"]
    print(f"{'import awml':40s} {numbers['import_awml_s']:8.3f} s")
    print(f"{'cold build':40s} {numbers['cold_build_s']:8.1f} s "
          f"({numbers['build_jobs']} pages at a time)")
    print(f"{'unchanged rebuild':40s} {numbers['unchanged_rebuild_s']:8.1f} s "
          f"({100 * numbers['unchanged_rebuild_s'] / numbers['cold_build_s']:.1f}% of cold)")
    print(f"{'one-page edit (' + args.page + ')':40s} {numbers['one_page_edit_s']:8.1f} s "
          f"(that page executes in {numbers['edited_page_s']} s)")
    print(f"execution seconds of {len(pages)} pages, {sum(pages.values()):.0f} s in all "
          f"(pages executed side by side share the cores):")
    for name, seconds in pages.items():
        print(f"  {name:60s} {seconds:7.1f} s")
    output = ROOT / "_build" / "benchmark.json"
    output.parent.mkdir(exist_ok=True)
    output.write_text(json.dumps(numbers, indent=1))
    print(f"written to {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
