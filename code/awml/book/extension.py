"""Sphinx hooks of the book.

- ``source-read``: every MyST notebook page gets a last, input-hidden cell that shows the
  environment note and carries the fingerprint of what the page's results depend on
  beyond its own text: the ``awml`` code it reaches, the profile, and, for pages that use
  run-or-load, the recorded GPU runs in the local store. The jupyter-cache key covers
  code-cell text only, so this cell is what makes an edit to an ``awml`` module
  re-execute exactly the pages that reach it, and a pulled GPU run show up.
- ``env-get-outdated``: pages whose fingerprint changed are read again.
- ``doctree-read``: a cell tagged ``gpu`` gets its badge (instance, expected time, and
  whether the reader sees a recorded GPU run or a CPU preview) moved to its top; a tagged
  cell that shows no run-or-load result fails the build.
- ``builder-inited``: the build refuses an ``awml`` that is not this repository's code.
- ``awml.book.assets`` (loaded from ``setup``): MathJax and the widget scripts are served
  from the site itself, from pinned packages checked by sha256.
- ``awml.book.scheduling`` (loaded from ``setup``): a parallel build hands its workers one
  page at a time, longest expected first.
- ``awml.book.kernels`` (loaded from ``setup``): a page whose kernel dies outside its cells
  is executed once more.
"""

from __future__ import annotations

import hashlib
import re
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from awml import __version__
from awml.book.pages import FOOTER_MODULE, is_notebook_page, page_modules
from awml.runs.fingerprint import PACKAGE_DIR, code_fingerprint, module_closure

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
RUN_MARKER = "data-awml-shows="
FOOTER_TAG = "awml-footer"
RUN_OR_LOAD_MODULE = "awml.runs.run_or_load"


def footer_cell(fingerprint: str) -> str:
    """Return the MyST source of the cell appended to every notebook page."""
    return (
        "\n\n```{code-cell} ipython3\n"
        f":tags: [remove-input, {FOOTER_TAG}]\n\n"
        f"# awml fingerprint (code, profile, recorded runs): {fingerprint}\n"
        "from awml.environment import page_footer\n\n"
        "page_footer()\n"
        "```\n"
    )


def recorded_gpu_runs_digest() -> str:
    """Return a digest of the manifests of the GPU runs in the local artifact store.

    Limitation: a store on S3 is not listed here; after new GPU runs appear there, pull
    them (``awml artifacts pull``) so that the pages using them are executed again.
    """
    from awml.paths import artifacts_dir

    digest = hashlib.sha256()
    for manifest in sorted((artifacts_dir() / "gpu").glob("*/*/manifest.json")):
        digest.update(manifest.parent.relative_to(artifacts_dir()).as_posix().encode())
        digest.update(hashlib.sha256(manifest.read_bytes()).digest())
    return digest.hexdigest()


def page_fingerprint(text: str) -> str:
    """Return the fingerprint of what a page's results depend on beyond its own text."""
    from awml.profiles import current_profile

    modules = page_modules(text) | {FOOTER_MODULE}
    parts = [code_fingerprint(modules), current_profile()]
    if RUN_OR_LOAD_MODULE in module_closure(modules):
        parts.append(recorded_gpu_runs_digest())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _fingerprints(env) -> dict[str, str]:
    if not hasattr(env, "awml_page_fingerprints"):
        env.awml_page_fingerprints = {}
    return env.awml_page_fingerprints


