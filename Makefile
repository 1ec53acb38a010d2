# medspa-kit: two commands for people (`make lab`, `make test`), a few more for developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
NBVAL := --nbval --nbval-current-env --nbval-cell-timeout 120 --nbval-sanitize-with notebooks/sanitize.cfg

.PHONY: lab workshop test unit notebooks-test browser-test chromium notebooks docs validate bench install clean help

help:
	@echo "make lab        create .venv if missing, install the kit, start JupyterLab on a working copy (my-notebooks/)"
	@echo "make workshop   serve the workshop scenario lab as an app with no code (Voila)"
	@echo "make test       install the kit with its test extra and run every test"
	@echo "make notebooks  re-execute every notebook in place (stored outputs, no widget state)"
	@echo "make docs       write docs/sources.md from datasets/sources.csv"
	@echo "make validate   check every dataset"
	@echo "make bench      print the benchmarks"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

# The lab installs what it needs (the `lab` extra), not the test tools.
$(LAB_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[lab]"
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(VENV)/bin/medspa-kit lab

workshop: $(STAMP)
	$(VENV)/bin/medspa-kit workshop

unit: $(STAMP)
	$(PY) -m pytest -p no:nbval -q -m "not browser" tests

notebooks-test: $(STAMP)
	@ls notebooks/*.ipynb >/dev/null 2>&1 || { echo "no notebooks to test"; exit 1; }
	$(PY) -m pytest $(NBVAL) -q notebooks/

# The browser tests drive Debian's chromium. As root (CI) it is installed when missing; anyone
# else is told what to install. With CI=true a missing browser fails the run.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium (apt-get)"; \
	    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || exit 1; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install -y chromium"; \
	    if [ "$$CI" = true ]; then exit 1; fi; \
	  fi; \
	fi

browser-test: $(STAMP) chromium
	$(PY) -m pytest -p no:nbval -q -m browser tests/browser

test: $(STAMP) chromium
	$(VENV)/bin/medspa-kit validate
	$(PY) -m pytest -p no:nbval -q -m "not browser" tests
	$(PY) -m pytest $(NBVAL) -q notebooks/
	$(PY) -m pytest -p no:nbval -q -m browser tests/browser

notebooks: $(STAMP)
	$(PY) -m medspa_kit._notebooks notebooks/*.ipynb

docs: $(STAMP)
	$(PY) -c "from medspa_kit.catalog import default_catalog; from medspa_kit.catalog.citations import bibliography_markdown; print(bibliography_markdown(list(default_catalog().rows['sources'])), end='')" > docs/sources.md

validate: $(STAMP)
	$(VENV)/bin/medspa-kit validate

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
