"""The site's own MathJax and widget scripts: pinned, checked by sha256, unpacked for Sphinx."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from awml.book import assets, theme_fixes
from awml.book.assets import Asset, AssetError, fetch, site_digest, stage, verify
from awml.paths import project_root


def make_tarball(folder: Path, members: dict[str, bytes], name: str = "demo-1.0.0.tgz") -> Path:
    tarball = folder / name
    with tarfile.open(tarball, "w:gz") as archive:
        for path, data in members.items():
            info = tarfile.TarInfo(path)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tarball


def demo_asset(tarball: Path, **changes) -> Asset:
    fields = dict(name="demo", package="demo", version="1.0.0", sha256=assets.sha256_of(tarball),
                  files=("es5/*.js", "LICENSE"), strip="es5/")
    fields.update(changes)
    return Asset(**fields)


def test_tarball_name_follows_npm_pack_for_scoped_packages():
    manager = Asset("m", "@jupyter-widgets/html-manager", "1.0.15", "0" * 64, ("dist/*",))

    assert manager.tarball == "jupyter-widgets-html-manager-1.0.15.tgz"


def test_stage_unpacks_only_the_served_files_once(tmp_path):
    tarball = make_tarball(tmp_path, {"package/es5/tex.js": b"tex", "package/es5/a.map": b"m",
                                      "package/LICENSE": b"MIT", "package/src/x.ts": b"x"})
    asset = demo_asset(tarball)

    written = stage(asset, verify(asset, tmp_path), tmp_path / "static")

    served = sorted(p.relative_to(tmp_path / "static" / "demo").as_posix()
                    for p in (tmp_path / "static" / "demo").rglob("*") if p.is_file())
    assert written == 2
    assert served == [".sha256", "LICENSE", "tex.js"]
    assert stage(asset, tarball, tmp_path / "static") == 0  # already there


def test_a_tarball_with_another_hash_is_refused(tmp_path):
    tarball = make_tarball(tmp_path, {"package/es5/tex.js": b"tex"})
    asset = demo_asset(tarball, sha256="f" * 64)

    with pytest.raises(AssetError, match="expected f{64} for demo@1.0.0"):
        verify(asset, tmp_path)


def test_a_missing_tarball_names_the_fetch_command(tmp_path):
    asset = Asset("demo", "demo", "1.0.0", "0" * 64, ("*",))

    with pytest.raises(AssetError, match="python -m awml.book.assets fetch"):
        verify(asset, tmp_path)


def test_an_unsafe_member_path_is_refused(tmp_path):
    tarball = make_tarball(tmp_path, {"package/es5/../../evil.js": b"x"})
    asset = demo_asset(tarball, files=("*",))

    with pytest.raises(AssetError, match="unsafe path"):
        stage(asset, tarball, tmp_path / "static")


def test_fetch_needs_no_npm_when_the_checked_tarballs_are_there(tmp_path, monkeypatch):
    tarball = make_tarball(tmp_path, {"package/es5/tex.js": b"tex"})
    monkeypatch.setattr(assets.shutil, "which", lambda name: None)

    assert fetch(tmp_path, (demo_asset(tarball),)) == [tarball]


def test_the_digest_changes_with_the_book_static_files(tmp_path):
    (tmp_path / "awml.css").write_text("a { color: red }")
    before = site_digest(tmp_path)
    (tmp_path / "awml.css").write_text("a { color: blue }")

    assert site_digest(tmp_path) != before


def test_a_script_registered_twice_is_kept_once():
    from sphinx.builders.html._assets import _JavaScript

    body = "const THEBE_JS_URL = 'x'"
    scripts = [_JavaScript(None, body=body), _JavaScript("a.js"), _JavaScript("", body=body)]

    theme_fixes.drop_duplicate_scripts(None, "page", "page.html", {"script_files": scripts}, None)

    assert [str(script.filename) for script in scripts] == ["None", "a.js"]


def test_the_pinned_tarballs_are_fetched_and_hold_what_the_site_loads(tmp_path):
    folder = project_root(Path(__file__).parent) / assets.TARBALL_FOLDER
    if not all((folder / asset.tarball).is_file() for asset in assets.ASSETS):
        if os.environ.get("CI"):
            pytest.fail(f"{folder} lacks the site's tarballs: make's install step fetches them")
        pytest.skip("the site's tarballs are not fetched; make does it")

    static_root = assets.prepare_site_assets(folder.parents[1], tmp_path)

    served = static_root / assets.STATIC_FOLDER
    assert (served / "mathjax" / "tex-mml-chtml.js").is_file()
    assert len(list((served / "mathjax" / "output/chtml/fonts/woff-v2").glob("*.woff"))) > 20
    assert (served / "requirejs" / "require.js").is_file()
    assert (served / "html-manager" / "embed-amd.js").is_file()
    assert list((served / "html-manager").glob("*.woff2"))
