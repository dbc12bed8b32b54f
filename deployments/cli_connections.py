"""`lexsync connections`: the companies this installation syncs.

    lexsync connections add NAME --database-url URL [--api-key-file FILE|-] [--migrate]
    lexsync connections list
    lexsync connections disable NAME     (left out of the nightly sync; runs refuse it)
    lexsync connections enable NAME
    lexsync connections remove NAME      (the block only: database and lexoffice untouched)

The API key is never an argument (it would end up in the shell history and `ps`): it is read
from a file, from standard input, or typed at a prompt. `add` checks the key against
lexoffice first and stores nothing if lexoffice refuses it; the organizationId it learns
routes the company's webhooks.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from deployments.cli_support import (
    EXIT_OK,
    EXIT_USAGE,
    ConfigurationError,
    check_base_url,
    check_connection_name,
    error,
    normalise_database_url,
    safe_url,
)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "connections", help="die Firmen (Verbindungen), die lexsync abgleicht"
    )
    actions = parser.add_subparsers(
        dest="connections_action", required=True, title="Aktionen", metavar="AKTION"
    )
    add = actions.add_parser("add", help="eine Firma anlegen, ihr Schlüssel bei lexoffice geprüft")
    add.add_argument("name", help="Kleinbuchstaben, Ziffern und Bindestriche, z. B. meier-elektro")
    add.add_argument("--database-url", required=True, help="die Systemdatenbank der Firma")
    add.add_argument(
        "--base-url", default=None, help="Basis-URL der lexoffice-API (z. B. einer Sandbox)"
    )
    add.add_argument("--rate", type=float, default=2.0, help="Anfragen pro Sekunde (2)")
    add.add_argument(
        "--api-key-file",
        default=None,
        metavar="DATEI",
        help="den Schlüssel aus DATEI lesen ('-': stdin)",
    )
    add.add_argument(
        "--webhook-callback-url", default=None, help="die öffentliche URL des Webhook-Empfängers"
    )
    add.add_argument(
        "--migrate", action="store_true", help="die Datenbank auf das neueste Schema bringen"
    )
    add.add_argument(
        "--replace", action="store_true", help="eine Verbindung dieses Namens ersetzen"
    )
    add.set_defaults(run=run_add)
    actions.add_parser("list", help="alle Verbindungen").set_defaults(run=run_list)
    for action, helptext in (
        ("enable", "die Verbindung wieder abgleichen"),
        ("disable", "die Verbindung bei jedem Abgleich auslassen"),
        ("remove", "die Verbindung löschen (ihre Daten bleiben, wo sie sind)"),
    ):
        sub = actions.add_parser(action, help=helptext)
        sub.add_argument("name", help="der Name der Verbindung")
        sub.set_defaults(run=run_change)


def run_add(args: argparse.Namespace) -> int:
    from connectors.lexoffice.errors import LexofficeError
    from deployments.connection_setup import ConnectionSetupError, add_connection
    from tasks import error_text
    from tasks.connection_registry import ConnectionExistsError

    database_url = _checked_arguments(args)
    api_key = _read_api_key(args.api_key_file)
    _probe_key(api_key, args)
    try:
        added = add_connection(
            args.name,
            database_url=database_url,
            api_key=api_key,
            base_url=args.base_url,
            rate_per_second=args.rate,
            webhook_callback_url=args.webhook_callback_url,
            migrate=args.migrate,
            replace=args.replace,
        )
    except (ConnectionSetupError, ConnectionExistsError, LexofficeError, ValueError) as failure:
        error(f"Verbindung {args.name!r} nicht angelegt: {error_text.message(failure)}")
        return EXIT_USAGE
    print(f"Verbindung {args.name!r} angelegt: lexoffice-Organisation {added.organization_id}")
    print(f"  Firma: {added.company_name or '(ohne Namen)'}")
    print(f"  Datenbank: {safe_url(database_url)} ({added.schema_note})")
    return EXIT_OK


def _checked_arguments(args: argparse.Namespace) -> str:
    """The database URL to store; ConfigurationError for any argument lexsync cannot use."""
    check_connection_name(args.name)
    if args.base_url:
        check_base_url(args.base_url)
    if args.rate <= 0:
        raise ConfigurationError(f"--rate {args.rate:g}: die Anfragen pro Sekunde müssen > 0 sein.")
    return normalise_database_url(args.database_url)


def _probe_key(api_key: str, args: argparse.Namespace) -> None:
    """One quick request with the key: an unreachable host or a refused key in seconds."""
    from pydantic import SecretStr

    from connectors.lexoffice.settings import DEFAULT_BASE_URL
    from deployments.cli_lexoffice import profile_of
    from tasks.connection import LexsyncConnection

    candidate = LexsyncConnection(
        lexoffice_base_url=args.base_url or DEFAULT_BASE_URL,
        lexoffice_api_key=SecretStr(api_key),
        lexoffice_rate_per_second=args.rate,
    )
    profile_of(candidate)


def run_list(args: argparse.Namespace) -> int:
    from tasks.connection_registry import environment_configures_default, list_connections

    entries = list_connections()
    if not entries:
        print("Keine Verbindungen: lexsync nutzt die eingebaute „default“ (Umgebungsvariablen)")
        return EXIT_OK
    print(f"{'Name':24} {'aktiv':6} {'lexoffice-Organisation':38} Datenbank")
    if environment_configures_default() and "default" not in {e.name for e in entries}:
        print(f"{'default':24} {'ja':6} {'(aus der Umgebung)':38} $LEXSYNC_DATABASE_URL")
    for entry in entries:
        active = "ja" if entry.active else "nein"
        organization = entry.organization_id or "(unbekannt)"
        print(f"{entry.name:24} {active:6} {organization:38} {safe_url(entry.database_url)}")
    return EXIT_OK


def run_change(args: argparse.Namespace) -> int:
    from tasks.connection_registry import remove_connection, set_active

    action = args.connections_action
    try:
        if action == "remove":
            remove_connection(args.name)
        else:
            set_active(args.name, action == "enable")
    except ValueError:
        error(f"Keine Verbindung namens {args.name!r}. `lexsync connections list` zeigt alle.")
        return EXIT_USAGE
    done = {"enable": "eingeschaltet", "disable": "ausgeschaltet", "remove": "entfernt"}[action]
    print(f"Verbindung {args.name!r} {done}")
    if action == "remove":
        print("  ihre Datenbank und ihre Daten in lexoffice bleiben unberührt")
    return EXIT_OK


def _read_api_key(source: str | None) -> str:
    if source == "-" or (source is None and not sys.stdin.isatty()):
        key = sys.stdin.readline()
    elif source is not None:
        key = _read_key_file(Path(source))
    else:
        key = getpass.getpass("lexoffice API key: ")
    key = key.strip()
    if not key:
        raise ConfigurationError(
            "Kein API-Schlüssel angegeben: --api-key-file DATEI, Standardeingabe oder Eingabe."
        )
    return key


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = "gibt es nicht"
    except IsADirectoryError:
        problem = "ist ein Verzeichnis"
    except (OSError, UnicodeDecodeError) as failure:
        problem = f"ist nicht lesbar ({type(failure).__name__})"
    raise ConfigurationError(
        f"Die Schlüsseldatei {path} {problem}: den Pfad bei --api-key-file prüfen "
        "(oder `-` für die Standardeingabe)."
    )
