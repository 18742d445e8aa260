"""The order in which a parallel build reads, and so executes, its pages.

``awml.book.build`` runs Sphinx with several workers (``AWML_BUILD_JOBS``), and each worker
executes the notebook pages it reads. Sphinx deals the pages out in fixed batches of
neighbouring pages, so one worker can be left with every lab while the other idles. Here
each page is a batch of its own, and the pages expected to take longest go first: a page
that executed before by its last execution time, any other by what it holds (a lab, then a
page with ``gpu`` cells, then the rest). The workers then finish close together.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

GPU_CELL = re.compile(r"^:tags:.*\bgpu\b", re.M)
SERIAL_READ_MAX = 5  # Sphinx 7.4 reads this many changed pages or fewer in one process
GUESSED_SECONDS = {"lab": 120.0, "gpu": 40.0, "page": 10.0}  # what cold builds here took


def expected_seconds(env, docname: str) -> float:
    """Return how long the page is expected to take to execute."""
    from myst_nb.sphinx_ import NbMetadataCollector

    last = NbMetadataCollector.get_doc_data(env).get(docname, {}).get("exec_data") or {}
    if last.get("runtime"):
        return float(last["runtime"])
    path = Path(env.doc2path(docname))
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if "labs" in Path(docname).parts:
        return GUESSED_SECONDS["lab"]
    return GUESSED_SECONDS["gpu" if GPU_CELL.search(text) else "page"]


def longest_first(app: Sphinx, env, docnames: list[str]) -> None:
    """``env-before-read-docs``: reorder the pages to read, longest expected first.

    Sphinx reads five pages or fewer in its own process, which then runs their kernels;
    its worker processes for writing would be forked from it with the kernels' messaging
    threads half copied, so such a build writes its pages in one process too.
    """
    if app.parallel > 1:
        ordered = sorted(docnames, key=lambda docname: -expected_seconds(env, docname))
        if len(docnames) <= SERIAL_READ_MAX:
            app.builder.allow_parallel = False
            docnames[:] = ordered
        else:  # Sphinx starts its first tasks in order, then the waiting ones last-in first
            docnames[:] = ordered[:app.parallel] + ordered[app.parallel:][::-1]


def one_page_per_batch(arguments, nproc: int, maxbatch: int = 10) -> list[list]:
    """Replace Sphinx's batching: every page is a task of its own, taken in order."""
    return [[argument] for argument in arguments]


# Extensions Jupyter Book loads that do not say whether they are safe in a parallel build
# (Sphinx then falls back to one worker with a warning, which fails this build), and why
# they are: sphinx_multitoc_numbering only replaces the method that numbers sections, which
# Sphinx calls in the main process once all pages are read; sphinx_jupyterbook_latex's
# read-time transforms only mark nodes of the page being read, and the rest of it acts in
# LaTeX builds alone.
PARALLEL_SAFE = {"sphinx_multitoc_numbering", "sphinx_jupyterbook_latex"}


def use_one_page_batches(app: Sphinx) -> None:
    """``builder-inited``: in a parallel build, hand out pages one at a time."""
    if app.parallel > 1:
        import sphinx.builders

        sphinx.builders.make_chunks = one_page_per_batch
        for name in PARALLEL_SAFE & set(app.extensions):
            extension = app.extensions[name]
            for attribute in ("parallel_read_safe", "parallel_write_safe"):
                if getattr(extension, attribute) is None:
                    setattr(extension, attribute, True)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_one_page_batches)
    app.connect("env-before-read-docs", longest_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
