"""Serve the book with live reload while an instructor edits: ``python -m awml.book.preview``.

Writes the Sphinx configuration that Jupyter Book derives from ``_config.yml`` and
``_toc.yml`` to ``_build/preview/conf.py``, then runs sphinx-autobuild on the repository in
the build's offline environment. Saving a page rebuilds it (re-executing its code only when
the code changed, through the shared jupyter-cache) and reloads the browser. The preview has
its own output (``_build/preview/html``) and is not strict about warnings; ``make book``
is the strict build.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from awml.book.build import build_environment, prepare

# What builds and runs write into the repository: watching it would rebuild in a loop.
IGNORED = ("_build", ".cache", ".venv", ".git", ".data", "artifacts", "outputs", "tests",
           "scripts", ".pytest_cache")


def write_conf(root: Path, folder: Path) -> Path:
    """Write ``folder/conf.py`` with the Sphinx settings Jupyter Book makes for ``root``."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=root / "_config.yml", sourcedir=root,
        cli_config={"external_toc_path": str(root / "_toc.yml"), "latex_individualpages": False},
    )
    # Sphinx reads these relative to the folder of conf.py, which here is not the root.
    config["bibtex_bibfiles"] = [str(root / name) for name in config.get("bibtex_bibfiles", [])]
    config["nb_execution_cache_path"] = str(root / config.get("nb_execution_cache_path",
                                                              "_build/.jupyter_cache"))
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by awml.book.preview from _config.yml and _toc.yml: edit those instead."]
    lines += [f"{key} = {config[key]!r}" for key in sorted(config)]
    conf = folder / "conf.py"
    conf.write_text("\n".join(lines) + "\n")
    return conf


def autobuild_command(root: Path, host: str, port: int) -> list[str]:
    """Return the sphinx-autobuild command line that serves ``root``'s book."""
    preview = root / "_build" / "preview"
    ignored = "|".join(re.escape(name) for name in IGNORED)
    return [
        sys.executable, "-m", "sphinx_autobuild", str(root), str(preview / "html"),
        "--conf-dir", str(preview), "--doctree-dir", str(preview / ".doctrees"),
        "--host", host, "--port", str(port),
        "--re-ignore", rf"^{re.escape(str(root))}/({ignored})(/|$)",
        "--re-ignore", r"(__pycache__|\.ipynb_checkpoints)(/|$)|\.pyc$|~$|\.swp$",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path.cwd())
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / "_config.yml").is_file():
        print(f"{root} has no _config.yml; run the preview from the book's root", file=sys.stderr)
        return 2
    prepare(root)
    write_conf(root, root / "_build" / "preview")
    print(f"Preview at http://{args.host}:{args.port}/ (Ctrl-C stops it)")
    try:
        return subprocess.call(autobuild_command(root, args.host, args.port),
                               env=build_environment(root), cwd=root)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
