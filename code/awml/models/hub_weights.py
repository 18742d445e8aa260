"""ImageNet EfficientNet B0..B5 weights from the Hugging Face hub, checked before use.

The weight file is downloaded into the hub's cache first. There, a large file is stored
under the sha256 of its content (a small one under its git blob hash), so the download is
hashed and compared with that name before timm reads it, as safetensors (no pickle).
Offline (``AWML_OFFLINE`` or ``HF_HUB_OFFLINE``) nothing is tried.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from awml.models.pretrained import Preprocessing, PretrainedModel, WeightsUnavailable
from awml.paths import offline
from awml.runs.artifacts import sha256_file

HUB_NAME = re.compile(r"^(tf_)?efficientnet_b[0-5](\.[a-z0-9_]+)?$")
WEIGHT_FILE = "model.safetensors"


def _git_blob_sha1(path: Path) -> str:
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def verified_hub_file(hub_id: str, filename: str = WEIGHT_FILE) -> Path:
    """Download ``filename`` of the hub repository ``hub_id`` (cached) and check its hash.

    Returns the checked file; raises ``WeightsUnavailable`` when it cannot be fetched or
    its content does not match the hash it is stored under.
    """
    from huggingface_hub import hf_hub_download

    try:
        blob = Path(hf_hub_download(hub_id, filename)).resolve()
    except Exception as error:  # hub, HTTP and socket errors differ by version
        raise WeightsUnavailable(f"{hub_id} is not reachable ({type(error).__name__})") from None
    expected = blob.name
    if len(expected) == 64:
        digest = sha256_file(blob)
    elif len(expected) == 40:
        digest = _git_blob_sha1(blob)
    else:
        raise WeightsUnavailable(f"{blob} is not stored under a content hash; refusing it")
    if digest != expected:
        raise WeightsUnavailable(f"{hub_id}/{filename} hashes to {digest[:16]}..., not "
                                 f"{expected[:16]}...; refusing to load it")
    return blob


def hub_efficientnet(name: str, num_classes: int | None = None) -> PretrainedModel:
    """Return a timm EfficientNet B0..B5 with checked ImageNet weights from the hub.

    Raises ``WeightsUnavailable`` offline or when the hub cannot be reached. The
    preprocessing (size, mean, std) is the one the weights were trained with.
    """
    if not HUB_NAME.match(name):
        raise ValueError(f"name={name!r} is not a timm EfficientNet B0..B5 "
                         "(e.g. efficientnet_b0, tf_efficientnet_b3.ns_jft_in1k)")
    if offline() or os.environ.get("HF_HUB_OFFLINE", "").strip() in ("1", "true", "yes"):
        raise WeightsUnavailable("the Hugging Face hub is off (offline mode)")
    import timm

    config = timm.models.get_pretrained_cfg(name)
    if config is None or not config.hf_hub_id:
        raise WeightsUnavailable(f"timm knows no hub weights for {name}")
    weights = verified_hub_file(config.hf_hub_id)
    options = {} if num_classes is None else {"num_classes": num_classes}
    model = timm.create_model(name, pretrained=True,
                              pretrained_cfg_overlay={"file": str(weights)}, **options)
    size = int((config.test_input_size or config.input_size)[-1])
    preprocessing = Preprocessing(size, tuple(config.mean), tuple(config.std))
    model.eval()
    return PretrainedModel(model, name, preprocessing,
                           f"ImageNet {name} weights from the Hugging Face hub "
                           f"({config.hf_hub_id}, hash checked)")
