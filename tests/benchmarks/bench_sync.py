"""Benchmark of the full sync against the sandbox: requests, waiting, memory, local processing.

    .venv/bin/python -m tests.benchmarks.bench_sync --customers 1000 --products 5000 \\
        --first-rate 100 --rate 2

Per size: the system database (SQLite) and the sandbox are seeded (`bench_sync_data`), then
three full syncs run, each in its own process (`bench_sync_worker sync`) against a Prefect
server started here and a sandbox in a third process, so that neither's memory or CPU counts
as lexsync's:
1. first: the first full sync (creates each side's half on the other side), at --first-rate;
2. unchanged: nothing changed since;
3. changed: 5 % of the linked records changed on each side (SQL / sandbox user edits).
The sandbox is restarted from its state file when --rate differs from --first-rate. Prints a
Markdown table per run and a summary; figures, not pass/fail. Definitions in BENCHMARKS.md.
Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import os
import tempfile

# Before Prefect builds its settings (see the shared prefect-notes.md). A Prefect home of
# our own (removed at the end) unless one is set.
OWN_PREFECT_HOME = (
    None if "PREFECT_HOME" in os.environ else tempfile.mkdtemp(prefix="lexsync-bench-prefect-")
)
for _name, _value in {
    "PREFECT_HOME": OWN_PREFECT_HOME or "",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}.items():
    os.environ.setdefault(_name, _value)

import argparse  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from prefect.settings import PREFECT_API_URL  # noqa: E402
from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from tests.benchmarks import bench_sync_data as data  # noqa: E402
from tests.benchmarks.bench_sync_figures import (  # noqa: E402
    Listings,
    RunFigures,
    print_run,
    print_summary,
)
from tests.benchmarks.bench_sync_processes import SandboxProcess, run_sync_process  # noqa: E402

SCENARIOS = ("first", "unchanged", "changed")


class SizeRun:
    """The three scenarios for one size, against one database and one sandbox state."""

    def __init__(self, args: argparse.Namespace, customers: int, workdir: Path) -> None:
        self.args, self.customers, self.products = args, customers, args.products
        folder = workdir / f"c{customers}-p{args.products}"
        folder.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{folder / 'system.db'}"
        self.state_file = folder / "sandbox.json"
        self.api_key = f"bench-{secrets.token_hex(12)}"
        self.listings = Listings(customers=customers // 2, products=args.products // 2)

    def run(self) -> list[RunFigures]:
        started = time.perf_counter()
        data.seed_system(self.url, self.customers, self.products)
        sandbox = self._sandbox(self.args.first_rate)
        try:
            data.seed_lexoffice(sandbox.control, self.customers, self.products)
            print(f"seeded both sides in {time.perf_counter() - started:.1f} s", flush=True)
            results = [self._scenario(sandbox, "first", self.args.first_rate)]
            if self.args.rate != self.args.first_rate or self.args.latency:
                sandbox.stop()  # it writes its state file, which the next one starts from
                sandbox = self._sandbox(self.args.rate, self.args.latency)
            for name in ("unchanged", "changed"):
                if name in self.args.scenarios:
                    results.append(self._scenario(sandbox, name, self.args.rate))
        finally:
            sandbox.stop()
        return results

    def _sandbox(self, rate: float, latency: float = 0.0) -> SandboxProcess:
        return SandboxProcess.start(rate, self.api_key, self.state_file, latency)

    def _scenario(self, sandbox: SandboxProcess, name: str, rate: float) -> RunFigures:
        writes, changed_note = self._prepare(sandbox, name)
        listings = self.listings
        sandbox.control.delete("/requests").raise_for_status()
        env = {
            "LEXOFFICE_API_KEY": self.api_key,
            "LEXOFFICE_BASE_URL": sandbox.base_url,
            "LEXOFFICE_RATE_PER_SECOND": str(rate),
            "LEXSYNC_DATABASE_URL": self.url,
            "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        }
        profile = None
        if self.args.profile:
            self.args.profile.mkdir(parents=True, exist_ok=True)
            profile = self.args.profile / f"c{self.customers}-p{self.products}-{name}.prof"
        result = run_sync_process(env, profile, self.args.gc_freeze)
        log = sandbox.control.get("/requests").json()
        self.listings = listings.after(result)
        latency = self.args.latency if name != "first" else 0.0
        slow = f", answers after {latency:g} s" if latency else ""
        figures = RunFigures.from_run(
            f"{name}, {self.customers:,} customers + {self.products:,} products{slow}",
            rate,
            listings,
            writes,
            changed_note,
            result,
            log,
        )
        print_run(figures)
        return figures

    def _prepare(self, sandbox: SandboxProcess, name: str) -> tuple[int, str]:
        """Make the scenario's changes; the writes to lexoffice it makes necessary."""
        if name == "first":
            exports = data.exportable(self.url)
            return exports.total, (
                f"{exports.customers:,} customers and {exports.products:,} products to create "
                "in lexoffice"
            )
        if name == "unchanged":
            return 0, "nothing changed"
        in_system = data.change_system(self.url)
        in_lexoffice = data.change_lexoffice(self.url, sandbox.control)
        return in_system.total, (
            f"system: {in_system.customers:,} customers + {in_system.products:,} products "
            f"changed; lexoffice: {in_lexoffice.customers:,} contacts + "
            f"{in_lexoffice.products:,} articles changed"
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Full-sync benchmark against the sandbox.")
    parser.add_argument("--customers", type=int, nargs="+", default=[1000])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=2.0, help="requests/s after the first sync")
    parser.add_argument("--first-rate", type=float, default=None, help="for the first sync")
    parser.add_argument(
        "--latency", type=float, default=0.0,
        help="seconds the sandbox takes per answer after the first sync (a slow lexoffice)",
    )  # fmt: skip
    parser.add_argument(
        "--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS),
        help="the first sync always runs: it builds the state the others start from",
    )  # fmt: skip
    parser.add_argument(
        "--workdir", type=Path, default=None,
        help="keep the databases and sandbox states here (default: a temporary one, removed)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=Path, default=None,
        help="write a CPU-time cProfile of each sync here (inflates the figures)",
    )  # fmt: skip
    parser.add_argument(
        "--gc-freeze", action="store_true",
        help="experiment: gc.freeze() in each sync process after its imports",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.first_rate is None:
        args.first_rate = args.rate
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lexsync-bench-"))
    print(f"sync benchmark: work directory {workdir}; machine: {os.cpu_count()} cores", flush=True)
    results: list[RunFigures] = []
    try:
        with prefect_test_harness():
            for customers in args.customers:
                results += SizeRun(args, customers, workdir).run()
    finally:
        # Databases and sandbox states of 10,000 customers are tens of MB: keep only on request.
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        if OWN_PREFECT_HOME is not None:
            shutil.rmtree(OWN_PREFECT_HOME, ignore_errors=True)
    print_summary(results)


if __name__ == "__main__":
    main()