def add_footer_cell(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append the footer cell to a notebook page's source before it is parsed."""
    if is_notebook_page(source[0]):
        fingerprint = page_fingerprint(source[0])
        _fingerprints(app.env)[docname] = fingerprint
        source[0] = source[0].rstrip("\n") + footer_cell(fingerprint)


def pages_with_changed_code(app: Sphinx, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: re-read the pages whose ``awml`` code changed since last read.

    Sphinx re-reads a page only when its own file changed; a page whose imported ``awml``
    modules changed must be read again so that its new fingerprint reaches the cache.
    """
    outdated = []
    for docname, fingerprint in _fingerprints(env).items():
        if docname in added or docname in changed or docname in removed:
            continue
        path = Path(env.doc2path(docname))
        if path.is_file() and page_fingerprint(path.read_text(encoding="utf-8")) != fingerprint:
            outdated.append(docname)
    return outdated


def forget_page(app: Sphinx, env, docname: str) -> None:
    """``env-purge-doc``: drop a page's stored fingerprint."""
    _fingerprints(env).pop(docname, None)


def merge_fingerprints(app: Sphinx, env, docnames, other) -> None:
    """``env-merge-info``: keep fingerprints read by parallel workers."""
    for docname in docnames:
        if docname in _fingerprints(other):
            _fingerprints(env)[docname] = _fingerprints(other)[docname]


def _run_outputs(cell: nodes.Element) -> list[nodes.raw]:
    return [
        raw for raw in cell.findall(nodes.raw)
        if "html" in raw.get("format", "") and RUN_MARKER in raw.astext()
    ]


def add_gpu_badges(app: Sphinx, doctree: nodes.document) -> None:
    """Put the run badge at the top of every ``gpu`` cell; warn where there is none."""
    docname = app.env.docname
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code" or "tag_gpu" not in cell["classes"]:
            continue
        runs = _run_outputs(cell)
        if not runs:
            logger.warning(
                f"{docname}: cell {cell.get('cell_index')} is tagged gpu but shows no "
                "run-or-load result; call awml's run_or_load in it",
                location=cell, type="awml", subtype="gpu-badge",
            )
            continue
        run = runs[-1]
        badge = nodes.raw("", f'<div class="awml-gpu-badge">{run.astext()}</div>',
                          format="html")
        parent = run.parent
        parent.remove(run)
        if isinstance(parent, nodes.container) and not parent.children:
            parent.parent.remove(parent)
        cell.insert(0, badge)


def repository_version(package_dir: Path = PACKAGE_DIR) -> str:
    """Return the ``__version__`` written in the repository's ``awml/__init__.py``."""
    text = (package_dir / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    return match.group(1) if match else ""


def check_installed_awml(app: Sphinx) -> None:
    """Refuse to build with an ``awml`` other than this repository's ``code/awml``."""
    repo_package = Path(app.confdir) / "code" / "awml"
    if not repo_package.is_dir():
        return
    if PACKAGE_DIR.resolve() != repo_package.resolve():
        raise ExtensionError(
            f"awml is imported from {PACKAGE_DIR}, not from this book's {repo_package}; "
            "reinstall it with: pip install -e code"
        )
    try:
        installed = metadata.version("awml")
    except metadata.PackageNotFoundError:
        installed = "not installed"
    if installed != repository_version(repo_package):
        raise ExtensionError(
            f"installed awml is {installed} but the repository has "
            f"{repository_version(repo_package)}; reinstall it with: pip install -e code"
        )


def add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def show_version_in_header(app: Sphinx, config) -> None:
    """Put the ``awml`` version beside the book's title in the header of every page."""
    title = config.html_title or config.project
    if f"awml {__version__}" not in title:
        config.html_title = f"{title} · awml {__version__}"


def add_course_substitutions(app: Sphinx, config) -> None:
    """Make ``course.yml`` available to pages as ``{{ course.aws.region }}`` and the like."""
    from awml.course import course_config

    try:
        values = course_config().raw
    except FileNotFoundError:
        return
    substitutions = dict(getattr(config, "myst_substitutions", {}) or {})
    substitutions.setdefault("course", values)
    config.myst_substitutions = substitutions


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_course_substitutions)
    app.connect("config-inited", show_version_in_header)
    app.setup_extension("awml.book.assets")
    app.connect("builder-inited", check_installed_awml)
    app.connect("builder-inited", add_static_path)
    app.connect("source-read", add_footer_cell)
    app.connect("env-get-outdated", pages_with_changed_code)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_fingerprints)
    app.connect("doctree-read", add_gpu_badges)
    app.setup_extension("awml.book.launch")
    app.setup_extension("awml.book.scheduling")
    app.setup_extension("awml.book.kernels")
    app.add_css_file("awml.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
