"""The invoice flow against the sandbox: every position, the hand-checked total, exactly once."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import InvoiceAttemptStatus, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.invoice import create_invoice
from tasks.connection import LexsyncConnection
from tasks.invoicing import InvoiceLayout, PreconditionError
from tests.flows.conftest import connection_name
from tests.tasks.invoicing.invoicing_builders import (
    HAND_CHECKED_GROSS,
    HAND_CHECKED_NET,
    HAND_CHECKED_TAX,
    seed_linked_work_report,
)

D = Decimal


def invoice_posts(sandbox: SandboxServer) -> list[dict[str, object]]:
    log = sandbox.control.get("/requests").json()
    return [r for r in log if r["method"] == "POST" and r["path"] == "/v1/invoices"]


def invoices_in_lexoffice(sandbox: SandboxServer) -> list[dict[str, object]]:
    with sandbox.client() as api:
        response = api.get(
            "/v1/voucherlist", params={"voucherType": "invoice", "voucherStatus": "any"}
        )
    response.raise_for_status()
    return list(response.json()["content"])


def report_artifacts(flow_run_id: uuid.UUID) -> dict[str, str]:
    """The run's artifacts (markdown and tables) by key."""
    run_filter = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=run_filter)
    return {artifact.key or "": str(artifact.data) for artifact in artifacts}


def test_every_position_is_invoiced_once_with_the_hand_checked_total(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seeded = seed_linked_work_report(sessions, sandbox.control)
    state = create_invoice(
        seeded.work_report_id, connection_name(connection_block), return_state=True
    )
    result = state.result()
    assert (result.totals.net, result.totals.tax, result.totals.gross) == (
        HAND_CHECKED_NET,
        HAND_CHECKED_TAX,
        HAND_CHECKED_GROSS,
    )
    invoice = sandbox.control.get(f"/invoices/{result.invoice_id}").json()
    assert invoice["voucherStatus"] == "draft"
    assert invoice["address"]["contactId"] == seeded.contact_id
    types = [(line["type"], line.get("id")) for line in invoice["lineItems"]]
    assert types[:4] == [
        ("text", None),
        ("service", seeded.service_article_id),
        ("service", seeded.service_article_id),
        ("material", seeded.cable_article_id),
    ]
    assert invoice["shippingConditions"]["shippingType"] == "service"
    assert len(invoice_posts(sandbox)) == 1
    with sessions.begin() as session:
        report = queries.get_work_report(session, seeded.work_report_id)
        assert report is not None and report.status == WorkReportStatus.INVOICED
        assert report.lexoffice_invoice_id == result.invoice_id
        attempt = queries.get_invoice_attempt(session, seeded.work_report_id)
        assert attempt is not None and attempt.status == InvoiceAttemptStatus.INVOICED
        assert attempt.lexoffice_invoice_url == (
            f"https://app.lexware.de/permalink/invoices/view/{result.invoice_id}"
        )
    assert state.state_details.flow_run_id is not None
    artifacts = report_artifacts(state.state_details.flow_run_id)
    key = f"invoice-{connection_name(connection_block)}-work-report-{seeded.work_report_id}"
    lines = artifacts[f"{key}-lines"]
    assert "| 3 | Leistung | Elektroinstallation (Geselle) | 4 | Stunde | 62,00\xa0€ |" in lines
    assert "| brutto | 1.008,15\xa0€ | 1.008,15\xa0€ |" in lines
    assert "| Daten | neu | unverändert |" in artifacts[key]
    assert "| Rechnung | 1 | 0 |" in artifacts[key]


def test_finalized_grouped_invoice_records_its_number_link_and_is_never_invoiced_twice(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    name = connection_name(connection_block)
    connection_block.settings.invoicing.app_base_url = "https://app.example.test/"
    connection_block.save(name, overwrite=True)
    seeded = seed_linked_work_report(sessions, sandbox.control)
    result = create_invoice(
        seeded.work_report_id, name, finalize=True, layout=InvoiceLayout.GROUPED
    )
    assert (result.voucher_number, result.voucher_status) == ("RE0001", "open")
    assert result.url == f"https://app.example.test/permalink/invoices/view/{result.invoice_id}"
    invoice = sandbox.control.get(f"/invoices/{result.invoice_id}").json()
    assert len(invoice["lineItems"]) == 12
    assert all(line["type"] != "text" for line in invoice["lineItems"])
    with sessions.begin() as session:
        report = queries.get_work_report(session, seeded.work_report_id)
        assert report is not None and report.lexoffice_invoice_number == "RE0001"
    with pytest.raises(PreconditionError, match=r"schon in lexoffice abgerechnet \(RE0001"):
        create_invoice(seeded.work_report_id, name)
    assert len(invoice_posts(sandbox)) == 1
    assert len(invoices_in_lexoffice(sandbox)) == 1


def test_preconditions_fail_clearly_before_anything_is_sent(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    name = connection_name(connection_block)
    with pytest.raises(PreconditionError, match="Arbeitsnachweis 4242: gibt es nicht"):
        create_invoice(4242, name)
    connection_block.settings.customers.export_enabled = False
    connection_block.save(name, overwrite=True)
    seeded = seed_linked_work_report(sessions, sandbox.control, link_customer=False)
    with pytest.raises(PreconditionError, match=r"keinem lexoffice-Kontakt verknüpft .* ist aus"):
        create_invoice(seeded.work_report_id, name)
    assert invoice_posts(sandbox) == []
    with sessions.begin() as session:
        assert queries.get_invoice_attempt(session, seeded.work_report_id) is None
