"""The scripts the site serves itself, so that a reader offline still sees math and widgets.

MathJax and the ipywidgets embed manager (with the require.js it loads through) come from
pinned npm packages. Set-up fetches their tarballs with npm's own client
(``python -m awml.book.assets fetch``, run by the Makefile's install step) into
``.cache/site-assets``. Every build checks each tarball's sha256, unpacks the files the site
needs under ``_build/site-assets`` and points Sphinx at them: ``mathjax_path`` and myst-nb's
``nb_ipywidgets_js`` name files under ``_static/awml-assets/`` instead of public CDNs.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

STATIC_FOLDER = "awml-assets"
BOOK_STATIC = Path(__file__).with_name("static")  # the extension's own CSS and scripts
TARBALL_FOLDER = Path(".cache") / "site-assets"
STAMP = ".sha256"


@dataclass(frozen=True)
class Asset:
    """One pinned npm package and the files of it that the site serves."""

    name: str  # folder under _static/awml-assets/
    package: str  # npm package name
    version: str  # exact version, fetched with `npm pack package@version`
    sha256: str  # of the tarball that npm pack writes
    files: tuple[str, ...]  # patterns of the files served, relative to the package folder
    strip: str = ""  # prefix removed from those paths on the site

    @property
    def tarball(self) -> str:
        """The file name npm pack gives the tarball (``@scope/name`` -> ``scope-name``)."""
        return f"{self.package.lstrip('@').replace('/', '-')}-{self.version}.tgz"


ASSETS = (
    Asset(
        "mathjax", "mathjax", "3.2.2",
        "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09",
        # The combined TeX/MathML/CHTML script, its web fonts, and what it loads on demand:
        # TeX extensions (autoload), MathML entities, the menu and accessibility parts.
        ("LICENSE", "es5/tex-mml-chtml.js", "es5/input/tex/extensions/*", "es5/input/mml/*",
         "es5/output/chtml/fonts/woff-v2/*", "es5/ui/*", "es5/a11y/*", "es5/sre/mathmaps/*"),
        strip="es5/",
    ),
    Asset(
        "requirejs", "requirejs", "2.3.8",
        "777158e89275e16bd51aec3ef714fbcb5dc45789e7078659933bc814916d7dec",
        ("require.js", "README.md"),
    ),
    Asset(
        "html-manager", "@jupyter-widgets/html-manager", "1.0.15",
        "2b9d65cb7913e1c7d671757a10008b32c9c2448d4429513371e55c07d6107638",
        # The AMD embed bundle and the icon fonts its style sheet loads beside it.
        ("dist/embed-amd.js", "dist/embed.js.LICENSE.txt", "dist/*.woff2", "dist/*.woff",
         "dist/*.ttf", "dist/*.eot", "dist/*.svg"),
        strip="dist/",
    ),
)

MATHJAX_PATH = f"{STATIC_FOLDER}/mathjax/tex-mml-chtml.js"
IPYWIDGETS_JS = {
    "awml-widgets.js": {},  # from the book's static folder: fonts path and MathJax 2 shim
    f"{STATIC_FOLDER}/requirejs/require.js": {},
    f"{STATIC_FOLDER}/html-manager/embed-amd.js": {},
}


class AssetError(RuntimeError):
    """A site asset is missing or is not the pinned file."""


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(asset: Asset, folder: Path) -> Path:
    """Return the path of ``asset``'s tarball in ``folder`` once its sha256 is the pinned one.

    Raises ``AssetError`` with one line when it is missing or differs.
    """
    tarball = folder / asset.tarball
    if not tarball.is_file():
        raise AssetError(
            f"{tarball} is missing; fetch the site's scripts with: "
            "python -m awml.book.assets fetch (make does it on install)"
        )
    found = sha256_of(tarball)
    if found != asset.sha256:
        raise AssetError(
            f"{tarball} has sha256 {found}, expected {asset.sha256} for "
            f"{asset.package}@{asset.version}; delete it and fetch again"
        )
    return tarball


def _npm_environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "npm_config_cache": str(cache),
        "npm_config_update_notifier": "false",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
    })
    return env


def fetch(folder: Path, assets: tuple[Asset, ...] = ASSETS) -> list[Path]:
    """Fetch each asset's tarball into ``folder`` with ``npm pack`` unless it is there.

    Returns the checked tarball paths. npm keeps its cache in ``folder/npm-cache``.
    """
    npm = shutil.which("npm")
    folder.mkdir(parents=True, exist_ok=True)
    tarballs = []
    for asset in assets:
        target = folder / asset.tarball
        if target.is_file() and sha256_of(target) == asset.sha256:
            tarballs.append(target)
            continue
        if npm is None:
            raise AssetError("npm is needed to fetch the site's scripts; install Node.js and npm")
        spec = f"{asset.package}@{asset.version}"
        logger.info("fetching %s with npm pack", spec)
        subprocess.run([npm, "pack", spec, "--pack-destination", str(folder), "--silent"],
                       check=True, env=_npm_environment(folder / "npm-cache"),
                       stdout=subprocess.DEVNULL)
        tarballs.append(verify(asset, folder))
    return tarballs


def _served_path(asset: Asset, member: str) -> str | None:
    if not member.startswith("package/"):
        return None
    inner = member[len("package/"):]
    if not any(fnmatch.fnmatchcase(inner, pattern) for pattern in asset.files):
        return None
    served = inner[len(asset.strip):] if asset.strip and inner.startswith(asset.strip) else inner
    if served.startswith("/") or ".." in served.split("/"):
        raise AssetError(f"{asset.tarball} holds an unsafe path {member!r}")
    return served


def stage(asset: Asset, tarball: Path, destination: Path) -> int:
    """Unpack the served files of a checked tarball into ``destination/asset.name``.

    Returns the number of files written (0 when the folder already holds this tarball's files).
    """
    target = destination / asset.name
    stamp = target / STAMP
    if stamp.is_file() and stamp.read_text().strip() == asset.sha256:
        return 0
    if target.exists():
        shutil.rmtree(target)
    written = 0
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            served = _served_path(asset, member.name)
            if served is None or not member.isfile():
                continue
            path = target / served
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, path.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            written += 1
    if written == 0:
        raise AssetError(f"{tarball} holds none of the files {asset.files}")
    stamp.write_text(asset.sha256 + "\n")
    return written


def tarball_folder(confdir: Path) -> Path:
    """Return where the tarballs are: ``AWML_SITE_ASSETS``, the book's or the repository's.

    A book outside the repository (a private test book) uses the repository's tarballs.
    """
    if os.environ.get("AWML_SITE_ASSETS"):
        return Path(os.environ["AWML_SITE_ASSETS"])
    from awml.runs.fingerprint import PACKAGE_DIR

    candidates = [confdir / TARBALL_FOLDER, PACKAGE_DIR.parents[1] / TARBALL_FOLDER]
    for folder in candidates:
        if all((folder / asset.tarball).is_file() for asset in ASSETS):
            return folder
    return candidates[0]


def prepare_site_assets(confdir: Path, build_dir: Path) -> Path:
    """Check every tarball and unpack the site's files; return the static folder to add."""
    folder = tarball_folder(confdir)
    static_root = build_dir / "site-assets"
    for asset in ASSETS:
        stage(asset, verify(asset, folder), static_root / STATIC_FOLDER)
    return static_root


def site_digest(static: Path = BOOK_STATIC) -> str:
    """Return a sha256 over the pinned tarballs and the files of the book's static folder.

    Sphinx copies static files only when it writes pages, and writes none when no page
    changed; a config value holding this digest makes it rewrite every page (without
    re-executing any) when a pinned asset or one of the book's own scripts changes.
    """
    digest = hashlib.sha256()
    for asset in ASSETS:
        digest.update(f"{asset.package}@{asset.version}:{asset.sha256}\n".encode())
    for file in sorted(path for path in static.rglob("*") if path.is_file()):
        digest.update(f"{file.relative_to(static).as_posix()}:{sha256_of(file)}\n".encode())
    return digest.hexdigest()


def use_site_assets(app, config) -> None:
    """``config-inited``: serve MathJax and the widget scripts from the site itself."""
    from sphinx.errors import ExtensionError

    build_dir = Path(app.outdir).parent
    try:
        static_root = prepare_site_assets(Path(app.confdir), build_dir)
    except AssetError as error:
        raise ExtensionError(str(error)) from None
    config.html_static_path = [*config.html_static_path, str(static_root)]
    config.mathjax_path = MATHJAX_PATH
    config.nb_ipywidgets_js = dict(IPYWIDGETS_JS)
    config.awml_site_digest = site_digest()


def setup(app) -> dict:
    """Register the site-assets hooks; the book's extension loads this module from its setup."""
    app.add_config_value("awml_site_digest", "", "html")
    app.connect("config-inited", use_site_assets)
    app.setup_extension("awml.book.theme_fixes")  # so that pages log no console error
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch or check the site's pinned scripts.")
    parser.add_argument("action", choices=["fetch", "verify"])
    parser.add_argument("--folder", type=Path, default=Path.cwd() / TARBALL_FOLDER,
                        help="where the tarballs go (default: ./.cache/site-assets)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        if args.action == "fetch":
            fetch(args.folder)
        for asset in ASSETS:
            verify(asset, args.folder)
    except (AssetError, subprocess.CalledProcessError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(ASSETS)} site asset tarballs in {args.folder}, sha256 checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
