"""Animations that play in a live notebook and in the static HTML book alike.

``animate(fig, update, frames)`` wraps matplotlib's ``FuncAnimation`` and returns its
``to_jshtml`` output: the frames and a small player (play, pause, a frame slider) in one
self-contained piece of HTML, which needs no kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from matplotlib.figure import Figure

if TYPE_CHECKING:
    from IPython.display import HTML


def animate(fig: Figure, update: Callable[[int], Any], frames: int, *,
            interval_ms: int = 120, dpi: int = 72) -> "HTML":
    """Return an HTML animation of ``fig`` with play controls and a frame slider.

    ``update(i)`` changes the figure's artists to frame ``i`` (0 <= i < ``frames``).
    """
    from IPython.display import HTML
    from matplotlib import animation

    if frames < 1:
        raise ValueError(f"frames={frames!r} must be at least 1")
    fig.set_dpi(dpi)
    movie = animation.FuncAnimation(fig, update, frames=frames, interval=interval_ms)
    from awml.viz.player import offline_player

    return HTML(offline_player(movie.to_jshtml(default_mode="once")))
