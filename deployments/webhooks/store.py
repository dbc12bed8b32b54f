"""The receiver's side of the event table: store an event, claim a batch for a flow run."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.column_types import utc_now
from deployments.webhooks.events import CONTACT_DELETED, CallbackEvent


@dataclass(frozen=True)
class Batch:
    """What one events flow run gets: contacts to sync, contacts deleted in lexoffice, and
    articles to sync (created, changed or deleted: each is read and applied as it is now),
    invoices whose state to read (invoice and payment events), documents to import."""

    batch_id: str
    contact_ids: list[str]
    deleted_ids: list[str] = field(default_factory=list)
    event_count: int = 0
    article_ids: list[str] = field(default_factory=list)
    invoice_ids: list[str] = field(default_factory=list)
    order_confirmation_ids: list[str] = field(default_factory=list)
    delivery_note_ids: list[str] = field(default_factory=list)


class EventStore:
    """Webhook events in the connection's system database (table `webhook_events`)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def record(self, event: CallbackEvent) -> bool:
        """Store the event durably (committed on return); False if it was stored before."""
        return self.record_many([event])[0]

    def record_many(self, events: list[CallbackEvent]) -> list[bool]:
        """Store events in one transaction; per event, False if it was stored before."""
        with self.sessions.begin() as session:
            return [
                queries.insert_webhook_event(
                    session,
                    organization_id=event.organization_id,
                    event_type=event.event_type.lower(),
                    resource_id=event.resource_id,
                    event_date=event.utc_date(),
                )
                for event in events
            ]

    def claim(self, max_contacts: int, redispatch_after: float) -> Batch | None:
        """Claim the events of up to `max_contacts` resources as one batch; None if none wait."""
        batch_id = uuid.uuid4().hex
        with self.sessions.begin() as session:
            rows = queries.claim_webhook_events(
                session, batch_id, max_contacts, _stale_before(redispatch_after)
            )
        if not rows:
            return None
        types: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            types[str(row["resource_id"])].add(row["event_type"])
        # A deleted contact stays deleted (lexoffice never revives an id), whatever the order
        # in which its events arrived.
        contacts = {r: seen for r, seen in types.items() if _family(seen) == "contact"}
        articles = sorted(r for r, seen in types.items() if _family(seen) == "article")
        invoices = sorted(r for r, seen in types.items() if _family(seen) == "invoice")
        deleted = sorted(c for c, seen in contacts.items() if CONTACT_DELETED in seen)
        changed = sorted(c for c in contacts if c not in deleted)
        confirmations = sorted(r for r, s in types.items() if _family(s) == "order-confirmation")
        notes = sorted(r for r, seen in types.items() if _family(seen) == "delivery-note")
        return Batch(
            batch_id, changed, deleted, len(rows), articles, invoices, confirmations, notes
        )

    def waiting(self, redispatch_after: float) -> int:
        with self.sessions.begin() as session:
            return queries.count_claimable_webhook_events(session, _stale_before(redispatch_after))


def _family(event_types: set[str]) -> str:
    """The resource kind its events name: "contact", "article", "invoice" (a payment event
    names its invoice), "order-confirmation" or "delivery-note" (ids are never shared)."""
    family = min(event_types).split(".", 1)[0]
    return "invoice" if family == "payment" else family


def _stale_before(seconds: float) -> dt.datetime:
    return utc_now() - dt.timedelta(seconds=seconds)
