"""A burst of 1,000 mixed events (contacts, articles, invoices, payments, documents) against
the receiver served on loopback: every one answered within lexoffice's 5 s, coalesced per
resource into few batches, each resource in its family's list."""

from __future__ import annotations

import statistics
import uuid
from pathlib import Path

import pytest

from connectors.lexoffice.sandbox.server import SandboxServer
from connectors.lexoffice.sandbox.signing import Signer
from deployments.webhooks.config import ReceiverSettings
from deployments.webhooks.runtime import build_receiver
from deployments.webhooks.server import ReceiverServer
from deployments.webhooks.store import Batch
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name
from tests.flows.test_customer_events_e2e import event_body, send_concurrently
from tests.support.sandbox import wait_until

pytestmark = pytest.mark.slow

FAMILIES = {  # event types sent per resource, and the batch list the resource lands in
    "contact_ids": ("contact.created", "contact.changed"),
    "article_ids": ("article.created", "article.changed"),
    "invoice_ids": ("invoice.status.changed", "payment.changed"),
    "order_confirmation_ids": ("order-confirmation.created", "order-confirmation.changed"),
    "delivery_note_ids": ("delivery-note.created", "delivery-note.status.changed"),
}


def test_burst_of_1000_mixed_events_is_answered_in_time_and_coalesced_per_resource(
    sandbox: SandboxServer, connection_block: LexsyncConnection, tmp_path: Path
) -> None:
    lexoffice = Signer()
    key_file = tmp_path / "public_key.pub"
    key_file.write_bytes(lexoffice.public_pem())
    organization = sandbox.client().get("/v1/profile").json()["organizationId"]
    resources = {family: [str(uuid.uuid4()) for _ in range(100)] for family in FAMILIES}
    bodies = [
        event_body(organization, event_type, resource, second)
        for family, types in FAMILIES.items()
        for resource in resources[family]
        for second, event_type in enumerate(types)
    ]
    requests = [(body, lexoffice.sign(body)) for body in bodies]
    batches: list[Batch] = []
    settings = ReceiverSettings(
        connection=connection_name(connection_block), public_key=str(key_file), quiet_seconds=0.3
    )
    runtime = build_receiver(settings, connection_block=connection_block, starter=batches.append)

    with ReceiverServer(runtime.app) as server:
        answers = send_concurrently(server.callback_url, requests, senders=50)
        wait_until(lambda: sum(b.event_count for b in batches) == 1000, timeout=120)

    assert [status for status, _ in answers] == [202] * 1000
    latencies = sorted(seconds for _, seconds in answers)
    assert latencies[-1] < 5.0  # lexoffice's read timeout
    for family, ids in resources.items():
        synced = [i for batch in batches for i in getattr(batch, family)]
        assert set(synced) == set(ids), family
    print(
        f"\n1,000 mixed events, 50 concurrent senders: answers max {latencies[-1] * 1000:.0f} ms,"
        f" median {statistics.median(latencies) * 1000:.0f} ms; {len(batches)} batches"
    )
