"""`lexsync demo`: the main job on demo data — a full sync against the lexoffice sandbox.

The demo's two sides persist (`var/demo.db`, the sandbox's `var/demo-sandbox.json`), so a
second `lexsync demo` syncs the same data again and shows that nothing changed; `--fresh`
seeds both anew.

With LEXOFFICE_API_KEY set, the same full sync runs against the real lexoffice account and
the configured system database instead (nothing is seeded then).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connectors.fieldservice.db import make_engine, migrate, session_factory
from connectors.lexoffice.sandbox.config import SandboxConfig
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments import demo_summary
from tasks import report_text
from tasks.connection import DEFAULT_DATABASE_URL

if TYPE_CHECKING:
    from deployments.cli_outcome import Outcome

DEMO_DATABASE = Path("var/demo.db")
DEMO_SANDBOX_STATE = Path("var/demo-sandbox.json")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "demo", help="Vollabgleich mit Demodaten gegen die lexoffice-Sandbox"
    )
    parser.add_argument(
        "--rps",
        type=float,
        default=10.0,
        help="Anfragen pro Sekunde der Sandbox (lexoffice erlaubt 2; die Demo läuft schneller)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="mit LEXOFFICE_API_KEY: ohne Rückfrage schreiben"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="beide Seiten neu anlegen (sonst gleicht eine wiederholte Demo dieselben Daten ab)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if os.environ.get("LEXOFFICE_API_KEY"):
        return _sync_real_account(args.yes)
    if not _demo_extra_installed():
        print(
            "lexsync: die Demodaten brauchen das Extra demo: pip install -e '.[demo]' "
            "(make demo installiert es)",
            file=sys.stderr,
        )
        return 2
    repeated = not args.fresh and DEMO_DATABASE.exists() and DEMO_SANDBOX_STATE.exists()
    url = _demo_database(repeated)
    seeded = "Stand des letzten Demo-Laufs" if repeated else "Demo-Betrieb neu angelegt"
    print(f"Systemdatenbank: {url} ({seeded})")
    config = SandboxConfig(
        rps=args.rps,
        burst=max(2, int(args.rps)),
        seed_demo=True,  # only into an empty sandbox: a saved state is kept
        state_file=DEMO_SANDBOX_STATE.resolve(),
    )
    with SandboxServer(config) as sandbox:
        print(f"lexoffice-Sandbox: {sandbox.base_url}, {args.rps:g} Anfragen/s ({seeded})")
        os.environ |= {
            "LEXOFFICE_API_KEY": sandbox.api_key,
            "LEXOFFICE_BASE_URL": sandbox.base_url,
            "LEXOFFICE_RATE_PER_SECOND": str(args.rps),
            "LEXSYNC_DATABASE_URL": url,
        }
        started = time.monotonic()
        outcome = _full_sync()
        log = sandbox.control.get("/requests").json()
    _print_figures(log, time.monotonic() - started)
    if outcome.result is not None:
        print()
        report = outcome.result
        print(
            demo_summary.repeated_run(report, log) if repeated else demo_summary.first_run(report)
        )
    return outcome.exit_code


def _demo_extra_installed() -> bool:
    try:
        import faker  # noqa: F401
    except ImportError:
        return False
    return True


def _sync_real_account(yes: bool) -> int:
    """`lexsync sync` on the configured database: organization checked, a dry run first."""
    from deployments.cli_sync import run as sync

    url = os.environ.get("LEXSYNC_DATABASE_URL", DEFAULT_DATABASE_URL)
    print(f"LEXOFFICE_API_KEY ist gesetzt: Vollabgleich von {url} mit dem echten lexoffice-Konto")
    migrate(url)
    return sync(argparse.Namespace(entity=None, dry_run=False, yes=yes, connection="default"))


def _full_sync() -> Outcome:
    """The demo's full sync and its outcome (exit code 0, 3, 1, 2 as `lexsync sync` gives it)."""
    from deployments.cli_outcome import report_failure, run_flow
    from flows.full_sync import full_sync
    from tasks.report import render_markdown

    outcome = run_flow(full_sync)
    if outcome.failure is not None or outcome.result is None:
        report_failure(outcome)
    else:
        print(render_markdown(outcome.result))
    return outcome


def _demo_database(repeated: bool) -> str:
    """The demo's system database: kept for a repeated demo, else seeded anew (both sides)."""
    DEMO_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{DEMO_DATABASE}"
    if repeated:
        migrate(url)  # a demo left by an older lexsync
        return url
    DEMO_SANDBOX_STATE.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
    migrate(url)
    from connectors.fieldservice.demo import seed_demo  # faker: the demo extra only

    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        seed_demo(session)
    engine.dispose()
    return url


def _print_figures(log: list[dict[str, Any]], seconds: float) -> None:
    statuses: dict[int, int] = {}
    for entry in log:
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1
    by_status = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    took = report_text.number(round(seconds, 1))
    print(f"Anfragen an lexoffice: {len(log)} in {took} s (nach HTTP-Status: {by_status})")
