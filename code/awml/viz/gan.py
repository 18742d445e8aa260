"""Figures and animations of the GAN chapter: toy GANs, digit grids, training curves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
from matplotlib.figure import Figure

from awml.viz.animation import animate
from awml.viz.figure import new_figure

if TYPE_CHECKING:
    from IPython.display import HTML


def generator_losses_figure() -> Figure:
    """The two generator losses and their slopes against D(G(z)), the critic's verdict."""
    verdict = np.linspace(0.001, 0.999, 400)
    fig = new_figure(figsize=(9, 3.2))
    loss_ax, slope_ax = fig.subplots(1, 2)
    loss_ax.plot(verdict, np.log(1 - verdict), label="minimax: minimise log(1 - D)")
    loss_ax.plot(verdict, -np.log(verdict), label="non-saturating: minimise -log D")
    loss_ax.set(xlabel="D(G(z))", ylabel="generator loss", ylim=(-5, 5))
    loss_ax.legend(fontsize=8)
    slope_ax.plot(verdict, verdict, label="minimax: |d loss / d logit| = D")
    slope_ax.plot(verdict, 1 - verdict, label="non-saturating: 1 - D")
    slope_ax.set(xlabel="D(G(z))", ylabel="gradient size w.r.t. the logit")
    slope_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _toy_panels(fig: Figure):
    return fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1]})


def _draw_toy(density_ax, critic_ax, data: np.ndarray, run, index: int, bins) -> None:
    density_ax.clear()
    critic_ax.clear()
    density_ax.hist(data[:, 0], bins=bins, density=True, color="0.6", label="real")
    density_ax.hist(run.samples[index][:, 0], bins=bins, density=True, histtype="step",
                    color="#d62728", lw=2, label="generated")
    density_ax.set(ylabel="density", title=f"step {run.steps[index]}")
    density_ax.legend(fontsize=8, loc="upper right")
    if run.critic is not None:
        critic_ax.plot(run.grid[:, 0] if run.grid.ndim > 1 else run.grid, run.critic[index],
                       color="#1f77b4")
    critic_ax.axhline(0.5, color="0.5", ls=":")
    critic_ax.set(ylim=(0, 1), ylabel="D(x)", xlabel="x (standardised)")


def toy_gan_figure(data: np.ndarray, run, index: int, title: str = "") -> Figure:
    """One snapshot of a one-dimensional GAN: real and generated densities, and D(x)."""
    fig = new_figure(figsize=(7, 4))
    density_ax, critic_ax = _toy_panels(fig)
    bins = np.linspace(float(run.grid.min()), float(run.grid.max()), 60)
    _draw_toy(density_ax, critic_ax, data, run, index, bins)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def toy_gan_animation(data: np.ndarray, run) -> "HTML":
    """An animation of a one-dimensional GAN's snapshots, playable without a kernel."""
    fig = new_figure(figsize=(7, 4))
    density_ax, critic_ax = _toy_panels(fig)
    bins = np.linspace(float(run.grid.min()), float(run.grid.max()), 60)
    fig.tight_layout()
    return animate(fig, lambda index: _draw_toy(density_ax, critic_ax, data, run, index, bins),
                   frames=len(run.steps), interval_ms=150)


def saturation_figure(runs: dict[str, object], head_start: int, data_mean: float) -> Figure:
    """Mean of the generated batch and the generator's gradient per step, for each loss."""
    fig = new_figure(figsize=(9, 3.2))
    mean_ax, gradient_ax = fig.subplots(1, 2)
    for name, run in runs.items():
        steps = np.arange(1, len(run.fake_mean) + 1)
        mean_ax.plot(steps, run.fake_mean, label=name)
        gradient_ax.plot(steps, run.step_gradient, label=name, lw=0.8)
    for ax in (mean_ax, gradient_ax):
        ax.axvline(head_start, color="0.5", ls=":")
    mean_ax.axhline(data_mean, color="0.3", ls="--", lw=0.8, label="mean of the data")
    mean_ax.set(xlabel="step", ylabel="mean of generated samples")
    gradient_ax.set(xlabel="step", ylabel="generator gradient size", yscale="log")
    mean_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def ring_figure(real: np.ndarray, samples: np.ndarray, centres: np.ndarray, title: str
                ) -> Figure:
    """Real points of a two-dimensional mixture (grey) and generated ones (red)."""
    fig = new_figure(figsize=(3.6, 3.6))
    ax = fig.subplots()
    _draw_ring(ax, real, samples, centres, title)
    fig.tight_layout()
    return fig


def _draw_ring(ax, real, samples, centres, title) -> None:
    ax.clear()
    ax.scatter(real[:, 0], real[:, 1], s=2, color="0.7")
    ax.scatter(samples[:, 0], samples[:, 1], s=2, color="#d62728", alpha=0.5)
    ax.scatter(centres[:, 0], centres[:, 1], marker="x", color="k", s=30)
    ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=title)
    ax.set_xticks([])
    ax.set_yticks([])


def ring_animation(real: np.ndarray, runs: dict[str, object], centres: np.ndarray) -> "HTML":
    """Side-by-side animation of several two-dimensional GAN runs' snapshots."""
    fig = new_figure(figsize=(3.4 * len(runs), 3.6))
    axes = fig.subplots(1, len(runs), squeeze=False)[0]
    first = next(iter(runs.values()))

    def update(index: int) -> None:
        for ax, (name, run) in zip(axes, runs.items()):
            _draw_ring(ax, real, run.samples[index], centres,
                       f"{name}, step {run.steps[index]}")

    update(0)
    fig.tight_layout()
    return animate(fig, update, frames=len(first.steps), interval_ms=200)


