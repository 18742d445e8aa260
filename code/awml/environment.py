"""The note that ends every executed page: what produced the numbers on it."""

from __future__ import annotations

import datetime as dt
import html
import platform
from importlib import metadata

from awml import __version__
from awml.profiles import current_profile, describe_device

PACKAGES = ("torch", "torchvision", "timm", "ultralytics", "numpy", "scikit-learn",
            "jupyter-book", "myst-nb")


def environment() -> dict[str, str]:
    """Return the profile, device, date, Python, ``awml`` and key package versions."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "profile": current_profile(),
        "device": describe_device(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "awml": __version__,
        **versions,
    }


class EnvironmentNote:
    """A collapsed note listing ``environment()``; renders as HTML and as text."""

    def __init__(self) -> None:
        self.values = environment()

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>"
            for key, value in self.values.items()
        )
        return (
            '<details class="awml-environment"><summary>Environment that produced this page'
            f'</summary><table>{rows}</table></details>'
        )

    def __repr__(self) -> str:
        return "Environment: " + ", ".join(f"{k} {v}" for k, v in self.values.items())


def page_footer() -> EnvironmentNote:
    """Return the environment note; the book appends a cell calling this to every page."""
    return EnvironmentNote()
