"""Wiring the receiver: key, and per connection organization, event store and dispatcher.

Refuses to build (ReceiverSetupError) rather than run half-configured: without lexoffice's
public key every event would have to be trusted blindly, without the organizationId a
foreign one could not be told apart, and with an outdated database no event could be stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import LexofficeError
from deployments.webhooks.app import Destination, Receiver, button_mount, create_receiver_app
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.dispatcher import (
    Dispatcher,
    Starter,
    in_process_starter,
    prefect_starter,
)
from deployments.webhooks.following import WantedEvents
from deployments.webhooks.public_key import receiver_public_key
from deployments.webhooks.signature import PublicKeyError
from deployments.webhooks.store import EventStore
from tasks import error_text
from tasks.connection import LexsyncConnection, MissingApiKeyError, load_connection
from tasks.connection_registry import active_connection_names
from tasks.resources import system_sessions
from tasks.schema import OutdatedSchemaError, require_current_schema
from tasks.settings import SyncSettings
from tasks.subscriptions import wanted_event_types


class ReceiverSetupError(RuntimeError):
    """The receiver cannot run safely with this configuration; the message says what to fix."""


StarterFor = Callable[[str], Starter]  # a connection's name → how its batches are started
SettingsFor = Callable[[str], SyncSettings]  # a connection's name → its settings, read now


def block_settings(name: str) -> SyncSettings:
    """The connection's settings as its block holds them now (one Prefect API call)."""
    return load_connection(name).settings


@dataclass
class ReceiverRuntime:
    """A built receiver: the app to serve and one dispatcher per connection behind it."""

    app: Starlette
    receiver: Receiver
    dispatchers: dict[str, Dispatcher]
    mode: str  # "prefect", "in-process" or "custom"
    skipped: dict[str, str] = field(default_factory=dict)  # connection → why not served

    @property
    def dispatcher(self) -> Dispatcher:
        """The only dispatcher of a one-connection receiver."""
        [only] = self.dispatchers.values()
        return only

    def destination(self, connection: str) -> Destination:
        return next(d for d in self.receiver.destinations.values() if d.connection == connection)


def prefect_api_configured() -> bool:
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


def build_receiver(
    settings: ReceiverSettings,
    connection_block: LexsyncConnection | None = None,
    starter: Starter | None = None,
    with_button: bool = False,
    connection_blocks: Mapping[str, LexsyncConnection] | None = None,
    starter_for: StarterFor | None = None,
    follow: SettingsFor | None = None,
) -> ReceiverRuntime:
    """The receiver for `connection_blocks` (by name; default: the blocks of
    `settings.connections`, else of every active connection).

    `connection_block` (with `starter`) is the one-connection form, named `settings.connection`.
    A connection that cannot be served (no organizationId, no key, an old database) is left
    out and named in `skipped`, so one company's broken setup never silences the others';
    with nothing left to serve the receiver refuses to build. Which events each connection
    wants follows its settings as `follow` reads them (at most every
    `settings.settings_ttl_seconds`); connections loaded here follow their blocks, those
    handed in keep the settings they carry unless `follow` is given.
    """
    try:  # first: without the key nothing else matters
        public_key = receiver_public_key(settings.key_source())
    except PublicKeyError as error:
        raise ReceiverSetupError(str(error)) from None
    if connection_block is not None:
        connection_blocks = {settings.connection: connection_block}
        if starter is not None:
            starter_for = _constant(starter)
    single = connection_blocks is not None and len(connection_blocks) == 1
    if connection_blocks is None:
        follow = follow or block_settings
    chosen = (
        dict(connection_blocks) if connection_blocks is not None else _load_connections(settings)
    )
    mode, starter_for = _starters(settings, starter_for)
    destinations: dict[uuid.UUID, Destination] = {}
    dispatchers: dict[str, Dispatcher] = {}
    skipped: dict[str, str] = {}
    for name, connection_block in chosen.items():
        try:
            organization = organization_of(connection_block)
            _require_current_schema(connection_block.database_url, name)
        except ReceiverSetupError as error:
            if single:
                raise
            skipped[name] = str(error)
            continue
        if organization in destinations:
            other = destinations[organization].connection
            skipped[name] = (
                f"die lexoffice-Organisation {organization} gehört schon zur Verbindung {other!r}"
            )
            continue
        store = EventStore(system_sessions(connection_block.database_url))
        dispatchers[name] = Dispatcher(store, starter_for(name), settings)
        wanted = _wanted_events(name, connection_block, follow, settings.settings_ttl_seconds)
        destinations[organization] = Destination(name, store, dispatchers[name].notify, wanted)
    if not destinations:
        why = "; ".join(f"{name}: {reason}" for name, reason in skipped.items())
        raise ReceiverSetupError(
            f"keine Verbindung kann bedient werden: {why or 'keine eingerichtet'}"
        )
    receiver = Receiver(public_key, destinations, settings.max_body_bytes)
    extra: list[BaseRoute] | None = [button_mount()] if with_button else None
    app = create_receiver_app(
        receiver, _each(dispatchers, "start"), _each(dispatchers, "stop"), extra
    )
    return ReceiverRuntime(app, receiver, dispatchers, mode, skipped)


def _wanted_events(
    name: str, connection_block: LexsyncConnection, follow: SettingsFor | None, ttl_seconds: float
) -> WantedEvents:
    initial = wanted_event_types(connection_block.settings)
    if follow is None:
        return WantedEvents(initial, name=name)
    return WantedEvents(initial, _event_types_of(name, follow), ttl_seconds, name=name)


def _event_types_of(name: str, follow: SettingsFor) -> Callable[[], tuple[str, ...]]:
    return lambda: wanted_event_types(follow(name))


def _load_connections(settings: ReceiverSettings) -> dict[str, LexsyncConnection]:
    names = list(settings.connections) or active_connection_names()
    return {name: load_connection(name) for name in names}


def _starters(settings: ReceiverSettings, given: StarterFor | None) -> tuple[str, StarterFor]:
    if given is not None:
        return "custom", given
    if prefect_api_configured():
        return "prefect", lambda name: prefect_starter(name, settings.deployment)
    return "in-process", in_process_starter


def _constant(starter: Starter) -> StarterFor:
    return lambda name: starter


def _each(dispatchers: dict[str, Dispatcher], method: str) -> Callable[[], None]:
    def call() -> None:
        for dispatcher in dispatchers.values():
            getattr(dispatcher, method)()

    return call


def organization_of(connection_block: LexsyncConnection) -> uuid.UUID:
    """The connection's lexoffice organizationId: configured, else read once from /v1/profile."""
    if connection_block.organization_id:
        return uuid.UUID(connection_block.organization_id)
    try:
        with LexofficeClient(connection_block.lexoffice_settings()) as client:
            return uuid.UUID(client.get_profile().organization_id)
    except (MissingApiKeyError, LexofficeError) as error:
        raise ReceiverSetupError(
            f"unklar, zu welcher lexoffice-Organisation diese Verbindung gehört "
            f"({error_text.reason(error)}): `organization_id` an der Verbindung eintragen oder "
            "einen gültigen API-Schlüssel geben"
        ) from None


def _require_current_schema(database_url: str, connection: str) -> None:
    try:
        require_current_schema(database_url, connection)
    except OutdatedSchemaError as error:
        raise ReceiverSetupError(f"{error} Der Empfänger braucht seine Ereignistabelle.") from None
