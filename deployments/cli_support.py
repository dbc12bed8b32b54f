"""Shared pieces of the admin commands: exit codes, loading a connection, a progress spinner."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
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
    from deployments.connection import load_connection

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


def error(message: str) -> None:
    print(f"lexsync: {message}", file=sys.stderr)


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while a flow runs; stdout stays the report."""
    console = Console(stderr=True)
    started = time.monotonic()
    with console.status(f"{what} …", spinner="dots"):
        yield
    console.print(f"{what}: done in {time.monotonic() - started:.1f} s")
