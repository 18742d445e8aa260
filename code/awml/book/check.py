"""Lint the book's MyST sources before anything runs: ``python -m awml.book.check [ROOT]``.

A problem is printed as ``path:line: message`` and the exit status is 1 when there is one:
- every page under ``book/`` is listed in ``_toc.yml``, and every entry there exists;
- a page with code cells has the book's front matter (jupytext MyST, the Python 3 kernel);
- every cell tag is one the book knows (``awml.book.cell_rules.KNOWN_TAGS``);
- no cell installs packages (pip, conda, apt... from ``!``, ``%`` or a program it runs);
- no cell and no Markdown link or figure names a file outside the repository (an absolute
  path, a home path, or ``..`` that climbs out of the root).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from awml.book import cell_rules
from awml.book.pages import FRONT_MATTER

PAGE_SUFFIXES = (".md", ".ipynb")
CELL = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}[ \t]*(?P<lang>[^\n]*)\n(?P<body>.*?)"
                  r"^(?P=fence)[ \t]*$", re.M | re.S)
MARKDOWN_PATH = re.compile(
    r"!?\[[^\]]*\]\((?P<link>[^)\s]+)[^)]*\)"  # [text](path) and ![alt](path)
    r"|^[`:]{3,}\{(?:figure|image|include|literalinclude)\}[ \t]+(?P<arg>\S+)", re.M)
EXPECTED_FRONT_MATTER = {
    "jupytext": {"text_representation": {"extension": ".md", "format_name": "myst"}},
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
}
CELL_LANGUAGES = {"", "ipython3", "ipython", "python3", "python"}


@dataclass(frozen=True)
class Problem:
    """One finding: the file (relative to the root), its 1-based line, and what is wrong."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def toc_pages(root: Path) -> set[str]:
    """Return the docnames (``book/intro``) that ``_toc.yml`` lists."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    return set(parse_toc_yaml(root / "_toc.yml").keys())


def book_pages(root: Path) -> dict[str, Path]:
    """Return ``{docname: file}`` for every page source under ``root/book``."""
    pages = {}
    for file in sorted((root / "book").rglob("*")):
        parts = file.relative_to(root).parts
        if file.suffix in PAGE_SUFFIXES and not any(p.startswith((".", "_")) for p in parts):
            pages[file.relative_to(root).with_suffix("").as_posix()] = file
    return pages


def _options(body: str) -> tuple[dict, int]:
    """Return a code cell's options and the number of lines they take."""
    lines = body.splitlines()
    if lines and lines[0].strip() == "---" and "---" in [line.strip() for line in lines[1:]]:
        end = [line.strip() for line in lines].index("---", 1)
        loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
        return (loaded if isinstance(loaded, dict) else {}), end + 1
    options, count = {}, 0
    for line in lines:
        match = re.match(r"^:([\w-]+):\s*(.*)$", line)
        if not match:
            break
        options[match.group(1)] = yaml.safe_load(match.group(2)) if match.group(2) else None
        count += 1
    return options, count


def _front_matter_problems(text: str) -> list[tuple[int, str]]:
    match = FRONT_MATTER.match(text)
    if not match:
        return [(1, "page has code cells but no front matter (jupytext myst, kernel python3)")]
    meta = yaml.safe_load(match.group(1)) or {}
    problems = []
    for section, expected in EXPECTED_FRONT_MATTER.items():
        found = meta.get(section) or {}
        if section == "jupytext":
            found = found.get("text_representation") or {}
            expected = expected["text_representation"]
        for key, value in expected.items():
            if found.get(key) != value:
                problems.append((1, f"front matter {section}: {key} is {found.get(key)!r}, "
                                    f"expected {value!r}"))
    return problems


def check_markdown_page(file: Path, root: Path) -> list[Problem]:
    """Lint one MyST Markdown page; return its problems."""
    text = file.read_text(encoding="utf-8")
    relative = file.relative_to(root).as_posix()
    found: list[tuple[int, str]] = []
    cells = list(CELL.finditer(text))
    if cells or FRONT_MATTER.match(text) and "kernelspec" in (
            yaml.safe_load(FRONT_MATTER.match(text).group(1)) or {}):
        found += _front_matter_problems(text)
    for cell in cells:
        first_line = text.count("\n", 0, cell.start()) + 1
        if cell.group("lang").strip() not in CELL_LANGUAGES:
            found.append((first_line, f"code cell in language {cell.group('lang').strip()!r}"))
        options, skip = _options(cell.group("body"))
        tags = options.get("tags") or []
        if not isinstance(tags, list):
            found.append((first_line, f"cell tags must be a list, got {tags!r}"))
            tags = []
        found += [(first_line, message) for message in cell_rules.unknown_tags(tags)]
        source = "\n".join(cell.group("body").splitlines()[skip:])
        offset = first_line + skip
        for number, message in cell_rules.installs(source) + cell_rules.outside_files(
                source, file.parent, root):
            found.append((offset + number, message))
    outside = CELL.sub(lambda cell: "\n" * cell.group(0).count("\n"), text)
    for match in MARKDOWN_PATH.finditer(outside):
        target = (match.group("link") or match.group("arg") or "").split("#")[0]
        if target and not re.match(r"^[a-z][\w+.-]*:", target):  # not a URL or mailto:
            why = cell_rules.path_problem(target, file.parent, root)
            if why:
                found.append((outside.count("\n", 0, match.start()) + 1, f"page links a {why}"))
    return [Problem(relative, line, message) for line, message in found]


def check_notebook_page(file: Path, root: Path) -> list[Problem]:
    """Lint one ``.ipynb`` page: its kernel and, cell by cell, the same rules as MyST."""
    relative = file.relative_to(root).as_posix()
    notebook = json.loads(file.read_text(encoding="utf-8"))
    problems = []
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(Problem(relative, 1, f"notebook kernel is {kernel!r}, expected 'python3'"))
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        source = "".join(cell.get("source", []))
        messages = cell_rules.unknown_tags(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code":
            messages += [message for _, message in cell_rules.installs(source)]
            messages += [m for _, m in cell_rules.outside_files(source, file.parent, root)]
        problems += [Problem(relative, 1, f"cell {index}: {message}") for message in messages]
    return problems


def check_book(root: Path) -> list[Problem]:
    """Lint every page of the book under ``root``; return the problems, empty when clean."""
    if not (root / "_toc.yml").is_file():
        raise ValueError(f"root={root} has no _toc.yml; expected the book's repository root")
    problems = []
    listed, pages = toc_pages(root), book_pages(root)
    for docname in sorted(listed - set(pages)):
        problems.append(Problem("_toc.yml", 1, f"{docname} is listed but no page file exists"))
    for docname in sorted(set(pages) - listed):
        path = pages[docname].relative_to(root).as_posix()
        problems.append(Problem(path, 1, "page is not listed in _toc.yml"))
    for file in pages.values():
        check = check_notebook_page if file.suffix == ".ipynb" else check_markdown_page
        problems += check(file, root)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        problems = check_book(root)
    except (ValueError, yaml.YAMLError) as error:
        print(error, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    pages = len(book_pages(root))
    print(f"Checked {pages} pages against _toc.yml: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
