"""Lab 2: does this image contain a person? Transfer learning from an ImageNet EfficientNet.

One run-or-load step, ``transfer_run``, does the heavy work: it encodes every image once
with the frozen trunk, trains a new head and then the last block, trains the small network
from scratch with the same number of epochs, and draws the learning curve (accuracy over
the number of labelled images per class, several random draws per point). The page then
reads tables, figures and the submission off the stored run.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from awml.data.people import PeopleData, load_people, stratified_split
from awml.profiles import device_name, pick
from awml.runs import Run, RunResult, run_or_load

logger = logging.getLogger(__name__)

TASK = "transfer"
SUBMISSION = "person_probabilities.parquet"
THUMBNAIL = 96  # pixels of the small copies of images kept in a run for the page
SHOWN_TEST_IMAGES = 5
SHOWN_SCORE_IMAGES = 12


@dataclass(frozen=True)
class TransferConfig:
    """One profile's settings for lab 2."""

    source: str = "offline"  # "offline", "full" (the course dataset) or "auto"
    weights: str = "tf_efficientnet_lite0"  # or a timm EfficientNet B0..B5 (online)
    image_size: int = 224  # pixels the pretrained network sees
    test_fraction: float = 0.3  # share of the labelled images held out, per class
    max_labelled: int | None = None  # cap on labelled images (a stratified sample)
    trainable_blocks: int = 1  # last EfficientNet stages trained in the second stage
    augment_copies: int = 1  # augmented views per training image, drawn ahead of time
    head_epochs: int = 40  # stage 1: new linear head on the frozen backbone
    top_epochs: int = 10  # stage 2: last blocks and head together
    batch_size: int = 32
    head_learning_rate: float = 3e-3
    top_learning_rate: float = 3e-4
    scratch_size: int = 32  # pixels the network trained from scratch sees
    scratch_channels: tuple[int, ...] = (16, 32, 64)
    scratch_learning_rate: float = 3e-3
    curve_per_class: tuple[int, ...] = (2, 5, 10, 20, 40)  # the largest size is added
    curve_draws: int = 8  # random draws of the labelled images per curve point
    curve_steps: int = 60  # optimizer steps of each scratch model on the curve
    workers: int = 0  # data-loader processes decoding images
    threads: int | None = 1  # torch CPU threads (one is fastest on 2 shared cores); None: default
    seed: int = 0


CONFIGS = {
    "smoke": TransferConfig(image_size=96, max_labelled=60, augment_copies=0, head_epochs=5,
                            top_epochs=1, curve_per_class=(2,), curve_draws=2, curve_steps=5,
                            scratch_channels=(8, 16)),
    "cpu": TransferConfig(image_size=160, head_epochs=20, top_epochs=6,
                          curve_per_class=(2, 5, 10, 20), curve_draws=6, curve_steps=60),
    "gpu": TransferConfig(source="auto", weights="efficientnet_b0", test_fraction=0.2,
                          augment_copies=2, head_epochs=10, top_epochs=5, batch_size=128,
                          scratch_size=64, scratch_channels=(32, 64, 128, 256),
                          curve_per_class=(2, 5, 10, 20, 50, 100, 500, 2000, 10000),
                          curve_draws=10, curve_steps=1000, workers=8, threads=None),
}
GPU_MINUTES = 40  # ml.g4dn.4xlarge: encoding 80,000 images in 3 views and the curve's models


def load_data(config: TransferConfig) -> tuple[PeopleData, np.ndarray, np.ndarray]:
    """Return the data and the (train, test) indices into its labelled images."""
    data = load_people(config.source)
    labels = data.labelled.labels
    if config.max_labelled is not None and config.max_labelled < len(labels):
        _, kept = stratified_split(labels, config.max_labelled / len(labels), config.seed)
        data.labelled = data.labelled.subset(kept)
        labels = data.labelled.labels
    train, test = stratified_split(labels, config.test_fraction, config.seed)
    return data, train, test


def curve_sizes(config: TransferConfig, train_labels: np.ndarray) -> list[int]:
    """Return the labelled images per class on the curve, ending with all of the smaller class."""
    largest = int(np.bincount(train_labels, minlength=2).min())
    return sorted({size for size in config.curve_per_class if size < largest} | {largest})


