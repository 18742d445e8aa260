"""Pictures for object detection: boxes on photos, IoU, suppression, the YOLO grid."""

from __future__ import annotations

import numpy as np

PALETTE = ("tab:green", "tab:orange", "tab:blue", "tab:purple", "tab:red", "tab:cyan")


def draw_boxes(ax, boxes, names: list[str] | None = None, colours=None,
               scores=None, linewidth: float = 2.0, linestyle: str = "-") -> None:
    """Draw pixel boxes (K, 4) as (x1, y1, x2, y2) rectangles on ``ax``, with labels."""
    from matplotlib.patches import Rectangle

    for index, (x1, y1, x2, y2) in enumerate(np.asarray(boxes, dtype=float).reshape(-1, 4)):
        colour = (colours[index] if colours is not None else PALETTE[index % len(PALETTE)])
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False, edgecolor=colour,
                               linewidth=linewidth, linestyle=linestyle))
        parts = [names[index]] if names else []
        if scores is not None:
            parts.append(f"{scores[index]:.2f}")
        if parts:
            ax.text(x1 + 3, y1 + 3, " ".join(parts), color="white", fontsize=7, va="top",
                    bbox={"facecolor": colour, "alpha": 0.8, "pad": 1, "linewidth": 0})


def plot_boxes(image: np.ndarray, boxes, names: list[str] | None = None, title: str = "",
               scores=None):
    """Show a photo with labelled boxes; return the figure."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(7, 7 * image.shape[0] / image.shape[1]))
    ax.imshow(image)
    draw_boxes(ax, boxes, names, scores=scores)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_iou(image: np.ndarray, first, second, names: tuple[str, str] = ("A", "B")):
    """Show two boxes on a photo with their intersection shaded and their IoU in the title."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from awml.vision.boxes import iou_matrix

    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    figure, ax = plt.subplots(figsize=(6.5, 6.5 * image.shape[0] / image.shape[1]))
    ax.imshow(image)
    draw_boxes(ax, np.vstack([first, second]), list(names), colours=["tab:green", "tab:orange"])
    x1, y1 = np.maximum(first[:2], second[:2])
    x2, y2 = np.minimum(first[2:], second[2:])
    if x2 > x1 and y2 > y1:
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, color="yellow", alpha=0.35))
    ax.set_title(f"IoU({names[0]}, {names[1]}) = {iou_matrix(first, second)[0, 0]:.3f}",
                 fontsize=10)
    ax.axis("off")
    figure.tight_layout()
    return figure


def plot_nms(image: np.ndarray, boxes, scores, owners, kept, class_names: list[str],
             title: str = ""):
    """Show candidate boxes (left, thin) and the boxes kept by suppression (right).

    ``owners`` gives each candidate's true object (-1: none), used only for its colour.
    """
    import matplotlib.pyplot as plt

    boxes, scores, owners = np.asarray(boxes), np.asarray(scores), np.asarray(owners)
    colours = [PALETTE[owner % len(PALETTE)] if owner >= 0 else "tab:red" for owner in owners]
    figure, axes = plt.subplots(1, 2, figsize=(11, 3.3))
    for ax, chosen, heading in ((axes[0], np.arange(len(boxes)), f"{len(boxes)} candidates"),
                                (axes[1], np.asarray(kept, dtype=int), f"{len(kept)} kept")):
        ax.imshow(image)
        draw_boxes(ax, boxes[chosen], [class_names[i] for i in chosen],
                   colours=[colours[i] for i in chosen], scores=scores[chosen],
                   linewidth=1.0 if len(chosen) > 10 else 2.0)
        ax.set_title(heading, fontsize=9)
        ax.axis("off")
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_grid_target(image: np.ndarray, boxes, names: list[str], cells, grid: int):
    """Draw the S x S grid on the photo, each box's centre and its responsible cell."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    height, width = image.shape[:2]
    figure, ax = plt.subplots(figsize=(7, 7 * height / width))
    ax.imshow(image)
    for k in range(1, grid):
        ax.axvline(k * width / grid, color="white", linewidth=0.6, alpha=0.8)
        ax.axhline(k * height / grid, color="white", linewidth=0.6, alpha=0.8)
    boxes = np.asarray(boxes, dtype=float)
    for index, ((row, col), box) in enumerate(zip(cells, boxes)):
        colour = PALETTE[index % len(PALETTE)]
        ax.add_patch(Rectangle((col * width / grid, row * height / grid), width / grid,
                               height / grid, color=colour, alpha=0.35))
        ax.plot((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, "o", color=colour,
                markeredgecolor="white")
    draw_boxes(ax, boxes, names, linewidth=1.5)
    taken = len(set(map(tuple, cells)))
    ax.set_title(f"{grid}×{grid} grid: {len(cells)} boxes in {taken} distinct cells",
                 fontsize=10)
    ax.axis("off")
    figure.tight_layout()
    return figure
