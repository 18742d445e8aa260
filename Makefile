# The book's two commands: `make book` builds the HTML, `make test` runs the tests and
# then builds the whole book. Both create .venv and install into it when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test check preview benchmark clean

$(STAMP): requirements.txt code/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e code
	touch $(STAMP)

book: $(STAMP)
	$(PY) -m awml.book.build

test: $(STAMP)
	$(PY) -m pytest
	$(MAKE) book

benchmark: $(STAMP)
	$(PY) scripts/benchmark.py

clean:
	rm -rf _build
