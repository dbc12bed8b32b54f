"""The sync benchmark's child processes, so each is measured on its own.

    python -m tests.benchmarks.bench_sync_worker sandbox --rps R --api-key K --state-file F
        runs the lexoffice sandbox until its stdin closes; prints {"base_url": …} first.
    python -m tests.benchmarks.bench_sync_worker sync [--profile FILE] [--gc-freeze]
        runs one full sync of the "default" connection (environment variables, PREFECT_API_URL
        of a running Prefect server) and prints one line `RESULT {json}` with its figures;
        with --profile, under cProfile with a CPU-time clock (slower; figures then inflated);
        with --gc-freeze, after `gc.freeze()` (an experiment, see `run_sync`).

Not collected by pytest (the name does not start with test_).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

RESULT_PREFIX = "RESULT "


class GcTimer:
    """Wall time spent in Python's cyclic garbage collector (part of local processing)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


def serve_sandbox(rps: float, api_key: str, state_file: Path, latency: float = 0.0) -> None:
    """The sandbox in this process (its CPU and memory are not lexsync's)."""
    from connectors.lexoffice.sandbox.config import SandboxConfig
    from connectors.lexoffice.sandbox.server import SandboxServer

    # Burst as `lexsync sandbox` sets it: lexoffice's 2 at 2 requests/s, one second's worth above.
    # The state file is read at start and written at shutdown only: rewriting every record once
    # a second (the default) would slow the sandbox's answers during the measured syncs.
    config = SandboxConfig(
        rps=rps,
        burst=max(2, int(rps)),
        api_key=api_key,
        state_file=state_file,
        persist_interval=24 * 3600.0,
        latency_seconds=latency,
    )
    with SandboxServer(config) as sandbox:
        print(json.dumps({"base_url": sandbox.base_url}), flush=True)
        sys.stdin.read()  # the parent closes our stdin to stop us


def run_sync(gc_freeze: bool = False) -> dict[str, Any]:
    """One full sync, timed; what it did (report counts) and what it waited for.

    `gc_freeze`: an experiment, not what lexsync does: move everything the imports created
    out of the garbage collector's sight (`gc.freeze()`) before the flow starts.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from connectors.lexoffice.stats import REQUEST_STATS
    from flows.full_sync import full_sync

    if gc_freeze:
        gc.collect()
        gc.freeze()
    rss_before = _peak_rss_mb()
    gc_timer = GcTimer()
    gc.callbacks.append(gc_timer)
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        figures_before, cpu_before = REQUEST_STATS.snapshot(), _cpu_seconds()
        started = time.perf_counter()
        report = full_sync()
        wall = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        figures = REQUEST_STATS.snapshot().since(figures_before)
    gc.callbacks.remove(gc_timer)
    return {
        "wall": wall,
        "cpu": cpu,
        "gc": gc_timer.seconds,
        "gc_collections": gc_timer.collections,
        "pacing": figures.pacing_seconds,
        "backoff": figures.backoff_seconds,
        "http": figures.http_seconds,
        "attempts": figures.attempts,
        "statuses": {str(status): n for status, n in figures.statuses.items()},
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": rss_before,
        "failed": report.failed,
        "sections": [
            {"entity": s.entity, "direction": s.direction, "counts": dict(s.counts)}
            for s in report.sections
        ],
        "problems": len(report.problems),
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sandbox = commands.add_parser("sandbox")
    sandbox.add_argument("--rps", type=float, required=True)
    sandbox.add_argument("--api-key", required=True)
    sandbox.add_argument("--state-file", type=Path, required=True)
    sandbox.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    sync = commands.add_parser("sync")
    sync.add_argument("--profile", type=Path, default=None)
    sync.add_argument("--gc-freeze", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        serve_sandbox(args.rps, args.api_key, args.state_file, args.latency)
    elif args.profile is None:
        print(RESULT_PREFIX + json.dumps(run_sync(args.gc_freeze)), flush=True)
    else:
        # A CPU clock: on a shared machine, wall-clock profiles mostly show waiting for a core.
        profiler = cProfile.Profile(time.process_time)
        result = profiler.runcall(run_sync, args.gc_freeze)
        profiler.dump_stats(args.profile)
        print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