def image_grid(images: np.ndarray, columns: int = 8, titles: Sequence[str] | None = None,
               size: float = 0.9, suptitle: str = "") -> Figure:
    """Show grey images (N, 28, 28) or (N, 1, 28, 28) in a grid, black digits on white."""
    images = np.asarray(images).reshape(len(images), 28, 28)
    rows = int(np.ceil(len(images) / columns))
    fig = new_figure(figsize=(columns * size, rows * size + (0.3 if suptitle else 0)))
    axes = fig.subplots(rows, columns, squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if index < len(images):
            ax.imshow(images[index], cmap="gray_r", vmin=0, vmax=images.max() or 1)
            if titles is not None:
                ax.set_title(titles[index], fontsize=7)
    if suptitle:
        fig.suptitle(suptitle, fontsize=10)
    fig.tight_layout()
    return fig


def grid_animation(frames: np.ndarray, columns: int = 8, labels: Sequence[str] | None = None
                   ) -> "HTML":
    """Animate a sequence of image grids: ``frames`` (T, N, 28, 28), one grid per frame."""
    frames = np.asarray(frames)
    count = frames.shape[1]
    rows = int(np.ceil(count / columns))
    fig = new_figure(figsize=(columns * 0.8, rows * 0.8 + 0.3))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    pictures = []
    for index, ax in enumerate(axes):
        ax.axis("off")
        if index < count:
            pictures.append(ax.imshow(frames[0, index], cmap="gray_r", vmin=0,
                                      vmax=frames.max() or 1))
    title = fig.suptitle(labels[0] if labels else "", fontsize=9)

    def update(step: int) -> None:
        for picture, image in zip(pictures, frames[step]):
            picture.set_data(image)
        title.set_text(labels[step] if labels else "")

    fig.tight_layout()
    return animate(fig, update, frames=len(frames), interval_ms=400)


def class_shares_figure(labels: dict[str, np.ndarray], classes: int = 10) -> Figure:
    """Bars of the share of each class among several sets of labels (name -> (N,) ints)."""
    fig = new_figure(figsize=(6.5, 3))
    ax = fig.subplots()
    width = 0.8 / len(labels)
    for index, (name, values) in enumerate(labels.items()):
        shares = np.bincount(values, minlength=classes) / len(values)
        ax.bar(np.arange(classes) + (index - (len(labels) - 1) / 2) * width, shares, width,
               label=name)
    ax.axhline(1 / classes, color="0.5", ls=":", lw=0.8)
    ax.set(xticks=range(classes), xlabel="class", ylabel="share")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def gan_history_figure(history: dict[str, list[float]]) -> Figure:
    """DCGAN losses and the discriminator's mean verdict on real and generated images."""
    fig = new_figure(figsize=(9, 3.2))
    loss_ax, verdict_ax = fig.subplots(1, 2)
    epochs = np.arange(1, len(history["d_loss"]) + 1)
    loss_ax.plot(epochs, history["d_loss"], marker="o", ms=3, label="discriminator")
    loss_ax.plot(epochs, history["g_loss"], marker="o", ms=3, label="generator")
    loss_ax.set(xlabel="epoch", ylabel="mean cross-entropy (nats)")
    loss_ax.legend(fontsize=8)
    verdict_ax.plot(epochs, history["d_real"], marker="o", ms=3, label="D on real images")
    verdict_ax.plot(epochs, history["d_fake"], marker="o", ms=3, label="D on generated")
    verdict_ax.axhline(0.5, color="0.5", ls=":")
    verdict_ax.set(xlabel="epoch", ylabel="mean D", ylim=(0, 1))
    verdict_ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def roc_figure(curves: dict[str, dict]) -> Figure:
    """ROC curves of detectors: name -> dict with ``fpr``, ``tpr`` and ``auc``."""
    fig = new_figure(figsize=(4.6, 4.2))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="0.6", ls=":", label="chance")
    for name, curve in curves.items():
        ax.plot(curve["fpr"], curve["tpr"], label=f"{name} (AUC {curve['auc']:.2f})")
    ax.set(xlabel="real images flagged as generated", ylabel="generated images caught",
           aspect="equal")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def spectra_figure(spectra: dict[str, np.ndarray]) -> Figure:
    """Mean log-magnitude spectra (28, 28) side by side, and the difference of the first
    two (second minus first)."""
    names = list(spectra)
    panels = [*names, f"{names[1]} - {names[0]}"]
    images = [*spectra.values(), spectra[names[1]] - spectra[names[0]]]
    fig = new_figure(figsize=(3.2 * len(panels), 3.2))
    axes = fig.subplots(1, len(panels))
    for index, (ax, name, image) in enumerate(zip(axes, panels, images)):
        is_difference = index == len(panels) - 1
        limit = float(np.abs(image).max()) if is_difference else None
        shown = ax.imshow(image, cmap="RdBu_r" if is_difference else "magma",
                          vmin=-limit if is_difference else None, vmax=limit)
        fig.colorbar(shown, ax=ax, fraction=0.046)
        ax.set(title=name)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
