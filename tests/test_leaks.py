"""No AWS credential in the built book: the scanner, and the book this checkout has built."""

from __future__ import annotations

import json

import pytest

from awml.book.leaks import build_folders, main, scan_paths, scan_text

# Built at run time so that the repository itself holds no key-shaped string.
KEY_ID = "AKIA" + "IOSFODNN7" + "EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
SIGNED = ("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature="
          + "0123456789abcdef" * 4)


def test_scanner_finds_planted_credentials_in_html_and_notebooks(tmp_path):
    html = tmp_path / "_build" / "html" / "book"
    html.mkdir(parents=True)
    (html / "page.html").write_text(f"<p>ok</p>\n<pre>key {KEY_ID}</pre>\n")
    cell_output = {"cells": [{"cell_type": "code", "outputs": [{"text": [
        f"aws_secret_access_key = {SECRET}\n", f"{SIGNED}\n"]}]}]}
    cache = tmp_path / "_build" / ".jupyter_cache" / "executed" / "abc"
    cache.mkdir(parents=True)
    (cache / "base.ipynb").write_text(json.dumps(cell_output))
    (html / "clean.html").write_text("<p>AKIA is how access key IDs start; d41d8cd98f00b204</p>")

    leaks, scanned = scan_paths(build_folders(tmp_path))
    assert scanned == 3
    found = {(leak.path.name, leak.kind) for leak in leaks}
    assert found == {("page.html", "AWS access key ID"),
                     ("base.ipynb", "AWS secret access key"),
                     ("base.ipynb", "signed AWS address")}
    assert next(leak for leak in leaks if leak.path.name == "page.html").line == 2
    assert all(KEY_ID not in str(leak) and SECRET not in str(leak) for leak in leaks)
    assert main([str(tmp_path)]) == 1


def test_scanner_passes_clean_text_and_ignores_lookalikes():
    assert scan_text(f"sha256 57934424aa, {KEY_ID}X, akia" + "x" * 16) == []
    assert scan_text("Studio: https://d-1.studio.us-east-1.sagemaker.aws/auth?token="
                     + "e" * 40)[0].kind == "Studio sign-in address"


def test_built_book_and_executed_notebooks_hold_no_credentials(root, capsys):
    folders = build_folders(root)
    if not folders:
        pytest.skip(f"{root} has no built book yet (_build/html, _build/.jupyter_cache)")
    leaks, scanned = scan_paths(folders)
    assert scanned > 0
    assert leaks == [], "\n".join(str(leak) for leak in leaks)
