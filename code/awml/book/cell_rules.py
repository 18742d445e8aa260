"""What a cell of a book page may not do: install packages, or reach files outside the repo.

Each rule takes a cell's source and returns ``(line within the cell, message)`` pairs. Used
by ``awml.book.check``. Shell escapes (``!cmd``), line magics (``%pip``) and cell magics
(``%%bash``) count as shell; everything else is read with Python's tokenizer, so a path is
found in a string literal and not in a comment.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

KNOWN_TAGS = frozenset({
    # awml: the cell's full run needs a GPU; the footer cell the book appends to each page.
    "gpu", "awml-footer",
    # myst-nb and Jupyter Book: what is shown, hidden, moved or not run.
    "remove-input", "remove-output", "remove-cell", "remove-stdout", "remove-stderr",
    "hide-input", "hide-output", "hide-cell", "scroll-output", "scroll-input",
    "output_scroll", "full-width", "margin", "raises-exception", "skip-execution",
    "thebe-init",
})

INSTALLERS = r"(?:pip3?|conda|mamba|micromamba|apt|apt-get|uv(?:\s+pip)?|poetry|npm|yum|dnf)"
INSTALL = re.compile(
    rf"(?:\b{INSTALLERS}|\bpython3?\s+-m\s+pip)(?:\s+-{{1,2}}[\w-]+)*\s+(?:install|add)\b")
INSTALL_MAGIC = re.compile(r"^\s*%{1,2}(?:pip|conda|mamba|micromamba|uv)\b")
SHELL_CELL = re.compile(r"^\s*%%(?:bash|sh|script|system|shell)\b")
RUNS_PROGRAM = re.compile(r"\b(?:subprocess|os\.system|os\.popen|check_call|check_output)\b")
HOME_CALL = re.compile(
    r"Path\.home\(|expanduser\(|environ\[\s*['\"]HOME['\"]|getenv\(\s*['\"]HOME['\"]")
ABSOLUTE = re.compile(r"^/[\w.~-]")
HOME_PATH = re.compile(r"^~[\w.-]*(?:/|$)")
PARENT = re.compile(r"(?:^|/)\.\.(?:/|$)")
QUOTED = re.compile(r"""(?P<q>['"])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""")


def _shell_lines(source: str) -> tuple[list[tuple[int, str]], str]:
    """Split a cell into its shell lines and the Python left (shell lines blanked)."""
    lines = source.splitlines()
    if lines and SHELL_CELL.match(lines[0]):
        return list(enumerate(lines[1:], start=2)), ""
    shell, python = [], []
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if stripped.startswith(("!", "%")):
            shell.append((number, stripped))
            python.append("")
        else:
            python.append(line)
    return shell, "\n".join(python)


def _literal_text(token: str) -> str:
    """The value of a string token; an f-string's text as written, fields included."""
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError):
        text = token.lstrip("rRbBuUfF")
        quote = text[:3] if text[:3] in ('"""', "'''") else text[:1]
        value = text[len(quote):-len(quote)]
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _string_literals(python: str) -> list[tuple[int, str]]:
    """Return ``(line, value)`` for every string literal in Python source."""
    middle = getattr(tokenize, "FSTRING_MIDDLE", None)  # Python 3.12 splits f-strings
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(python).readline):
            if token.type == tokenize.STRING:
                found.append((token.start[0], _literal_text(token.string)))
            elif middle is not None and token.type == middle:
                found.append((token.start[0], token.string))
    except (tokenize.TokenError, SyntaxError):
        for number, line in enumerate(python.splitlines(), start=1):
            found += [(number, match.group("text")) for match in QUOTED.finditer(line)]
    return found


def installs(source: str) -> list[tuple[int, str]]:
    """Problems for a cell that installs packages (shell, magic or a program it runs)."""
    problems = []
    shell, python = _shell_lines(source)
    for number, line in shell:
        if INSTALL_MAGIC.match(line) or INSTALL.search(line):
            problems.append((number, f"cell installs packages: {line.strip()[:70]}"))
    for number, line in enumerate(python.splitlines(), start=1):
        calls_program = RUNS_PROGRAM.search(line) or "pip.main" in line
        words = re.sub(r"['\",\[\]()]", " ", line)
        if calls_program and (INSTALL.search(words) or "pip.main" in line):
            problems.append((number, f"cell installs packages: {line.strip()[:70]}"))
    return problems


def path_problem(value: str, page_dir: Path, root: Path) -> str | None:
    """Return why ``value``, read as a path from a page in ``page_dir``, leaves ``root``."""
    if HOME_PATH.match(value):
        return f"path in the home folder: {value!r}"
    if ABSOLUTE.match(value):
        return f"absolute path outside the repository: {value!r}"
    if PARENT.search(value):
        resolved = (page_dir / value).resolve()
        if not resolved.is_relative_to(root.resolve()):
            return f"path that leaves the repository: {value!r}"
    return None


def outside_files(source: str, page_dir: Path, root: Path) -> list[tuple[int, str]]:
    """Problems for a cell that names a file outside ``root`` or reads the home folder."""
    problems = []
    shell, python = _shell_lines(source)
    for number, line in shell:
        for word in re.split(r"[\s'\"=]+", line)[1:]:
            why = path_problem(word, page_dir, root)
            if why:
                problems.append((number, f"cell uses a {why}"))
    for number, value in _string_literals(python):
        why = path_problem(value, page_dir, root)
        if why:
            problems.append((number, f"cell uses a {why}"))
    for number, line in enumerate(python.splitlines(), start=1):
        code = line.split("#", 1)[0]
        if HOME_CALL.search(code):
            problems.append((number, f"cell reads the home folder: {code.strip()[:70]}"))
    return problems


def unknown_tags(tags: list) -> list[str]:
    """Return the tags of a cell that the book does not know, as messages."""
    return [f"unknown cell tag {tag!r} (known: {', '.join(sorted(KNOWN_TAGS))})"
            for tag in tags if tag not in KNOWN_TAGS]
