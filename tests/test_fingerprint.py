import shutil

import pytest

from awml.runs import fingerprint


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the awml sources that the fingerprint functions read instead."""
    copy = tmp_path / "awml"
    shutil.copytree(fingerprint.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", copy)
    return copy


def test_closure_follows_imports_and_includes_parent_packages():
    closure = fingerprint.module_closure(["awml.labs.denoising"])
    assert {"awml", "awml.labs", "awml.labs.denoising", "awml.data.mnist",
            "awml.data.download", "awml.runs.run_or_load"} <= closure
    # lazy imports inside functions count too
    assert "awml.models.autoencoder" in closure
    assert "awml.training.loop" in closure
    assert "awml.cli" not in closure


def test_closure_of_an_unrelated_module_is_small():
    closure = fingerprint.module_closure(["awml.progress"])
    assert closure == {"awml", "awml.progress"}


def test_from_import_of_a_submodule_counts_the_submodule():
    found = fingerprint.imported_modules("from awml.labs import denoising\nimport numpy")
    assert found == {"awml.labs", "awml.labs.denoising"}


def test_relative_imports_resolve():
    found = fingerprint.imported_modules("from ..data import mnist\nfrom . import store",
                                         current="awml.runs.run_or_load")
    assert {"awml.data", "awml.data.mnist", "awml.runs.store"} <= found


def test_magics_do_not_break_the_parse():
    assert fingerprint.imported_modules("%matplotlib inline\nfrom awml import progress") == {
        "awml", "awml.progress"}


def test_editing_a_dependency_changes_exactly_the_dependent_fingerprints(package_copy):
    lab = fingerprint.code_fingerprint(["awml.labs.denoising"])
    bar = fingerprint.code_fingerprint(["awml.progress"])
    noise = package_copy / "data" / "noise.py"
    noise.write_text(noise.read_text() + "\n# an edit\n")
    assert fingerprint.code_fingerprint(["awml.labs.denoising"]) != lab
    assert fingerprint.code_fingerprint(["awml.progress"]) == bar


def test_the_footer_every_page_imports_keeps_the_sphinx_extension_out_of_its_closure():
    from awml.book.pages import FOOTER_MODULE

    closure = fingerprint.module_closure([FOOTER_MODULE])
    assert not any(name == "awml.book" or name.startswith("awml.book.") for name in closure)
