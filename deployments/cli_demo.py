"""`lexsync demo`: the main job on demo data — a full sync against the lexoffice sandbox.

With LEXOFFICE_API_KEY set, the same full sync runs against the real lexoffice account and
the configured system database instead (nothing is seeded then).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.fieldservice.demo import seed_demo
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.connection import DEFAULT_DATABASE_URL

DEMO_DATABASE = Path("var/demo.db")


def register(commands: Any) -> None:
    parser = commands.add_parser("demo", help="full sync of demo data against the sandbox")
    parser.add_argument(
        "--rps",
        type=float,
        default=10.0,
        help="the sandbox's requests/s (lexoffice allows 2; the demo runs faster by default)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="with LEXOFFICE_API_KEY: write without asking"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if os.environ.get("LEXOFFICE_API_KEY"):
        return _sync_real_account(args.yes)
    url = _fresh_demo_database()
    print(f"system database: {url} (demo business seeded)")
    config = SandboxConfig(rps=args.rps, burst=max(2, int(args.rps)), seed_demo=True)
    with SandboxServer(config) as sandbox:
        print(
            f"lexoffice sandbox: {sandbox.base_url} at {args.rps:g} requests/s (demo data seeded)"
        )
        os.environ |= {
            "LEXOFFICE_API_KEY": sandbox.api_key,
            "LEXOFFICE_BASE_URL": sandbox.base_url,
            "LEXOFFICE_RATE_PER_SECOND": str(args.rps),
            "LEXSYNC_DATABASE_URL": url,
        }
        started = time.monotonic()
        exit_code = _full_sync()
        log = sandbox.control.get("/requests").json()
    _print_figures(log, time.monotonic() - started)
    return exit_code


def _sync_real_account(yes: bool) -> int:
    """`lexsync sync` on the configured database: organization checked, a dry run first."""
    from deployments.cli_sync import run as sync

    url = os.environ.get("LEXSYNC_DATABASE_URL", DEFAULT_DATABASE_URL)
    print(f"LEXOFFICE_API_KEY is set: full sync of {url} with the real lexoffice account")
    migrate(url)
    return sync(argparse.Namespace(entity=None, dry_run=False, yes=yes, connection="default"))


def _full_sync() -> int:
    """The demo's full sync; its exit code (0, 3, 1, 2) as `lexsync sync` gives it."""
    from deployments.cli_outcome import report_failure, run_flow
    from flows.full_sync import full_sync
    from tasks.report import render_markdown

    outcome = run_flow(full_sync)
    if outcome.failure is not None or outcome.result is None:
        return report_failure(outcome)
    print(render_markdown(outcome.result))
    return outcome.exit_code


def _fresh_demo_database() -> str:
    DEMO_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{DEMO_DATABASE}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        seed_demo(session)
    engine.dispose()
    return url


def _print_figures(log: list[dict[str, Any]], seconds: float) -> None:
    statuses: dict[int, int] = {}
    for entry in log:
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    print(f"lexoffice requests: {len(log)} in {seconds:.1f} s; by status: {statuses}")
