#!/bin/bash
# Start-up script of the AWML course's JupyterLab spaces in SageMaker Studio
# (lifecycle configuration awml-startup). Rendered from course.yml by python -m awml.aws.startup.
set -uo pipefail
repository=https://github.com/awml-book/awml-book
branch=main
folder="$HOME"/awml-book

if [ ! -d "$folder/.git" ]; then
  git clone --branch "$branch" "$repository" "$folder" || exit 1
elif ! git -C "$folder" pull --ff-only --quiet; then
  echo "course repository: not updated, your own changes in $folder are kept" >&2
fi
python -m pip install --quiet --no-deps -e "$folder/code"
python -m awml.book.notebooks --missing "$folder/book"
