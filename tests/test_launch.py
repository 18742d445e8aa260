"""Launch menus of notebook pages and the notebooks they open."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse

import nbformat
import pytest

from awml.book import launch
from awml.book.notebooks import SETUP_TAG, notebook_from_page, setup_cell_source, write_missing
from awml.course import course_config

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A small page

Words.

```{code-cell} ipython3
total = 1 + 1
total
```

More words.
"""


def _settings(**changes) -> launch.LaunchSettings:
    values = dict(
        repository="https://github.com/awml-book/awml-book", branch="main",
        notebooks_branch="gh-pages", studio_lab_url="https://studiolab.sagemaker.aws",
        colab_url="https://colab.research.google.com", binderhub_url="", jupyterhub_url="",
        studio_console_url="https://console.example/studio", packages=("timm==1.0.31",))
    values.update(changes)
    return launch.LaunchSettings(**values)


def _urls(buttons) -> dict[str, str]:
    return {button["text"]: button.get("url", button.get("javascript")) for button in buttons}


def test_menu_opens_the_page_notebook_on_studio_lab_and_colab():
    urls = _urls(launch.launch_buttons("book/m01_dnn/index", _settings()))
    notebook = "awml-book/awml-book/blob/gh-pages/_sources/book/m01_dnn/index.ipynb"
    assert urls["Studio Lab"] == f"https://studiolab.sagemaker.aws/import/github/{notebook}"
    assert urls["Colab"] == f"https://colab.research.google.com/github/{notebook}"
    assert urls["Course SageMaker Studio"] == "https://console.example/studio"
    assert "awmlCopyCommand(this, 'awml studio open book/m01_dnn/index')" in urls[
        "awml studio open book/m01_dnn/index"]
    assert "Binder" not in urls and "JupyterHub" not in urls


def test_binder_and_jupyterhub_appear_when_configured():
    urls = _urls(launch.launch_buttons("book/labs/01_denoising", _settings(
        binderhub_url="https://mybinder.org", jupyterhub_url="https://hub.example.edu")))
    hub = urlparse(urls["JupyterHub"])
    assert hub.path == "/hub/user-redirect/git-pull"
    assert parse_qs(hub.query) == {
        "repo": ["https://github.com/awml-book/awml-book"], "branch": ["gh-pages"],
        "urlpath": ["lab/tree/awml-book/_sources/book/labs/01_denoising.ipynb"]}
    binder = urlparse(urls["Binder"])
    assert binder.path == "/v2/gh/awml-book/awml-book/main"
    pulled = urlparse(unquote(parse_qs(binder.query)["urlpath"][0]))
    assert pulled.path == "git-pull" and parse_qs(pulled.query)["branch"] == ["gh-pages"]


def test_a_repository_off_github_gets_no_studio_lab_or_colab_entry():
    urls = _urls(launch.launch_buttons("book/intro", _settings(
        repository="https://gitlab.example.edu/course/awml")))
    assert "Colab" not in urls and "Studio Lab" not in urls
    assert "Course SageMaker Studio" in urls


def test_a_page_name_that_cannot_go_into_an_address_is_refused():
    with pytest.raises(ValueError, match="page name"):
        launch.launch_buttons("book/it's", _settings())


def test_settings_come_from_the_course_file(root):
    settings = launch.LaunchSettings.from_course(course_config(), root)
    assert settings.github == ("awml-book", "awml-book")
    assert settings.studio_console_url == course_config().get("aws.studio_console_url")
    assert "timm==1.0.31" in settings.packages


def test_page_notebook_has_the_cells_and_a_setup_cell_after_the_title(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    setup = setup_cell_source("https://github.com/awml-book/awml-book", "main", ("timm==1",))
    notebook = notebook_from_page(page, setup)
    nbformat.validate(notebook)
    kinds = [(cell.cell_type, cell.metadata.get("tags", [])) for cell in notebook.cells]
    assert kinds == [("markdown", []), ("code", [SETUP_TAG]), ("code", []), ("markdown", [])]
    assert notebook.cells[2].source == "total = 1 + 1\ntotal"
    assert "jupytext" not in notebook.metadata
    assert notebook.metadata.kernelspec.name == "python3"
    compile(notebook.cells[1].source, "setup", "exec")
    namespace: dict = {}
    exec(notebook.cells[1].source, namespace)  # awml imports here: the cell does nothing
    assert "course" not in namespace


def test_write_missing_keeps_existing_notebooks_and_skips_plain_pages(tmp_path):
    (tmp_path / "a.md").write_text(PAGE)
    (tmp_path / "b.md").write_text(PAGE)
    (tmp_path / "b.ipynb").write_text("a student's own notebook")
    (tmp_path / "plain.md").write_text("# Not a notebook\n")
    assert write_missing(tmp_path) == [tmp_path / "a.ipynb"]
    assert (tmp_path / "b.ipynb").read_text() == "a student's own notebook"
    nbformat.validate(nbformat.read(tmp_path / "a.ipynb", as_version=4))


def test_sphinx_build_writes_the_notebook_and_the_menu(tmp_path, root):
    from sphinx.application import Sphinx

    source = tmp_path / "src"
    (source / "book").mkdir(parents=True)
    (source / "book" / "page.md").write_text(PAGE)
    (source / "index.md").write_text("# Index\n\n```{toctree}\nbook/page\n```\n")
    (source / "conf.py").write_text(
        "extensions = ['myst_nb', 'awml.book.launch']\n"
        "html_theme = 'sphinx_book_theme'\n"
        "nb_execution_mode = 'off'\n"
        "html_theme_options = {'repository_url': 'https://github.com/awml-book/awml-book'}\n")
    out = tmp_path / "html"
    app = Sphinx(str(source), str(source), str(out), str(tmp_path / "doctrees"), "html",
                 status=None, warningiserror=True, freshenv=True)
    app.build()
    notebook = nbformat.read(out / "_sources" / "book" / "page.ipynb", as_version=4)
    assert [cell.metadata.get("tags", []) for cell in notebook.cells][1] == [SETUP_TAG]
    html = (out / "book" / "page.html").read_text()
    assert "dropdown-launch-buttons" in html
    assert ("https://colab.research.google.com/github/awml-book/awml-book/blob/gh-pages/"
            "_sources/book/page.ipynb") in html
    assert "awml studio open book/page" in html
    assert 'href="../_sources/book/page.ipynb"' in html  # the theme's download menu
    assert "dropdown-launch-buttons" not in (out / "index.html").read_text()
    assert "awml-launch.js" in html and (out / "_static" / "awml-launch.js").is_file()
