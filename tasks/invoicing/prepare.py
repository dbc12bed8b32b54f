"""Everything read before an invoice is planned: the work report, its customer's lexoffice
contact (exported first when the customer is not linked and export is on), the lexoffice
profile's tax type and the articles of the activities and products used."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus, SyncEntity, WorkReport
from connectors.lexoffice.client import LexofficeClient
from tasks import report_text
from tasks.invoicing.attempts import existing_reference
from tasks.invoicing.errors import PreconditionError
from tasks.invoicing.lines import ArticleLinks
from tasks.invoicing.plan import (
    BERLIN,
    InvoiceContext,
    InvoicePlan,
    invoice_tax_type,
    new_reference,
    plan_invoice,
)
from tasks.invoicing.preconditions import require_invoiceable
from tasks.invoicing.wording import contact_gone_message, customer_label
from tasks.report import RunReport
from tasks.settings import InvoiceLayout, SyncSettings


def prepare_invoice(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    work_report_id: int,
    layout: InvoiceLayout | None,
    run_id: str,
    report: RunReport,
) -> InvoicePlan:
    """The plan of the work report's invoice; PreconditionError if it cannot be invoiced."""
    customer_id, contact_id = _customer_contact(sessions, work_report_id)
    if contact_id is None:
        contact_id = _export_customer(sessions, client, settings, customer_id, run_id, report)
    profile = client.get_profile()
    with sessions.begin() as session:
        work_report = require_invoiceable(
            queries.get_work_report(session, work_report_id), work_report_id
        )
        reference, voucher_date = existing_reference(session, work_report_id) or (
            new_reference(work_report_id),
            dt.datetime.now(BERLIN).date(),
        )
        context = InvoiceContext(
            contact_id=contact_id,
            tax_type=invoice_tax_type(profile.tax_type, profile.small_business),
            links=_article_links(session, work_report),
            layout=layout or settings.invoicing.layout,
            voucher_date=voucher_date,
            reference=reference,
            remark=settings.invoicing.remark,
        )
        return plan_invoice(work_report, context)


def _customer_contact(
    sessions: sessionmaker[Session], work_report_id: int
) -> tuple[int, uuid.UUID | None]:
    """The report's customer and its lexoffice contact, if linked (checks the report first)."""
    with sessions.begin() as session:
        work_report = require_invoiceable(
            queries.get_work_report(session, work_report_id), work_report_id
        )
        link = queries.get_link(session, SyncEntity.CUSTOMER, work_report.customer_id)
        if link is not None and link.status != LinkStatus.ACTIVE:
            raise PreconditionError(
                customer_label(work_report.customer),
                None,
                contact_gone_message(work_report, link.lexoffice_id, link.status),
            )
        return work_report.customer_id, link.lexoffice_id if link else None


def _export_customer(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    settings: SyncSettings,
    customer_id: int,
    run_id: str,
    report: RunReport,
) -> uuid.UUID:
    """Export the unlinked customer to lexoffice (when customer export is on) and link it."""
    record = report_text.record("customer", customer_id)
    if not settings.customers.export_enabled:
        raise PreconditionError(
            record,
            None,
            "ist mit keinem lexoffice-Kontakt verknüpft und die Kundenübertragung ist aus: "
            "den Stammdatenabgleich laufen lassen oder die Kundenübertragung einschalten",
        )
    # Imported here: the master-data sync is a separate part of lexsync (tasks/sync).
    from tasks.sync.single import export_customers

    exported = export_customers(sessions, client, settings, [customer_id], run_id, report)
    if customer_id not in exported:
        reasons = "; ".join(problem.message for _, problem in report.problems) or "ohne Grund"
        raise PreconditionError(
            record, None, f"konnte nicht nach lexoffice übertragen werden: {reasons}"
        )
    return uuid.UUID(str(exported[customer_id]))


def _article_links(session: Session, work_report: WorkReport) -> ArticleLinks:
    """The lexoffice articles of the activities and products the report uses (one query each)."""
    sections = work_report.sections
    activity_ids = [entry.activity_id for s in sections for entry in s.labour]
    product_ids = [use.product_id for s in sections for use in s.materials]
    return ArticleLinks(
        activities=queries.active_lexoffice_ids(session, SyncEntity.ACTIVITY, activity_ids),
        products=queries.active_lexoffice_ids(session, SyncEntity.PRODUCT, product_ids),
    )
