"""Hourly weather: the course's multi-city panel, or three real stations that pvlib ships.

Offline source: the typical-meteorological-year files in pvlib's data folder, real hourly
observations of Greensboro NC and Sand Point AK (TMY3) and Miami FL (TMY2; temperatures
and wind in tenths, converted here). Each has 8,760 rows, one per hour of a year, but each
month comes from a different real year, so the weather jumps at month boundaries. Sand
Point's pressure is missing in its file and filled with a constant 1012 hPa.

Full source: the course's panel as Parquet files (``train``, ``validate``, ``test``,
``score``) in a local folder or under an S3 prefix, in the long layout that
``write_panel`` writes: one row per (city, sample, step), step -24..-1 for the condition
window (all features) and 0..23 for the prediction window (temperature; missing in
``score``), with the row's time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

FEATURES = ("temperature", "dew_point", "pressure", "wind_speed")  # C, C, hPa, m/s
CALENDAR = ("hour_sin", "hour_cos", "day_sin", "day_cos")
HISTORY = 24  # hours in the condition window
HORIZON = 24  # hours forecast
SPLIT_MONTHS = {"train": tuple(range(1, 9)), "validate": (9,), "test": (10, 11, 12)}
STATIONS = {  # city: (file in pvlib's data folder, reader)
    "Greensboro NC": ("723170TYA.CSV", "tmy3"),
    "Sand Point AK": ("703165TY.csv", "tmy3"),
    "Miami FL": ("12839.tm2", "tmy2"),
}
PANEL_SPLITS = ("train", "validate", "test", "score")


def load_station(city: str):
    """Return one station's year as a DataFrame: the FEATURES columns, 8,760 hourly rows.

    The index is a nominal hourly time in 2001 (the file's month, day and hour, in order),
    since the file's own years differ from month to month.
    """
    import pandas as pd
    import pvlib
    from pvlib.iotools import read_tmy2, read_tmy3

    if city not in STATIONS:
        raise ValueError(f"city={city!r} is not one of {', '.join(STATIONS)}")
    name, kind = STATIONS[city]
    path = Path(pvlib.__file__).parent / "data" / name
    if kind == "tmy3":
        raw, _ = read_tmy3(path, map_variables=True)
        frame = pd.DataFrame({"temperature": raw["temp_air"], "dew_point": raw["temp_dew"],
                              "pressure": raw["pressure"], "wind_speed": raw["wind_speed"]})
    else:
        raw, _ = read_tmy2(path)
        frame = pd.DataFrame({"temperature": raw["DryBulb"] / 10.0,
                              "dew_point": raw["DewPoint"] / 10.0,
                              "pressure": raw["Pressure"].astype(float),
                              "wind_speed": raw["Wspd"] / 10.0})
    first = raw.index[0]
    frame.index = pd.date_range(f"2001-01-01 {first.hour:02d}:00", periods=len(frame),
                                freq="h", name="time")
    return frame.astype(np.float64)


def load_offline() -> dict:
    """Return the three stations: city -> DataFrame (8,760 rows, FEATURES columns)."""
    return {city: load_station(city) for city in STATIONS}


def calendar_features(times) -> np.ndarray:
    """Return sin and cos of the hour of day and of the day of year: (N, 4) float64."""
    import pandas as pd

    times = pd.DatetimeIndex(times)
    hour = 2 * np.pi * (times.hour + times.minute / 60) / 24
    day = 2 * np.pi * (times.day_of_year - 1) / 365.25
    return np.stack([np.sin(hour), np.cos(hour), np.sin(day), np.cos(day)], axis=1)


@dataclass
class Windows:
    """Forecasting samples: 24 hours in, the next 24 temperatures out.

    ``inputs`` (N, 24, 8): FEATURES then CALENDAR, raw units; ``targets`` (N, 24) in C
    (None for samples to score); ``city`` (N,) indices into ``cities``; ``start`` (N,)
    the time of the first forecast hour (numpy datetime64).
    """

    inputs: np.ndarray
    targets: np.ndarray | None
    city: np.ndarray
    start: np.ndarray
    cities: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.inputs)

    def subset(self, indices) -> "Windows":
        """Return the samples at ``indices``."""
        indices = np.asarray(indices)
        targets = None if self.targets is None else self.targets[indices]
        return Windows(self.inputs[indices], targets, self.city[indices], self.start[indices],
                       self.cities)


def make_windows(stations: dict, months, stride: int = 1, first_hour: int | None = None
                 ) -> Windows:
    """Return every window of ``stations`` whose 48 hours all fall in ``months``.

    ``stride`` skips start hours; ``first_hour`` keeps only forecasts that start at that
    hour of day (0 gives one forecast a day, from midnight).
    """
    if stride < 1:
        raise ValueError(f"stride={stride!r}; expected a positive integer")
    parts = {"inputs": [], "targets": [], "city": [], "start": []}
    span = HISTORY + HORIZON
    for index, (city, frame) in enumerate(stations.items()):
        values = np.concatenate([frame[list(FEATURES)].to_numpy(np.float64),
                                 calendar_features(frame.index)], axis=1)  # (T, 8)
        inside = np.isin(frame.index.month, months)
        whole = np.convolve(inside, np.ones(span), "valid") == span  # (T - 47,)
        starts = np.flatnonzero(whole)[::stride]
        if first_hour is not None:
            starts = starts[frame.index[starts + HISTORY].hour == first_hour]
        steps = starts[:, None] + np.arange(span)  # (N, 48)
        parts["inputs"].append(values[steps[:, :HISTORY]])
        parts["targets"].append(values[steps[:, HISTORY:], 0])
        parts["city"].append(np.full(len(starts), index))
        parts["start"].append(frame.index.to_numpy()[starts + HISTORY])
    joined = {name: np.concatenate(arrays) for name, arrays in parts.items()}
    return Windows(joined["inputs"], joined["targets"], joined["city"], joined["start"],
                   tuple(stations))


def offline_panel(train_stride: int = 1) -> dict[str, Windows]:
    """Return the offline splits by time: train Jan-Aug, validate Sep, test Oct-Dec, and
    score (the test months' forecasts from midnight, one a day per city)."""
    stations = load_offline()
    panel = {name: make_windows(stations, months, train_stride if name == "train" else 1)
             for name, months in SPLIT_MONTHS.items()}
    panel["score"] = make_windows(stations, SPLIT_MONTHS["test"], first_hour=0)
    return panel


def write_panel(panel: dict[str, Windows], folder: str | Path) -> Path:
    """Write ``panel`` (split name -> Windows) as the course's Parquet files; return the folder."""
    import pandas as pd

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    steps = np.arange(-HISTORY, HORIZON)
    for split, windows in panel.items():
        count = len(windows)
        hours = windows.start[:, None] + steps[None, :].astype("timedelta64[h]")
        columns = {"city": np.repeat(np.array(windows.cities)[windows.city], len(steps)),
                   "sample": np.repeat(np.arange(count), len(steps)),
                   "step": np.tile(steps, count), "time": hours.ravel()}
        for position, feature in enumerate(FEATURES):
            block = np.full((count, len(steps)), np.nan)
            block[:, :HISTORY] = windows.inputs[:, :, position]
            if position == 0 and windows.targets is not None and split != "score":
                block[:, HISTORY:] = windows.targets
            columns[feature] = block.ravel()
        pd.DataFrame(columns).to_parquet(folder / f"{split}.parquet", index=False)
    return folder


def _windows_from_frame(frame, split: str) -> Windows:
    required = {"city", "sample", "step", "time", *FEATURES}
    missing = sorted(required - set(frame.columns))
    if missing:
        raise ValueError(f"{split}.parquet lacks columns {missing}; expected {sorted(required)}")
    frame = frame.sort_values(["city", "sample", "step"], kind="stable")
    span = HISTORY + HORIZON
    if len(frame) % span or not (frame["step"].to_numpy().reshape(-1, span)
                                 == np.arange(-HISTORY, HORIZON)).all():
        raise ValueError(f"{split}.parquet must hold steps -24..23 for every (city, sample)")
    count = len(frame) // span
    features = frame[list(FEATURES)].to_numpy(np.float64).reshape(count, span, len(FEATURES))
    times = frame["time"].to_numpy().reshape(count, span)
    calendar = calendar_features(times[:, :HISTORY].ravel()).reshape(count, HISTORY, -1)
    cities, city = np.unique(frame["city"].to_numpy().reshape(count, span)[:, 0],
                             return_inverse=True)
    targets = None if split == "score" else features[:, HISTORY:, 0]
    if np.isnan(features[:, :HISTORY]).any() or (targets is not None and np.isnan(targets).any()):
        raise ValueError(f"{split}.parquet has missing values in its windows")
    return Windows(np.concatenate([features[:, :HISTORY], calendar], axis=2), targets, city,
                   times[:, HISTORY], tuple(str(name) for name in cities))


def read_panel(location: str | Path) -> dict[str, Windows]:
    """Return the course panel's splits from a folder or an ``s3://bucket/prefix``."""
    import pandas as pd

    location = str(location)
    if location.startswith("s3://"):
        location = str(_download_panel(location))
    folder = Path(location)
    if not (folder / "train.parquet").is_file():
        raise ValueError(f"location={location!r} has no train.parquet; expected the panel's "
                         f"files {', '.join(PANEL_SPLITS)}")
    return {split: _windows_from_frame(pd.read_parquet(folder / f"{split}.parquet"), split)
            for split in PANEL_SPLITS if (folder / f"{split}.parquet").is_file()}


def _download_panel(url: str) -> Path:
    from awml.aws_session import client
    from awml.paths import data_dir

    bucket, _, prefix = url[len("s3://"):].partition("/")
    target = data_dir() / "weather" / bucket / prefix.strip("/")
    target.mkdir(parents=True, exist_ok=True)
    s3 = client("s3")
    for split in PANEL_SPLITS:
        key = "/".join(part for part in (prefix.strip("/"), f"{split}.parquet") if part)
        try:
            s3.download_file(bucket, key, str(target / f"{split}.parquet"))
        except Exception as error:  # botocore raises ClientError for a missing object
            if split in ("validate",):
                continue
            raise ValueError(f"s3://{bucket}/{key} could not be read ({error})") from None
    return target


PATH_VARIABLE = "AWML_WEATHER_DATA"
SOURCES = ("auto", "full", "offline")


def load_panel(source: str = "auto", location: str | None = None, train_stride: int = 1
               ) -> tuple[dict[str, Windows], str]:
    """Return (splits, a line naming the source) from ``full``, ``offline`` or ``auto``.

    The full panel is at ``location`` or ``AWML_WEATHER_DATA`` (a folder or s3:// prefix);
    ``auto`` falls back to the offline stations with one warning line.
    """
    import os

    from awml.data.download import SourceUnavailable
    from awml.paths import offline

    if source not in SOURCES:
        raise ValueError(f"source={source!r} is not one of {', '.join(SOURCES)}")
    if source != "offline":
        location = location or os.environ.get(PATH_VARIABLE)
        try:
            if not location:
                raise SourceUnavailable(f"no location given and {PATH_VARIABLE} is not set")
            if offline() and str(location).startswith("s3://"):
                raise SourceUnavailable("AWML_OFFLINE is set")
            panel = read_panel(location)
            return panel, f"full: course panel at {location}"
        except SourceUnavailable as reason:
            if source == "full":
                raise
            logger.warning("course weather panel unavailable (%s); using the pvlib stations",
                           reason)
    return (offline_panel(train_stride),
            "offline: pvlib's hourly years of Greensboro NC, Sand Point AK and Miami FL")
