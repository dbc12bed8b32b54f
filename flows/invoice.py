"""The ad-hoc flow that invoices one work report (Arbeitsnachweis) in lexoffice, exactly once."""

from __future__ import annotations

from prefect import flow

from flows.parameters import connection_parameter, parameter
from tasks import report_text
from tasks.invoicing.delivery import InvoiceResult
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.report import record_failure, record_result
from tasks.invoicing.steps import (
    Sides,
    check_invoice_and_mark,
    plan_work_report_invoice,
    publish_invoice_lines,
    record_invoice_attempt,
    send_invoice_once,
)
from tasks.run import Frame, Run, run_job_returning
from tasks.settings import InvoiceLayout


@flow(name="create-invoice")
def create_invoice(
    work_report_id: int = parameter(
        "Arbeitsnachweis-Nr.",
        "Die Nummer (ID) des abgeschlossenen Arbeitsnachweises in der Auftragsverwaltung.",
    ),
    connection: str = connection_parameter(),
    finalize: bool = parameter(
        "Gleich festschreiben",
        "Aus: die Rechnung entsteht als Entwurf in lexoffice (empfohlen, zum Prüfen). "
        "An: sie wird sofort festgeschrieben und bekommt ihre Rechnungsnummer.",
        False,
    ),
    layout: InvoiceLayout | None = parameter(
        "Aufbau",
        "Leer lassen für die Einstellung der Verbindung; detailed = jede Position einzeln, "
        "grouped = zusammengefasst je Tätigkeit, Material und Fahrzeug.",
        None,
    ),
) -> InvoiceResult:
    """Invoice a completed work report in lexoffice: a draft, or finalized on request.

    1. Plan: check the preconditions, find the customer's lexoffice contact (exporting the
       customer first when export is on), build the lines in `layout` (default: the
       connection's setting) and compute the totals lexoffice must come to.
    2. Record the attempt and commit it, before anything is sent.
    3. Send the invoice; after an unknown outcome, or for an earlier run's unconfirmed
       attempt, find it in lexoffice by its reference first — never send it twice.
    4. Read it back, fail loudly if a total differs by a cent, mark the work report invoiced.
    5. Publish the report: the lines as sent, the totals, and any problem.
    It holds the company's write lock (the customer export writes links the sync writes).
    """
    record = report_text.record("work report", work_report_id)
    key = f"invoice-{connection}-work-report-{work_report_id}"
    frame = Frame(
        lexoffice=False,  # each task opens its own client (see tasks.invoicing.steps)
        record_failure=lambda report, error: record_failure(report, record, error),
        report_key=key,
    )

    def steps(run: Run) -> InvoiceResult:
        return _invoice(run, work_report_id, finalize, layout, key)

    return run_job_returning(
        connection, "invoice", f"Invoice for work report {work_report_id}", steps, frame
    )


def _invoice(
    run: Run, work_report_id: int, finalize: bool, layout: InvoiceLayout | None, key: str
) -> InvoiceResult:
    connection_block = run.connection_block
    sides = Sides(
        connection_block.database_url,
        connection_block.lexoffice_settings(),
        connection_block.settings,
    )
    plan: InvoicePlan | None = None
    result: InvoiceResult | None = None
    try:
        planned = plan_work_report_invoice(sides, work_report_id, layout, run.run_id)
        plan = planned.plan
        run.report.extend(planned.report)
        state = record_invoice_attempt(sides, plan, finalize, run.run_id)
        delivered = send_invoice_once(sides, plan, state, run.run_id)
        result = check_invoice_and_mark(sides, plan, delivered)
        record_result(run.report, plan, result)
        return result
    finally:
        if plan is not None:
            publish_invoice_lines(plan, result, key)
