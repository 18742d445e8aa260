"""Telling generated digits from real ones with simple detectors.

Every detector is a function from images (N, 1, 28, 28) in [0, 1] to the probability (N,)
that each image is generated. ``fit_detector`` trains a logistic regression on pixels or
on the logarithm of the Fourier magnitude spectrum; ``discriminator_detector`` uses a
trained DCGAN's own discriminator.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

Detector = Callable[[np.ndarray], np.ndarray]
FEATURES = ("pixels", "spectrum")


def log_spectrum(images: np.ndarray) -> np.ndarray:
    """Return log(1 + |FFT|) of each image, zero frequency centred: (N, 28, 28)."""
    pictures = np.asarray(images, dtype=np.float64).reshape(len(images), 28, 28)
    magnitude = np.abs(np.fft.fftshift(np.fft.fft2(pictures), axes=(1, 2)))
    return np.log1p(magnitude)


def _features(images: np.ndarray, kind: str) -> np.ndarray:
    if kind == "pixels":
        return np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    return log_spectrum(images).reshape(len(images), -1)


def fit_detector(real: np.ndarray, fake: np.ndarray, features: str = "pixels") -> Detector:
    """Fit a standardised logistic regression telling ``fake`` (label 1) from ``real``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if features not in FEATURES:
        raise ValueError(f"features={features!r} is not one of {', '.join(FEATURES)}")
    inputs = np.concatenate([_features(real, features), _features(fake, features)])
    labels = np.concatenate([np.zeros(len(real)), np.ones(len(fake))])
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=2000))
    model.fit(inputs, labels)
    return lambda images: model.predict_proba(_features(images, features))[:, 1]


def discriminator_detector(gan_run) -> Detector:
    """Return 1 - D(x) of a ``dcgan-mnist`` run's discriminator as a detector."""
    import torch

    from awml.models.gan import from_unit
    from awml.training.gan import load_dcgan

    _, discriminator = load_dcgan(gan_run)

    def detect(images: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            logits = discriminator(from_unit(torch.as_tensor(images, dtype=torch.float32)))
        return 1 - torch.sigmoid(logits).numpy()

    return detect


def detection_scores(detector: Detector, real: np.ndarray, fake: np.ndarray) -> dict:
    """Return ``accuracy`` (threshold 0.5), ``auc`` and the ROC curve (``fpr``, ``tpr``)."""
    from sklearn.metrics import roc_auc_score, roc_curve

    scores = np.concatenate([detector(real), detector(fake)])
    labels = np.concatenate([np.zeros(len(real)), np.ones(len(fake))])
    fpr, tpr, _ = roc_curve(labels, scores)
    return {"accuracy": float(((scores > 0.5) == labels).mean()),
            "auc": float(roc_auc_score(labels, scores)), "fpr": fpr, "tpr": tpr}
