"""Launch menu of notebook pages: open the page as a real ``.ipynb`` somewhere to run it.

sphinx-book-theme's own launch buttons have no SageMaker entry and point Colab at the
``.md`` source. Here every notebook page gets:

- ``_sources/<page>.ipynb`` in the built site (the theme's ".ipynb" download links to it),
  made from the MyST source with a set-up cell (see ``awml.book.notebooks``);
- a launch menu: SageMaker Studio Lab (its GitHub import address), Colab, Binder and
  JupyterHub when ``course.yml`` gives their addresses, all opening that ``.ipynb`` from
  the branch the site is published to (``launch.notebooks_branch``), and the course's
  SageMaker Studio: the domain's console page and the ``awml studio open PAGE`` command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from sphinx.application import Sphinx
from sphinx.util import logging

from awml.book.pages import is_notebook_page

logger = logging.getLogger(__name__)

LABEL = "launch-buttons"
STATIC = Path(__file__).parent / "static"
_SAFE_PAGE = re.compile(r"^[A-Za-z0-9_./-]+$")


@dataclass(frozen=True)
class LaunchSettings:
    """Where launched notebooks come from and which services the menu offers."""

    repository: str
    branch: str
    notebooks_branch: str
    studio_lab_url: str
    colab_url: str
    binderhub_url: str
    jupyterhub_url: str
    studio_console_url: str
    packages: tuple[str, ...] = ()

    @property
    def github(self) -> tuple[str, str] | None:
        """(owner, name) of a GitHub repository, or None for another host."""
        match = re.match(r"^https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", self.repository)
        return (match.group(1), match.group(2)) if match else None

    @classmethod
    def from_course(cls, course, root: Path | None = None) -> "LaunchSettings":
        """Read the settings from the course configuration (``aws`` and ``launch``)."""
        from awml.aws.training import pinned_packages

        launch = course.get("launch")
        requirements = (root / "requirements.txt") if root else Path("requirements.txt")
        return cls(
            repository=course.get("aws.repository"), branch=launch["branch"],
            notebooks_branch=launch["notebooks_branch"],
            studio_lab_url=course.get("aws.studio_lab_url").rstrip("/"),
            colab_url=(launch.get("colab_url") or "").rstrip("/"),
            binderhub_url=(launch.get("binderhub_url") or "").rstrip("/"),
            jupyterhub_url=(launch.get("jupyterhub_url") or "").rstrip("/"),
            studio_console_url=course.get("aws.studio_console_url"),
            packages=pinned_packages(list(launch.get("packages", [])), requirements))


def notebook_path(pagename: str) -> str:
    """Return where a page's ``.ipynb`` lies in the built site (and on the site's branch)."""
    return f"_sources/{pagename}.ipynb"


def studio_command(pagename: str) -> str:
    """Return the command that opens the page in the reader's course Studio space."""
    return f"awml studio open {pagename}"


def _link(text: str, url: str, icon: str, tooltip: str) -> dict:
    return {"type": "link", "text": text, "url": url, "icon": icon, "tooltip": tooltip}


def launch_buttons(pagename: str, settings: LaunchSettings) -> list[dict]:
    """Return the menu entries of a page, in sphinx-book-theme's button format."""
    if not _SAFE_PAGE.match(pagename):
        raise ValueError(f"page name {pagename!r} has characters a launch address cannot hold")
    path = notebook_path(pagename)
    buttons = []
    github = settings.github
    if github:
        owner, name = github
        blob = f"github/{owner}/{name}/blob/{settings.notebooks_branch}/{path}"
        buttons.append(_link("Studio Lab", f"{settings.studio_lab_url}/import/{blob}",
                             "fas fa-flask", "Open in SageMaker Studio Lab"))
        if settings.colab_url:
            buttons.append(_link("Colab", f"{settings.colab_url}/{blob}",
                                 "_static/images/logo_colab.png", "Open in Colab"))
    else:
        logger.warning(f"launch: {settings.repository} is not a GitHub repository; "
                       "Studio Lab and Colab entries left out", type="awml", subtype="launch")
    puller = {"repo": settings.repository, "branch": settings.notebooks_branch,
              "urlpath": f"lab/tree/{settings.repository.rstrip('/').rsplit('/', 1)[-1]}/{path}"}
    if settings.binderhub_url and github:
        # Limitation: Binder pulls the notebook with nbgitpuller, which the environment
        # built from the course repository must install.
        owner, name = github
        binder = (f"{settings.binderhub_url}/v2/gh/{owner}/{name}/{settings.branch}?urlpath="
                  + quote("git-pull?" + urlencode(puller, safe="/"), safe=""))
        buttons.append(_link("Binder", binder, "_static/images/logo_binder.svg",
                             "Open on Binder"))
    if settings.jupyterhub_url:
        hub = (f"{settings.jupyterhub_url}/hub/user-redirect/git-pull?"
               + urlencode(puller, safe="/"))
        buttons.append(_link("JupyterHub", hub, "_static/images/logo_jupyterhub.svg",
                             "Open on the course JupyterHub"))
    command = studio_command(pagename)
    buttons.append(_link("Course SageMaker Studio", settings.studio_console_url,
                         "fab fa-aws", "Open the course's SageMaker Studio domain"))
    buttons.append({"type": "javascript", "text": command, "icon": "fas fa-terminal",
                    "javascript": f"awmlCopyCommand(this, '{command}')",
                    "tooltip": "Copy the command that opens this page in your Studio space"})
    return buttons


def _is_notebook(app: Sphinx, pagename: str) -> Path | None:
    if pagename not in app.env.all_docs:
        return None
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md" or not is_notebook_page(source.read_text()):
        return None
    return source


def write_page_notebook(app: Sphinx, pagename: str, templatename: str, context: dict,
                        doctree) -> None:
    """Write ``_sources/<page>.ipynb`` and point the theme's download menu at it."""
    source = _is_notebook(app, pagename)
    if source is None:
        return
    from awml.book.notebooks import setup_cell_source, write_notebook

    settings: LaunchSettings = app.awml_launch
    setup = setup_cell_source(settings.repository, settings.branch, settings.packages)
    write_notebook(source, Path(app.outdir) / notebook_path(pagename), setup)
    context["ipynb_source"] = f"{pagename}.ipynb"


def add_launch_menu(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree) -> None:
    """Put the launch menu first among the page's header buttons."""
    if _is_notebook(app, pagename) is None or "header_buttons" not in context:
        return
    buttons = [button for button in context["header_buttons"]
               if button.get("label") != LABEL]
    buttons.insert(0, {"type": "group", "tooltip": "Open this page as a notebook",
                       "icon": "fas fa-rocket", "label": LABEL,
                       "buttons": launch_buttons(pagename, app.awml_launch)})
    context["header_buttons"] = buttons


def read_settings(app: Sphinx) -> None:
    """Read the launch settings from ``course.yml`` once per build; serve the menu's script."""
    from awml.course import course_config

    app.awml_launch = LaunchSettings.from_course(course_config(), Path(app.confdir))
    if str(STATIC) not in map(str, app.config.html_static_path):
        app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    """Connect the launch menu to Sphinx (the book extension sets this extension up)."""
    app.connect("builder-inited", read_settings)
    app.connect("html-page-context", write_page_notebook, priority=400)
    app.connect("html-page-context", add_launch_menu, priority=600)
    app.add_js_file("awml-launch.js")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
