"""The book's Sphinx extension: page fingerprints, GPU badges and the environment note.

Listed in ``_config.yml`` under ``sphinx.extra_extensions`` as ``awml.book``.
"""

from awml.book.extension import setup

__all__ = ["setup"]
