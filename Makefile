# Patuh — the two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs from the lock files (exact versions with hashes, `make lock` rewrites them):
# requirements.lock for running Patuh, requirements-dev.lock adds the test and lint tools.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev
PATUH := $(BIN)/patuh
PG_URL ?= postgres://postgres@127.0.0.1:5432/patuh
HOST ?= 127.0.0.1:8000

.PHONY: run test setup setup-run lock lint test-unit test-sqlite test-postgres test-browser test-production test-deploy demo bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Patuh needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# the locked packages, then Patuh itself without resolving anything again
$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP)
setup-run: $(RUN_STAMP)

## make lock: rewrite both lock files from pyproject.toml (pip-tools in a throw-away venv);
## the development lock is constrained to the runtime one, so both agree on shared packages.
## Pins already there are kept; `make lock LOCK_ARGS=--upgrade` moves everything to the newest.
LOCK_VENV := $(VENV)-lock
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -d $(LOCK_VENV) || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) $(LOCK_ARGS) --extra s3 -o requirements.lock pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra s3 --extra dev --constraint requirements.lock \
		-o requirements-dev.lock pyproject.toml

## make run: SQLite database under var/, demo data, demo logins, http://127.0.0.1:8000
run: $(RUN_STAMP)
	mkdir -p var
	$(PATUH) migrate --noinput
	$(PATUH) demo
	@# a background worker for report jobs (rapor batches) lives as long as the server
	$(PATUH) jobs work & trap 'kill $$! 2>/dev/null' EXIT INT TERM; $(PATUH) runserver $(HOST)

demo: $(RUN_STAMP)
	mkdir -p var
	$(PATUH) migrate --noinput
	$(PATUH) demo

## make test: lint, scoring unit tests, integration on SQLite and PostgreSQL, browser tests
test: $(STAMP) lint test-unit test-sqlite test-browser test-postgres test-production test-deploy

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PATUH) makemigrations --check --dry-run

test-unit: $(STAMP)
	$(BIN)/pytest tests/scoring tests/cli tests/examples tests/fieldforms -q

# tests/concurrency commits for real (threads racing on one assessment), so it runs in its
# own pytest call, apart from tests/django's shared demo data.
test-sqlite: $(STAMP)
	$(BIN)/pytest tests/django -q
	$(BIN)/pytest tests/concurrency -q

test-browser: $(STAMP)
	$(BIN)/pytest tests/browser -q

test-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/concurrency -q
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/django -q

# gunicorn with production settings (DEBUG off, HTTPS behind a proxy, Redis cache) against
# PostgreSQL, a separate report worker, and a smoke test over HTTP (deploy/smoke.py).
SMOKE_DB_URL ?= postgres://postgres@127.0.0.1:5432/patuh_smoke
test-production: $(STAMP)
	$(BIN)/python deploy/smoke.py --database-url $(SMOKE_DB_URL)

## make bench: the national synthetic demo and every benchmark, one table on SQLite and one on
## PostgreSQL, each figure next to a baseline measured in the same run (bench/RESULTS.md).
## Quick run: make bench BENCH_SCALE=small BENCH_SURVEYS=20000 BENCH_ROWS=20000 BENCH_REQUESTS=100
BENCH_SCALE ?= national
BENCH_SURVEYS ?= 1000000
BENCH_ROWS ?= 1000000
BENCH_REQUESTS ?= 400
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/patuh_bench
BENCH_ARGS = --scale $(BENCH_SCALE) --survey-responses $(BENCH_SURVEYS) --rows $(BENCH_ROWS) --requests $(BENCH_REQUESTS)
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/run.py $(BENCH_ARGS) --database-url $(BENCH_PG_URL)

# The deployment files without a Docker daemon or systemd as PID 1: nginx -t, systemd-analyze
# verify, hadolint and the Dockerfile rules, the Compose schema; `docker compose up` only where
# a daemon answers (deploy/check.py, docs/deploy.md).
test-deploy: $(STAMP)
	$(BIN)/python deploy/check.py
	$(BIN)/pytest tests/deploy -q

clean:
	rm -rf $(VENV) $(LOCK_VENV) var .pytest_cache .ruff_cache .hypothesis
