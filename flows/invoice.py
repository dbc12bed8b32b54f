"""The ad-hoc flow that invoices one work report (Arbeitsnachweis) in lexoffice, exactly once."""

from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run

from deployments.connection import load_active_connection
from flows.parameters import connection_parameter, parameter
from flows.process import freeze_imported_objects
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
from tasks.publish import publish_report
from tasks.report import RunReport
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
    """
    freeze_imported_objects()
    sides = _sides(connection)
    run_id = str(flow_run.get_id() or "local")
    report = RunReport(f"Invoice for work report {work_report_id}")
    plan: InvoicePlan | None = None
    result: InvoiceResult | None = None
    try:
        planned = plan_work_report_invoice(sides, work_report_id, layout, run_id)
        plan = planned.plan
        report.extend(planned.report)
        state = record_invoice_attempt(sides, plan, finalize, run_id)
        delivered = send_invoice_once(sides, plan, state, run_id)
        result = check_invoice_and_mark(sides, plan, delivered)
        record_result(report, plan, result)
        return result
    except Exception as error:
        record_failure(report, f"work report {work_report_id}", error)
        raise
    finally:
        key = f"invoice-{connection}-work-report-{work_report_id}"
        publish_report(report, key)
        if plan is not None:
            publish_invoice_lines(plan, result, key)


def _sides(connection: str) -> Sides:
    loaded = load_active_connection(connection)
    return Sides(loaded.database_url, loaded.lexoffice_settings(), loaded.settings)
