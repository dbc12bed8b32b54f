"""Benchmark: many companies synced by 1, 2 and 4 Prefect workers on one machine.

Not collected by pytest. Run (≈30 min with the defaults):

    .venv/bin/python tests/benchmarks/bench_connections.py \
        --connections 200 --customers 1000 --changed 10 --workers 1 2 4 --limit 4

What runs is the real thing: a Prefect server on PostgreSQL, `prefect deploy --all` from
prefect.yaml, `prefect worker start --pool lexsync --limit L` processes, and the nightly
fan-out deployment `sync-all-connections`, which starts one `full-sync` run per company. The
sandbox runs in its own process and paces every API key at lexoffice's 2 requests/s (it
answers 429 beyond that). Before each round, `--changed` customers of every company get a new
phone number in its system database, so every company's run writes that many contacts.

Printed per round: wall time from the fan-out's start to the last company's run ending,
runs completed/failed, requests and their aggregate rate, and per account: the most
requests in any one-second window and the mean rate while the account was busy, and 429s.
"""

from __future__ import annotations

import os

# Before Prefect reads its settings: the template's in-process sync logs only warnings.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterExpectedStartTime,
)
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_connections_setup import (
    BenchCompany,
    Sandbox,
    change_customers,
    deploy,
    make_companies,
    make_template,
    start_sandbox,
)
from tests.support.databases import ThrowawayDatabases
from tests.support.prefect_server import PREFECT, free_port, start, stop, wait_healthy
from tests.support.request_rates import most_in_one_second


@dataclass
class Round:
    workers: int
    wall_seconds: float
    completed: int
    failed: int
    requests: int
    rate_429: int
    peak_per_second: int
    mean_busy_rate: float
    median_run_seconds: float
    cpu_seconds: float  # the whole machine's busy CPU time during the round


