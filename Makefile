# The book's two commands: `make book` builds the HTML, `make test` lints the sources, runs
# the tests, builds the whole book and opens every page in Chromium. Both create .venv and
# install into it when needed.
# For instructors: `make preview` serves the book with live reload, `make check` lints.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The site's MathJax and widget scripts: pinned npm tarballs, checked by sha256 at each build.
ASSETS := .cache/site-assets
ASSETS_STAMP := $(ASSETS)/.fetched
# Debian's Chromium, for the browser check of the built site.
CHROMIUM ?= /usr/bin/chromium
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: install apt-packages book test check browser-check preview benchmark clean

$(STAMP): requirements.txt code/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e code
	touch $(STAMP)

$(ASSETS_STAMP): code/awml/book/assets.py | $(STAMP)
	@command -v npm >/dev/null || $(MAKE) --no-print-directory apt-packages PACKAGES=npm
	$(PY) -m awml.book.assets fetch --folder $(ASSETS)
	touch $(ASSETS_STAMP)

$(CHROMIUM):
	$(MAKE) --no-print-directory apt-packages PACKAGES="chromium fonts-liberation"

# Debian packages, installed as root (as on CI); anyone else is told what to install.
apt-packages:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && $(APT_INSTALL) $(PACKAGES) >/dev/null; \
	else echo "install these Debian packages first: $(PACKAGES)" >&2; exit 1; fi

install: $(STAMP) $(ASSETS_STAMP) $(CHROMIUM)

book: $(STAMP) $(ASSETS_STAMP)
	$(PY) -m awml.book.build

check: $(STAMP)
	$(PY) -m awml.book.check
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --no-progress .github/workflows

browser-check: $(STAMP) $(CHROMIUM)
	$(PY) -m awml.book.browser _build/html

test: install
	$(MAKE) check
	$(PY) -m pytest
	$(MAKE) book
	$(MAKE) browser-check

preview: $(STAMP) $(ASSETS_STAMP)
	$(PY) -m awml.book.preview

benchmark: $(STAMP)
	$(PY) scripts/benchmark.py

clean:
	rm -rf _build
