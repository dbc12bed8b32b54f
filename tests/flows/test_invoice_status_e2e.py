"""End to end with the sandbox: an invoice lexsync created (also one awaiting a decision
about its totals) is finalized, part paid, paid and voided in lexoffice → signed `invoice.*` /
`payment.changed` webhooks → the receiver → the events flow → the work report."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.webhooks.events import INVOICE_EVENTS
from tasks.connection import LexsyncConnection
from tasks.resources import lexoffice_client
from tasks.subscriptions import ensure_subscriptions
from tests.flows.conftest import edit_in_lexoffice
from tests.flows.test_customer_events_e2e import LiveReceiver, all_processed, live_receiver
from tests.flows.test_invoice_awaiting_decision import assert_freed
from tests.flows.test_invoice_outcome import reported_with_a_difference
from tests.flows.test_invoice_status import invoiced, pay, work_report
from tests.support.sandbox import wait_until
from tests.tasks.invoicing.invoicing_builders import HAND_CHECKED_GROSS

pytestmark = pytest.mark.slow


@pytest.fixture
def receiver(sandbox: SandboxServer, connection_block: LexsyncConnection) -> Iterator[LiveReceiver]:
    """The receiver, subscribed in the sandbox to the contact, invoice and payment events."""
    key_url = f"{sandbox.base_url}/webhookSignature/public/public_key.pub"
    with live_receiver(sandbox, connection_block, key_url) as live:
        with lexoffice_client(connection_block.lexoffice_settings()) as client:
            states = ensure_subscriptions(client, live.server.callback_url, INVOICE_EVENTS)
        assert [s.status for s in states] == ["created"] * len(INVOICE_EVENTS)
        yield live


def test_invoice_finalized_paid_and_voided_in_lexoffice_reach_the_work_report(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    work_report_id, invoice_id = invoiced(connection_block, sessions, sandbox)

    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "open"})
    wait_until(
        lambda: work_report(sessions, work_report_id).lexoffice_invoice_number == "RE0001",
        timeout=60,
    )
    assert work_report(sessions, work_report_id).lexoffice_open_amount == HAND_CHECKED_GROSS

    pay(sandbox, invoice_id, Decimal("100.00"))  # only payment.changed
    wait_until(
        lambda: (
            work_report(sessions, work_report_id).lexoffice_open_amount
            == HAND_CHECKED_GROSS - Decimal("100.00")
        ),
        timeout=60,
    )
    pay(sandbox, invoice_id, HAND_CHECKED_GROSS - Decimal("100.00"))
    wait_until(
        lambda: work_report(sessions, work_report_id).lexoffice_invoice_status == "paid",
        timeout=60,
    )
    assert work_report(sessions, work_report_id).lexoffice_open_amount == Decimal("0.00")

    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "voided"})
    wait_until(
        lambda: work_report(sessions, work_report_id).status == WorkReportStatus.COMPLETED,
        timeout=60,
    )
    wait_until(lambda: all_processed(sessions, 1), timeout=30)
    assert work_report(sessions, work_report_id).lexoffice_invoice_status == "voided"


def test_invoice_awaiting_a_decision_paid_then_voided_in_lexoffice_reaches_the_work_report(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    receiver: LiveReceiver,
) -> None:
    work_report_id, invoice_id = reported_with_a_difference(
        connection_block, sandbox, sessions, True
    )

    pay(sandbox, invoice_id, Decimal("8.16"))  # lexoffice's total is 1.008,16 €
    wait_until(
        lambda: work_report(sessions, work_report_id).lexoffice_open_amount == Decimal("1000.00"),
        timeout=60,
    )
    assert work_report(sessions, work_report_id).status == WorkReportStatus.COMPLETED

    edit_in_lexoffice(sandbox, "invoices", invoice_id, {"voucherStatus": "voided"})
    wait_until(
        lambda: work_report(sessions, work_report_id).lexoffice_invoice_status == "voided",
        timeout=60,
    )
    assert_freed(sessions, work_report_id, invoice_id, "voided")
