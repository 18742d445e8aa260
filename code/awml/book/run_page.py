"""Execute one page as the book build would, without building the book.

``python -m awml.book.run_page book/labs/01_denoising.md [--profile smoke]`` runs the page
in a kernel with the build's environment and prints each cell's seconds; the first cell
that raises is named with its line in the page. Useful while writing a page.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from awml.book.build import build_environment, prepare
from awml.paths import project_root


def execute_page(page: Path, profile: str | None = None, timeout: int = 1200):
    """Execute ``page`` and return the executed notebook and per-cell seconds."""
    import jupytext
    from nbclient import NotebookClient

    root = project_root(page.parent) or Path.cwd()
    prepare(root)
    env = build_environment(root)
    if profile:
        env["AWML_PROFILE"] = profile
    notebook = jupytext.read(page)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(page.parent)}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook


def _seconds(cell) -> float:
    from datetime import datetime

    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return float("nan")
    return (end - start).total_seconds()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--profile", choices=["smoke", "cpu", "gpu"])
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"page {args.page} does not exist", file=sys.stderr)
        return 2
    from nbclient.exceptions import CellExecutionError

    started = time.perf_counter()
    root = project_root(args.page.resolve().parent) or Path.cwd()
    attempts = Path(build_environment(root).get("AWML_NETGUARD_LOG", root / "none.log"))
    attempts.unlink(missing_ok=True)
    try:
        notebook = execute_page(args.page.resolve(), args.profile)
    except CellExecutionError as error:
        print(f"{args.page}: a cell raised:\n{error}", file=sys.stderr)
        return 1
    if attempts.is_file() and attempts.read_text().strip():
        print(f"{args.page} tried to reach the network, which fails the offline build:\n"
              + attempts.read_text(), file=sys.stderr)
        return 3
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            print(f"cell {index:3d} {_seconds(cell):7.1f} s  {first[:70]}")
    print(f"{args.page}: {time.perf_counter() - started:.1f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
