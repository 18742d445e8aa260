"""The course start-up script of Studio JupyterLab spaces (a lifecycle configuration).

At each start of a space's JupyterLab app it clones the course repository into the
space's home (or fast-forwards it, keeping a student's own changes), installs ``awml``
from it, and writes a notebook beside every page that has none, so that
``awml studio open PAGE`` lands on a real ``.ipynb``. ``python -m awml.aws.startup``
renders it from ``course.yml`` into ``book/setup/studio-startup.sh`` for the setup page;
``--check`` fails when that file is stale.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

FILE = Path("book") / "setup" / "studio-startup.sh"

TEMPLATE = """#!/bin/bash
# Start-up script of the {course} course's JupyterLab spaces in SageMaker Studio
# (lifecycle configuration {name}). Rendered from course.yml by python -m awml.aws.startup.
set -uo pipefail
repository={repository}
branch={branch}
folder="$HOME"/{folder}

if [ ! -d "$folder/.git" ]; then
  git clone --branch "$branch" "$repository" "$folder" || exit 1
elif ! git -C "$folder" pull --ff-only --quiet; then
  echo "course repository: not updated, your own changes in $folder are kept" >&2
fi
python -m pip install --quiet --no-deps -e "$folder/code"
python -m awml.book.notebooks --missing "$folder/book"
"""


def render(course) -> str:
    """Return the start-up script for the course configuration ``course``."""
    return TEMPLATE.format(
        course=course.get("course"), name=course.get("aws.startup_script"),
        repository=shlex.quote(course.get("aws.repository")),
        branch=shlex.quote(course.get("launch.branch")),
        folder=shlex.quote(course.get("studio.repository_folder")))


def main(argv: list[str] | None = None) -> int:
    from awml.course import course_config
    from awml.paths import project_root

    args = sys.argv[1:] if argv is None else argv
    path = (project_root() or Path.cwd()) / FILE
    text = render(course_config())
    if "--check" in args:
        if not path.is_file() or path.read_text() != text:
            print(f"{path} is stale: run python -m awml.aws.startup", file=sys.stderr)
            return 1
        return 0
    path.write_text(text)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
