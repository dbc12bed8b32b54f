"""`lexsync sync`: the full sync, or the master-data sync of chosen entities, in this process.

Prints the run's report (the same text as the Prefect artifact). Before anything runs, the
connection, its database and the lexoffice key are checked (exit 2 with what to fix). Against
a real lexoffice account (not a sandbox on this machine) the database must belong to the
key's organization, and a dry run is shown and confirmed first, unless `--yes`.
Exit codes: 0 no problems, 3 done with problems, 1 the run failed, 2 configuration error.
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_outcome import Outcome, report_failure, run_flow
from deployments.cli_progress import working
from deployments.cli_support import (
    EXIT_USAGE,
    add_connection_argument,
    error,
    load,
    require_database_at_head,
)

ENTITIES = ("customers", "products", "activities")


def register(commands: Any) -> None:
    parser = commands.add_parser("sync", help="jetzt abgleichen: alles (oder nur Stammdaten)")
    parser.add_argument(
        "--entity",
        action="append",
        choices=ENTITIES,
        help="nur die Stammdaten dieser Art abgleichen (mehrfach möglich: customers = Kunden, "
        "products = Material, activities = Tätigkeiten); sonst der Vollabgleich",
    )
    parser.add_argument("--dry-run", action="store_true", help="den Plan zeigen, nichts schreiben")
    parser.add_argument(
        "--yes",
        action="store_true",
        help="bei einem echten lexoffice-Konto ohne Rückfrage schreiben",
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deployments.cli_safety import confirm_writes, is_real_account, require_same_organization

    connection_block, profile = prepare(args.connection)
    if is_real_account(connection_block.lexoffice_base_url) and not args.dry_run:
        require_same_organization(connection_block, profile)
        if not args.yes:
            look = execute(args, dry_run=True)
            if look.exit_code not in (0, 3):
                return look.exit_code
            if not confirm_writes("Das war ein Probelauf: noch nichts geschrieben."):
                error(
                    "Nichts geschrieben. Zum Schreiben bestätigen oder `--yes` angeben "
                    "(ein echtes lexoffice-Konto)."
                )
                return EXIT_USAGE
    return execute(args, dry_run=args.dry_run).exit_code


def prepare(name: str) -> tuple[Any, Any]:
    """The connection, checked (settings, database schema), and lexoffice's profile for its key."""
    from deployments.cli_lexoffice import profile_of

    connection_block = load(name)
    require_database_at_head(connection_block.database_url, name)
    return connection_block, profile_of(connection_block)


def execute(args: argparse.Namespace, dry_run: bool) -> Outcome:
    """Runs the flow with a progress bar and prints its report (or why it failed)."""
    from tasks.report import render_markdown

    what = f"Abgleich von {', '.join(args.entity)}" if args.entity else "Vollabgleich"
    with working(f"{what} ({args.connection}{', Probelauf' if dry_run else ''})"):
        outcome = _run_flow(args, dry_run)
    if outcome.failure is not None or outcome.result is None:
        report_failure(outcome)
    else:
        print(render_markdown(outcome.result))
    return outcome


def _run_flow(args: argparse.Namespace, dry_run: bool) -> Outcome:
    if args.entity:
        from flows.master_data import sync_master_data

        entities = list(dict.fromkeys(args.entity))
        return run_flow(sync_master_data, args.connection, entities=entities, dry_run=dry_run)
    from flows.full_sync import full_sync

    return run_flow(full_sync, args.connection, dry_run=dry_run)
