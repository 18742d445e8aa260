"""The cached build: what re-executes, what stays untouched, what fails loudly.

A three-page test book is built with a private copy of the ``awml`` sources, so that the
test can edit modules without touching the repository. Every page's first cell appends its
name to a log, which tells exactly which pages a build executed.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import awml

pytestmark = pytest.mark.slow
REPOSITORY = Path(__file__).resolve().parents[1]

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

PAGES = {
    "mnist_page": "from awml.data import mnist\nprint(len(mnist.load_offline()))",
    "progress_page": "from awml.progress import progress\nprint(sum(progress(range(3))))",
    "plain_page": ("import matplotlib.pyplot as plt\nimport ultralytics\n"
                   "plt.plot([1, 2, 3])\nprint(ultralytics.__version__)"),
}


def page(name: str, code: str) -> str:
    log = "import os\nopen(os.environ['TEST_EXEC_LOG'], 'a').write('{}\\n')".format(name)
    return (FRONT + f"\n# {name}\n\n```{{code-cell}} ipython3\n{log}\n```\n\n"
            f"```{{code-cell}} ipython3\n{code}\n```\n")


def make_book(folder: Path, pages: dict[str, str]) -> None:
    (folder / "book").mkdir(parents=True)
    shutil.copyfile(REPOSITORY / "course.yml", folder / "course.yml")
    (folder / "_config.yml").write_text(
        "title: Test book\nonly_build_toc_files: true\n"
        "execute:\n  execute_notebooks: cache\n"
        "sphinx:\n  extra_extensions: [awml.book]\n"
        "  config:\n    nb_execution_raise_on_error: true\n    nb_execution_show_tb: true\n")
    chapters = "".join(f"- file: book/{name}\n" for name in pages)
    (folder / "_toc.yml").write_text(f"format: jb-book\nroot: book/index\nchapters:\n{chapters}")
    (folder / "book" / "index.md").write_text("# Test book\n\nA page without code.\n")
    for name, code in pages.items():
        path = folder / "book" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(name, code))


class Book:
    def __init__(self, folder: Path):
        self.root = folder / "book-root"
        self.package_parent = folder / "package"
        self.home = folder / "home"
        self.log = folder / "executed.log"
        self.home.mkdir()
        shutil.copytree(Path(awml.__file__).parent, self.package_parent / "awml",
                        ignore=shutil.ignore_patterns("__pycache__"))

    def build(self, **variables: str) -> subprocess.CompletedProcess:
        self.log.write_text("")
        env = dict(os.environ, **variables, HOME=str(self.home), TEST_EXEC_LOG=str(self.log),
                   PYTHONPATH=str(self.package_parent), AWML_OFFLINE="1",
                   AWML_SITE_ASSETS=str(REPOSITORY / ".cache" / "site-assets"))
        env.pop("AWML_ROOT", None)
        return subprocess.run([sys.executable, "-m", "awml.book.build", str(self.root)],
                              env=env, capture_output=True, text=True, cwd=self.root)

    def executed(self, **variables: str) -> set[str]:
        result = self.build(**variables)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return set(self.log.read_text().split())

    def edit_module(self, relative: str) -> None:
        path = self.package_parent / "awml" / relative
        path.write_text(path.read_text() + "\n# edited by the test\n")


@pytest.fixture
def book(tmp_path):
    test_book = Book(tmp_path)
    make_book(test_book.root, PAGES)
    return test_book


def test_cache_reexecutes_exactly_what_changed(book):
    assert book.executed() == set(PAGES), "a cold build executes every page"
    assert book.executed() == set(), "an unchanged rebuild executes nothing"

    source = book.root / "book" / "progress_page.md"
    source.write_text(source.read_text().replace("range(3)", "range(4)"))
    assert book.executed() == {"progress_page"}, "a page edit re-executes that page only"

    book.edit_module("data/download.py")  # imported by awml.data.mnist
    assert book.executed() == {"mnist_page"}

    book.edit_module("progress.py")
    assert book.executed() == {"progress_page"}

    text = book.root / "book" / "index.md"
    text.write_text(text.read_text() + "\nMore prose.\n")
    assert book.executed() == set(), "a page without code executes nothing"

    assert list(book.home.iterdir()) == [], "the build wrote into the home folder"
    header = (book.root / "_build" / "html" / "book" / "mnist_page.html").read_text()
    assert f"awml {awml.__version__}" in header, "the header shows the awml version"


def test_a_failing_cell_fails_the_build_and_names_page_and_cell(tmp_path):
    failing = Book(tmp_path)
    make_book(failing.root, {"broken_page": "values = [1, 2]\nvalues[5]"})
    result = failing.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken_page.md" in output
    assert "values[5]" in output and "IndexError" in output


SLEEPY_PAGES = {f"page_{n}": "import time\ntime.sleep(2)" for n in range(6)}


def test_a_parallel_build_runs_labs_first_side_by_side_and_caches_them(tmp_path):
    parallel = Book(tmp_path)
    pages = {name: "import time\ntime.sleep(2)"
             for name in ("labs/lab_a", "labs/lab_b", "labs/lab_c", "page_0", "page_1",
                          "page_2", "page_3")}
    make_book(parallel.root, pages)
    stamps = tmp_path / "stamps.log"
    for name in pages:  # each page records when it started and ended
        source = parallel.root / "book" / f"{name}.md"
        source.write_text(source.read_text().replace(
            "time.sleep(2)", f"start = time.time()\ntime.sleep(2)\n"
            f"open({str(stamps)!r}, 'a').write(f'{{start}} {{time.time()}} {name}\\n')"))
    assert parallel.executed(AWML_BUILD_JOBS="2") == set(pages)
    spans = sorted((float(start), float(end), name) for start, end, name in
                   (line.split() for line in stamps.read_text().splitlines()))
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])), \
        "no two pages executed at the same time"
    last_lab_start = max(start for start, _, name in spans if name.startswith("labs/"))
    first_page_end = min(end for _, end, name in spans if not name.startswith("labs/"))
    assert last_lab_start < first_page_end, \
        "the labs, expected to take longest, did not start before the other pages"
    assert parallel.executed(AWML_BUILD_JOBS="2") == set(), "the parallel build cached nothing"


def test_a_kernel_that_dies_before_the_first_cell_gets_one_more_try(tmp_path):
    flaky = Book(tmp_path)
    make_book(flaky.root, {"page_0": "print('ran')"})
    startup = flaky.root / ".cache" / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    marker = tmp_path / "kernel-died"
    (startup / "00-die-once.py").write_text(  # the first kernel dies while it starts
        f"import os, pathlib\nmarker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n    marker.write_text('')\n    os._exit(1)\n")
    result = flaky.build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert marker.exists(), "the first kernel did not die: the test tests nothing"
    assert "executing the page once more" in result.stdout + result.stderr
    assert flaky.log.read_text().split() == ["page_0"]


def test_a_failing_cell_in_a_parallel_build_names_page_and_cell(tmp_path):
    failing = Book(tmp_path)
    make_book(failing.root, {**SLEEPY_PAGES, "broken_page": "values = [1, 2]\nvalues[5]"})
    result = failing.build(AWML_BUILD_JOBS="2")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken_page.md" in output
    assert "values[5]" in output and "IndexError" in output


def test_a_network_attempt_fails_the_offline_build(tmp_path):
    online = Book(tmp_path)
    code = ("import urllib.request\ntry:\n    urllib.request.urlopen('http://example.com')\n"
            "except OSError as error:\n    print('swallowed', error)")
    make_book(online.root, {"online_page": code})
    result = online.build()
    assert result.returncode != 0
    assert "tried to reach the network" in result.stderr
    assert "example.com" in result.stderr


GPU_CELL = """from awml.runs import RunResult, run_or_load

