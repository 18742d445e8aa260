"""Pictures of convolution: where a kernel's taps land, and what filters do to a photo."""

from __future__ import annotations

import numpy as np

from awml.vision.convolution import output_size


def _grid(ax, origin_x: float, size: int, colours: dict[tuple[int, int], str],
          hatched: set[tuple[int, int]], title: str) -> None:
    from matplotlib.patches import Rectangle

    for row in range(size):
        for col in range(size):
            face = colours.get((row, col), "white")
            ax.add_patch(Rectangle((origin_x + col, size - 1 - row), 1, 1, facecolor=face,
                                   edgecolor="0.4", linewidth=0.8,
                                   hatch="//" if (row, col) in hatched else None))
    ax.text(origin_x + size / 2, size + 0.4, title, ha="center", fontsize=9)


def plot_conv_geometry(kernel: int = 3, stride: int = 1, padding: int = 0, dilation: int = 1,
                       n: int = 9):
    """Draw an n x n input (padding hatched), the taps of the first two output positions
    along a row (blue, orange; purple where they share an input), and the output grid with
    those positions marked."""
    import matplotlib.pyplot as plt

    out = output_size(n, kernel, stride, padding, dilation)
    total = n + 2 * padding
    hatched = {(r, c) for r in range(total) for c in range(total)
               if min(r, c) < padding or max(r, c) >= padding + n}
    taps = [{(u * dilation, position * stride + v * dilation)
             for u in range(kernel) for v in range(kernel)} for position in range(min(out, 2))]
    colours: dict[tuple[int, int], str] = {cell: "tab:blue" for cell in taps[0]}
    if len(taps) > 1:
        colours.update({cell: "tab:orange" for cell in taps[1] - taps[0]})
        colours.update({cell: "tab:purple" for cell in taps[1] & taps[0]})
    outputs = {(0, 0): "tab:blue"}
    if out > 1:
        outputs[(0, 1)] = "tab:orange"
    figure, ax = plt.subplots(figsize=(7.5, 3.6))
    _grid(ax, 0, total, colours, hatched, f"input {n}×{n}, padded to {total}×{total}")
    offset = (total - out) / 2
    from matplotlib.patches import Rectangle

    for row in range(out):
        for col in range(out):
            ax.add_patch(Rectangle((total + 2 + col, offset + out - 1 - row), 1, 1,
                                   facecolor=outputs.get((row, col), "white"),
                                   edgecolor="0.4", linewidth=0.8))
    ax.text(total + 2 + out / 2, offset + out + 0.4, f"output {out}×{out}", ha="center",
            fontsize=9)
    ax.set_xlim(-0.5, total + 3 + max(out, 3))
    ax.set_ylim(-0.5, total + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    formula = (f"⌊({n} + 2·{padding} − {dilation}·({kernel}−1) − 1) / {stride}⌋ + 1 "
               f"= {out}")
    ax.set_title(f"k={kernel}, s={stride}, p={padding}, d={dilation}:  {formula}", fontsize=10)
    return figure


def plot_filtered(image: np.ndarray, responses: dict[str, np.ndarray], columns: int = 4,
                  symmetric: bool = True):
    """Show a grey image and each filter response (name -> 2-D array) side by side.

    With ``symmetric`` each response gets a colour scale centred on zero (blue negative,
    red positive); otherwise a grey scale from its minimum to its maximum.
    """
    import matplotlib.pyplot as plt

    panels = {"photo": image, **responses}
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.7 * rows),
                                squeeze=False)
    for ax, (name, values) in zip(axes.flat, panels.items()):
        if name == "photo":
            ax.imshow(values, cmap="gray")
        elif symmetric:
            limit = float(np.percentile(np.abs(values), 99.5)) or 1.0
            ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
        else:
            ax.imshow(values, cmap="gray_r")
        ax.set_title(name, fontsize=9)
    for ax in axes.flat:
        ax.axis("off")
    figure.tight_layout()
    return figure


