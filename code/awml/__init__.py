"""awml: the companion package of the AWML book.

The package is organised by concern: ``data`` (datasets with full and offline sources),
``models`` (networks), ``training`` (loops and metrics), ``runs`` (run-or-load and the
artifact store), ``labs`` (one module per lab with its per-profile configuration),
``viz`` (figures), ``book`` (the Sphinx extension of the book) and ``cli``.

Importing ``awml`` is cheap: heavy libraries (torch, timm, ultralytics) are imported
inside the modules that need them, never here.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
