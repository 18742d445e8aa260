"""Two faults of the theme stack that log a console error on every page, mended.

Loaded by ``awml.book.assets``; the browser check (``awml.book.browser``) fails on any
console error, so each of these would fail it.
"""

from __future__ import annotations


def quiet_theme_defaults(app, config) -> None:
    """``config-inited``: give the theme a colour mode, so a first visit logs no error.

    With no ``default_mode`` in ``html_context`` the theme reads an empty mode from a new
    reader's storage and reports it as a console error before falling back to automatic.
    """
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context


def drop_duplicate_scripts(app, pagename: str, templatename: str, context: dict,
                           doctree) -> None:
    """``html-page-context``: keep one copy of each script a page would load twice.

    Under Sphinx 7.4 sphinx-thebe's inline configuration is registered twice (once with no
    file name, once with an empty one); the second copy redeclares a ``const`` and throws.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, kept = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app) -> dict:
    """Register both fixes with Sphinx."""
    app.connect("config-inited", quiet_theme_defaults)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
