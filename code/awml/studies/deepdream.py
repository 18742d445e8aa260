"""The feature-visualisation study: DeepDream on a real photograph at several depths of
EfficientNet-Lite0, and single channels grown from noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from awml.runs import RunResult


@dataclass(frozen=True)
class DreamStudy:
    """Photo, depths, and how much gradient ascent each image gets."""

    photo: str = "grace_hopper"  # one of awml.data.people's photographs
    blocks: tuple[int, ...] = (2, 4, 5)  # EfficientNet-Lite0 stages to amplify (0..6)
    size: int = 224  # final image side in pixels
    octaves: int = 3
    steps: int = 8  # gradient-ascent steps per octave
    step_size: float = 0.04  # mean change of an input value per step, inputs in [-1, 1]
    channel_block: int = 4  # stage whose single channels are visualised
    channels: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    channel_steps: int = 16
    channel_size: int = 128


CONFIGS = {
    "smoke": DreamStudy(blocks=(2,), size=64, octaves=1, steps=2, channels=(0,),
                        channel_steps=2, channel_size=64),
    "cpu": DreamStudy(),
    "gpu": DreamStudy(blocks=(1, 2, 3, 4, 5, 6), size=448, octaves=4, steps=30,
                      channels=tuple(range(16)), channel_steps=80, channel_size=224),
}


def compute(config: DreamStudy) -> RunResult:
    """Dream at each block (snapshots after each octave) and visualise the channels.

    Arrays: ``block<b>`` (octaves, size, size, 3) uint8 for each block, ``channels``
    (len(channels), channel_size, channel_size, 3) uint8.
    """
    from awml.data.people import photograph
    from awml.models.pretrained import efficientnet_lite0
    from awml.vision.dream import dream, visualise_channel

    from awml.profiles import device_name

    pretrained = efficientnet_lite0()
    pretrained.model.to(device_name())
    photo = photograph(config.photo)
    arrays, history = {}, {}
    octave_ends = tuple(config.steps * (k + 1) for k in range(config.octaves))
    for block in config.blocks:
        result = dream(pretrained, photo, block=block, steps=config.steps,
                       octaves=config.octaves, step_size=config.step_size, size=config.size,
                       record=octave_ends)
        arrays[f"block{block}"] = np.stack(result.images)
        history[f"block{block}/objective"] = result.objective
    arrays["channels"] = np.stack([
        visualise_channel(pretrained, config.channel_block, channel, config.channel_steps,
                          config.channel_size) for channel in config.channels])
    return RunResult(history=history, arrays=arrays,
                     extra={"source": pretrained.source, "photo": config.photo})
