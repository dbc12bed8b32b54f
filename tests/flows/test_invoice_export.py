"""An unlinked customer is exported to lexoffice first when customer export is on."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.invoicing import PreconditionError
from tests.flows.conftest import connection_name
from tests.tasks.invoicing.invoicing_builders import HAND_CHECKED_GROSS, seed_linked_work_report


def test_an_unlinked_customer_is_exported_first_and_a_refused_one_stops_the_invoice(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seeded = seed_linked_work_report(sessions, sandbox.control, link_customer=False)
    with sessions.begin() as session:
        customer = queries.get_customer(session, seeded.customer_id)
        assert customer is not None
        customer.email = "muster-bau.example.org"  # no @: lexoffice would refuse it
    refused = r"(?i)konnte nicht nach lexoffice übertragen werden: .*e-mail"
    with pytest.raises(PreconditionError, match=refused):
        create_invoice(seeded.work_report_id, connection_name(connection_block))
    log = sandbox.control.get("/requests").json()
    assert [r for r in log if r["path"] == "/v1/invoices"] == []

    assert connection_block.settings.customers.export_enabled
    with sessions.begin() as session:
        customer = queries.get_customer(session, seeded.customer_id)
        assert customer is not None
        customer.email = "info@muster-bau.example.org"
    result = create_invoice(seeded.work_report_id, connection_name(connection_block))
    assert result.totals.gross == HAND_CHECKED_GROSS
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.CUSTOMER, seeded.customer_id)
        report = queries.get_work_report(session, seeded.work_report_id)
        assert link is not None
        assert report is not None and report.status == WorkReportStatus.INVOICED
        contact_id = str(link.lexoffice_id)
    invoice = sandbox.control.get(f"/invoices/{result.invoice_id}").json()
    assert invoice["address"]["contactId"] == contact_id
    contact = sandbox.control.get(f"/contacts/{contact_id}").json()
    assert contact["company"]["name"] == "Muster Bau GmbH"
