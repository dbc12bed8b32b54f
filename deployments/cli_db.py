"""`lexsync db upgrade`: migrate the connection's system database to the newest schema."""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_support import (
    EXIT_OK,
    EXIT_USAGE,
    add_connection_argument,
    database_reason,
    error,
    load,
    normalise_database_url,
    safe_url,
)


def register(commands: Any) -> None:
    parser = commands.add_parser("db", help="the system database's schema")
    actions = parser.add_subparsers(dest="db_action", required=True)
    upgrade = actions.add_parser("upgrade", help="migrate the database to the newest schema")
    add_connection_argument(upgrade)
    upgrade.add_argument(
        "--url", default=None, help="this database URL instead of the connection's"
    )
    upgrade.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from connectors.fieldservice.db import current_revision, head_revision, migrate

    url = normalise_database_url(args.url) if args.url else load(args.connection).database_url
    try:
        before = current_revision(url)
        migrate(url)
    except Exception as failure:
        error(f"{safe_url(url)} nicht migriert: {database_reason(failure)}")
        return EXIT_USAGE
    head = head_revision()
    if before == head:
        print(f"{safe_url(url)}: already at the newest schema ({head})")
    else:
        print(f"{safe_url(url)}: migrated from {before or '(empty)'} to {head}")
    return EXIT_OK