def compute(config):
    return RunResult(metrics={"n": config["n"]})

run = run_or_load("toy", {"smoke": {"n": 1}, "cpu": {"n": 2}, "gpu": {"n": 3}}, compute,
                  modules=["awml.progress"], gpu_minutes=4)
print(run.metrics)"""


def gpu_page(code: str) -> str:
    return page("gpu_page", "print('before')").replace(
        "```{code-cell} ipython3\nprint('before')",
        "```{code-cell} ipython3\n:tags: [gpu]\n" + code)


def badge_of(book: Book) -> str:
    import re

    html = (book.root / "_build" / "html" / "book" / "gpu_page.html").read_text()
    cell = html[html.index('class="cell tag_gpu'):]
    match = re.match(r'class="cell tag_gpu[^"]*">\s*<div class="awml-gpu-badge">(.*?)</div></div>',
                     cell, re.S)
    assert match, "the gpu cell does not open with its badge:\n" + cell[:600]
    return match.group(1)


def test_gpu_cell_badge_follows_what_the_store_holds(tmp_path):
    book = Book(tmp_path)
    make_book(book.root, {})
    (book.root / "book" / "gpu_page.md").write_text(gpu_page(GPU_CELL))
    (book.root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n- file: book/gpu_page\n")
    store = {"AWML_ARTIFACTS_DIR": str(tmp_path / "artifacts")}

    assert book.executed(AWML_PROFILE="cpu", **store) == {"gpu_page"}
    badge = badge_of(book)
    assert "a CPU preview" in badge and "ml.g4dn.4xlarge" in badge and "about 4 min" in badge

    assert book.executed(AWML_PROFILE="gpu", **store) == {"gpu_page"}
    assert "a GPU run" in badge_of(book)

    assert book.executed(AWML_PROFILE="cpu", **store) == {"gpu_page"}, (
        "a new recorded GPU run re-executes the pages that use run-or-load")
    badge = badge_of(book)
    assert "a recorded GPU run" in badge and "{'n': 3}" in (
        book.root / "_build" / "html" / "book" / "gpu_page.html").read_text()


def test_gpu_cell_without_run_or_load_fails_the_build(tmp_path):
    book = Book(tmp_path)
    make_book(book.root, {})
    (book.root / "book" / "gpu_page.md").write_text(gpu_page("print('heavy work')"))
    (book.root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nchapters:\n- file: book/gpu_page\n")
    result = book.build()
    assert result.returncode != 0
    assert "gpu_page: cell" in result.stdout + result.stderr
    assert "tagged gpu but shows no run-or-load result" in result.stdout + result.stderr
