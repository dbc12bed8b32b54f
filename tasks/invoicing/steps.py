"""The invoice run's Prefect tasks: thin wrappers over the plain functions of this package.

Every task opens its own sessions and lexoffice client from the connection, and none has
Prefect `retries`: a repeated task could repeat a POST. Exactly-once comes from the attempt
record instead (see `attempts` and `delivery`).
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from connectors.lexoffice.settings import LexofficeSettings
from tasks.invoicing import attempts, delivery, prepare
from tasks.invoicing.attempts import AttemptState
from tasks.invoicing.delivery import Delivered, InvoiceResult
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.report import line_rows, render_invoice
from tasks.publish import artifact_key
from tasks.report import RunReport
from tasks.resources import lexoffice_client, system_sessions
from tasks.settings import InvoiceLayout, SyncSettings


@dataclass(frozen=True)
class Sides:
    """The two sides of a connection, as the invoice tasks need them."""

    database_url: str
    lexoffice: LexofficeSettings
    settings: SyncSettings


@dataclass(frozen=True)
class Planned:
    """The plan, and the report of a customer export it needed (if any)."""

    plan: InvoicePlan
    report: RunReport


@task(cache_policy=NO_CACHE)
def plan_work_report_invoice(
    connection: Sides, work_report_id: int, layout: InvoiceLayout | None, run_id: str
) -> Planned:
    """Check the preconditions and plan the invoice (lines, totals, reference)."""
    report = RunReport("customer export")
    sessions = system_sessions(connection.database_url)
    with lexoffice_client(connection.lexoffice) as client:
        plan = prepare.prepare_invoice(
            sessions, client, connection.settings, work_report_id, layout, run_id, report
        )
    return Planned(plan, report)


@task(cache_policy=NO_CACHE)
def record_invoice_attempt(
    connection: Sides, plan: InvoicePlan, finalize: bool, run_id: str
) -> AttemptState:
    """Commit the attempt before sending, or pick up an earlier run's."""
    return attempts.begin_attempt(system_sessions(connection.database_url), plan, finalize, run_id)


@task(cache_policy=NO_CACHE)
def send_invoice_once(
    connection: Sides, plan: InvoicePlan, state: AttemptState, run_id: str
) -> Delivered:
    """Send the invoice, or find the one an earlier send created."""
    sessions = system_sessions(connection.database_url)
    with lexoffice_client(connection.lexoffice) as client:
        return delivery.deliver(
            sessions,
            client,
            plan,
            state,
            run_id=run_id,
            resend_after_seconds=connection.settings.invoicing.resend_after_seconds,
        )


@task(cache_policy=NO_CACHE)
def check_invoice_and_mark(
    connection: Sides, plan: InvoicePlan, delivered: Delivered
) -> InvoiceResult:
    """Compare lexoffice's totals to the cent and mark the work report invoiced."""
    sessions = system_sessions(connection.database_url)
    with lexoffice_client(connection.lexoffice) as client:
        result = delivery.check_and_mark(
            sessions, client, plan, delivered, connection.settings.invoicing.app_base_url
        )
    how = "created" if result.created_now else "found (created by an earlier attempt)"
    number = result.voucher_number or "draft"
    get_run_logger().info("%s: invoice %s %s, %s", plan.record, number, how, result.url)
    return result


@task(cache_policy=NO_CACHE)
def publish_invoice_lines(plan: InvoicePlan, result: InvoiceResult | None, key: str) -> str:
    """The lines as sent and the totals, as artifacts in the Prefect UI."""
    markdown = render_invoice(plan, result)
    create_markdown_artifact(markdown, key=artifact_key(key, "lines"), description=plan.record)
    create_table_artifact(
        line_rows(plan), key=artifact_key(key, "line-items"), description=plan.record
    )
    return markdown
