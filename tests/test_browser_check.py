"""The browser check finds each planted fault on a small hand-written site, and no other.

It runs ``python -m awml.book.browser`` in a subprocess (its server listens on 127.0.0.1,
which this test process may not) with Debian's Chromium, which set-up installs.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awml.book.browser import CHROMIUM, pick_screenshots
from awml.book.links import site_pages

PNG = base64.b64decode(  # one white pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmM"
    "IQAAAABJRU5ErkJggg=="
)
LAUNCH = (
    '<div class="dropdown dropdown-launch-buttons"><button class="dropdown-toggle" '
    'data-bs-toggle="dropdown">Launch</button><ul class="dropdown-menu">{items}</ul></div>'
)
DROPDOWN_SCRIPT = (
    "<script>document.querySelector('.dropdown-toggle').onclick = () => "
    "document.querySelector('.dropdown-menu').style.display = 'block';</script>"
    "<style>.dropdown-menu { display: none }</style>"
)

# page -> (body, a phrase its problems must contain, or None for a clean page)
PAGES = {
    "book/clean.html": (
        '<h1>Clean page</h1><img src="../ok.png"><a href="other.html#there">there</a>'
        + LAUNCH.format(items='<li><a class="dropdown-item" '
                        'href="https://example.org/launch/book/clean.ipynb">Colab</a></li>')
        + DROPDOWN_SCRIPT
        + '<details class="awml-environment"><summary>Environment</summary></details>',
        None,
    ),
    "book/other.html": ('<h1 id="there">Other page</h1>', None),
    "book/console.html": ("<script>console.error('planted')</script>", "console error: planted"),
    "book/missing.html": ('<script src="../_static/nothing.js"></script>', "request failed (404)"),
    "book/external.html": ('<script src="https://cdn.example.org/x.js"></script>',
                           "request outside the site blocked"),
    "book/math.html": (r'<span class="math">\(x^2\)</span>', "MathJax did not start"),
    "book/tex.html": ("<p>A formula $$x^2$$ in the text.</p>", "TeX left in the text"),
    "book/widget.html": (
        '<script type="application/vnd.jupyter.widget-view+json">'
        '{"version_major": 2, "version_minor": 0, "model_id": "abc"}</script>',
        "widget not drawn (model abc)",
    ),
    "book/gpu.html": ('<div class="cell tag_gpu"><pre>train()</pre></div>',
                      "gpu-tagged cell 1 shows no GPU badge"),
    "book/launch.html": (LAUNCH.format(items=""), "launch dropdown has no links"),
    "book/elsewhere.html": (
        LAUNCH.format(items='<li><a href="https://example.org/other.ipynb">Colab</a></li>'),
        "no launch link opens this page",
    ),
    "book/notebook.html": ('<details class="awml-environment"><summary>E</summary></details>',
                           "notebook page has no launch dropdown"),
    "book/link.html": ('<a href="nowhere.html">x</a>', "broken link: book/nowhere.html"),
    "book/anchor.html": ('<a href="other.html#gone">x</a>', "broken anchor: book/other.html#gone"),
    "book/image.html": ('<img src="missing.png">', "image does not load: missing.png"),
}


def write_site(root: Path) -> Path:
    site = root / "html"
    for path, (body, _) in PAGES.items():
        file = site / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"<!DOCTYPE html><html><head><title>t</title></head>"
                        f"<body><article>{body}</article></body></html>")
    (site / "ok.png").write_bytes(PNG)
    (site / "_static").mkdir()
    (site / "_static" / "skipped.html").write_text("<p>not a page</p>")
    (site / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=book/clean.html" />')
    return site


def test_site_pages_skips_static_folders_and_lists_redirects(tmp_path):
    site = write_site(tmp_path)

    pages, redirects = site_pages(site)

    assert "_static/skipped.html" not in pages
    assert set(pages) == set(PAGES)
    assert redirects == {"index.html": "book/clean.html"}


def test_screenshots_prefer_a_real_chapter_page_over_a_module_index():
    pages = ["book/intro.html", "book/labs/01_x.html", "book/m01_dnn/index.html",
             "book/m01_dnn/01_perceptron.html"]

    chosen = pick_screenshots(pages, "book/intro.html")

    assert chosen == {"intro": "book/intro.html", "chapter": "book/m01_dnn/01_perceptron.html",
                      "lab": "book/labs/01_x.html"}


@pytest.mark.slow
def test_browser_check_reports_every_planted_fault_and_nothing_on_clean_pages(tmp_path):
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: the set-up (make) installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing; make installs it")
    site = write_site(tmp_path)
    report = tmp_path / "report.json"

    finished = subprocess.run(
        [sys.executable, "-m", "awml.book.browser", str(site), "--timeout", "3",
         "--screenshots", str(tmp_path / "shots"), "--report", str(report)],
        capture_output=True, text=True, timeout=240,
    )

    assert finished.returncode == 1, finished.stdout + finished.stderr
    problems = json.loads(report.read_text())["problems"]
    for path, (_, expected) in PAGES.items():
        mine = [problem for problem in problems if problem.startswith(path + ":")]
        if expected is None:
            assert mine == [], mine
        else:
            assert any(expected in problem for problem in mine), (path, mine)
    assert json.loads(report.read_text())["pages"] == len(PAGES) + 1  # and the redirect
