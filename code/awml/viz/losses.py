"""Pictures of loss functions: regression losses, robust line fits, softmax probabilities."""

from __future__ import annotations

import numpy as np

from awml.nn.losses import regression_gradient, regression_pointwise, softmax

LOSS_COLORS = {"mse": "tab:blue", "mae": "tab:green", "huber": "tab:red"}
LOSS_NAMES = {"mse": "squared error", "mae": "absolute error", "huber": "Huber"}


def plot_regression_losses(delta: float = 1.0, span: float = 3.0):
    """Plot the squared, absolute and Huber losses (left) and their derivatives (right)
    against the residual."""
    import matplotlib.pyplot as plt

    residuals = np.linspace(-span, span, 401)
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    for name in ("mse", "mae", "huber"):
        label = f"Huber, δ = {delta:g}" if name == "huber" else LOSS_NAMES[name]
        left.plot(residuals, regression_pointwise(name, residuals, delta),
                  color=LOSS_COLORS[name], label=label)
        right.plot(residuals, regression_gradient(name, residuals, delta),
                   color=LOSS_COLORS[name], label=label)
    left.set_ylim(0, span**2 / 2)
    left.set_xlabel("residual $r = \\hat{y} - y$")
    left.set_ylabel("loss of one example")
    right.set_xlabel("residual $r$")
    right.set_ylabel("derivative")
    left.legend(fontsize=8)
    figure.tight_layout()
    return figure


def plot_line_fits(data, spoiled_y: np.ndarray, mask: np.ndarray,
                   fits: dict[str, tuple[float, float]], title: str = ""):
    """Draw the data (spoiled points in red) and one fitted line per loss name."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3.6))
    ax.scatter(data.x[~mask], spoiled_y[~mask], s=8, color="0.55", label="patients")
    if mask.any():
        ax.scatter(data.x[mask], spoiled_y[mask], s=14, color="tab:red", marker="x",
                   label="spoiled targets")
    grid = np.linspace(data.x.min(), data.x.max(), 2)
    for name, (intercept, slope) in fits.items():
        label = LOSS_NAMES.get(name.split()[0], name)
        ax.plot(grid, intercept + slope * grid, color=LOSS_COLORS.get(name.split()[0]),
                linewidth=2, label=f"{label}: slope {slope:.1f}")
    ax.set_xlabel(data.x_name)
    ax.set_ylabel(data.y_name)
    ax.set_ylim(0, 1050)
    ax.legend(fontsize=8, loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    return figure


def plot_softmax(image: np.ndarray, logits: np.ndarray, temperature: float = 1.0):
    """Show a digit and the softmax probabilities of its ten logits at ``temperature``."""
    import matplotlib.pyplot as plt

    probabilities = softmax(np.asarray(logits), temperature)
    figure, (left, right) = plt.subplots(1, 2, figsize=(7, 2.4),
                                         gridspec_kw={"width_ratios": [1, 3]})
    left.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
    left.axis("off")
    bars = right.bar(range(10), probabilities, color="tab:blue")
    bars[int(np.argmax(probabilities))].set_color("tab:red")
    right.set_xticks(range(10))
    right.set_ylim(0, 1)
    right.set_xlabel("class")
    right.set_ylabel("probability")
    right.set_title(f"softmax at temperature {temperature:g}; "
                    f"entropy {-(probabilities * np.log(probabilities + 1e-12)).sum():.2f} nats",
                    fontsize=9)
    figure.tight_layout()
    return figure


def plot_binary_losses():
    """Plot, for a positive example, the cross-entropy -log p and the squared error
    (1 - p)^2 against the predicted probability p, with their slopes on the logit scale."""
    import matplotlib.pyplot as plt

    p = np.linspace(0.001, 0.999, 400)
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(p, -np.log(p), color="tab:purple", label="cross-entropy $-\\log p$")
    left.plot(p, (1 - p) ** 2, color="tab:blue", label="squared error $(1-p)^2$")
    left.set_xlabel("predicted probability $p$ of the true class")
    left.set_ylabel("loss")
    left.set_ylim(0, 5)
    left.legend(fontsize=8)
    logits = np.log(p / (1 - p))
    right.plot(logits, -(1 - p), color="tab:purple", label="cross-entropy: $p - 1$")
    right.plot(logits, -2 * (1 - p) * p * (1 - p), color="tab:blue",
               label="squared error: $-2(1-p)\\,p(1-p)$")
    right.set_xlabel("logit $z$")
    right.set_ylabel("derivative with respect to $z$")
    right.legend(fontsize=8)
    figure.tight_layout()
    return figure
