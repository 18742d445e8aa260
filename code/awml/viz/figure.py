"""Figures made without pyplot that still display as pictures in a notebook.

A ``matplotlib.figure.Figure`` built directly (not through pyplot) is not registered with
pyplot, so a cell shows it exactly once, as its value, and never leaks into later cells.
IPython shows such a figure as a picture only once its inline backend has been activated,
which normally happens on the first pyplot figure; ``new_figure`` registers the PNG
formatter itself, so the figure displays in every kernel.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

_registered = False


def figure_png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    """Return ``fig`` rendered as PNG bytes, cropped to its content."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _register_png_formatter() -> None:
    global _registered
    if _registered:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png_bytes)
    _registered = True


def new_figure(**options) -> Figure:
    """Return a new Figure (``options`` go to ``Figure``, e.g. ``figsize``) that displays
    as a PNG picture when it is a notebook cell's value.
    """
    _register_png_formatter()
    return Figure(**options)
