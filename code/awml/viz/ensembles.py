"""Figures of the ensemble chapter: dropout masks, learning curves, boxes and votes.

Every function returns a matplotlib ``Figure`` built without pyplot (``new_figure``), so
a notebook cell shows it once, as its value.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from awml.viz.figure import new_figure

def dropout_masks_figure(layer_sizes: Sequence[int] = (6, 8, 8, 3), rate: float = 0.5,
                         masks: int = 3, seed: int = 0) -> Figure:
    """Draw one network ``masks`` times, each with its own random dropout mask.

    Input and hidden units are dropped with probability ``rate`` (outputs never are);
    dropped units are hollow and their connections are gone.
    """
    rng = np.random.default_rng(seed)
    fig = new_figure(figsize=(3.2 * masks, 2.8))
    axes = fig.subplots(1, masks, squeeze=False)[0]
    for panel, ax in enumerate(axes):
        kept = [rng.random(size) >= rate if depth < len(layer_sizes) - 1 else np.ones(size, bool)
                for depth, size in enumerate(layer_sizes)]
        positions = [np.linspace(0, 1, size) if size > 1 else np.array([0.5])
                     for size in layer_sizes]
        for depth in range(len(layer_sizes) - 1):
            for i, y_from in enumerate(positions[depth]):
                for j, y_to in enumerate(positions[depth + 1]):
                    if kept[depth][i] and kept[depth + 1][j]:
                        ax.plot([depth, depth + 1], [y_from, y_to], color="0.6", lw=0.6)
        for depth, ys in enumerate(positions):
            ax.scatter(np.full(len(ys), depth), ys, s=80, zorder=3,
                       facecolors=np.where(kept[depth], "#1f77b4", "white").tolist(),
                       edgecolors="#1f77b4")
        ax.set_title(f"mask {panel + 1}: {sum(k.sum() for k in kept[:-1])} units kept")
        ax.axis("off")
    fig.tight_layout()
    return fig


def boxes_on_photo(ax, photo: np.ndarray, boxes, colour: str, label_names: dict[int, str],
                   title: str = "", show_scores: bool = True, linestyle: str = "-") -> None:
    """Show ``photo`` on ``ax`` with ``boxes`` (an awml Boxes) outlined in ``colour``."""
    if photo is not None:
        ax.imshow(photo)
    for box, score, label in zip(boxes.boxes, boxes.scores, boxes.labels):
        x1, y1, x2, y2 = box
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour,
                               linewidth=2, linestyle=linestyle))
        if show_scores:
            ax.text(x1 + 4, y1 + 4, f"{label_names[int(label)]} {score:.2f}", color="white",
                    fontsize=7, va="top", bbox={"facecolor": colour, "alpha": 0.8, "pad": 1,
                                                "edgecolor": "none"})
    ax.set_title(title)
    ax.axis("off")


def digit_votes_figure(image: np.ndarray, member_probabilities: np.ndarray, label: int,
                       title: str = "") -> Figure:
    """Show a digit, each member's probability of every class, and their average.

    ``member_probabilities`` has shape (M, 10) for one image (1, 28, 28) or (28, 28).
    """
    members = np.asarray(member_probabilities)
    fig = new_figure(figsize=(8, 2.4))
    image_ax, bars_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 4]})
    image_ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
    image_ax.set_title(f"label {label}")
    image_ax.axis("off")
    classes = np.arange(members.shape[1])
    width = 0.8 / (len(members) + 1)
    for index, member in enumerate(members):
        bars_ax.bar(classes + index * width, member, width, color="0.7",
                    label="members" if index == 0 else None)
    bars_ax.bar(classes + len(members) * width, members.mean(axis=0), width,
                color="#d62728", label=f"average of {len(members)}")
    bars_ax.set(xticks=classes + 0.4, xticklabels=classes, ylim=(0, 1),
                ylabel="probability", title=title)
    bars_ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def dropout_curves_figure(history: dict[str, list[float]], rates: Sequence[float],
                          chosen: float) -> Figure:
    """Learning curves of one network per dropout rate, with ``chosen`` highlighted.

    ``history`` holds ``p=<rate>/train_loss``, ``.../test_loss``, ``.../train_accuracy``
    and ``.../test_accuracy`` per epoch (the layout of the ``m05-dropout-rates`` run).
    """
    fig = new_figure(figsize=(9, 3.3))
    loss_ax, accuracy_ax = fig.subplots(1, 2)
    for rate in rates:
        key = f"p={rate:g}"
        highlight = rate == chosen
        style = {"color": "#d62728" if highlight else "0.75", "lw": 2 if highlight else 1,
                 "zorder": 3 if highlight else 1}
        epochs = np.arange(1, len(history[f"{key}/train_loss"]) + 1)
        for ax, metric in ((loss_ax, "loss"), (accuracy_ax, "accuracy")):
            ax.plot(epochs, history[f"{key}/train_{metric}"], ls="--", **style)
            ax.plot(epochs, history[f"{key}/test_{metric}"], ls="-", **style,
                    label=f"p = {rate:g}" if highlight else None)
    loss_ax.set(xlabel="epoch", ylabel="cross-entropy (nats)", yscale="log",
                title="loss: training dashed, held-out solid")
    accuracy_ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    accuracy_ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def ensemble_size_figure(curves: dict[str, dict[str, list]],
                         references: dict[str, dict[str, float]] | None = None,
                         metrics: Sequence[str] = ("accuracy", "nll")) -> Figure:
    """Plot ensemble scores against the number of members, one line per ensemble kind.

    ``curves`` maps a name to the output of ``awml.ensembles.combine.ensemble_curve``;
    ``references`` maps a name to fixed scores drawn as horizontal lines.
    """
    titles = {"accuracy": "accuracy (higher is better)", "nll": "NLL in nats (lower is better)",
              "brier": "Brier score (lower is better)"}
    fig = new_figure(figsize=(4.5 * len(metrics), 3.2))
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for ax, metric in zip(axes, metrics):
        for name, curve in curves.items():
            ax.plot(curve["size"], curve[metric], marker="o", ms=3, label=name)
        for index, (name, scores) in enumerate((references or {}).items()):
            ax.axhline(scores[metric], color=f"C{len(curves) + index}", ls=":", label=name)
        ax.set(xlabel="members averaged", title=titles.get(metric, metric))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def snapshot_schedule_figure(epochs: int, cycles: int, peak: float,
                             epoch_accuracy: Sequence[float], steps_per_epoch: int = 50
                             ) -> Figure:
    """The cyclic cosine learning rate of a snapshot run, and held-out accuracy per epoch.

    Snapshots are taken where each cycle ends (marked), when the rate is near zero.
    """
    from awml.training.classifiers import cyclic_cosine

    total = epochs * steps_per_epoch
    steps = np.arange(total)
    rates = [cyclic_cosine(step, total, cycles, peak) for step in steps]
    fig = new_figure(figsize=(9, 3))
    rate_ax, accuracy_ax = fig.subplots(1, 2)
    rate_ax.plot(steps / steps_per_epoch, rates)
    ends = np.arange(1, cycles + 1) * int(np.ceil(epochs / cycles))
    for end in ends:
        rate_ax.axvline(min(end, epochs), color="#d62728", ls=":", lw=1)
    rate_ax.set(xlabel="epoch", ylabel="learning rate", title="cyclic cosine schedule")
    accuracy_ax.plot(np.arange(1, len(epoch_accuracy) + 1), epoch_accuracy, marker="o", ms=3)
    accuracy_ax.plot(np.minimum(ends, epochs), [epoch_accuracy[min(e, epochs) - 1] for e in ends],
                     "o", color="#d62728", label="snapshots")
    accuracy_ax.set(xlabel="epoch", ylabel="held-out accuracy", title="the snapshot run")
    accuracy_ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def boxes_figure(photo: np.ndarray, panels: dict[str, list[tuple]], label_names: dict,
                 width: float = 3.6) -> Figure:
    """Show ``photo`` once per panel with sets of boxes drawn on it.

    ``panels`` maps a title to a list of ``(boxes, colour)`` or ``(boxes, colour,
    linestyle)``; scores are printed on solid boxes only.
    """
    height = width * photo.shape[0] / photo.shape[1] + 0.4
    fig = new_figure(figsize=(width * len(panels), height))
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (title, drawn) in zip(axes, panels.items()):
        ax.imshow(photo)
        for boxes, colour, *style in drawn:
            linestyle = style[0] if style else "-"
            boxes_on_photo(ax, None, boxes, colour, label_names, title=title,
                           show_scores=linestyle == "-", linestyle=linestyle)
    fig.tight_layout()
    return fig


def trials_figure(results: dict[str, dict[str, np.ndarray]],
                  metrics: Sequence[str] = ("mean_iou", "ap75")) -> Figure:
    """Box plots of per-trial scores for each detector or fusion method."""
    titles = {"mean_iou": "mean IoU of the boxes found", "ap50": "AP at IoU 0.5",
              "ap75": "AP at IoU 0.75"}
    fig = new_figure(figsize=(4.2 * len(metrics), 3.2))
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for ax, metric in zip(axes, metrics):
        ax.boxplot([scores[metric] for scores in results.values()], showmeans=True)
        ax.set_xticks(range(1, len(results) + 1), list(results))
        ax.set(title=titles.get(metric, metric))
    fig.tight_layout()
    return fig
