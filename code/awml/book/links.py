"""The pages of a built site and the internal links between them.

Used by the browser check: it lists the pages to open, and once they are open it checks
that every link inside the site reaches a file, and every ``#anchor`` an id on its page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.I)
ID = re.compile(r'\s(?:id|name)="([^"]+)"')


class PageLinks(Protocol):
    """What a checked page offers: its path, ids and links, and a list for problems."""

    path: str
    ids: list[str]
    links: list[str]
    problems: list[str]


def redirect_target(site: Path, path: str) -> str | None:
    """Return the site path a redirect-only page sends to, or None for a real page."""
    head = (site / path).read_text(errors="replace")[:2000]
    match = REDIRECT.search(head)
    if not match:
        return None
    target = (Path(path).parent / unquote(match.group(1))).as_posix()
    return target.removeprefix("./")


def site_pages(site: Path) -> tuple[list[str], dict[str, str]]:
    """Return the site's pages (paths relative to ``site``) and its redirects ``{page: target}``.

    Folders whose names start with ``_`` or ``.`` (static files, sources, images) hold no
    pages of the book.
    """
    pages, redirects = [], {}
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site)
        if any(part.startswith(("_", ".")) for part in relative.parts[:-1]):
            continue
        target = redirect_target(site, relative.as_posix())
        if target is None:
            pages.append(relative.as_posix())
        else:
            redirects[relative.as_posix()] = target
    return pages, redirects


def _target(site: Path, path: str) -> Path:
    file = site / path
    return file / "index.html" if path == "" or path.endswith("/") or file.is_dir() else file


def check_links(site: Path, results: list[PageLinks]) -> None:
    """Append a problem to each page whose internal link or anchor leads nowhere.

    Links are absolute addresses as the browser resolved them; those on another host are
    left alone (the site is checked offline).
    """
    ids = {result.path: set(result.ids) for result in results}
    for result in results:
        seen: set[str] = set()
        for link in result.links:
            parts = urlsplit(link)
            if parts.hostname != "127.0.0.1" or link in seen:
                continue
            seen.add(link)
            path = unquote(parts.path).lstrip("/")
            file = _target(site, path)
            if not file.is_file():
                result.problems.append(f"broken link: {path}")
                continue
            if not parts.fragment or file.suffix != ".html":
                continue
            key = file.relative_to(site).as_posix()
            if key not in ids:
                ids[key] = set(ID.findall(file.read_text(errors="replace")))
            if unquote(parts.fragment) not in ids[key]:
                result.problems.append(f"broken anchor: {key}#{parts.fragment}")