def balanced_draw(labels: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Return ``per_class`` random indices of each class (1 and 0), sorted."""
    chosen = [rng.choice(np.flatnonzero(labels == label), per_class, replace=False)
              for label in (0, 1)]
    return np.sort(np.concatenate(chosen))


def _scratch_model(config: TransferConfig, train_small, labels, epochs: int, seed: int,
                   device: str, show_progress: bool):
    import torch

    from awml.models.small_cnn import SmallCNN
    from awml.training.binary import train_binary
    from awml.training.image_views import jitter_small

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = SmallCNN(tuple(config.scratch_channels))
    history = train_binary(
        model, lambda chosen: jitter_small(train_small[chosen], generator), labels,
        epochs=epochs, batch_size=config.batch_size, device=device, seed=seed,
        learning_rate=config.scratch_learning_rate, desc="from scratch",
        show_progress=show_progress)
    return model, history


def _small_inputs(small):
    return lambda chosen: small[chosen].float() / 127.5 - 1.0


def learning_curve(config: TransferConfig, train_features, train_small, train_labels,
                   test_features, test_small, test_labels, device: str) -> dict[str, np.ndarray]:
    """Return test accuracy (sizes, draws) of transfer and of training from scratch.

    Transfer here is logistic regression on the frozen network's pooled features (all
    views of the drawn images); the scratch network takes ``curve_steps`` optimizer steps.
    """
    from sklearn.linear_model import LogisticRegression

    from awml.progress import progress
    from awml.training.binary import predict_probabilities

    sizes = curve_sizes(config, train_labels)
    views = train_features.shape[1]
    results = {name: np.zeros((len(sizes), config.curve_draws)) for name in ("transfer", "scratch")}
    grid = [(row, draw) for row in range(len(sizes)) for draw in range(config.curve_draws)]
    for row, draw in progress(grid, desc="learning curve", unit="fit"):
        rng = np.random.default_rng(1000 * config.seed + draw)
        chosen = balanced_draw(train_labels, sizes[row], rng)
        probe = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        probe.fit(train_features[chosen].reshape(-1, train_features.shape[-1]),
                  np.repeat(train_labels[chosen], views))
        results["transfer"][row, draw] = probe.score(test_features, test_labels)
        epochs = max(1, round(config.curve_steps / math.ceil(len(chosen) / config.batch_size)))
        model, _ = _scratch_model(config, train_small[chosen], train_labels[chosen], epochs,
                                  seed=draw, device=device, show_progress=False)
        scores = predict_probabilities(model, _small_inputs(test_small), len(test_labels),
                                       device=device)
        results["scratch"][row, draw] = ((scores >= 0.5) == test_labels).mean()
    return {"curve_sizes": np.array(sizes), **{f"curve_{k}": v for k, v in results.items()}}


def _pooled(top, outputs, batch_size: int = 256) -> np.ndarray:
    """Return the top's pooled features (N, V, F) of trunk outputs (N, V, C, h, w)."""
    import torch

    count, views = outputs.shape[:2]
    flat = outputs.flatten(0, 1)
    top.eval()
    with torch.no_grad():
        parts = [top.features(flat[i:i + batch_size].float()) for i in range(0, len(flat),
                                                                          batch_size)]
    return torch.cat(parts).unflatten(0, (count, views)).numpy()


def _train_models(config: TransferConfig, encoded: dict, labels: dict, device: str) -> dict:
    """Fine-tune in two stages and train the scratch baseline; return predictions, histories."""
    import torch
    from torch import nn

    from awml.training.binary import predict_probabilities, train_binary

    top, features = encoded["top"], encoded["train_features"]
    top.set_stage("head")  # stage 1: a new linear head on frozen features, every view
    head = nn.Sequential(top.dropout, top.classifier, nn.Flatten(0))
    views = features.shape[1]
    flat_features = torch.from_numpy(features.reshape(-1, features.shape[-1]))
    head_history = train_binary(head, lambda chosen: flat_features[chosen],
                                np.repeat(labels["train"], views), epochs=config.head_epochs,
                                batch_size=config.batch_size, device=device,
                                learning_rate=config.head_learning_rate, desc="new head")
    test_features = torch.from_numpy(encoded["test_features"])
    frozen_test = predict_probabilities(head, lambda chosen: test_features[chosen],
                                        len(test_features), device=device)

    top.set_stage("top")  # stage 2: the last blocks learn too, one random view per visit
    generator = torch.Generator().manual_seed(config.seed)
    train_out = encoded["train_out"]

    def top_inputs(chosen):
        view = torch.randint(0, views, (len(chosen),), generator=generator)
        return train_out[torch.as_tensor(chosen), view].float()

    top_history = train_binary(top, top_inputs, labels["train"], epochs=config.top_epochs,
                               batch_size=config.batch_size, device=device,
                               learning_rate=config.top_learning_rate, desc="last blocks")
    scratch, scratch_history = _scratch_model(
        config, encoded["train_small"], labels["train"], config.head_epochs + config.top_epochs,
        seed=config.seed, device=device, show_progress=True)  # as many epochs as transfer

    predictions = {"test_frozen": frozen_test}
    for split in ("test", "score"):
        outputs, small = encoded[f"{split}_out"], encoded[f"{split}_small"]
        predictions[f"{split}_transfer"] = predict_probabilities(
            top, lambda chosen: outputs[torch.as_tensor(chosen), 0].float(), len(outputs),
            device=device)
        predictions[f"{split}_scratch"] = predict_probabilities(
            scratch, _small_inputs(small), len(small), device=device)
    return {"predictions": predictions, "models": {"top": top, "scratch": scratch},
            "history": {"head_loss": head_history["train_loss"],
                        "top_loss": top_history["train_loss"],
                        "scratch_loss": scratch_history["train_loss"]}}


