# Two commands for a newcomer: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The venv is rebuilt when the dependencies change (the stamp is newer than pyproject.toml otherwise).
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/codegen.ts -type f 2>/dev/null | grep -v '/src/gql/')

.PHONY: run test install frontend schema lint typecheck pytest frontend-test browser-deps clean bench

run: install frontend
	$(BIN)/enterpristore serve --migrate --seed-if-empty

test: install frontend browser-deps schema-check lint typecheck frontend-test pytest

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: frontend/dist/index.html

frontend/dist/index.html: $(NODE_STAMP) schema.graphql $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend-test: $(NODE_STAMP)
	cd frontend && npm run check && npm test

# Browser tests drive Debian's Chromium; install it when we may (root, apt), otherwise the tests say why they skip.
browser-deps:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found and not installable here: browser tests will be skipped"; fi

schema: install
	$(BIN)/enterpristore export-schema

schema-check: install
	@$(BIN)/enterpristore export-schema -o - | diff -u schema.graphql - \
	  || (echo "schema.graphql is stale: run 'make schema' and commit it"; exit 1)

lint: install
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench

typecheck: install
	$(BIN)/mypy

# The browser tests drive Playwright's sync API, which keeps an event loop running in the main thread: they get
# a pytest process of their own so that the asyncio tests never share it.
pytest: install
	$(BIN)/pytest --ignore=tests/e2e
	$(BIN)/pytest tests/e2e

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
