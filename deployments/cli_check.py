"""`lexsync check`: an API tester — key, lexoffice profile, subscriptions, system database.

Prints one German line per check, for the admin; exit 0 only if every check passed, 2
otherwise (something to fix in the configuration or the environment). The API key is never
printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from deployments.cli_support import (
    EXIT_OK,
    EXIT_USAGE,
    ConfigurationError,
    add_connection_argument,
    load,
    require_database_at_head,
    safe_url,
)

Check = Callable[[Any], list[str]]
# lexoffice's taxType as the admin knows it from the account settings.
TAX_TYPES = {"net": "netto", "gross": "brutto", "vatfree": "umsatzsteuerfrei"}


class CheckFailed(Exception):
    """A check that did not pass; the message says what to do."""


def register(commands: Any) -> None:
    parser = commands.add_parser("check", help="API-Schlüssel, lexoffice und Datenbank prüfen")
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        connection_block = load(args.connection)
    except Exception as error:  # e.g. an unknown block, a bad setting, no Prefect API
        _show(f"Verbindung {args.connection!r}", False, [_describe(error)])
        return EXIT_USAGE
    checks: list[tuple[str, Check]] = [
        ("lexoffice-API-Schlüssel", _api_key),
        ("lexoffice-Profil", _profile),
        ("Webhook-Abonnements", _subscriptions),
        ("Systemdatenbank", lambda block: _database(block, args.connection)),
    ]
    passed = [_run_check(name, check, connection_block) for name, check in checks]
    print("alle Prüfungen bestanden" if all(passed) else "Prüfungen FEHLGESCHLAGEN")
    return EXIT_OK if all(passed) else EXIT_USAGE


def _run_check(name: str, check: Check, connection_block: Any) -> bool:
    try:
        details = check(connection_block)
    except Exception as error:  # every failure is reported, none stops the other checks
        _show(name, False, [_describe(error)])
        return False
    _show(name, True, details)
    return True


def _show(name: str, ok: bool, details: list[str]) -> None:
    print(f"[{'OK' if ok else 'FEHLER'}] {name}")
    for line in details:
        print(f"       {line}")


def _describe(error: Exception) -> str:
    import httpx

    from connectors.lexoffice.errors import LexofficeError
    from tasks.error_text import lexoffice_error, reason

    if isinstance(error, CheckFailed | ConfigurationError):
        return str(error)
    if isinstance(error, LexofficeError):
        return lexoffice_error(error)  # says what to do, e.g. for a refused key
    if isinstance(error, httpx.TransportError):
        # Only the Prefect API is reached with plain httpx; lexoffice errors come wrapped.
        return f"die Prefect-API antwortet nicht ({error}): läuft der Server? (PREFECT_API_URL)"
    return reason(error)


def _api_key(connection_block: Any) -> list[str]:
    if connection_block.lexoffice_api_key is None:
        raise CheckFailed(
            "nicht eingetragen: `lexoffice_api_key` am Verbindungsblock oder "
            "LEXOFFICE_API_KEY in der Umgebung setzen"
        )
    return [f"eingetragen (für {connection_block.lexoffice_base_url})"]


def _profile(connection_block: Any) -> list[str]:
    from deployments.cli_lexoffice import profile_of

    profile = profile_of(connection_block)  # one quick attempt, the host named if unreachable
    expected = connection_block.organization_id
    if expected and expected != profile.organization_id:
        raise CheckFailed(
            f"der Schlüssel gehört zur Organisation {profile.organization_id}, die Verbindung "
            f"erwartet {expected}: ein Schlüssel einer anderen Firma?"
        )
    return [
        f"organizationId: {profile.organization_id}",
        f"Firma: {profile.company_name or '(ohne Namen)'}",
        f"Steuerart: {_tax_type(profile.tax_type)}",
        f"Kleinunternehmer: {_yes_no(profile.small_business)}",
    ]


def _subscriptions(connection_block: Any) -> list[str]:
    from connectors.lexoffice.client import LexofficeClient
    from deployments.cli_lexoffice import PROBE_SETTINGS

    settings = connection_block.lexoffice_settings(**PROBE_SETTINGS)
    with LexofficeClient(settings) as client:
        subscriptions = client.list_event_subscriptions()
    if not subscriptions:
        return [
            "keine: lexoffice sendet keine Webhooks "
            "(`lexsync subscribe --callback-url URL` ausführen)"
        ]
    return [f"{s.event_type} → {s.callback_url}" for s in subscriptions]


def _database(connection_block: Any, connection_name: str) -> list[str]:
    url = connection_block.database_url
    try:
        head = require_database_at_head(url, connection_name)
    except ConfigurationError as failure:
        raise CheckFailed(str(failure)) from failure
    return [f"{safe_url(url)} erreichbar, Schema auf dem neuesten Stand ({head})"]


def _tax_type(value: str | None) -> str:
    return TAX_TYPES.get(value, value) if value else "(unbekannt)"


def _yes_no(value: bool | None) -> str:
    return "unbekannt" if value is None else ("ja" if value else "nein")
