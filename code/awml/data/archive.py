"""Course data handed out as a folder or a zip: metadata tables and the images they name.

A layout has a metadata table (``<stem>.csv`` or ``<stem>.parquet``) at its top, or inside
its one top-level folder, and image files named by relative paths in its columns.
``LayoutArchive`` reads both the same way whichever form the data came in.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

TABLE_SUFFIXES = (".csv", ".parquet")


class LayoutArchive:
    """Read files by relative path from a folder or a ``.zip``, whichever ``location`` is.

    ``marker`` is the stem of a metadata table that must exist (``train`` for example); the
    folder holding it is the top of the layout.
    """

    def __init__(self, location: Path | str, marker: str) -> None:
        self.location = Path(location)
        if not self.location.exists():
            raise ValueError(f"location={str(self.location)!r} does not exist; expected a "
                             "folder or a zip")
        self.zip = zipfile.ZipFile(self.location) if self.location.suffix == ".zip" else None
        self.prefix = self._find_prefix(marker)

    def _names(self) -> list[str]:
        if self.zip is not None:
            return [name for name in self.zip.namelist() if not name.endswith("/")]
        return [path.relative_to(self.location).as_posix()
                for path in self.location.rglob("*") if path.is_file()]

    def _find_prefix(self, marker: str) -> str:
        tops = {PurePosixPath(name).parent.as_posix() for name in self._names()
                if PurePosixPath(name).stem == marker
                and PurePosixPath(name).suffix in TABLE_SUFFIXES}
        if not tops:
            raise ValueError(f"location={str(self.location)!r} holds no {marker}.csv or "
                             f"{marker}.parquet; expected the course's layout")
        top = min(tops, key=len)
        return "" if top == "." else top + "/"

    def read(self, name: str) -> bytes:
        """Return the bytes of the file at ``name``, relative to the top of the layout."""
        name = self.prefix + str(name).lstrip("/")
        if self.zip is not None:
            try:
                return self.zip.read(name)
            except KeyError:
                raise FileNotFoundError(f"{name} is not in {self.location}") from None
        return (self.location / name).read_bytes()

    def has(self, name: str) -> bool:
        """True when the layout holds a file at ``name``."""
        try:
            self.read(name)
        except (FileNotFoundError, IsADirectoryError):
            return False
        return True

    def table(self, stem: str, columns: tuple[str, ...]) -> "pandas.DataFrame":
        """Return the metadata table ``stem`` (CSV or Parquet) as a DataFrame.

        Raises ``ValueError`` naming the missing columns when ``columns`` are not all there.
        """
        import pandas as pd

        for suffix, reader in ((".csv", pd.read_csv), (".parquet", pd.read_parquet)):
            if self.has(stem + suffix):
                table = reader(io.BytesIO(self.read(stem + suffix)))
                break
        else:
            raise ValueError(f"{self.location} lacks {stem}.csv or {stem}.parquet")
        missing = [column for column in columns if column not in table.columns]
        if missing:
            raise ValueError(f"{stem} metadata in {self.location} lacks columns {missing}; "
                             f"it has {list(table.columns)}, expected {list(columns)}")
        return table

    def image(self, name: str, mode: str = "RGB") -> np.ndarray:
        """Return the image at ``name`` as uint8 (H, W, 3) for RGB or (H, W) for ``L``."""
        from PIL import Image

        with Image.open(io.BytesIO(self.read(name))) as image:
            return np.asarray(image.convert(mode))
