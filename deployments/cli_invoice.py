"""`lexsync invoice WORK_REPORT_ID`: the invoice of one completed work report, in this process.

Exit 0 when the invoice is in lexoffice (created now or found from an earlier attempt), 2
when the work report cannot be invoiced (does not exist, not completed, already invoiced, a
rate missing, …) or the configuration is wrong, 1 when sending failed.

When lexoffice's totals of the created invoice differ from lexsync's, the run says so and
the work report waits for a person's decision (a re-run never sends a second invoice):
- `lexsync invoice WORK_REPORT_ID --accept`: take the invoice as lexoffice has it; the work
  report is marked invoiced;
- `lexsync invoice WORK_REPORT_ID --void`: after the draft was deleted (or the invoice
  voided) in lexoffice, forget it; the next `lexsync invoice WORK_REPORT_ID` sends anew.
- `lexsync invoice WORK_REPORT_ID --new-contact`: the customer's lexoffice contact was
  deleted (the run refuses before sending anything): unlink it; the next run exports the
  customer as a new contact.
Each exits 0 when done, 1 when refused (the message says why and what to do).
"""

from __future__ import annotations

import argparse
from typing import Any

from deployments.cli_outcome import Outcome, failure_exit_code, report_failure, run_flow
from deployments.cli_progress import working
from deployments.cli_support import (
    EXIT_FAILED,
    EXIT_OK,
    ConfigurationError,
    add_connection_argument,
    error,
)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "invoice", help="einen abgeschlossenen Arbeitsnachweis jetzt abrechnen"
    )
    parser.add_argument(
        "work_report_id",
        type=int,
        metavar="WORK_REPORT_ID",
        help="die Nummer des Arbeitsnachweises",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--finalize",
        action="store_true",
        help="die Rechnung festschreiben (sonst ein Entwurf in lexoffice)",
    )
    what.add_argument(
        "--accept",
        action="store_true",
        help="die erstellte Rechnung mit abweichenden Summen so nehmen, wie lexoffice sie hat",
    )
    what.add_argument(
        "--new-contact",
        action="store_true",
        help="den Kunden von seinem gelöschten lexoffice-Kontakt lösen (beim Abrechnen neu "
        "angelegt)",
    )
    what.add_argument(
        "--void",
        action="store_true",
        help="die erstellte Rechnung vergessen, sobald sie in lexoffice gelöscht oder storniert "
        "ist",
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from deployments.cli_sync import prepare
    from flows.invoice import create_invoice

    if args.accept or args.void or args.new_contact:
        return decide(args)
    connection_block, _ = prepare(args.connection)
    require_invoiceable(connection_block.database_url, args.work_report_id)
    with working(f"Rechnung für Arbeitsnachweis {args.work_report_id}"):
        outcome = run_flow(
            create_invoice, args.work_report_id, args.connection, finalize=args.finalize
        )
    if outcome.failure is not None or outcome.result is None:
        return report_failure(outcome)
    print(render_result(args.work_report_id, outcome.result))
    return EXIT_OK


def require_invoiceable(database_url: str, work_report_id: int) -> None:
    """ConfigurationError (exit 2) for a work report that does not exist or is not ready."""
    from connectors.fieldservice.models import WorkReport
    from tasks.invoicing import preconditions
    from tasks.invoicing.errors import PreconditionError
    from tasks.resources import system_sessions

    with system_sessions(database_url)() as session:
        report = session.get(WorkReport, work_report_id)
        if report is None:
            raise ConfigurationError(
                f"Den Arbeitsnachweis {work_report_id} gibt es in der Datenbank nicht: die "
                "Nummer prüfen (`lexsync status` zeigt die Datenbank)."
            )
        try:
            preconditions.require_invoiceable(report, work_report_id)
        except PreconditionError as refused:
            raise ConfigurationError(
                f"Arbeitsnachweis {work_report_id} kann nicht abgerechnet werden: {refused}"
            ) from None


def render_result(work_report_id: int, result: Any) -> str:
    """The invoice as the office reads it, in German, amounts as `1.234,56 €`."""
    from tasks import report_text

    totals = result.totals
    how = "jetzt erstellt" if result.created_now else "in lexoffice gefunden (früherer Versuch)"
    amounts = (
        f"netto {report_text.amount(totals.net)} + Steuer {report_text.amount(totals.tax)} "
        f"= brutto {report_text.amount(totals.gross)}"
    )
    return "\n".join(
        [
            f"{report_text.record('work report', work_report_id)}: Rechnung {how}",
            f"  Rechnungs-ID: {result.invoice_id}",
            f"  Nummer: {result.voucher_number or '(keine: ein Entwurf)'}",
            f"  Status: {report_text.voucher_status(result.voucher_status)}",
            f"  {amounts}",
            f"  in lexoffice öffnen: {result.url}",
        ]
    )


def decide(args: argparse.Namespace) -> int:
    """Accept or void the invoice of a work report whose totals differ (no Prefect run)."""
    from tasks.connection import load_active_connection
    from tasks.invoicing.decisions import accept_invoice, forget_deleted_contact, void_invoice
    from tasks.invoicing.errors import InvoicingError
    from tasks.resources import lexoffice_client, system_sessions

    try:
        connection_block = load_active_connection(args.connection)
        sessions = system_sessions(connection_block.database_url)
        if args.new_contact:
            print(forget_deleted_contact(sessions, args.work_report_id))
            return EXIT_OK
        with lexoffice_client(connection_block.lexoffice_settings()) as client:
            if args.accept:
                app_url = connection_block.settings.invoicing.app_base_url
                decided = accept_invoice(sessions, client, args.work_report_id, app_url)
            else:
                decided = void_invoice(sessions, client, args.work_report_id)
    except InvoicingError as refused:
        error(refused.problem)
        return EXIT_FAILED
    except Exception as failure:
        return report_failure(Outcome(failure_exit_code(failure), failure=failure))
    print(decided.message)
    return EXIT_OK
