"""The webhook receiver's door: only signed, well-formed events of our organization get in.

Every rejection is checked for its side effects too: nothing stored, nothing triggered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from starlette.testclient import TestClient

from connectors.fieldservice import queries
from connectors.fieldservice.db import migrate
from connectors.lexoffice.sandbox.signing import Signer
from deployments.cli import main
from deployments.webhooks.config import CALLBACK_PATH, ReceiverSettings
from deployments.webhooks.runtime import ReceiverRuntime, ReceiverSetupError, build_receiver
from deployments.webhooks.store import Batch
from tasks.connection import LexsyncConnection
from tasks.resources import dispose_engines
from tasks.settings import DocumentImport
from tests.support.databases import ThrowawayDatabases
from tests.support.sandbox import wait_until

ORGANIZATION = "4c1a58f1-33d5-4b6e-9f1b-0c4a8e1d2f10"
SIGNER = Signer()  # stands in for lexoffice (the sandbox's signing code, 4096-bit key)
OTHER_SIGNER = Signer(key_size=2048)  # a different key pair
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def event_body(event_type: str = "contact.changed", **overrides: Any) -> bytes:
    """An event as lexoffice sends it: compact JSON."""
    event = {
        "organizationId": ORGANIZATION,
        "eventType": event_type,
        "resourceId": str(uuid.uuid4()),
        "eventDate": "2026-11-27T12:00:00.123+01:00",
    } | overrides
    return json.dumps(event, separators=(",", ":")).encode()


def signed(body: bytes, signer: Signer = SIGNER) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Lxo-Signature": signer.sign(body)}


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_databases: ThrowawayDatabases
) -> Iterator[str]:
    url = (
        f"sqlite:///{tmp_path / 'system.db'}"
        if request.param == "sqlite"
        else postgres_databases.create()
    )
    migrate(url)
    yield url
    dispose_engines()
    if request.param == "postgresql":
        postgres_databases.drop(url)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "public_key.pub"
    path.write_bytes(SIGNER.public_pem())
    return path


@pytest.fixture
def started() -> list[Batch]:
    return []


@pytest.fixture
def runtime(database_url: str, key_file: Path, started: list[Batch]) -> ReceiverRuntime:
    connection = LexsyncConnection(
        database_url=database_url,
        lexoffice_api_key=SecretStr("not-used"),
        organization_id=ORGANIZATION,
    )
    settings = ReceiverSettings(public_key=str(key_file), quiet_seconds=0.05)
    return build_receiver(settings, connection_block=connection, starter=started.append)


@pytest.fixture
def receiver(runtime: ReceiverRuntime) -> Iterator[TestClient]:
    with TestClient(runtime.app) as client:  # the context runs the lifespan (dispatcher)
        yield client


def stored(runtime: ReceiverRuntime) -> list[dict[str, Any]]:
    with runtime.destination("default").store.sessions.begin() as session:
        return queries.webhook_event_rows(session)


def assert_nothing_happened(runtime: ReceiverRuntime, started: list[Batch]) -> None:
    assert stored(runtime) == []
    assert started == []


def test_head_answers_so_lexoffice_accepts_the_url(receiver: TestClient) -> None:
    assert receiver.head(CALLBACK_PATH).status_code == 200


def test_signed_event_is_stored_and_starts_a_sync(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body("contact.changed")

    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))

    assert response.status_code == 202
    [row] = stored(runtime)
    resource_id = json.loads(body)["resourceId"]
    assert (row["event_type"], str(row["resource_id"])) == ("contact.changed", resource_id)
    wait_for(lambda: started)
    assert started[0].contact_ids == [resource_id]


def test_invalid_signature_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body()
    headers = {"Content-Type": "application/json", "X-Lxo-Signature": "bm90IGEgc2lnbmF0dXJl"}

    assert receiver.post(CALLBACK_PATH, content=body, headers=headers).status_code == 401
    headers["X-Lxo-Signature"] = "%%% not base64 %%%"
    assert receiver.post(CALLBACK_PATH, content=body, headers=headers).status_code == 401
    assert_nothing_happened(runtime, started)


def test_tampered_body_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body()
    headers = signed(body)
    other_contact = event_body(resourceId=str(uuid.uuid4()))

    assert receiver.post(CALLBACK_PATH, content=other_contact, headers=headers).status_code == 401
    # The same event re-serialised with spaces is other bytes: lexoffice signed the raw body.
    spaced = json.dumps(json.loads(body)).encode()
    assert receiver.post(CALLBACK_PATH, content=spaced, headers=headers).status_code == 401
    assert_nothing_happened(runtime, started)


def test_missing_signature_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body()
    response = receiver.post(
        CALLBACK_PATH, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401
    assert_nothing_happened(runtime, started)


def test_signature_of_another_key_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body()
    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body, OTHER_SIGNER))
    assert response.status_code == 401
    assert_nothing_happened(runtime, started)


def test_replayed_event_is_stored_and_synced_once(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body()
    first = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))
    wait_for(lambda: started)
    # lexoffice delivers at least once and retries for ~40 h: the same event again, later.
    again = [receiver.post(CALLBACK_PATH, content=body, headers=signed(body)) for _ in range(3)]

    assert first.status_code == 202
    assert [r.status_code for r in again] == [200, 200, 200]
    assert [r.json()["status"] for r in again] == ["duplicate"] * 3
    assert len(stored(runtime)) == 1
    assert len(started) == 1


def test_same_contact_with_another_event_date_is_a_new_event(
    receiver: TestClient, runtime: ReceiverRuntime
) -> None:
    body = event_body()
    later = event_body(**{**json.loads(body), "eventDate": "2026-11-27T12:00:05.000+01:00"})
    for each in (body, later):
        assert receiver.post(CALLBACK_PATH, content=each, headers=signed(each)).status_code == 202
    assert len(stored(runtime)) == 2


def test_oversized_body_is_refused_even_when_signed(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body(padding="x" * 20_000)
    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))
    assert response.status_code == 413
    assert_nothing_happened(runtime, started)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"organizationId": ORGANIZATION, "eventType": "contact.changed"}).encode(),
        event_body(resourceId="not-a-uuid"),
        event_body(eventDate="2026-11-27T12:00:00"),  # no zone: not what lexoffice sends
    ],
    ids=["not-json", "array", "fields-missing", "bad-resource-id", "naive-date"],
)
def test_signed_body_that_is_not_an_event_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch], body: bytes
) -> None:
    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))
    assert response.status_code == 400
    assert_nothing_happened(runtime, started)


def test_event_of_a_foreign_organization_is_refused(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body(organizationId=str(uuid.uuid4()))
    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))
    assert response.status_code == 403
    assert_nothing_happened(runtime, started)


def test_other_event_types_are_acknowledged_but_not_synced(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    body = event_body("quotation.changed")
    response = receiver.post(CALLBACK_PATH, content=body, headers=signed(body))
    assert response.status_code == 200  # not retried by lexoffice
    assert_nothing_happened(runtime, started)


def test_receiver_refuses_to_start_without_a_public_key(database_url: str, tmp_path: Path) -> None:
    connection = LexsyncConnection(database_url=database_url, organization_id=ORGANIZATION)
    settings = ReceiverSettings(public_key=str(tmp_path / "missing.pub"))
    with pytest.raises(ReceiverSetupError, match="kein Webhook-Schlüssel unter"):
        build_receiver(settings, connection_block=connection, starter=lambda batch: None)


def test_receiver_refuses_a_database_without_the_event_table(
    key_file: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url, "0004")
    connection = LexsyncConnection(database_url=url, organization_id=ORGANIZATION)
    settings = ReceiverSettings(public_key=str(key_file))
    with pytest.raises(ReceiverSetupError, match="Schemastand 0004"):
        build_receiver(settings, connection_block=connection, starter=lambda batch: None)
    dispose_engines()


def wait_for(condition: Any, timeout: float = 10.0) -> None:
    wait_until(condition, timeout)


def test_receiver_command_exits_2_without_a_public_key(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.pub")
    assert main(["receiver", "--public-key", missing, "--port", "0"]) == 2


def test_a_sender_that_hangs_up_is_one_log_line_without_a_traceback(
    runtime: ReceiverRuntime, started: list[Batch], caplog: pytest.LogCaptureFixture
) -> None:
    """The ASGI server reports the hang-up while the body is read (starlette ClientDisconnect)."""
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": CALLBACK_PATH, "raw_path": CALLBACK_PATH.encode(),
        "query_string": b"", "root_path": "", "client": ("192.0.2.7", 50123),
        "server": ("127.0.0.1", 8787), "headers": [(b"content-type", b"application/json")],
    }  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        asyncio.run(runtime.app(scope, receive, send))

    hung_up = [r for r in caplog.records if "hung up" in r.getMessage()]
    assert len(hung_up) == 1 and "192.0.2.7" in hung_up[0].getMessage()
    assert [r for r in caplog.records if r.exc_info] == []
    assert_nothing_happened(runtime, started)


def test_article_invoice_and_payment_events_are_stored_and_batched_by_family(
    receiver: TestClient, runtime: ReceiverRuntime, started: list[Batch]
) -> None:
    article, invoice, paid, contact = (str(uuid.uuid4()) for _ in range(4))
    bodies = [
        event_body("article.changed", resourceId=article),
        event_body("invoice.status.changed", resourceId=invoice),
        event_body("payment.changed", resourceId=invoice),
        event_body("contact.deleted", resourceId=contact),
        event_body("payment.changed", resourceId=paid),  # names its invoice alone
    ]
    for body in bodies:
        assert receiver.post(CALLBACK_PATH, content=body, headers=signed(body)).status_code == 202
    wait_until(lambda: sum(batch.event_count for batch in started) == 5)
    assert sorted(a for batch in started for a in batch.article_ids) == [article]
    assert sorted(i for batch in started for i in batch.invoice_ids) == sorted([invoice, paid])
    assert [c for batch in started for c in batch.deleted_ids] == [contact]
    assert [c for batch in started for c in batch.contact_ids] == []


def test_events_of_a_switched_off_import_are_acknowledged_and_dropped(
    database_url: str, key_file: Path, started: list[Batch]
) -> None:
    connection = LexsyncConnection(
        database_url=database_url,
        lexoffice_api_key=SecretStr("not-used"),
        organization_id=ORGANIZATION,
    )
    connection.settings.document_import = DocumentImport.ORDER_CONFIRMATIONS
    settings = ReceiverSettings(public_key=str(key_file), quiet_seconds=0.05)
    runtime = build_receiver(settings, connection_block=connection, starter=started.append)
    with TestClient(runtime.app) as receiver:
        dropped = event_body("delivery-note.created")
        kept = event_body("order-confirmation.created")
        assert (
            receiver.post(CALLBACK_PATH, content=dropped, headers=signed(dropped)).status_code
            == 200
        )
        assert receiver.post(CALLBACK_PATH, content=kept, headers=signed(kept)).status_code == 202
    assert [row["event_type"] for row in stored(runtime)] == ["order-confirmation.created"]