def _thumbnail(image: np.ndarray, size: int = THUMBNAIL) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.fromarray(image).resize((size, size), Image.BICUBIC))


def _thumbnails(config: TransferConfig, data: PeopleData, test: np.ndarray,
                predictions: dict, test_labels: np.ndarray) -> dict[str, np.ndarray]:
    """Small copies of what the page shows: the hardest test images, the first score images.

    The hardest are the most confident mistakes of the fine-tuned model, then its least
    confident right answers; positions index the test split.
    """
    from awml.training.binary import most_confident_mistakes

    probabilities = predictions["test_transfer"]
    hardest = list(most_confident_mistakes(probabilities, test_labels, SHOWN_TEST_IMAGES))
    least_sure = np.argsort(np.abs(probabilities - 0.5), kind="stable")
    hardest += [int(i) for i in least_sure if i not in hardest][:SHOWN_TEST_IMAGES - len(hardest)]
    shown_score = range(min(SHOWN_SCORE_IMAGES, len(data.score)))
    arrays = {"hard_positions": np.array(hardest, dtype=np.int64),
              "hard_images": np.stack([_thumbnail(data.labelled.image(int(test[i])))
                                       for i in hardest]),
              "score_images": np.stack([_thumbnail(data.score.image(i)) for i in shown_score])}
    if data.score_answers is not None:
        arrays["score_answers"] = data.score_answers
    return arrays


def compute(config: TransferConfig) -> RunResult:
    """Encode, fine-tune in two stages, train the scratch baseline, draw the learning curve."""
    from contextlib import nullcontext

    from awml.training.threads import torch_threads

    with torch_threads(config.threads) if config.threads else nullcontext():
        return _compute(config)


def _compute(config: TransferConfig) -> RunResult:
    import dataclasses

    import torch

    from awml.models.finetune import split_efficientnet
    from awml.models.pretrained import pretrained_efficientnet
    from awml.training.binary import binary_metrics
    from awml.training.image_views import ImageViews, encode_views

    device = device_name()
    torch.manual_seed(config.seed)
    data, train, test = load_data(config)
    pretrained = pretrained_efficientnet(config.weights)
    trunk, top = split_efficientnet(pretrained.model, config.trainable_blocks)
    preprocessing = dataclasses.replace(pretrained.preprocessing, size=config.image_size)
    encoded = {"top": top}
    for split, images, indices, copies in (
            ("train", data.labelled, train, config.augment_copies),
            ("test", data.labelled, test, 0),
            ("score", data.score, np.arange(len(data.score)), 0)):
        views = ImageViews(images, indices, preprocessing, copies, config.scratch_size)
        encoded[f"{split}_out"], encoded[f"{split}_small"] = encode_views(
            trunk, views, config.batch_size, config.workers, device, f"encode {split}")
    encoded["train_features"] = _pooled(top, encoded["train_out"])
    encoded["test_features"] = _pooled(top, encoded["test_out"])[:, 0]
    labels = {"train": data.labelled.labels[train], "test": data.labelled.labels[test]}

    curve = learning_curve(config, encoded["train_features"], encoded["train_small"],
                           labels["train"], encoded["test_features"], encoded["test_small"],
                           labels["test"], device)
    trained = _train_models(config, encoded, labels, device)

    shown = _thumbnails(config, data, test, trained["predictions"], labels["test"])
    metrics = {}
    for name in ("transfer", "frozen", "scratch"):
        scores = binary_metrics(trained["predictions"][f"test_{name}"], labels["test"])
        metrics.update({f"{name}_{metric}": value for metric, value in scores.items()})
    return RunResult(
        metrics=metrics, history=trained["history"],
        arrays={"test_indices": test, "test_labels": labels["test"],
                **trained["predictions"], **curve, **shown},
        weights={name: model.state_dict() for name, model in trained["models"].items()},
        extra={"data_source": data.source, "weights_source": pretrained.source,
               "weights": pretrained.name, "train_images": len(train),
               "test_images": len(test), "score_images": len(data.score),
               "views_per_train_image": int(encoded["train_features"].shape[1]),
               "score_names": data.score.names[:SHOWN_SCORE_IMAGES]},
    )


def transfer_run(**options) -> Run:
    """Run lab 2's heavy step for the active profile, or load a stored run of the same code."""
    return run_or_load(TASK, CONFIGS, compute, gpu_minutes=GPU_MINUTES, **options)


def run_all(profile: str) -> list[Run]:
    """Run or load the lab's heavy steps for ``profile`` (used by ``awml lab run``)."""
    return [transfer_run(profile=profile)]


def active_config() -> TransferConfig:
    """Return the configuration of the active profile."""
    return pick(CONFIGS)
