"""Open every page of the built book in headless Chromium, as a reader offline would.

``python -m awml.book.browser [_build/html]`` serves the site on 127.0.0.1, blocks every other
address, and opens each page in Debian's Chromium (driven by playwright). It fails on a
console error, a failed or blocked request, math left unrendered, a widget that is not drawn,
a ``gpu`` cell without its badge, a launch dropdown without links to the page, a broken
internal link or anchor, an image or a font that does not load, and a search that finds
nothing. It keeps screenshots of the intro, a chapter page and a lab page under
``_build/screenshots`` and writes ``_build/browser-check.json`` (pages, seconds, problems).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from awml.book.links import check_links, redirect_target, site_pages

CHROMIUM = "/usr/bin/chromium"
# Chromium as root in a sandbox-less container, with nothing of its own calling out.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CHECKS_JS = (Path(__file__).with_name("browser_checks.js")).read_text()
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class PageResult:
    """What one page showed: its problems, and what the site-wide checks need."""

    path: str
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notebook: bool = False
    launch: list[str] | None = None
    heading: str = ""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass

    def send_head(self):
        # Browsers ask for /favicon.ico on their own; a site without one is not broken.
        if self.path == "/favicon.ico" and not Path(self.directory, "favicon.ico").exists():
            self.send_response(204)
            self.end_headers()
            return None
        return super().send_head()


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    """Serve ``site`` on 127.0.0.1 at a free port from a daemon thread; return the server."""
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _site_path(url: str, origin: str) -> str:
    return url[len(origin) + 1:] if url.startswith(origin + "/") else url


def _watch(page, origin: str, result: PageResult) -> list[int]:
    """Record console errors, page errors and failed requests of ``page`` into ``result``.

    Returns a one-item list holding the number of requests still in flight.
    """
    blocked: set[str] = set()
    in_flight = [0]

    def started(request) -> None:
        in_flight[0] += 1

    def ended(request) -> None:
        in_flight[0] -= 1

    def route(route) -> None:
        url = route.request.url
        if url.startswith(origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.add(url)
            result.problems.append(f"request outside the site blocked: {url}")
            route.abort("blockedbyclient")

    def console(message) -> None:
        if message.type == "error":
            result.problems.append(f"console error: {message.text}")

    def failed(request) -> None:
        ended(request)
        if request.url not in blocked:
            why = request.failure or "failed"
            result.problems.append(f"request failed ({why}): {_site_path(request.url, origin)}")

    def response(response) -> None:
        if response.status >= 400:
            result.problems.append(
                f"request failed ({response.status}): {_site_path(response.url, origin)}")

    page.route("**/*", route)
    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("console", console)
    page.on("pageerror", lambda error: result.problems.append(f"page error: {error}"))
    page.on("requestfailed", failed)
    page.on("response", response)
    return in_flight


def _settle(page, in_flight: list[int], timeout_s: float = 5.0) -> None:
    """Wait until no request has been in flight for 0.1 s (late fonts, lazy scripts)."""
    deadline, quiet = time.perf_counter() + timeout_s, 0
    while quiet < 2 and time.perf_counter() < deadline:
        page.wait_for_timeout(50)
        quiet = quiet + 1 if in_flight[0] <= 0 else 0


def _check_launch(page, result: PageResult) -> None:
    if result.launch is None:
        return
    source = re.sub(r"\.html$", "", result.path)
    if not result.launch:
        result.problems.append("launch dropdown has no links")
        return
    for href in result.launch:
        if not href.startswith(("https://", "http://")):
            result.problems.append(f"launch link is not an address: {href!r}")
    if not any(source in unquote(href) for href in result.launch):
        result.problems.append(f"no launch link opens this page ({source})")
    toggle = page.locator(".dropdown-launch-buttons .dropdown-toggle").first
    try:
        toggle.click(timeout=3000)
        page.locator(".dropdown-launch-buttons .dropdown-menu a").first.wait_for(
            state="visible", timeout=3000)
    except Exception as error:  # playwright's TimeoutError and Error alike
        result.problems.append(f"launch dropdown does not open: {str(error).splitlines()[0]}")


def visit(context, origin: str, path: str, timeout_s: float,
          screenshot: Path | None = None) -> PageResult:
    """Open one page, run the in-page checks, and return its result."""
    result = PageResult(path)
    started = time.perf_counter()
    page = context.new_page()
    in_flight = _watch(page, origin, result)
    try:
        page.goto(f"{origin}/{path}", wait_until="load", timeout=timeout_s * 1000)
        found = page.evaluate(CHECKS_JS, {"timeoutMs": timeout_s * 1000})
        _settle(page, in_flight)  # Limitation: what a page loads after 5 s more goes unseen.
        result.problems.extend(found["problems"])
        result.ids, result.links = found["ids"], found["links"]
        result.notebook, result.launch = found["notebook"], found["launch"]
        result.heading = found["heading"]
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        _check_launch(page, result)
    except Exception as error:
        result.problems.append(f"page did not load: {str(error).splitlines()[0]}")
    finally:
        page.close()
    result.seconds = time.perf_counter() - started
    return result


def check_search(context, origin: str, word: str, timeout_s: float) -> PageResult:
    """Search the site for ``word`` on its search page; a problem when nothing is found."""
    result = PageResult(f"search.html?q={word}")
    page = context.new_page()
    _watch(page, origin, result)
    try:
        page.goto(f"{origin}/search.html?q={quote(word)}", wait_until="load")
        page.wait_for_function(
            "document.querySelectorAll('#search-results ul.search li').length > 0",
            timeout=timeout_s * 1000)
    except Exception:
        result.problems.append(f"search for {word!r} found nothing")
    finally:
        page.close()
    return result


def pick_screenshots(pages: list[str], root_page: str) -> dict[str, str]:
    """Return ``{name: page}`` for the intro, one chapter page and one lab page."""
    chapters = [page for page in pages if re.match(r"book/m\d\d[^/]*/", page)]
    chapters.sort(key=lambda page: page.endswith("/index.html"))  # a real chapter first
    labs = [page for page in pages if page.startswith("book/labs/")]
    chosen = {"intro": root_page}
    if chapters:
        chosen["chapter"] = chapters[0]
    if labs:
        chosen["lab"] = labs[0]
    return chosen


def check_site(site: Path, screenshots: Path | None = None, chromium: str = CHROMIUM,
               timeout_s: float = 20.0) -> list[PageResult]:
    """Check every page of ``site`` (a built ``_build/html``); return one result per page."""
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").is_file():
        raise ValueError(f"site={site} has no index.html; build the book first")
    if not Path(chromium).is_file():
        raise ValueError(f"chromium={chromium} does not exist; install Debian's chromium")
    pages, redirects = site_pages(site)
    root_page = redirect_target(site, "index.html") or "index.html"
    shots = pick_screenshots(pages, root_page) if screenshots else {}
    by_page = {page: screenshots / f"{name}.png" for name, page in shots.items()}
    server = serve(site)
    origin = f"http://127.0.0.1:{server.server_port}"
    results = []
    with tempfile.TemporaryDirectory() as home, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_FLAGS,
            env={**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home})
        try:
            context = browser.new_context(viewport=VIEWPORT, service_workers="block")
            for path in pages:
                results.append(visit(context, origin, path, timeout_s, by_page.get(path)))
            if (site / "search.html").is_file():
                word = _search_word(results, root_page)
                results.append(check_search(context, origin, word, timeout_s))
        finally:
            browser.close()
            server.shutdown()
    results += [PageResult(page, links=[f"{origin}/{target}"])
                for page, target in redirects.items()]
    check_links(site, results)
    _check_launch_everywhere(results)
    return results


def _search_word(results: list[PageResult], root_page: str) -> str:
    """A word of the first page's main heading, which search must find."""
    heading = next((result.heading for result in results if result.path == root_page), "")
    words = re.findall(r"[A-Za-z]{4,}", heading)
    return words[0] if words else "the"


def _check_launch_everywhere(results: list[PageResult]) -> None:
    if not any(result.launch is not None for result in results):
        return
    for result in results:
        if result.notebook and result.launch is None:
            result.problems.append("notebook page has no launch dropdown")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("_build/html"))
    parser.add_argument("--screenshots", type=Path, help="default: SITE/../screenshots")
    parser.add_argument("--report", type=Path, help="default: SITE/../browser-check.json")
    parser.add_argument("--chromium", default=os.environ.get("AWML_CHROMIUM", CHROMIUM))
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds a page may take to load, typeset and draw its widgets")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    started = time.perf_counter()
    try:
        results = check_site(site, args.screenshots or site.parent / "screenshots",
                             args.chromium, args.timeout)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    problems = [f"{result.path}: {problem}" for result in results for problem in result.problems]
    report = {"pages": len(results), "seconds": round(seconds, 1), "problems": problems,
              "per_page": [{"path": r.path, "seconds": round(r.seconds, 2),
                            "launch_links": None if r.launch is None else len(r.launch)}
                           for r in results]}
    (args.report or site.parent / "browser-check.json").write_text(json.dumps(report, indent=1))
    for line in problems:
        print(line)
    print(f"Browser check: {len(results)} pages in {seconds:.0f} s, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
