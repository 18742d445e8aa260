"""Interactive figures that work in a live notebook and in the static HTML book.

``explore(draw, controls)`` takes a function that draws a matplotlib figure from keyword
arguments and the values each argument may take. In a live notebook it shows ipywidgets
controls that redraw the figure. In the built book, where no kernel runs, it renders every
combination of values once and shows them behind HTML sliders, so moving a slider swaps in
the precomputed picture; nothing needs a kernel.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import os
from typing import Any, Callable, Sequence

MODES = ("auto", "live", "static")
MAX_FRAMES = 64


def in_book_build() -> bool:
    """True while the book is being built (the build runs pages with plain progress bars)."""
    return os.environ.get("AWML_PLAIN_PROGRESS") == "1"


def in_live_notebook() -> bool:
    """True inside a Jupyter kernel that a person drives, not a book build."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    live = shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"
    return live and not in_book_build()


def figure_png(figure, dpi: int = 80) -> str:
    """Return ``figure`` as a ``data:image/png;base64`` URL and close it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _check_controls(controls: dict[str, Sequence]) -> dict[str, list]:
    if not isinstance(controls, dict) or not controls:
        raise ValueError(f"controls must be a non-empty dict of name -> values; got {controls!r}")
    checked = {}
    for name, values in controls.items():
        values = list(values)
        if not values:
            raise ValueError(f"controls[{name!r}] is empty; expected at least one value")
        checked[name] = values
    frames = 1
    for values in checked.values():
        frames *= len(values)
    if frames > MAX_FRAMES:
        raise ValueError(f"controls make {frames} combinations; expected at most {MAX_FRAMES} "
                         "(the static page stores one picture per combination)")
    return checked


def _is_numeric(values: list) -> bool:
    return all(isinstance(value, (int, float)) and not isinstance(value, bool)
               for value in values)


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class StaticExplorer:
    """Precomputed pictures behind HTML controls; renders as self-contained HTML."""

    def __init__(self, controls: dict[str, list], frames: dict[str, str], initial: dict,
                 caption: str = "") -> None:
        self.controls, self.frames, self.initial, self.caption = controls, frames, initial, caption
        digest = json.dumps(sorted(frames), sort_keys=True) + str(len(frames))
        self.uid = "awml-explore-" + format(abs(hash(digest + str(id(self)))), "x")[:12]

    def _control_html(self, index: int, name: str, values: list) -> str:
        start = values.index(self.initial[name])
        label = f'<span class="awml-explore-name">{html.escape(name)}</span>'
        if _is_numeric(values):
            current = html.escape(_label(values[start]))
            return (f'<label>{label} <input type="range" min="0" max="{len(values) - 1}" '
                    f'step="1" value="{start}" data-index="{index}"> '
                    f'<output>{current}</output></label>')
        options = "".join(
            f'<option value="{i}"{" selected" if i == start else ""}>'
            f"{html.escape(_label(value))}</option>" for i, value in enumerate(values))
        return f'<label>{label} <select data-index="{index}">{options}</select></label>'

    def _repr_html_(self) -> str:
        names = list(self.controls)
        controls = "".join(self._control_html(i, name, self.controls[name])
                           for i, name in enumerate(names))
        labels = [[_label(value) for value in self.controls[name]] for name in names]
        start = "_".join(str(self.controls[n].index(self.initial[n])) for n in names)
        caption = (f'<div class="awml-explore-note">{html.escape(self.caption)}</div>'
                   if self.caption else "")
        script = (
            "(function(){const root=document.getElementById(%s);"
            "const frames=%s;const labels=%s;"
            "const inputs=root.querySelectorAll('[data-index]');"
            "function show(){const key=Array.from(inputs).map(x=>x.value).join('_');"
            "inputs.forEach(x=>{const out=x.parentNode.querySelector('output');"
            "if(out){out.textContent=labels[+x.dataset.index][+x.value];}});"
            "root.querySelector('img').src=frames[key];}"
            "inputs.forEach(x=>x.addEventListener('input',show));})();"
        ) % (json.dumps(self.uid), json.dumps(self.frames), json.dumps(labels))
        return (
            f'<div class="awml-explore" id="{self.uid}">'
            f'<div class="awml-explore-controls">{controls}</div>'
            f'<img alt="interactive figure" src="{self.frames[start]}" '
            f'style="max-width:100%">{caption}</div><script>{script}</script>'
        )

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}: {len(values)}" for name, values in self.controls.items())
        return f"StaticExplorer({len(self.frames)} pictures; {sizes})"


def static_explorer(draw: Callable[..., Any], controls: dict[str, Sequence],
                    initial: dict | None = None, dpi: int = 80,
                    caption: str = "") -> StaticExplorer:
    """Draw every combination of ``controls`` once and return them behind HTML controls."""
    checked = _check_controls(controls)
    initial = _initial(checked, initial)
    names = list(checked)
    frames = {}
    for picks in itertools.product(*(range(len(checked[name])) for name in names)):
        values = {name: checked[name][pick] for name, pick in zip(names, picks)}
        frames["_".join(map(str, picks))] = figure_png(draw(**values), dpi=dpi)
    return StaticExplorer(checked, frames, initial, caption)


def _initial(controls: dict[str, list], initial: dict | None) -> dict:
    chosen = {name: values[0] for name, values in controls.items()}
    for name, value in (initial or {}).items():
        if name not in controls or value not in controls[name]:
            raise ValueError(f"initial[{name!r}]={value!r} is not one of the control's values")
        chosen[name] = value
    return chosen


def live_explorer(draw: Callable[..., Any], controls: dict[str, Sequence],
                  initial: dict | None = None):
    """Return ipywidgets controls that redraw ``draw(**values)`` on every change."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    checked = _check_controls(controls)
    initial = _initial(checked, initial)
    boxes = {}
    for name, values in checked.items():
        options = [(_label(value), value) for value in values]
        if _is_numeric(values):
            boxes[name] = widgets.SelectionSlider(options=options, value=initial[name],
                                                  description=name, continuous_update=False)
        else:
            boxes[name] = widgets.ToggleButtons(options=options, value=initial[name],
                                                description=name)

    def redraw(**values):
        figure = draw(**values)
        display(figure)
        plt.close(figure)

    output = widgets.interactive_output(redraw, boxes)
    return widgets.VBox([widgets.HBox(list(boxes.values())), output])


def explore(draw: Callable[..., Any], controls: dict[str, Sequence], *,
            initial: dict | None = None, mode: str = "auto", dpi: int = 80,
            caption: str = ""):
    """Show ``draw(**values)`` with a control for each entry of ``controls``.

    Parameters
    ----------
    draw : returns a matplotlib Figure for one combination of values (keyword arguments).
    controls : name -> the values that argument may take (at most 64 combinations in all).
    initial : the values shown first; by default the first value of each control.
    mode : ``live`` (ipywidgets), ``static`` (precomputed pictures behind HTML sliders) or
        ``auto``: live in a notebook a person runs, static in the built book.
    dpi, caption : resolution of the static pictures and a line shown under them.

    Returns
    -------
    An ipywidgets box (live) or a StaticExplorer (static); both display themselves.
    """
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} is not one of {', '.join(MODES)}")
    if mode == "live" or (mode == "auto" and in_live_notebook()):
        return live_explorer(draw, controls, initial)
    return static_explorer(draw, controls, initial, dpi=dpi, caption=caption)
