"""`lexsync check`: an API tester — key, lexoffice profile, subscriptions, system database.

Prints one line per check; exit 0 only if every check passed, 2 otherwise (something to fix
in the configuration or the environment). The API key is never printed.
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


class CheckFailed(Exception):
    """A check that did not pass; the message says what to do."""


def register(commands: Any) -> None:
    parser = commands.add_parser("check", help="test the API key, lexoffice and the database")
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        connection = load(args.connection)
    except Exception as error:  # e.g. an unknown block, a bad setting, no Prefect API
        _show(f"connection {args.connection!r}", False, [_describe(error)])
        return EXIT_USAGE
    checks: list[tuple[str, Check]] = [
        ("lexoffice API key", _api_key),
        ("lexoffice profile", _profile),
        ("event subscriptions", _subscriptions),
        ("system database", lambda conn: _database(conn, args.connection)),
    ]
    passed = [_run_check(name, check, connection) for name, check in checks]
    print("all checks passed" if all(passed) else "some checks FAILED")
    return EXIT_OK if all(passed) else EXIT_USAGE


def _run_check(name: str, check: Check, connection: Any) -> bool:
    try:
        details = check(connection)
    except Exception as error:  # every failure is reported, none stops the other checks
        _show(name, False, [_describe(error)])
        return False
    _show(name, True, details)
    return True


def _show(name: str, ok: bool, details: list[str]) -> None:
    print(f"[{'OK' if ok else 'FAIL'}] {name}")
    for line in details:
        print(f"       {line}")


def _describe(error: Exception) -> str:
    import httpx

    from connectors.lexoffice.errors import CredentialsError, LexofficeError

    if isinstance(error, CredentialsError):
        return f"lexoffice refused the API key ({error}): create a new key and configure it"
    if isinstance(error, LexofficeError):
        return f"lexoffice did not answer as expected: {error}"
    if isinstance(error, CheckFailed | ConfigurationError):
        return str(error)
    if isinstance(error, httpx.TransportError):
        # Only the Prefect API is reached with plain httpx; lexoffice errors come wrapped.
        return f"the Prefect API does not answer ({error}): is the server up? (PREFECT_API_URL)"
    return f"{type(error).__name__}: {error}"


def _api_key(connection: Any) -> list[str]:
    if connection.lexoffice_api_key is None:
        raise CheckFailed(
            "not configured: set `lexoffice_api_key` on the connection block or "
            "LEXOFFICE_API_KEY in the environment"
        )
    return [f"configured (for {connection.lexoffice_base_url})"]


def _profile(connection: Any) -> list[str]:
    from deployments.cli_lexoffice import profile_of

    profile = profile_of(connection)  # one quick attempt, the host named if unreachable
    expected = connection.organization_id
    if expected and expected != profile.organization_id:
        raise CheckFailed(
            f"the key belongs to organization {profile.organization_id}, the connection "
            f"expects {expected}: a key of another company?"
        )
    return [
        f"organizationId: {profile.organization_id}",
        f"company: {profile.company_name or '(none)'}",
        f"tax type: {profile.tax_type or '(unknown)'}",
        f"small business (Kleinunternehmer): {_yes_no(profile.small_business)}",
    ]


def _subscriptions(connection: Any) -> list[str]:
    from connectors.lexoffice.client import LexofficeClient
    from deployments.cli_lexoffice import PROBE_SETTINGS

    settings = connection.lexoffice_settings(**PROBE_SETTINGS)
    with LexofficeClient(settings) as client:
        subscriptions = client.list_event_subscriptions()
    if not subscriptions:
        return ["none: lexoffice sends no webhooks (run `lexsync subscribe --callback-url URL`)"]
    return [f"{s.event_type} → {s.callback_url}" for s in subscriptions]


def _database(connection: Any, connection_name: str) -> list[str]:
    url = connection.database_url
    try:
        head = require_database_at_head(url, connection_name)
    except ConfigurationError as failure:
        raise CheckFailed(str(failure)) from failure
    return [f"{safe_url(url)} reachable, schema at head ({head})"]


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")
