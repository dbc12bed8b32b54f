# Every target bootstraps its own virtualenv: a fresh machine needs only python3 and make.
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo up down test lint format clean bench bench-faults webhook-key

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,demo]'
	touch $(STAMP)

# The demo extra (faker) for a virtualenv made without it.
DEMO_STAMP := $(VENV)/.demo-stamp
$(DEMO_STAMP): $(STAMP)
	$(BIN)/pip install -q -c constraints.txt -e '.[demo]'
	touch $(DEMO_STAMP)

## The main job: a run of lexsync against the lexoffice sandbox with demo data.
# Its own Prefect home under var/ (a temporary Prefect server runs the flows), no telemetry.
# Run it twice: the second run syncs the same data and shows that nothing changed.
# `make demo DEMO_ARGS=--fresh` seeds both sides anew.
DEMO_ARGS ?=
demo: $(DEMO_STAMP)
	@mkdir -p var/prefect  # Prefect warns at import when its home's folder is missing
	PREFECT_HOME=$(CURDIR)/var/prefect DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false \
		$(BIN)/lexsync demo $(DEMO_ARGS)

## The whole service locally: Prefect server, deployments, a worker, the webhook receiver
## (and, without LEXOFFICE_API_KEY, the sandbox with demo data). Pids in var/run, logs in var/log.
up: $(DEMO_STAMP)
	DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false $(BIN)/lexsync up

## Pins Lexware's published webhook key into the package (needs the internet; prints the
## SHA-256 fingerprint to compare with a second source before committing the file).
webhook-key: $(STAMP)
	$(BIN)/python -m deployments.webhooks.public_key

## Stops everything `make up` started, by process id.
down:
	$(BIN)/lexsync down

## Lint, types, then the whole test suite (SQLite and PostgreSQL).
test: lint
	$(BIN)/pytest

## Benchmarks: figures, not pass/fail (BENCHMARKS.md says what they mean and what was measured).
## First the load tests marked `bench` (the burst of 1,000 signed webhook callbacks, SQLite and
## PostgreSQL: its limits hold on an idle machine, so `make test` leaves it out), and the
## edit → system latency per event family: embedded, and through a worker (the service as
## `make up` starts it; 5 edits per family on SQLite and PostgreSQL, quick: 1 on SQLite).
## The diff of 100,000 × 100,000, then full syncs against the sandbox in its own process:
## 1,000 customers + 5,000 products (first sync at 100 requests/s: at lexoffice's 2/s it would
## take about half an hour; then nothing changed and 5 % changed at 2/s), and 10,000 customers
## + 5,000 products at 100 requests/s; then the same size with nothing changed at lexoffice's
## 2 requests/s against a sandbox answering after 1 s (a slow lexoffice: list pages overlap).
## About 18 minutes; `make bench BENCH=quick` ≈5 minutes.
BENCH ?= full
ifeq ($(BENCH),quick)
BENCH_LIVE := LEXSYNC_LIVE_WORKER_ROUNDS=1 $(BIN)/pytest -q -s -m bench -k "not (worker and postgresql)"
BENCH_DIFF_SIZE := 20000
BENCH_SYNC_RUNS := "--customers 200 --products 500 --first-rate 50 --rate 2" \
	"--customers 1000 --products 1000 --rate 100" \
	"--customers 1000 --products 1000 --first-rate 100 --rate 2 --latency 1 --scenarios first unchanged"
else
BENCH_LIVE := LEXSYNC_LIVE_WORKER_ROUNDS=5 $(BIN)/pytest -q -s -m bench
BENCH_DIFF_SIZE := 100000
BENCH_SYNC_RUNS := "--customers 1000 --products 5000 --first-rate 100 --rate 2" \
	"--customers 10000 --products 5000 --rate 100" \
	"--customers 10000 --products 5000 --first-rate 100 --rate 2 --latency 1 --scenarios first unchanged"
endif
bench: $(STAMP)
	$(BENCH_LIVE)
	$(BIN)/python tests/benchmarks/bench_diff.py $(BENCH_DIFF_SIZE)
	@for run in $(BENCH_SYNC_RUNS); do \
		echo "== $(BIN)/python -m tests.benchmarks.bench_sync $$run"; \
		$(BIN)/python -m tests.benchmarks.bench_sync $$run || exit 1; \
	done

## The seeded fault suite over many seeds (tests/faults/test_faults_scenarios.py): every create
## endpoint × every way a create can fail, draft and finalized invoices; each seed must end
## like the fault-free run (no duplicate, no lost update). About 21 s a seed on SQLite.
FAULT_SEEDS ?= 100
FAULT_DB ?= sqlite
bench-faults: $(STAMP)
	LEXSYNC_FAULT_SEEDS=$(FAULT_SEEDS) $(BIN)/pytest -q -p no:cacheprovider \
		tests/faults/test_faults_scenarios.py -k "$(FAULT_DB)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
