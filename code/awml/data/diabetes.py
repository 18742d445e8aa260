"""A small real regression dataset: body-mass index against diabetes progression.

scikit-learn ships the data of Efron et al. (2004): 442 patients, ten baseline variables
and a quantitative measure of disease progression one year later. We keep one input, the
body-mass index in kg/m^2, so fits can be drawn as lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Regression:
    """Inputs ``x`` (N,), targets ``y`` (N,) and what they measure."""

    x: np.ndarray
    y: np.ndarray
    x_name: str
    y_name: str
    source: str


def load_bmi_progression() -> Regression:
    """Return the 442 patients' body-mass index (kg/m^2) and progression score."""
    from sklearn.datasets import load_diabetes

    data = load_diabetes(scaled=False)
    bmi = data.data[:, data.feature_names.index("bmi")].astype(float)
    return Regression(bmi, data.target.astype(float), "body-mass index (kg/m²)",
                      "disease progression after one year",
                      "scikit-learn diabetes data (Efron et al., 2004), 442 patients")


def corrupt_targets(y: np.ndarray, fraction: float, value: float = 999.0,
                    seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return a copy of ``y`` with ``fraction`` of its entries replaced by ``value``, and the
    boolean mask of the entries changed: a missing measurement entered as the code 999
    spoils a few labels this way."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"fraction={fraction} must be in [0, 1)")
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(y), dtype=bool)
    mask[rng.choice(len(y), size=round(fraction * len(y)), replace=False)] = True
    spoiled = np.asarray(y, dtype=float).copy()
    spoiled[mask] = value
    return spoiled, mask
