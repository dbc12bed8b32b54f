"""lexoffice's event subscriptions for the webhook receiver: make sure they exist, say so.

lexoffice deletes a subscription after failed deliveries (404/410, retries exhausted) and
when the API key changes, so this is run again and again: it lists what lexoffice has and
creates only what is missing. Creating is idempotent: 409 means lexoffice has it already.

Which events a connection needs follows its settings (`wanted_event_types`): contact events
while customers are imported, article events while products or activities are, the events
of each document type the document import takes, and always the invoice and payment events
(the state of lexsync's own invoices). A switched-off import's subscriptions for the
callback URL are deleted; subscriptions of other event types or URLs are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE

from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.errors import (
    LexofficeError,
    NotFoundError,
    OutcomeUnknownError,
    VersionConflictError,
)
from connectors.lexoffice.models import EventSubscription
from tasks import error_text
from tasks.report import Problem, RunReport
from tasks.settings import DocumentImport, SyncSettings

CONTACT_EVENT_TYPES = ("contact.created", "contact.changed", "contact.deleted")
ARTICLE_EVENT_TYPES = ("article.created", "article.changed", "article.deleted")
# Both name the invoice (payment.changed's resource is the voucher the payment is booked on).
INVOICE_EVENT_TYPES = (
    "invoice.created",
    "invoice.changed",
    "invoice.deleted",
    "invoice.status.changed",
    "payment.changed",
)
_DOCUMENT_CHANGES = ("created", "changed", "deleted", "status.changed")
ORDER_CONFIRMATION_EVENT_TYPES = tuple(f"order-confirmation.{c}" for c in _DOCUMENT_CHANGES)
DELIVERY_NOTE_EVENT_TYPES = tuple(f"delivery-note.{c}" for c in _DOCUMENT_CHANGES)
DOCUMENT_EVENT_TYPES = ORDER_CONFIRMATION_EVENT_TYPES + DELIVERY_NOTE_EVENT_TYPES
# Every event type lexsync handles (and so may subscribe or unsubscribe).
MANAGED_EVENT_TYPES = (
    CONTACT_EVENT_TYPES + ARTICLE_EVENT_TYPES + INVOICE_EVENT_TYPES + DOCUMENT_EVENT_TYPES
)
SECTION = ("event subscriptions", "system → lexoffice")


def wanted_event_types(settings: SyncSettings) -> tuple[str, ...]:
    """The event types this connection's settings need, in a stable order."""
    wanted: list[str] = []
    if settings.directions("customers").import_enabled:
        wanted += CONTACT_EVENT_TYPES
    if any(settings.directions(e).import_enabled for e in ("products", "activities")):
        wanted += ARTICLE_EVENT_TYPES
    wanted += INVOICE_EVENT_TYPES
    imported = settings.document_import
    if imported in (DocumentImport.ORDER_CONFIRMATIONS, DocumentImport.BOTH):
        wanted += ORDER_CONFIRMATION_EVENT_TYPES
    if imported in (DocumentImport.DELIVERY_NOTES, DocumentImport.BOTH):
        wanted += DELIVERY_NOTE_EVENT_TYPES
    return tuple(wanted)


@dataclass(frozen=True)
class SubscriptionState:
    """One event type: `present` (was there), `created` (now), `deleted` (no longer wanted),
    or `failed` (why)."""

    event_type: str
    status: str
    subscription_id: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("present", "created", "deleted")


def ensure_subscriptions(
    client: LexofficeClient,
    callback_url: str,
    event_types: tuple[str, ...] = CONTACT_EVENT_TYPES,
    drop_unwanted: bool = False,
) -> list[SubscriptionState]:
    """Each event type subscribed for `callback_url`: the ones missing are created; with
    `drop_unwanted`, lexsync's other event types subscribed for it are deleted."""
    existing = _subscribed(client, callback_url)
    states = []
    for event_type in event_types:
        if event_type in existing:
            states.append(SubscriptionState(event_type, "present", existing[event_type]))
        else:
            states.append(_create(client, event_type, callback_url))
    if drop_unwanted:
        unwanted = set(existing) & set(MANAGED_EVENT_TYPES) - set(event_types)
        states += [_delete(client, t, existing[t]) for t in sorted(unwanted)]
    return states


def _delete(
    client: LexofficeClient, event_type: str, subscription_id: str | None
) -> SubscriptionState:
    if subscription_id is None:  # lexoffice listed it without an id: nothing to address
        return SubscriptionState(event_type, "failed", reason="lexoffice nannte keine ID")
    try:
        client.delete_event_subscription(subscription_id)
    except NotFoundError:  # gone meanwhile: as wanted
        pass
    except LexofficeError as error:
        return SubscriptionState(event_type, "failed", subscription_id, error_text.reason(error))
    return SubscriptionState(event_type, "deleted", subscription_id)


def _subscribed(client: LexofficeClient, callback_url: str) -> dict[str, str | None]:
    """event type → subscription id, of the subscriptions for this callback URL."""
    found: list[EventSubscription] = client.list_event_subscriptions()
    return {
        s.event_type.lower(): s.subscription_id for s in found if s.callback_url == callback_url
    }


def _create(client: LexofficeClient, event_type: str, callback_url: str) -> SubscriptionState:
    try:
        result = client.create_event_subscription(event_type, callback_url)
    except VersionConflictError:  # 409: created meanwhile (by another run): it is there
        found = _subscribed(client, callback_url).get(event_type)
        return SubscriptionState(event_type, "present", found)
    except OutcomeUnknownError:  # the answer was lost: look before saying anything
        found = _subscribed(client, callback_url).get(event_type)
        if found is not None:
            return SubscriptionState(event_type, "created", found)
        return SubscriptionState(event_type, "failed", reason="lexoffice hat nicht geantwortet")
    except LexofficeError as error:
        # 406: the URL is not HTTPS, or lexoffice's HEAD probe of it failed.
        return SubscriptionState(event_type, "failed", reason=error_text.reason(error))
    return SubscriptionState(event_type, "created", result.id)


def report_subscriptions(states: list[SubscriptionState], report: RunReport) -> None:
    """Counts per state, and every failure with its reason."""
    section = report.section(*SECTION)
    for state in states:
        if state.ok:
            section.count(state.status)
        else:
            section.add_problem(
                Problem("error", state.event_type, state.reason or "fehlgeschlagen")
            )


@task(cache_policy=NO_CACHE)
def ensure_event_subscriptions(
    client: LexofficeClient, callback_url: str, report: RunReport, settings: SyncSettings
) -> list[SubscriptionState]:
    """lexoffice has exactly the event types the settings need for the URL (of lexsync's)."""
    wanted = wanted_event_types(settings)
    states = ensure_subscriptions(client, callback_url, wanted, drop_unwanted=True)
    report_subscriptions(states, report)
    return states
