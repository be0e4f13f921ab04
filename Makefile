# Signpost: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# The browser libraries the site serves itself (package.json: Leaflet for the location map).
# Without npm the site still works: location questions keep the typed description, no map.
NPM ?= $(shell command -v npm)
NODE_STAMP := node_modules/.installed
JS_STAMP := $(if $(NPM),$(NODE_STAMP))
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): each has its own test database, Elasticsearch node and Redis.
# Two keep `make test` within its time on a two-core machine; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

.PHONY: demo test test-postgres bench install lint typecheck clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(JS_STAMP)
	@test -n "$(NPM)" || echo "npm not found: Leaflet is not installed, so forms show no map (install Node.js and npm, then make install)"

## demo: install, migrate, load the demo council, build the search index, then serve it and run
## the background worker side by side (honcho, Procfile.dev); Ctrl-C stops both.
demo: $(STAMP) $(JS_STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(PY) manage.py createcachetable
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(PY) manage.py load_demo --demo-login
	@echo "Serving http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/, demo login admin / admin)"
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" DJANGO_SETTINGS_MODULE=cms.settings.dev HOST=$(HOST) PORT=$(PORT) \
		$(VENV)/bin/honcho start -f Procfile.dev

## test: the whole suite on SQLite, with a real Elasticsearch node and real Chromium.
test: $(STAMP) $(JS_STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## test-postgres: the whole suite again on a throwaway PostgreSQL cluster.
test-postgres: $(STAMP) $(JS_STAMP)
	$(PY) -m tests.harness.postgres -- $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## bench: every benchmark under bench/, one report.
bench: $(STAMP) $(JS_STAMP)
	$(PY) bench/run_all.py

## lint: every static check CI runs (formatting, lint, the import layers, types, migrations).
lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

## typecheck: mypy (strict, with django-stubs) on the typed modules listed in pyproject.toml.
typecheck: $(STAMP)
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) node_modules .cache db.sqlite3 db.sqlite3-wal db.sqlite3-shm static_collected test-artifacts
