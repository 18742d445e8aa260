"""Lab 2's tables, figures and submission, read off a stored ``transfer`` run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from awml.labs.parquet_submission import write_submission
from awml.labs.transfer import SUBMISSION
from awml.paths import outputs_dir
from awml.runs import Run
from awml.training.binary import confusion
from awml.training.intervals import mean_interval

METHODS = {"transfer": "fine-tuned EfficientNet", "frozen": "new head, frozen backbone",
           "scratch": "small CNN from scratch"}


def results_table(run: Run):
    """Return test accuracy, balanced accuracy and ROC AUC per method as a DataFrame."""
    import pandas as pd

    rows = {label: {metric: run.metrics[f"{name}_{metric}"]
                    for metric in ("accuracy", "balanced_accuracy", "roc_auc")}
            for name, label in METHODS.items()}
    return pd.DataFrame(rows).T.round(3)


def curve_table(run: Run, confidence: float = 0.95):
    """Return the learning curve's numbers: per size, each method's mean and interval.

    Intervals are Student-t intervals of the mean over draws, clipped to [0, 1].
    """
    import pandas as pd

    columns = {}
    for name in ("transfer", "scratch"):
        mean, low, high = mean_interval(run.arrays[f"curve_{name}"], confidence, axis=1)
        low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)  # accuracy lies in [0, 1]
        columns[f"{name} mean"] = mean
        columns[f"{name} {confidence:.0%} interval"] = [f"[{a:.3f}, {b:.3f}]"
                                                        for a, b in zip(low, high)]
    frame = pd.DataFrame(columns, index=pd.Index(run.arrays["curve_sizes"],
                                                 name="labelled per class"))
    frame["transfer ahead by"] = frame["transfer mean"] - frame["scratch mean"]
    return frame.round(3)


def confusion_matrices(run: Run) -> dict[str, np.ndarray]:
    """Return each method's 2 by 2 test confusion matrix (rows true, columns predicted)."""
    labels = run.arrays["test_labels"]
    return {label: confusion(run.arrays[f"test_{name}"], labels)
            for name, label in METHODS.items()}


def hardest_test_images(run: Run) -> tuple[list[np.ndarray], list[str]]:
    """Return the fine-tuned model's hardest test images (stored copies) with captions.

    The most confident mistakes come first; when there are fewer than the stored count,
    the least confident right answers fill the rest.
    """
    probabilities, labels = run.arrays["test_transfer"], run.arrays["test_labels"]
    captions = []
    for position in run.arrays["hard_positions"]:
        truth = "person" if labels[position] else "no person"
        right = (probabilities[position] >= 0.5) == bool(labels[position])
        captions.append(f"{truth}: p={probabilities[position]:.2f} "
                        f"({'right' if right else 'wrong'})")
    return list(run.arrays["hard_images"]), captions


def score_images(run: Run) -> tuple[list[np.ndarray], list[str]]:
    """Return the first score images (stored copies) captioned with p(person) of transfer."""
    names = run.extra["score_names"]
    probabilities = run.arrays["score_transfer"]
    captions = [f"{name}: p={probability:.2f}" for name, probability in zip(names, probabilities)]
    return list(run.arrays["score_images"]), captions


def photograph_table(run: Run):
    """Return the first score images' probability of a person, with labels where known."""
    import pandas as pd

    names = run.extra["score_names"]
    frame = pd.DataFrame({"image": names,
                          "p(person), transfer": run.arrays["score_transfer"][:len(names)],
                          "p(person), scratch": run.arrays["score_scratch"][:len(names)]})
    if "score_answers" in run.arrays:
        answers = run.arrays["score_answers"][:len(names)]
        frame.insert(1, "hand label", np.where(answers == 1, "person", "no person"))
    return frame.set_index("image").round(3)


def write_person_submission(run: Run, method: str = "transfer", folder=None):
    """Write the score images' probabilities as ``person_probabilities.parquet``; return its path.

    One float64 column, ``probability``, one row per score image in the dataset's order,
    every value in [0, 1]; checked before and after writing.
    """
    probabilities = run.arrays[f"score_{method}"]
    path = Path(folder or outputs_dir()) / SUBMISSION
    return write_submission(probabilities, "probability", run.extra["score_images"], path,
                            0.0, 1.0)


def photograph_accuracy(run: Run) -> dict[str, float]:
    """Return each method's accuracy on the score images whose labels are known (else empty)."""
    if "score_answers" not in run.arrays:
        return {}
    answers = run.arrays["score_answers"]
    return {label: float(((run.arrays[f"score_{name}"] >= 0.5) == answers).mean())
            for name, label in METHODS.items() if f"score_{name}" in run.arrays}


def config_of(run: Run):
    """Return the ``TransferConfig`` a run was made with."""
    from awml.labs.transfer import TransferConfig

    values = dict(run.manifest["config"])
    values["curve_per_class"] = tuple(values["curve_per_class"])
    values["scratch_channels"] = tuple(values["scratch_channels"])
    return TransferConfig(**values)


def person_probabilities(run: Run, images) -> np.ndarray:
    """Return the fine-tuned model's probability of a person for new images, float64 (N,).

    ``images`` are RGB or grayscale arrays of any size (or PIL images); the network is
    rebuilt from the pretrained weights and the run's stored top.
    """
    import dataclasses

    import torch

    from awml.models.finetune import split_efficientnet
    from awml.models.pretrained import pretrained_efficientnet

    config = config_of(run)
    pretrained = pretrained_efficientnet(run.extra.get("weights", config.weights))
    trunk, top = split_efficientnet(pretrained.model, config.trainable_blocks)
    top.load_state_dict(run.weights["top"])
    top.eval()
    preprocessing = dataclasses.replace(pretrained.preprocessing, size=config.image_size)
    with torch.no_grad():
        logits = top(trunk(preprocessing(images)))
    return torch.sigmoid(logits).numpy().astype(np.float64)
