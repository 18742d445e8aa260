"""Reading MyST notebook pages: their code cells and the ``awml`` modules they use."""

from __future__ import annotations

import re

import yaml

CODE_CELL = re.compile(r"^(`{3,}|~{3,})\{code-cell\}[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*\n", re.S)

FOOTER_MODULE = "awml.environment"


def front_matter(text: str) -> dict:
    """Return the YAML front matter of a page, or an empty dict."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}
    loaded = yaml.safe_load(match.group(1))
    return loaded if isinstance(loaded, dict) else {}


def is_notebook_page(text: str) -> bool:
    """True when the page is a MyST notebook (jupytext front matter, format myst)."""
    meta = front_matter(text)
    return meta.get("jupytext", {}).get("text_representation", {}).get("format_name") == "myst"


def code_cells(text: str) -> list[str]:
    """Return the source of every ``{code-cell}`` of a page, cell options removed."""
    cells = []
    for match in CODE_CELL.finditer(text):
        body = match.group(2)
        lines = body.splitlines()
        if lines and lines[0].strip() == "---":
            end = lines.index("---", 1) if "---" in lines[1:] else 0
            lines = lines[end + 1:]
        while lines and lines[0].startswith(":"):
            lines = lines[1:]
        cells.append("\n".join(lines))
    return cells


def page_modules(text: str) -> set[str]:
    """Return the ``awml`` modules that the code cells of a page import directly."""
    from awml.runs.fingerprint import imported_modules

    found: set[str] = set()
    for source in code_cells(text):
        found |= imported_modules(source)
    return found
