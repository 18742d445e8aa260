"""Find AWS credentials in the built book: HTML, notebooks, and the execution cache.

A page that prints a credential would publish it. ``python -m awml.book.leaks [ROOT]``
scans ``ROOT/_build/html``, ``ROOT/_build/jupyter_execute`` and ``ROOT/_build/.jupyter_cache``
and exits 1 when it finds an access key ID, a secret access key or session token written
beside its name, or a signed AWS address (presigned URLs and Studio sign-in addresses are
credentials until they expire). Findings are shown masked.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

PATTERNS = {
    "AWS access key ID": re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    "AWS secret access key": re.compile(
        r"(?i)aws.?secret.?access.?key[\"'\\\s]*[:=,][\"'\\\s]*[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])"),
    "AWS session token": re.compile(
        r"(?i)aws.?session.?token[\"'\\\s]*[:=,][\"'\\\s]*[A-Za-z0-9/+=]{100,}"),
    "signed AWS address": re.compile(
        r"X-Amz-(?:Signature=[0-9a-f]{64}|Security-Token=[^&\s\"']{20,})"),
    "Studio sign-in address": re.compile(
        r"studio\.[a-z0-9-]+\.sagemaker\.aws/[^\s\"']*[?&](?:auth)?[Tt]oken=[^&\s\"']{20,}"),
}
SKIPPED_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff",
                              ".woff2", ".ttf", ".eot", ".pt", ".npz", ".pdf", ".zip"})
MAX_BYTES = 64 * 1024 * 1024
BUILD_FOLDERS = ("_build/html", "_build/jupyter_execute", "_build/.jupyter_cache")


@dataclass(frozen=True)
class Leak:
    """A credential found in a file: where, what kind, and a masked excerpt."""

    path: Path
    line: int
    kind: str
    masked: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.masked}"


def mask(secret: str) -> str:
    """Return ``secret`` with all but its first 6 characters hidden."""
    return secret[:6] + "*" * min(len(secret) - 6, 12)


def scan_text(text: str, path: Path = Path("-")) -> list[Leak]:
    """Return the credentials found in ``text`` (line numbers count from 1)."""
    leaks = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            leaks.append(Leak(path=path, line=line, kind=kind, masked=mask(match.group(0))))
    return leaks


def files_under(paths: list[Path]) -> list[Path]:
    """Return the files to scan under ``paths`` (files or folders), images and fonts left out."""
    found = []
    for path in paths:
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        found.extend(candidate for candidate in candidates
                     if candidate.is_file() and candidate.suffix.lower() not in SKIPPED_SUFFIXES
                     and candidate.stat().st_size <= MAX_BYTES)
    return found


def scan_paths(paths: list[Path]) -> tuple[list[Leak], int]:
    """Return the credentials found under ``paths`` and the number of files read."""
    files = files_under(paths)
    leaks = []
    for path in files:
        leaks.extend(scan_text(path.read_bytes().decode("latin-1"), path))
    return leaks, len(files)


def build_folders(root: Path) -> list[Path]:
    """Return the folders of a built book under ``root`` that exist."""
    return [root / name for name in BUILD_FOLDERS if (root / name).is_dir()]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    folders = build_folders(root)
    if not folders:
        print(f"{root} has no built book to scan ({', '.join(BUILD_FOLDERS)})", file=sys.stderr)
        return 2
    leaks, count = scan_paths(folders)
    for leak in leaks:
        print(leak, file=sys.stderr)
    print(f"scanned {count} files under {', '.join(str(f) for f in folders)}: "
          f"{len(leaks)} credential(s) found")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
