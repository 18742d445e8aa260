"""Fingerprints of the ``awml`` code that a page or a computation depends on.

Dependencies are found statically: the ``awml`` modules named by ``import`` statements,
followed through ``awml``'s own imports (at any depth, lazy imports inside functions
included), plus the ``__init__`` of every package on the way, since Python runs those on
import. The fingerprint hashes the source of that closure, so an edit to a module changes
the fingerprint of exactly the pages and runs that can reach it.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = "awml"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def module_path(name: str) -> Path | None:
    """Return the source file of the ``awml`` module ``name``, or None if there is none."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _is_package(name: str) -> bool:
    path = module_path(name)
    return path is not None and path.name == "__init__.py"


def imported_modules(source: str, current: str | None = None) -> set[str]:
    """Return the ``awml`` modules that ``source`` imports.

    ``current`` is the dotted name of the module the source belongs to; it resolves
    relative imports. ``from awml.x import y`` counts ``awml.x.y`` when ``y`` is a module.
    Source that does not parse (IPython magics, for instance) is read line by line.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        kept = [line for line in source.splitlines()
                if line.lstrip().startswith(("import", "from"))]
        try:
            tree = ast.parse("\n".join(line.strip() for line in kept))
        except SyntaxError:
            return set()

    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, current)
            if base is None:
                continue
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if module_path(name) is not None}


def _resolve_from(node: ast.ImportFrom, current: str | None) -> str | None:
    if node.level == 0:
        return node.module
    if current is None:
        return None
    package = current if _is_package(current) else current.rpartition(".")[0]
    parts = package.split(".")
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _with_parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


@lru_cache(maxsize=None)
def _direct_dependencies(name: str, path: Path, mtime_ns: int) -> frozenset[str]:
    return frozenset(imported_modules(path.read_text(encoding="utf-8"), current=name))


def module_closure(roots: set[str] | list[str]) -> set[str]:
    """Return every ``awml`` module reachable from ``roots``, parent packages included."""
    pending = set()
    for root in roots:
        if module_path(root) is not None:
            pending |= _with_parents(root)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_path(name)
        if path is None:
            continue
        for dependency in _direct_dependencies(name, path, path.stat().st_mtime_ns):
            pending |= _with_parents(dependency) - seen
    return {name for name in seen if module_path(name) is not None}


def code_fingerprint(roots: set[str] | list[str]) -> str:
    """Return a sha256 hex digest of the sources of ``module_closure(roots)``."""
    digest = hashlib.sha256()
    for name in sorted(module_closure(roots)):
        path = module_path(name)
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
