"""Coalescing: bursts of stored events become few batches, each contact in one batch."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.db import migrate
from connectors.fieldservice.models import WebhookEventStatus
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.dispatcher import Dispatcher
from deployments.webhooks.events import CallbackEvent
from deployments.webhooks.store import Batch, EventStore
from tasks.resources import dispose_engines, system_sessions
from tests.support.sandbox import wait_until

ORGANIZATION = uuid.uuid4()
START = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'system.db'}"
    migrate(url)
    yield system_sessions(url)
    dispose_engines()


def event(contact: str, event_type: str = "contact.changed", second: int = 0) -> CallbackEvent:
    return CallbackEvent(
        organization_id=ORGANIZATION,
        event_type=event_type,
        resource_id=uuid.UUID(contact),
        event_date=START + dt.timedelta(seconds=second),
    )


def settings(**values: float) -> ReceiverSettings:
    return ReceiverSettings(**{"quiet_seconds": 0.2, "batch_size": 100, **values})  # type: ignore[arg-type]


def stored_burst(store: EventStore, contacts: list[str], events_each: int) -> None:
    for second in range(events_each):
        for contact in contacts:
            store.record(event(contact, second=second))


def test_burst_becomes_batches_of_at_most_a_hundred_contacts_each_event_once(
    sessions: sessionmaker[Session],
) -> None:
    store, started = EventStore(sessions), list[Batch]()
    dispatcher = Dispatcher(store, started.append, settings())
    contacts = [str(uuid.uuid4()) for _ in range(250)]
    store.record(event(str(uuid.uuid4())))  # a leftover: its batch shows the start-up look ran
    dispatcher.start()
    try:
        wait_until(lambda: started)
        for second in range(3):  # three changes of every contact, notified one by one
            for contact in contacts:
                store.record(event(contact, second=second))
                dispatcher.notify()
        wait_until(lambda: sum(b.event_count for b in started[1:]) == 750)
    finally:
        dispatcher.stop()

    burst = started[1:]
    # How the burst splits depends on timing (a pause longer than `quiet_seconds` ends a
    # batch early); these hold whatever the timing:
    assert all(0 < len(b.contact_ids) <= 100 for b in burst)
    assert all(len(set(b.contact_ids)) == len(b.contact_ids) for b in burst)
    assert {c for b in burst for c in b.contact_ids} == set(contacts)
    assert len(burst) >= 3  # 250 contacts need three batches at least


def test_deleted_contact_goes_to_deleted_ids_whatever_the_order(
    sessions: sessionmaker[Session],
) -> None:
    store = EventStore(sessions)
    gone, changed = str(uuid.uuid4()), str(uuid.uuid4())
    store.record(event(gone, "contact.deleted", second=1))
    store.record(event(gone, "contact.changed", second=2))  # arrived out of order
    store.record(event(changed, "contact.created"))

    batch = store.claim(100, redispatch_after=900)

    assert batch is not None
    assert (batch.contact_ids, batch.deleted_ids) == ([changed], [gone])
    assert store.claim(100, redispatch_after=900) is None  # claimed events are not handed out twice


def test_batch_whose_run_failed_is_handed_out_again_later(
    sessions: sessionmaker[Session],
) -> None:
    store = EventStore(sessions)
    contact = str(uuid.uuid4())
    store.record(event(contact))
    first = store.claim(100, redispatch_after=900)

    assert store.claim(100, redispatch_after=900) is None  # its run may still be going
    again = store.claim(100, redispatch_after=0)  # … but not forever

    assert first is not None and again is not None
    assert again.contact_ids == [contact] and again.batch_id != first.batch_id


def test_events_stored_before_a_restart_are_dispatched_at_start(
    sessions: sessionmaker[Session],
) -> None:
    store, started = EventStore(sessions), list[Batch]()
    contacts = [str(uuid.uuid4()) for _ in range(3)]
    stored_burst(store, contacts, events_each=1)
    dispatcher = Dispatcher(store, started.append, settings())

    dispatcher.start()  # no notify: a new receiver process finds them itself
    try:
        wait_until(lambda: started)
    finally:
        dispatcher.stop()

    assert sorted(started[0].contact_ids) == sorted(contacts)


def test_processed_batch_is_marked_and_not_claimed_again(
    sessions: sessionmaker[Session],
) -> None:
    store = EventStore(sessions)
    stored_burst(store, [str(uuid.uuid4())], events_each=2)
    batch = store.claim(100, redispatch_after=900)
    assert isinstance(batch, Batch)

    with sessions.begin() as session:
        assert queries.mark_webhook_batch_processed(session, batch.batch_id) == 2
        rows = queries.webhook_event_rows(session)

    assert {row["status"] for row in rows} == {WebhookEventStatus.PROCESSED}
    assert store.claim(100, redispatch_after=0) is None
