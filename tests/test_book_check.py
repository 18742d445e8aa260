"""The MyST linter (``make check``) on planted bad pages, and on the book itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from awml.book.check import check_book, main
from awml.paths import project_root

FRONT = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def cell(source: str, options: str = "") -> str:
    return f"```{{code-cell}} ipython3\n{options}{source}\n```\n"


def make_book(root: Path, pages: dict[str, str], toc_extra: tuple[str, ...] = ()) -> Path:
    """A book with ``book/intro.md`` and ``pages`` ({docname: text}), all listed in the toc."""
    (root / "book").mkdir(parents=True)
    (root / "book" / "intro.md").write_text("# Intro\n")
    listed = [name for name in pages if not name.startswith("unlisted")] + list(toc_extra)
    chapters = "".join(f"- file: book/{name}\n" for name in listed)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: book/intro\nchapters:\n{chapters}")
    for name, text in pages.items():
        file = root / "book" / f"{name}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    return root


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in check_book(root)]


def test_a_clean_notebook_page_passes(tmp_path):
    page = FRONT + "# Clean\n\n" + cell("import awml\nprint('ok')", ":tags: [gpu, hide-input]\n")
    page += cell("x = 1", "---\ntags: [remove-output]\nmystnb:\n  number_source_lines: true\n---\n")
    page += "![a figure](figures/plot.png)\n"

    assert messages(make_book(tmp_path, {"clean": page})) == []


def test_toc_and_pages_must_match_both_ways(tmp_path):
    root = make_book(tmp_path, {"unlisted": "# Forgotten\n"}, toc_extra=("gone",))

    found = messages(root)

    assert "book/unlisted.md:1: page is not listed in _toc.yml" in found
    assert "_toc.yml:1: book/gone is listed but no page file exists" in found


@pytest.mark.parametrize("front, expected", [
    ("", "page has code cells but no front matter"),
    (FRONT.replace("name: python3", "name: ir"), "kernelspec: name is 'ir', expected 'python3'"),
    (FRONT.replace("format_name: myst", "format_name: markdown"),
     "jupytext: format_name is 'markdown', expected 'myst'"),
])
def test_front_matter_and_kernel_of_a_notebook_page(tmp_path, front, expected):
    root = make_book(tmp_path, {"page": front + "# Page\n" + cell("x = 1")})

    assert any(expected in message for message in messages(root)), messages(root)


def test_unknown_tags_are_named_with_their_line(tmp_path):
    page = FRONT + "# Page\n\n" + cell("x = 1", ":tags: [gpu, hidde-input]\n")

    found = messages(make_book(tmp_path, {"page": page}))

    assert len(found) == 1
    assert found[0].startswith("book/page.md:13: unknown cell tag 'hidde-input'")


@pytest.mark.parametrize("source", [
    "!pip install torch",
    "%pip install -q timm",
    "!python -m pip install --upgrade numpy",
    "%conda install pandas",
    "!apt-get install -y graphviz",
    "%%bash\nuv pip install rich",
    "import subprocess\nsubprocess.run(['pip', 'install', 'x'])",
    "import os\nos.system('pip3 install x')",
])
def test_cells_that_install_packages_are_refused(tmp_path, source):
    root = make_book(tmp_path, {"page": FRONT + "# Page\n" + cell(source)})

    assert any("cell installs packages" in message for message in messages(root)), source


@pytest.mark.parametrize("source, expected", [
    ("open('/etc/hosts').read()", "absolute path outside the repository: '/etc/hosts'"),
    ("from pathlib import Path\nPath('~/.aws/credentials')", "path in the home folder"),
    ("data = '../../../outside.csv'", "path that leaves the repository: '../../../outside.csv'"),
    ("name = 'x'\nf'/home/{name}/data.npz'", "absolute path outside the repository"),
    ("!cat /root/notes.txt", "absolute path outside the repository: '/root/notes.txt'"),
    ("from pathlib import Path\nfolder = Path.home() / 'data'", "cell reads the home folder"),
])
def test_cells_that_reach_outside_the_repository_are_refused(tmp_path, source, expected):
    root = make_book(tmp_path, {"sub/page": FRONT + "# Page\n" + cell(source)})

    assert any(expected in message for message in messages(root)), messages(root)


def test_paths_inside_the_repository_and_comments_are_fine(tmp_path):
    source = ("# see /etc/hosts for the idea\nrate = '10 it/s'\nroot = '../..'\n"
              "table = '../../course.yml'")
    root = make_book(tmp_path, {"sub/page": FRONT + "# Page\n" + cell(source)})

    assert messages(root) == []


def test_markdown_links_and_figures_outside_the_repository_are_refused(tmp_path):
    page = "# Page\n\n![x](../../../elsewhere.png)\n\n```{figure} /srv/figure.png\nCaption\n```\n"

    found = messages(make_book(tmp_path, {"page": page}))

    assert ("book/page.md:3: page links a path that leaves the repository: "
            "'../../../elsewhere.png'") in found
    assert any("absolute path outside the repository: '/srv/figure.png'" in m for m in found)


def test_command_line_exit_status(tmp_path, capsys):
    root = make_book(tmp_path, {"page": FRONT + "# Page\n" + cell("!pip install x")})

    assert main([str(root)]) == 1
    assert "cell installs packages: !pip install x" in capsys.readouterr().out


def test_the_book_itself_passes():
    root = project_root(Path(__file__).parent)

    assert messages(root) == []
