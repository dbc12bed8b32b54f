"""Shared pieces of the admin commands: exit codes, loading a connection, plain errors.

Every check an admin can fail runs here, before a flow starts: a wrong name, environment
value, base URL, database URL or schema gives one or two German lines (what is wrong, which
value, what to do) and exit code 2, not a traceback from deep inside a run.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

EXIT_OK = 0  # done, no problems
EXIT_FAILED = 1  # the run failed
EXIT_USAGE = 2  # configuration or input error: nothing was run
EXIT_PROBLEMS = 3  # done, with problems (failed records, conflicts, held back)
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM

CONNECTION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ConfigurationError(Exception):
    """Something an admin must fix before the command can run (exit code 2)."""


def add_connection_argument(parser: Any) -> None:
    parser.add_argument(
        "--connection",
        default="default",
        metavar="NAME",
        help='die Verbindung (Firma); "default" nimmt ohne Block die Umgebungsvariablen',
    )


def check_connection_name(name: str) -> None:
    """ConfigurationError for a name Prefect would refuse as a block name."""
    if not CONNECTION_NAME.fullmatch(name):
        raise ConfigurationError(
            f"Ungültiger Verbindungsname {name!r}: erlaubt sind Kleinbuchstaben, Ziffern und "
            "Bindestriche, z. B. meier-elektro."
        )


def load(name: str) -> Any:
    """The connection `name` with its settings checked, or a ConfigurationError that says why.

    Without a Prefect server (no PREFECT_API_URL, no temporary server started) only the
    embedded default exists: it comes from the environment without asking Prefect.
    """
    from deployments.cli_prefect import api_url_configured

    check_connection_name(name)
    check_environment()
    if not api_url_configured():
        if name != "default":
            raise _unknown_connection(name)
        from tasks.connection import connection_from_environment

        connection_block = connection_from_environment()
    else:
        connection_block = _load_block(name)
    check_base_url(connection_block.lexoffice_base_url)
    address = normalise_database_url(connection_block.database_address)
    connection_block.database_address = address
    return connection_block


def _load_block(name: str) -> Any:
    from tasks.connection import load_connection

    try:
        return load_connection(name)
    except ValueError:
        raise _unknown_connection(name) from None


def _unknown_connection(name: str) -> ConfigurationError:
    return ConfigurationError(
        f"Keine Verbindung namens {name!r}. `lexsync connections list` zeigt die vorhandenen."
    )


def check_environment() -> None:
    """The embedded default's environment variables, each checked with its own message."""
    rate = os.environ.get("LEXOFFICE_RATE_PER_SECOND")
    if rate is not None and not _positive_number(rate):
        raise ConfigurationError(
            f"LEXOFFICE_RATE_PER_SECOND={rate!r} ist keine Zahl größer 0: z. B. 2 setzen "
            "(lexoffice erlaubt 2 Anfragen pro Sekunde) oder die Variable entfernen."
        )
    base_url = os.environ.get("LEXOFFICE_BASE_URL")
    if base_url:
        check_base_url(base_url)
    database_url = os.environ.get("LEXSYNC_DATABASE_URL")
    if database_url:
        # The flows read the variable themselves: hand them the URL SQLAlchemy can load.
        os.environ["LEXSYNC_DATABASE_URL"] = normalise_database_url(database_url)


def _positive_number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def check_base_url(url: str) -> None:
    """ConfigurationError for a lexoffice base URL lexsync cannot use as given."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"Die lexoffice-Basis-URL {url!r} ist keine http(s)-Adresse: z. B. "
            "https://api.lexware.io angeben."
        )
    if parts.path.rstrip("/").endswith("/v1"):
        raise ConfigurationError(
            f"Die lexoffice-Basis-URL {url!r} endet auf /v1, lexsync hängt /v1/… selbst an: "
            f"{url.rstrip('/').removesuffix('/v1')} angeben."
        )


def normalise_database_url(url: str) -> str:
    """The URL with its driver (`with_driver`), or a ConfigurationError for an unreadable one."""
    from connectors.fieldservice.urls import with_driver

    url = with_driver(url)
    try:
        make_url(url)
    except Exception:
        raise ConfigurationError(
            f"Die Datenbank-URL {url!r} ist unlesbar: z. B. sqlite:///var/lexsync.db oder "
            "postgresql+psycopg://user@host/db angeben."
        ) from None
    return url


def safe_url(url: str) -> str:
    """A database URL fit to print: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable database URL)"


def upgrade_hint(connection: str) -> str:
    """The command that migrates the database of the connection so named (not the default's)."""
    if connection == "default":
        return "`lexsync db upgrade`"
    return f"`lexsync db upgrade --connection {connection}`"


def require_database_at_head(url: str, connection: str = "default") -> str:
    """The head revision if the database at `url` is migrated to it, else ConfigurationError.

    A SQLite file that does not exist is reported, not created (SQLite would create it).
    """
    from connectors.fieldservice.db import current_revision, head_revision

    hint = upgrade_hint(connection)
    if _missing_sqlite_file(url):
        raise ConfigurationError(f"Die Datenbank {safe_url(url)} gibt es nicht: {hint} ausführen.")
    try:
        current = current_revision(url)
    except Exception as failure:
        raise ConfigurationError(
            f"Die Datenbank {safe_url(url)} ist nicht erreichbar ({database_reason(failure)}): "
            "URL, Server und Zugangsdaten prüfen."
        ) from None
    head = head_revision()
    if current != head:
        raise ConfigurationError(
            f"Die Datenbank {safe_url(url)} hat den Schemastand {current or '(leer)'}, lexsync "
            f"braucht {head}: {hint} ausführen."
        )
    return str(head)


def database_reason(failure: Exception) -> str:
    """The driver's first line (e.g. "connection refused"), never the URL's password."""
    original = getattr(failure, "orig", None) or failure
    lines = str(original).strip().splitlines()
    reason = lines[0] if lines else ""
    return f"{type(original).__name__}: {reason}" if reason else type(original).__name__


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    file = parsed.database
    is_file = parsed.get_backend_name() == "sqlite" and file not in (None, "", ":memory:")
    return is_file and not Path(str(file)).exists()


def error(message: str) -> None:
    print(f"lexsync: {message}", file=sys.stderr)
