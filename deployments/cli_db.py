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
    parser = commands.add_parser("db", help="das Schema der Systemdatenbank")
    actions = parser.add_subparsers(
        dest="db_action", required=True, title="Aktionen", metavar="AKTION"
    )
    upgrade = actions.add_parser("upgrade", help="die Datenbank auf das neueste Schema migrieren")
    add_connection_argument(upgrade)
    upgrade.add_argument("--url", default=None, help="diese Datenbank-URL statt der der Verbindung")
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
        print(f"{safe_url(url)}: schon auf dem neuesten Schema ({head})")
    else:
        print(f"{safe_url(url)}: migriert von {before or '(leer)'} auf {head}")
    return EXIT_OK
