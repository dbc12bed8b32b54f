"""An unlinked customer is exported to lexoffice first when customer export is on."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from deployments.connection import LexsyncConnection
from flows.invoice import create_invoice
from tests.flows.conftest import connection_name
from tests.tasks.invoicing.invoicing_builders import HAND_CHECKED_GROSS, seed_linked_work_report


def test_an_unlinked_customer_is_exported_and_then_invoiced(
    connection: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    assert connection.settings.customers.export_enabled
    seeded = seed_linked_work_report(sessions, sandbox.control, link_customer=False)
    result = create_invoice(seeded.work_report_id, connection_name(connection))
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
