"""Real ``.ipynb`` notebooks from the book's MyST pages, for readers who launch a page.

A notebook made here has the page's cells without outputs, plus one set-up cell after the
title: where ``awml`` cannot be imported (Colab, Studio Lab, Binder), it clones the course
repository and installs the packages the pages use; where it can (a course Studio space,
a local checkout), it does nothing.

``python -m awml.book.notebooks --missing book`` writes ``page.ipynb`` next to every page
that has no notebook yet (the course start-up script runs it in each space).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from awml.book.pages import is_notebook_page

SETUP_TAG = "awml-setup"


def setup_cell_source(repository: str, branch: str, packages: tuple[str, ...]) -> str:
    """Return the code of the set-up cell (a no-op wherever ``awml`` imports)."""
    listed = "".join(f"        {json.dumps(package)},\n" for package in packages)
    return (
        "# Set-up where the course package is missing (Colab, Studio Lab, Binder).\n"
        "import importlib.util, pathlib, subprocess, sys\n"
        "\n"
        'if importlib.util.find_spec("awml") is None:\n'
        '    course = pathlib.Path.home() / "awml-book"\n'
        "    if not course.is_dir():\n"
        '        subprocess.run(["git", "clone", "--depth", "1",\n'
        f"                        \"--branch\", {json.dumps(branch)}, {json.dumps(repository)},\n"
        "                        str(course)], check=True)\n"
        '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",\n'
        f"{listed}"
        "    ], check=True)\n"
        '    sys.path.insert(0, str(course / "code"))'
    )


def notebook_from_page(page: Path, setup_source: str | None = None):
    """Return the notebook (nbformat v4, no outputs) of a MyST notebook page.

    ``setup_source``, when given, becomes a code cell tagged ``awml-setup`` placed after
    the page's first cell (its title).
    """
    import jupytext
    from nbformat.v4 import new_code_cell

    text = page.read_text()
    if not is_notebook_page(text):
        raise ValueError(f"{page} is not a MyST notebook page (no jupytext front matter)")
    notebook = jupytext.reads(text, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.setdefault("language_info", {"name": "python"})
    if setup_source:
        cell = new_code_cell(setup_source, metadata={"tags": [SETUP_TAG]})
        position = 1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0
        notebook.cells.insert(position, cell)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return notebook


def write_notebook(page: Path, target: Path, setup_source: str | None = None) -> Path:
    """Write the notebook of ``page`` to ``target``, only when its text changed."""
    import nbformat

    text = nbformat.writes(notebook_from_page(page, setup_source))
    if not target.is_file() or target.read_text() != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return target


def write_missing(folder: Path) -> list[Path]:
    """Write ``page.ipynb`` beside every notebook page under ``folder`` that has none."""
    written = []
    for page in sorted(folder.rglob("*.md")):
        target = page.with_suffix(".ipynb")
        if target.exists() or not is_notebook_page(page.read_text()):
            continue
        written.append(write_notebook(page, target))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write notebooks of the book's pages.")
    parser.add_argument("--missing", type=Path, required=True,
                        help="folder of pages; writes page.ipynb where none exists")
    args = parser.parse_args(argv)
    if not args.missing.is_dir():
        print(f"--missing {args.missing} is not a folder", file=sys.stderr)
        return 2
    for path in write_missing(args.missing):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
