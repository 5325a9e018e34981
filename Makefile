# Cercle: `make run` serves a demo community on :8000; `make test` runs the suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export PYTHONPATH := $(CURDIR)

.PHONY: run test test-sqlite test-postgres screenshots bench bench-quick fuzz fuzz-quick migrate schema lint services clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GraphiQL's JavaScript and CSS, served by Cercle itself so it works offline.
static/vendor/.installed: node_modules/.installed scripts/vendor-graphiql.sh
	bash scripts/vendor-graphiql.sh
	touch $@

# The web app (web/): operations typed from schema.graphql, checked by tsc, built by Vite into
# static/app/: index.html, served at every app route, and hashed files served at /assets/.
WEB_SOURCES := $(shell find web -type f -not -path 'web/src/gql/*' 2>/dev/null) schema.graphql
static/app/.installed: node_modules/.installed $(WEB_SOURCES)
	npm run --silent build
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate

run: $(VENV)/.installed static/vendor/.installed static/app/.installed migrate
	$(PY) manage.py demo
	$(PY) -m uvicorn app:app --factory --host $(HOST) --port $(PORT)

services:
	bash scripts/ensure-services.sh

# The suite on SQLite and on PostgreSQL, side by side: each spends much of its time waiting on sockets, server
# processes and browsers, so together they take little more than one alone. Each run has its own database, ports
# and Redis prefixes. The SQLite run's report is printed once the PostgreSQL one's has streamed.
test: $(VENV)/.installed static/vendor/.installed static/app/.installed services
	$(MAKE) --no-print-directory lint
	@report=$$(mktemp); \
	CERCLE_TEST_DATABASE=sqlite $(PY) -m pytest -p no:cacheprovider >$$report 2>&1 & sqlite_run=$$!; \
	CERCLE_TEST_DATABASE=postgres $(PY) -m pytest; postgres=$$?; \
	wait $$sqlite_run; sqlite=$$?; \
	echo "── the suite on SQLite (exit $$sqlite) ──"; cat $$report; rm -f $$report; \
	echo "PostgreSQL: exit $$postgres; SQLite: exit $$sqlite"; \
	test $$postgres -eq 0 && test $$sqlite -eq 0
	$(MAKE) --no-print-directory bench-quick fuzz-quick

test-sqlite: $(VENV)/.installed static/vendor/.installed static/app/.installed services
	CERCLE_TEST_DATABASE=sqlite $(PY) -m pytest

test-postgres: $(VENV)/.installed static/vendor/.installed static/app/.installed services
	CERCLE_TEST_DATABASE=postgres $(PY) -m pytest

# The README's screenshots of the web app, taken by its browser tests (tests/web/) as they check each page.
screenshots: $(VENV)/.installed static/vendor/.installed static/app/.installed services
	CERCLE_SCREENSHOTS=$(CURDIR)/docs/screenshots CERCLE_TEST_DATABASE=postgres $(PY) -m pytest -q tests/web

bench: $(VENV)/.installed services
	$(PY) -m bench

# Every benchmark once with small sizes: its figures mean nothing, but a benchmark that no longer runs fails.
bench-quick: $(VENV)/.installed services
	$(PY) -m bench --quick

# Schemathesis against a live server, anonymous and as a member, on SQLite and PostgreSQL (README: Fuzzing).
fuzz: $(VENV)/.installed services
	$(PY) -m fuzz

# The same with a few cases per field: seeded, so it finds the same cases on every run.
fuzz-quick: $(VENV)/.installed services
	$(PY) -m fuzz --quick

schema: $(VENV)/.installed
	$(VENV)/bin/strawberry export-schema schema:schema --output schema.graphql

# Style (ruff), the layers of DESIGN.md (import-linter, .importlinter) and types (mypy, pyproject.toml).
lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m mypy

clean:
	rm -rf $(VENV) node_modules static/vendor static/app web/src/gql data
