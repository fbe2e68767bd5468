# Frontdesk — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint fmt install install-test browser vendor clean bench

run: $(VENV)/.installed  ## install, migrate, add demo data on an empty database, serve
	$(BIN)/frontdesk serve --demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test browser  ## install test needs and run the whole suite (SQLite + PostgreSQL)
	$(BIN)/pytest

test-fast: $(VENV)/.installed-test  ## everything but the browser tests
	$(BIN)/pytest -m "not browser"

lint: $(VENV)/.installed-test  ## ruff + mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(VENV)/.installed-test  ## quick benchmarks (about 10 min on 2 cores), then the table of docs/benchmarks.md
	$(BIN)/python bench/quick.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

vendor:  ## re-fetch pinned front-end files from the npm registry (needs npm)
	scripts/vendor.sh

browser:  ## Debian packages the tests use: chromium, espeak-ng, sox, docker-compose
	@scripts/ensure-system-packages.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