def busy_cpu_seconds() -> float:
    """Seconds of CPU the machine has been busy (all cores, /proc/stat), for per-run costs."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lexsync-bench-connections-"))
    databases = ThrowawayDatabases()
    prefect_db = databases.create()
    env = prefect_environment(workdir, prefect_db)
    processes = []
    try:
        server = start([PREFECT, "server", "start", "--host", "127.0.0.1", "--port",
                        env["PREFECT_SERVER_API_PORT"]], env, workdir / "server.log")  # fmt: skip
        processes.append(server)
        wait_healthy(env["PREFECT_API_URL"], server, workdir / "server.log")
        sandbox = start_sandbox(2.0, workdir / "sandbox.log", env)
        fast = start_sandbox(1000.0, workdir / "fast-sandbox.log", env)
        processes += [sandbox.process, fast.process]
        started = time.perf_counter()
        template = make_template(workdir, args.customers, fast, env["PREFECT_API_URL"])
        companies = make_companies(
            args.connections, workdir, template, sandbox, env["PREFECT_API_URL"]
        )
        deploy(env)
        print(f"set-up: {len(companies)} companies × {args.customers} customers, linked, "
              f"in {time.perf_counter() - started:.0f} s ({workdir})", flush=True)  # fmt: skip
        rounds = [
            run_round(n, args, companies, sandbox, env, workdir, index)
            for index, n in enumerate(args.workers, start=1)
        ]
        print_rounds(rounds, args)
    finally:
        for process in reversed(processes):
            stop(process)
        databases.drop(prefect_db)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--changed", type=int, default=10, help="customers changed per company")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--limit", type=int, default=4, help="flow runs at once per worker")
    return parser.parse_args()


def prefect_environment(workdir: Path, prefect_db: str) -> dict[str, str]:
    port = str(free_port())
    database = prefect_db.replace("postgresql+psycopg://", "postgresql+asyncpg://")
    return os.environ | {
        "PREFECT_HOME": str(workdir / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_API_PORT": port,
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": database,
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


def run_round(
    workers: int,
    args: argparse.Namespace,
    companies: list[BenchCompany],
    sandbox: Sandbox,
    env: dict[str, str],
    workdir: Path,
    index: int,
) -> Round:
    change_customers(companies, args.changed, index)
    with sandbox.control as control:
        control.delete("/requests")
    command = [PREFECT, "worker", "start", "--pool", "lexsync", "--limit", str(args.limit)]
    handles = [start(command, env, workdir / f"worker-{index}-{n}.log") for n in range(workers)]
    try:
        began, cpu_before = datetime.now(UTC), busy_cpu_seconds()
        with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
            run_deployment("sync-all-connections/sync-all-connections", timeout=0)
            runs = wait_for_runs(began, len(companies))
        cpu = busy_cpu_seconds() - cpu_before
    finally:
        for handle in handles:
            stop(handle)
    with sandbox.control as control:
        log = control.get("/requests").json()
    result = summarize(workers, began, runs, log, cpu)
    print(f"round {index}: {workers} worker(s): {result.wall_seconds:.0f} s", flush=True)
    return result


def wait_for_runs(began: datetime, count: int) -> list[FlowRun]:
    while True:
        runs = full_sync_runs_since(began)
        done = [r for r in runs if r.state is not None and r.state.is_final()]
        if len(runs) >= count and len(done) == len(runs):
            return runs
        time.sleep(2)


def full_sync_runs_since(began: datetime) -> list[FlowRun]:
    """Every full-sync run created for this round (the API answers 200 at a time)."""
    after = FlowRunFilter(expected_start_time=FlowRunFilterExpectedStartTime(after_=began))
    full_sync = DeploymentFilter(name=DeploymentFilterName(any_=["full-sync"]))
    runs: list[FlowRun] = []
    with get_client(sync_client=True) as client:
        while True:
            page = client.read_flow_runs(
                flow_run_filter=after, deployment_filter=full_sync, limit=200, offset=len(runs)
            )
            runs += page
            if len(page) < 200:
                return runs


def summarize(
    workers: int, began: datetime, runs: list[FlowRun], log: list[Any], cpu: float
) -> Round:
    ended = max(r.end_time for r in runs if r.end_time is not None)
    by_account: dict[str, list[float]] = {}
    for entry in log:
        by_account.setdefault(str(entry.get("organizationId")), []).append(float(entry["time"]))
    busy_rates = [
        (len(times) - 1) / (max(times) - min(times))
        for times in by_account.values()
        if len(times) > 1 and max(times) > min(times)
    ]
    durations = [r.total_run_time.total_seconds() for r in runs]
    return Round(
        workers=workers,
        wall_seconds=(ended - began).total_seconds(),
        completed=sum(1 for r in runs if r.state is not None and r.state.is_completed()),
        failed=sum(1 for r in runs if r.state is not None and not r.state.is_completed()),
        requests=len(log),
        rate_429=sum(1 for entry in log if entry["status"] == 429),
        peak_per_second=max((most_in_one_second(t) for t in by_account.values()), default=0),
        mean_busy_rate=statistics.fmean(busy_rates) if busy_rates else 0.0,
        median_run_seconds=statistics.median(durations) if durations else 0.0,
        cpu_seconds=cpu,
    )


def print_rounds(rounds: list[Round], args: argparse.Namespace) -> None:
    print(
        f"\n{args.connections} companies × {args.customers} customers, {args.changed} changed "
        f"per company; workers with --limit {args.limit}; sandbox 2 requests/s per key"
    )
    print(
        "| workers | wall s | runs ok/failed | requests | requests/s (all) | runs/min "
        "| median run s | max req in 1 s (any account) | mean req/s per busy account | 429s "
        "| machine CPU busy | CPU s per run |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    cores = os.cpu_count() or 1
    for r in rounds:
        runs_per_minute = 60 * (r.completed + r.failed) / r.wall_seconds
        print(
            f"| {r.workers} | {r.wall_seconds:.0f} | {r.completed}/{r.failed} | {r.requests} "
            f"| {r.requests / r.wall_seconds:.1f} | {runs_per_minute:.1f} "
            f"| {r.median_run_seconds:.1f} | {r.peak_per_second} | {r.mean_busy_rate:.2f} "
            f"| {r.rate_429} | {100 * r.cpu_seconds / (cores * r.wall_seconds):.0f} % "
            f"| {r.cpu_seconds / max(1, r.completed + r.failed):.1f} |"
        )


if __name__ == "__main__":
    main()
