# medspa-kit: two commands for people (`make lab`, `make test`), a few more for developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NBVAL := --nbval --nbval-current-env --nbval-cell-timeout 120 --nbval-sanitize-with notebooks/sanitize.cfg

.PHONY: lab test unit notebooks-test notebooks validate bench install clean help

help:
	@echo "make lab        create .venv if missing, install the kit, start JupyterLab on notebooks/"
	@echo "make test       install the kit with its test extra and run every test"
	@echo "make notebooks  re-execute every notebook in place (stored outputs, no widget state)"
	@echo "make validate   check every dataset"
	@echo "make bench      print the benchmarks"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/medspa-kit lab

unit: $(STAMP)
	$(PY) -m pytest -p no:nbval -q tests

notebooks-test: $(STAMP)
	@ls notebooks/*.ipynb >/dev/null 2>&1 || { echo "no notebooks to test"; exit 1; }
	$(PY) -m pytest $(NBVAL) -q notebooks/

test: $(STAMP)
	$(VENV)/bin/medspa-kit validate
	$(PY) -m pytest -p no:nbval -q tests
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then $(PY) -m pytest $(NBVAL) -q notebooks/; fi

notebooks: $(STAMP)
	$(PY) -m medspa_kit._notebooks notebooks/*.ipynb

validate: $(STAMP)
	$(VENV)/bin/medspa-kit validate

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
