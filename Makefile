# Two commands do all the set-up on a fresh Debian machine; both are idempotent.
#   make run    install, ingest the sample corpus, serve the web app and API
#   make test   install, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
# The sample documents: everything in corpus/ but its README.
SAMPLES := $(filter-out corpus/README.md,$(wildcard corpus/*))

.PHONY: run test test-postgres install debian bench lint

run: install
	$(BIN)/hoptac --data-dir $(DATA) prepare
	-$(BIN)/hoptac --data-dir $(DATA) ingest $(SAMPLES)
	$(BIN)/hoptac --data-dir $(DATA) documents
	$(BIN)/hoptac --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

test: install
	bash scripts/install_chromium.sh
	bash scripts/install_pgvector.sh $(VENV)
	$(BIN)/pytest
	HOPTAC_TEST_DATABASE=postgres $(BIN)/pytest -q

test-postgres: install
	bash scripts/install_pgvector.sh $(VENV)
	HOPTAC_TEST_DATABASE=postgres $(BIN)/pytest

install: debian $(VENV)/.installed

debian:
	bash scripts/install_debian.sh

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

bench: install
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python -m bench.ingest_speed
	$(BIN)/python -m bench.retrieval
	$(BIN)/python -m bench.diacritics
	$(BIN)/python -m bench.fold
	$(BIN)/python -m bench.search_latency
	$(BIN)/python -m bench.metadata
	$(BIN)/python -m bench.ingest_search

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy hoptac catalog ingest search api models auth kb jobs
