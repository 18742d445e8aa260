"""A page whose kernel dies outside its cells is executed once more.

Two kernels that start at the same moment in two processes (a parallel build, or a test
building a book while another runs) can be handed the same free TCP port: Jupyter picks a
port by opening and closing a socket, and the second kernel then fails to bind it and dies
before the page's first cell. That is not the page's fault. jupyter-cache returns a cell's
error as a result and lets every other error (a dead kernel, a kernel that never answered)
propagate; myst-nb calls it from its execution modules. Here those calls get one more try,
announced in the build log; a cell that raises still fails the build at once.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
EXECUTION_MODULES = ("myst_nb.core.execute.cache", "myst_nb.core.execute.direct")


def with_one_more_try(execute):
    """Wrap jupyter-cache's ``single_nb_execution``: retry once on a non-cell error."""
    if getattr(execute, "awml_retries", False):
        return execute

    @functools.wraps(execute)
    def execute_with_one_more_try(notebook, *args, **kwargs):
        try:
            return execute(notebook, *args, **kwargs)
        except Exception as error:  # a cell's own error is returned, never raised
            logger.info(f"the kernel failed outside the page's cells "
                        f"({type(error).__name__}: {error}); executing the page once more")
            return execute(notebook, *args, **kwargs)

    execute_with_one_more_try.awml_retries = True
    return execute_with_one_more_try


def setup(app: Sphinx) -> dict:
    import importlib

    for name in EXECUTION_MODULES:
        module = importlib.import_module(name)
        module.single_nb_execution = with_one_more_try(module.single_nb_execution)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
