"""Wiring one connection's receiver: key, organization, event store, dispatcher, app.

Refuses to build (ReceiverSetupError) rather than run half-configured: without lexoffice's
public key every event would have to be trusted blindly, without the organizationId a
foreign one could not be told apart, and with an outdated database no event could be stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from connectors.fieldservice.db import current_revision, head_revision
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError
from deployments.connection import LexsyncConnection, MissingApiKeyError, load_connection
from deployments.webhooks.app import Receiver, button_mount, create_receiver_app
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.dispatcher import (
    Dispatcher,
    Starter,
    in_process_starter,
    prefect_starter,
)
from deployments.webhooks.signature import PublicKeyError, load_public_key
from deployments.webhooks.store import EventStore
from tasks.resources import system_engine, system_sessions


class ReceiverSetupError(RuntimeError):
    """The receiver cannot run safely with this configuration; the message says what to fix."""


@dataclass
class ReceiverRuntime:
    """A built receiver: the app to serve and the dispatcher behind it."""

    app: Starlette
    receiver: Receiver
    dispatcher: Dispatcher
    mode: str  # "prefect" or "in-process"


def prefect_api_configured() -> bool:
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def build_receiver(
    settings: ReceiverSettings,
    connection: LexsyncConnection | None = None,
    starter: Starter | None = None,
    with_button: bool = False,
) -> ReceiverRuntime:
    """The receiver of `settings.connection`; `starter` overrides how batches are started."""
    try:  # first: without the key nothing else matters
        public_key = load_public_key(settings.key_source())
    except PublicKeyError as error:
        raise ReceiverSetupError(str(error)) from None
    conn = connection or load_connection(settings.connection)
    _require_current_schema(conn.database_url)
    store = EventStore(system_sessions(conn.database_url))
    mode = "custom"
    if starter is None:
        use_prefect = prefect_api_configured()
        mode = "prefect" if use_prefect else "in-process"
        starter = (
            prefect_starter(settings.connection, settings.deployment)
            if use_prefect
            else in_process_starter(settings.connection)
        )
    dispatcher = Dispatcher(store, starter, settings)
    receiver = Receiver(
        public_key, organization_of(conn), store, dispatcher.notify, settings.max_body_bytes
    )
    extra: list[BaseRoute] | None = [button_mount()] if with_button else None
    app = create_receiver_app(receiver, dispatcher.start, dispatcher.stop, extra)
    return ReceiverRuntime(app, receiver, dispatcher, mode)


def organization_of(conn: LexsyncConnection) -> uuid.UUID:
    """The connection's lexoffice organizationId: configured, else read once from /v1/profile."""
    if conn.organization_id:
        return uuid.UUID(conn.organization_id)
    try:
        with LexofficeClient(conn.lexoffice_settings()) as client:
            return uuid.UUID(client.get_profile().organization_id)
    except (MissingApiKeyError, LexofficeError) as error:
        raise ReceiverSetupError(
            f"cannot tell which lexoffice organization this connection is ({error}); set "
            "`organization_id` on the connection or give it a working API key"
        ) from None


def _require_current_schema(database_url: str) -> None:
    current, head = current_revision(system_engine(database_url)), head_revision()
    if current != head:
        raise ReceiverSetupError(
            f"the system database is at schema revision {current or '(empty)'}, the receiver "
            f"needs {head} (its event table): migrate it first"
        )
