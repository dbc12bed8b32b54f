# Every target bootstraps its own virtualenv: a fresh machine needs only python3 and make.
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo up down test lint format clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## The main job: a run of lexsync against the lexoffice sandbox with demo data.
# Its own Prefect home under var/ (a temporary Prefect server runs the flows), no telemetry.
demo: $(STAMP)
	PREFECT_HOME=$(CURDIR)/var/prefect DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false \
		$(BIN)/lexsync demo

## The whole service locally: Prefect server, deployments, a worker, the webhook receiver
## (and, without LEXOFFICE_API_KEY, the sandbox with demo data). Pids in var/run, logs in var/log.
up: $(STAMP)
	$(BIN)/lexsync up

## Stops everything `make up` started, by process id.
down:
	$(BIN)/lexsync down

## Lint, types, then the whole test suite (SQLite and PostgreSQL).
test: lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
