"""`lexsync sync`: the full sync, or the master-data sync of chosen entities, in this process.

Prints the run's report (the same text as the Prefect artifact). Exit 0 when every record
went through, 1 when records failed, 2 when the configuration is wrong (no API key, a
refused key, a database not at the newest schema).
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_progress import working
from deployments.cli_support import (
    EXIT_FAILED_RECORDS,
    EXIT_OK,
    EXIT_USAGE,
    add_connection_argument,
    error,
)

ENTITIES = ("customers", "products", "activities")


def register(commands: Any) -> None:
    parser = commands.add_parser("sync", help="run the full sync (or one entity) now")
    parser.add_argument(
        "--entity",
        action="append",
        choices=ENTITIES,
        help="only this entity's master-data sync (repeatable); default: the full sync",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tasks.report import render_markdown

    what = f"sync of {', '.join(args.entity)}" if args.entity else "full sync"
    try:
        with working(f"{what} ({args.connection})"):
            report = _run_flow(args)
    except Exception as failure:
        return report_failure(failure)
    print(render_markdown(report))
    return EXIT_FAILED_RECORDS if report.failed else EXIT_OK


def _run_flow(args: argparse.Namespace) -> Any:
    if args.entity:
        from flows.master_data import sync_master_data

        entities = list(dict.fromkeys(args.entity))
        return sync_master_data(args.connection, entities=entities, dry_run=args.dry_run)
    from flows.full_sync import full_sync

    return full_sync(args.connection, dry_run=args.dry_run)


def report_failure(failure: Exception) -> int:
    """Prints why a flow stopped; exit 2 for what an admin must configure, else 1."""
    if is_configuration_error(failure):
        error(str(failure))
        return EXIT_USAGE
    error(f"the run failed: {type(failure).__name__}: {failure}")
    return EXIT_FAILED_RECORDS


def is_configuration_error(failure: Exception) -> bool:
    from connectors.lexoffice.errors import CredentialsError
    from tasks.connection import MissingApiKeyError
    from tasks.schema import OutdatedSchemaError

    known = (MissingApiKeyError, OutdatedSchemaError, CredentialsError)
    # A block name that does not exist: load_connection's ValueError.
    return isinstance(failure, known) or (
        isinstance(failure, ValueError) and "block" in str(failure).lower()
    )