def plot_kernels(kernels: dict[str, np.ndarray]):
    """Show small 2-D kernels (name -> k x k array) with their values written in."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(kernels), figsize=(2.2 * len(kernels), 2.3),
                                squeeze=False)
    for ax, (name, kernel) in zip(axes[0], kernels.items()):
        kernel = np.asarray(kernel, dtype=float)
        limit = float(np.abs(kernel).max()) or 1.0
        ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        if kernel.shape[0] <= 5:
            for (row, col), value in np.ndenumerate(kernel):
                ax.text(col, row, f"{value:.2g}", ha="center", va="center", fontsize=7)
        ax.set_title(name, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    figure.tight_layout()
    return figure


def plot_rgb_filters(weights: np.ndarray, columns: int = 8):
    """Show first-layer colour filters (C_out, 3, k, k), each scaled to [0, 1] as an RGB patch."""
    import matplotlib.pyplot as plt

    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 4 or weights.shape[1] != 3:
        raise ValueError(f"weights must have shape (C_out, 3, k, k); got shape {weights.shape}")
    rows = -(-len(weights) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(1.1 * columns, 1.1 * rows),
                                squeeze=False)
    for ax, kernel in zip(axes.flat, weights):
        patch = kernel.transpose(1, 2, 0)
        patch = (patch - patch.min()) / (np.ptp(patch) or 1.0)
        ax.imshow(patch, interpolation="nearest")
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(weights):
            ax.set_title(str(index), fontsize=7)
    figure.tight_layout()
    return figure


def plot_filter_choice(image: np.ndarray, name: str):
    """Show a photo in grey and its response to one of ``awml.vision.edges.KERNELS`` (or
    ``magnitude``, the Sobel gradient magnitude)."""
    import matplotlib.pyplot as plt

    from awml.vision.edges import KERNELS, edge_magnitude, filter_image, grey

    values = grey(image)
    if name == "magnitude":
        response, cmap, limits = edge_magnitude(values), "gray_r", None
    else:
        response = filter_image(values, KERNELS[name])
        smoothing = name in ("blur", "sharpen")
        limit = float(np.percentile(np.abs(response), 99.5)) or 1.0
        cmap = "gray" if smoothing else "RdBu_r"
        limits = (0.0, 1.0) if smoothing else (-limit, limit)
    figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4))
    left.imshow(values, cmap="gray", vmin=0, vmax=1)
    left.set_title("photo (grey)", fontsize=9)
    if limits is None:
        right.imshow(response, cmap=cmap)
    else:
        right.imshow(response, cmap=cmap, vmin=limits[0], vmax=limits[1])
    right.set_title(f"{name} response", fontsize=9)
    for ax in (left, right):
        ax.axis("off")
    figure.tight_layout()
    return figure


def plot_learned_filter(learning: dict, step: int, reference: np.ndarray):
    """Show the filter learned by ``awml.vision.edges.learn_filter`` at a recorded ``step``,
    the reference it should approach, and the loss curve with the step marked."""
    import matplotlib.pyplot as plt

    if step not in learning["steps"]:
        raise ValueError(f"step={step} was not recorded; recorded: {learning['steps']}")
    kernel = learning["kernels"][learning["steps"].index(step)]
    figure, axes = plt.subplots(1, 3, figsize=(9, 2.8), gridspec_kw={"width_ratios": [1, 1, 1.6]})
    for ax, values, title in ((axes[0], kernel, f"learned, step {step}"),
                              (axes[1], reference, "Sobel x")):
        limit = float(np.abs(reference).max())
        ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (row, col), value in np.ndenumerate(values):
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[2].semilogy(learning["loss"], color="tab:blue")
    if step < len(learning["loss"]):
        axes[2].semilogy(step, learning["loss"][step], "o", color="tab:red")
    axes[2].set_xlabel("step")
    axes[2].set_ylabel("mean squared error")
    figure.tight_layout()
    return figure
