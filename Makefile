# Patuh — the two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PATUH := $(BIN)/patuh
PG_URL ?= postgres://postgres@127.0.0.1:5432/patuh
HOST ?= 127.0.0.1:8000

.PHONY: run test setup lint test-unit test-sqlite test-postgres test-browser test-production test-deploy demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Patuh needs Python 3.11 or newer"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## make run: SQLite database under var/, demo data, demo logins, http://127.0.0.1:8000
run: $(STAMP)
	mkdir -p var
	$(PATUH) migrate --noinput
	$(PATUH) demo
	@# a background worker for report jobs (rapor batches) lives as long as the server
	$(PATUH) jobs work & trap 'kill $$! 2>/dev/null' EXIT INT TERM; $(PATUH) runserver $(HOST)

demo: $(STAMP)
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
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
