"""Pictures of optimizers on two-parameter loss surfaces: contours, paths, animations."""

from __future__ import annotations

import numpy as np

from awml.toys.surfaces import Surface

COLORS = {"sgd": "tab:blue", "momentum": "tab:orange", "rmsprop": "tab:green",
          "adam": "tab:red"}


def draw_surface(surface: Surface, ax=None, points: int = 200):
    """Draw the surface's contours and its minimum on ``ax`` (a new axes by default)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.6))
    grid_x, grid_y, values = surface.grid(points)
    ax.contour(grid_x, grid_y, values, levels=sorted(surface.levels), colors="0.6",
               linewidths=0.7)
    ax.plot(*surface.minimum, marker="*", color="k", markersize=11, linestyle="none")
    ax.set_xlim(surface.window[0], surface.window[1])
    ax.set_ylim(surface.window[2], surface.window[3])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    return ax


def _label(name: str) -> str:
    return {"sgd": "gradient descent", "rmsprop": "RMSProp", "adam": "Adam"}.get(name, name)


def plot_paths(surface: Surface, paths: dict[str, np.ndarray], ax=None, title: str = ""):
    """Draw each path (name -> (T, 2) points) over the surface's contours; return the figure."""
    ax = draw_surface(surface, ax)
    for name, points in paths.items():
        ax.plot(points[:, 0], points[:, 1], "-o", markersize=2.5, linewidth=1.2,
                color=COLORS.get(name), label=_label(name))
    ax.plot(*surface.start, marker="o", color="k", markersize=5)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


def animate_paths(panels: list[tuple[Surface, dict[str, np.ndarray], str]], frames: int = 30,
                  interval_ms: int = 150, dpi: int = 72):
    """Return an IPython HTML animation (play button and slider) of paths growing.

    ``panels`` holds one (surface, paths, title) triple per side-by-side panel; each
    ``paths`` maps an optimizer name to its (T, 2) points. The animation is rendered to
    JavaScript and frames (``to_jshtml``), so it plays in a static page without a kernel.
    Each frame shows the same fraction of every path.
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    if frames < 2:
        raise ValueError(f"frames={frames} must be at least 2")
    if not panels:
        raise ValueError("panels is empty; expected at least one (surface, paths, title)")
    figure, axes = plt.subplots(1, len(panels), figsize=(4.8 * len(panels), 3.6), dpi=dpi,
                                squeeze=False)
    lines, lengths = [], []
    for ax, (surface, paths, title) in zip(axes[0], panels):
        draw_surface(surface, ax)
        ax.set_title(title, fontsize=10)
        lines.append({name: ax.plot([], [], "-o", markersize=2.5, linewidth=1.2,
                                    color=COLORS.get(name), label=_label(name))[0]
                      for name in paths})
        lengths.append(min(len(points) for points in paths.values()))
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    stamp = figure.suptitle("", fontsize=10)
    figure.tight_layout()

    def update(frame: int):
        share = (frame + 1) / frames
        for panel_lines, length, (_, paths, _) in zip(lines, lengths, panels):
            end = max(1, round(share * length))
            for name, points in paths.items():
                panel_lines[name].set_data(points[:end, 0], points[:end, 1])
        stamp.set_text(f"{share:.0%} of the steps")
        return []

    animation = FuncAnimation(figure, update, frames=frames, interval=interval_ms)
    from awml.viz.player import offline_player

    html = offline_player(animation.to_jshtml(default_mode="once"))
    plt.close(figure)
    return HTML(html)


def plot_distance(surface: Surface, paths: dict[str, np.ndarray], ax=None):
    """Plot each path's distance to the minimum against the step, on a log scale."""
    import matplotlib.pyplot as plt

    from awml.toys.descent import distance_to_minimum

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    for name, points in paths.items():
        ax.semilogy(distance_to_minimum(surface, points) + 1e-12, color=COLORS.get(name),
                    label=_label(name))
    ax.set_xlabel("step")
    ax.set_ylabel("distance to the minimum")
    ax.legend(fontsize=8)
    return ax.figure


def plot_one_optimizer(surface_name: str, optimizer: str, step_size: str = "tuned",
                       steps: int | None = None):
    """Draw one optimizer's path on a named surface with one of its suggested rates.

    ``step_size`` is ``smaller``, ``tuned`` or ``larger`` and picks from
    ``awml.toys.descent.SUGGESTED_RATES``; the title gives the rate and the final distance.
    """
    from awml.toys.descent import SUGGESTED_RATES, distance_to_minimum, trajectory
    from awml.toys.surfaces import get_surface

    choices = ("smaller", "tuned", "larger")
    if step_size not in choices:
        raise ValueError(f"step_size={step_size!r} is not one of {', '.join(choices)}")
    surface = get_surface(surface_name)
    rate = SUGGESTED_RATES[surface_name][optimizer][choices.index(step_size)]
    steps = steps or (200 if surface_name == "rosenbrock" else 60)
    points = trajectory(surface, optimizer, rate, steps)
    gap = distance_to_minimum(surface, points)[-1]
    verdict = "diverged" if gap > 100 else f"distance to minimum {gap:.3f}"
    title = f"{_label(optimizer)}, η = {rate:g}: after {steps} steps, {verdict}"
    return plot_paths(surface, {optimizer: points}, title=title)
