"""Figures of the recurrent-network chapter: the unrolled graph, hidden states, gradients
through time, the loss cliff, memory tasks and LSTM gates.

Every function returns a matplotlib ``Figure`` made with ``new_figure`` (no pyplot).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from awml.viz.figure import new_figure


def _node(ax, x: float, y: float, text: str, colour: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 0.32, y - 0.22), 0.64, 0.44,
                                boxstyle="round,pad=0.02", facecolor=colour,
                                edgecolor="0.2"))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, label: str = "", curved: float = 0.0, offset=(0.0, 0.0)) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 connectionstyle=f"arc3,rad={curved}", color="0.25"))
    if label:
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, label, fontsize=9, color="#b22222", ha="center", va="center")


def unrolled_figure(steps: int = 4) -> Figure:
    """Draw a recurrent cell folded (with its loop) and unrolled over ``steps`` time steps."""
    first = 2.8
    fig = new_figure(figsize=(2.6 + 1.6 * steps, 3.0))
    ax = fig.subplots()
    _node(ax, 0, 0, "$x_t$", "#e8f0fb")
    _node(ax, 0, 1.2, "$h_t$", "#fde9d9")
    _node(ax, 0, 2.4, "$y_t$", "#e6f4e6")
    _arrow(ax, (0, 0.22), (0, 0.98), "$W_{xh}$", offset=(-0.3, 0))
    _arrow(ax, (0, 1.42), (0, 2.18), "$W_{hy}$", offset=(-0.3, 0))
    _arrow(ax, (0.32, 1.32), (0.32, 1.08), curved=-2.5)
    ax.text(0.95, 1.2, "$W_{hh}$", fontsize=9, color="#b22222", ha="center", va="center")
    ax.text(1.6, 1.2, "=", fontsize=20, ha="center", va="center")
    for step in range(steps):
        x = first + 1.6 * step
        lag = steps - 1 - step
        name = f"t-{lag}" if lag else "t"
        _node(ax, x, 0, f"$x_{{{name}}}$", "#e8f0fb")
        _node(ax, x, 1.2, f"$h_{{{name}}}$", "#fde9d9")
        _node(ax, x, 2.4, f"$y_{{{name}}}$", "#e6f4e6")
        _arrow(ax, (x, 0.22), (x, 0.98))
        _arrow(ax, (x, 1.42), (x, 2.18))
        begin = x - 0.75 if step == 0 else x - 1.28
        _arrow(ax, (begin, 1.2), (x - 0.32, 1.2), "$W_{hh}$" if step else "", offset=(0, 0.18))
    ax.set(xlim=(-0.6, first + 0.6 + 1.6 * (steps - 1)), ylim=(-0.4, 2.8), aspect="equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def series_figure(frame, columns: Sequence[str], ylabel: str) -> Figure:
    """Plot ``columns`` of a time-indexed DataFrame on one axis."""
    fig = new_figure(figsize=(9, 3))
    ax = fig.subplots()
    for column in columns:
        ax.plot(frame.index, frame[column], label=column.replace("_", " "))
    ax.set(ylabel=ylabel)
    ax.legend(fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def hidden_states_figure(times, inputs: np.ndarray, names: Sequence[str],
                         states: np.ndarray) -> Figure:
    """Standardised input features over time above a heat map of hidden states (T, H)."""
    fig = new_figure(figsize=(9, 4.2))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.4]})
    for column, name in enumerate(names):
        top.plot(times, inputs[:, column], lw=1, label=name)
    top.set(ylabel="standardised")
    top.legend(fontsize=7, ncol=len(names), loc="upper left")
    start, end = date2num(times[0]), date2num(times[-1])
    image = bottom.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1,
                          extent=(start, end, states.shape[1] - 0.5, -0.5),
                          interpolation="nearest")
    bottom.xaxis_date()
    bottom.set(ylabel="hidden unit")
    fig.colorbar(image, ax=bottom, label="$h_t$", fraction=0.03)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def memory_figure(times, states: np.ndarray, difference: np.ndarray, radius: float) -> Figure:
    """Hidden states (T, H) over time, and how far a change to the first input still moves
    them: ``difference`` (T,) is the norm of the change in h_t.
    """
    fig = new_figure(figsize=(9, 4.2))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1]})
    start, end = date2num(times[0]), date2num(times[-1])
    top.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1,
               extent=(start, end, states.shape[1] - 0.5, -0.5), interpolation="nearest")
    top.set(ylabel="hidden unit", title=f"recurrent weights of spectral radius {radius:g}")
    bottom.plot(times, np.maximum(difference, 1e-12))
    bottom.set(yscale="log", ylim=(1e-12, 1e3), ylabel="change in $h_t$")
    bottom.xaxis_date()
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def gradient_norms_figure(norms: dict[float, np.ndarray], chosen: float,
                          activation: str) -> Figure:
    """||dL/dh_t|| against the steps back from the loss, one line per spectral radius."""
    fig = new_figure(figsize=(6.5, 3.4))
    ax = fig.subplots()
    for radius, values in norms.items():
        back = np.arange(len(values))[::-1]
        highlight = radius == chosen
        ax.plot(back, values, color="#d62728" if highlight else "0.7",
                lw=2 if highlight else 1, label=f"radius {radius:g}" if highlight else None,
                zorder=3 if highlight else 1)
    ax.set(yscale="log", xlabel="steps back from the loss (T - t)",
           ylabel="gradient norm $\\|\\partial L / \\partial h_t\\|$",
           title=f"{activation} network", ylim=(1e-30, 1e30))
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def cliff_figure(weights: np.ndarray, losses: np.ndarray, path: dict[str, np.ndarray],
                 title: str) -> Figure:
    """The loss against the recurrent weight, with one descent path drawn on it."""
    fig = new_figure(figsize=(6.5, 3.4))
    ax = fig.subplots()
    ax.plot(weights, losses, color="0.3", lw=1.2)
    low, high = weights.min(), weights.max()
    shown = (path["weight"] >= low) & (path["weight"] <= high)
    ax.plot(path["weight"][shown], path["loss"][shown], "o-", color="#d62728", ms=4)
    ax.plot(path["weight"][0], path["loss"][0], "s", color="#d62728", ms=7, label="start")
    for step, weight in enumerate(path["weight"]):
        if not low <= weight <= high:
            edge = low if weight < low else high
            ax.annotate("", xy=(edge, path["loss"][step]),
                        xytext=(path["weight"][step - 1], path["loss"][step - 1]),
                        arrowprops={"arrowstyle": "->", "color": "#d62728", "lw": 1.5})
            ax.text(edge, path["loss"][step] - 0.15, f"  step {step}: w = {weight:.1f}, "
                    f"loss {path['loss'][step]:.2f}", fontsize=8, va="top",
                    ha="left" if edge == low else "right", color="#d62728")
            break
    ax.set(xlabel="recurrent weight w", ylabel="loss", title=title)
    ax.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    return fig


def memory_curves_figure(histories: dict[str, list[float]], baseline: float, length: int,
                         every: int) -> Figure:
    """Validation error of each cell kind on the adding problem against training steps.

    ``histories`` maps a cell kind to its validation MSE, scored every ``every`` steps.
    """
    fig = new_figure(figsize=(6.5, 3.4))
    ax = fig.subplots()
    for name, values in histories.items():
        ax.plot(every * np.arange(1, len(values) + 1), values, marker="o", ms=3, label=name)
    ax.axhline(baseline, color="0.5", ls=":", label="always answer 1")
    ax.set(yscale="log", xlabel="training step", ylabel="validation MSE",
           title=f"adding problem, sequences of {length} steps")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def gates_figure(inputs: np.ndarray, gates: dict[str, np.ndarray], units: int = 6,
                 title: str = "") -> Figure:
    """One sequence of the adding problem and the LSTM's gates and cell over it.

    ``inputs`` is (T, 2) (value, mark); ``gates`` maps a gate name to (T, H). The
    ``units`` whose cell state varies most are shown, in that order.
    """
    names = ("input", "forget", "output", "cell")
    chosen = np.argsort(-np.ptp(gates["cell"], axis=0), kind="stable")[:units]
    gates = {name: values[:, chosen] for name, values in gates.items()}
    fig = new_figure(figsize=(8, 4.8))
    axes = fig.subplots(len(names) + 1, 1, sharex=True)
    steps = np.arange(len(inputs))
    axes[0].bar(steps, inputs[:, 0], color=np.where(inputs[:, 1] > 0, "#d62728", "0.7"))
    axes[0].set(ylabel="value", title=title or "marked values in red")
    for ax, name in zip(axes[1:], names):
        values = gates[name]
        limit = 1 if name != "cell" else max(1e-6, float(np.abs(values).max()))
        ax.imshow(values.T, aspect="auto", cmap="viridis" if name != "cell" else "RdBu_r",
                  vmin=0 if name != "cell" else -limit, vmax=limit, interpolation="nearest")
        for mark in np.flatnonzero(inputs[:, 1] > 0):
            ax.axvline(mark, color="#d62728", lw=0.8)
        ax.set(ylabel=name)
        ax.set_yticks([])
    axes[-1].set(xlabel="time step")
    fig.tight_layout()
    return fig


def clipping_figure(runs: dict[str, dict[str, np.ndarray]]) -> Figure:
    """Training loss and gradient norm per step for runs with and without clipping.

    A run whose loss became infinite or NaN ends with a cross at its last finite step.
    """
    fig = new_figure(figsize=(9, 3.2))
    loss_ax, norm_ax = fig.subplots(1, 2)
    for index, (name, run) in enumerate(runs.items()):
        for ax, key in ((loss_ax, "loss"), (norm_ax, "gradient_norm")):
            values = run[key]
            ax.plot(np.arange(len(values)), values, color=f"C{index}", label=name)
            finite = np.flatnonzero(np.isfinite(values))
            if len(finite) and finite[-1] < len(values) - 1:
                ax.plot(finite[-1], values[finite[-1]], "x", color=f"C{index}", ms=10, mew=2)
    loss_ax.set(yscale="log", xlabel="training step", ylabel="batch MSE (standardised)")
    norm_ax.set(yscale="log", xlabel="training step", ylabel="gradient norm before clipping")
    loss_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
