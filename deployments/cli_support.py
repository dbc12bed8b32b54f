"""Shared pieces of the admin commands: exit codes, loading a connection, safe database URLs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

EXIT_OK = 0
EXIT_FAILED_RECORDS = 1
EXIT_USAGE = 2


class ConfigurationError(Exception):
    """Something an admin must fix before the command can run (exit code 2)."""


def add_connection_argument(parser: Any) -> None:
    parser.add_argument(
        "--connection",
        default="default",
        help='the connection block to use ("default" falls back to environment variables)',
    )


def load(name: str) -> Any:
    """The connection `name`, or a ConfigurationError that says what is wrong."""
    from tasks.connection import load_connection

    try:
        return load_connection(name)
    except ValueError as error:
        raise ConfigurationError(f"no connection block named {name!r}: {error}") from error


def safe_url(url: str) -> str:
    """A database URL fit to print: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable database URL)"


def require_database_at_head(url: str) -> str:
    """The head revision if the database at `url` is migrated to it, else ConfigurationError.

    A SQLite file that does not exist is reported, not created (SQLite would create it).
    """
    from connectors.fieldservice.db import current_revision, head_revision

    if _missing_sqlite_file(url):
        raise ConfigurationError(f"{safe_url(url)} does not exist: run `lexsync db upgrade`")
    current, head = current_revision(url), head_revision()
    if current != head:
        raise ConfigurationError(
            f"{safe_url(url)} is at schema revision {current or '(empty)'}, lexsync needs "
            f"{head}: run `lexsync db upgrade`"
        )
    return str(head)


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    file = parsed.database
    is_file = parsed.get_backend_name() == "sqlite" and file not in (None, "", ":memory:")
    return is_file and not Path(str(file)).exists()


def error(message: str) -> None:
    print(f"lexsync: {message}", file=sys.stderr)
