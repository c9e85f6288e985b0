# aptrack: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install assets demo serve test test-sqlite test-postgres bench lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/aptrack/static/vendor/.built: node_modules/.installed $(VENV)/.installed
	DEBUG=true $(BIN)/aptrack build-assets
	touch $@

install: $(VENV)/.installed src/aptrack/static/vendor/.built

assets: install

## make demo: install, build the SQLite demo authority (its registers kept up to yesterday, whose
## attendance checks run as they would have), print the logins and serve on :8000
demo: install
	DEBUG=true $(BIN)/aptrack migrate --no-input -v0
	DEBUG=true $(BIN)/aptrack generate --scale la --seed 1 --if-empty
	DEBUG=true $(BIN)/aptrack run-attendance-checks --last-school-day
	DEBUG=true $(BIN)/aptrack run-attendance-checks --schedule
	DEBUG=true $(BIN)/aptrack demo-logins --url http://$(HOST):$(PORT)/
	@echo "Serving aptrack on http://$(HOST):$(PORT)/ with its task worker (Ctrl+C to stop)"
	DEBUG=true $(BIN)/aptrack db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(BIN)/aptrack runserver $(HOST):$(PORT)

## make serve: production serving: gunicorn (gunicorn.conf.py) and the task worker, settings from
## the environment (or ENV_FILE, default .env; see .env.example and deploy/README.md)
ENV_FILE ?= .env
serve: install
	@set -e; if [ -f "$(ENV_FILE)" ]; then set -a; . "$(abspath $(ENV_FILE))"; set +a; fi; \
	$(BIN)/aptrack check --deploy --fail-level WARNING; \
	$(BIN)/aptrack migrate --no-input -v0; \
	if [ -n "$$MIGRATE_DATABASE_URL" ]; then $(BIN)/aptrack grant-app-role "$${APP_DATABASE_ROLE:-aptrack_app}"; fi; \
	$(BIN)/aptrack collectstatic --no-input -v0; \
	echo "Serving aptrack with gunicorn and its task worker (Ctrl+C to stop)"; \
	$(BIN)/aptrack db_worker --no-reload -v1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py

## make test: install, the checks, then the whole suite on SQLite and on PostgreSQL
test: install check
	bash scripts/run-tests.sh

bench: install
	bash scripts/bench.sh

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

## make check: lint, the import contracts in pyproject.toml (layers, no app cycles), the types
## (mypy with django-stubs, config in pyproject.toml) and no model change without its migration
## (make test runs it first)
check: lint
	$(BIN)/lint-imports --no-cache
	DATABASE_URL=sqlite://:memory: DEBUG=true $(BIN)/mypy
	DATABASE_URL=sqlite://:memory: DEBUG=true $(BIN)/aptrack makemigrations --check --dry-run -v1

clean:
	rm -rf $(VENV) node_modules src/aptrack/static/vendor staticfiles var
