"""The attempt record: written and committed before the invoice is sent, read by every re-run.

`begin_attempt` decides what a run does with a work report's invoice:
- no attempt yet → record one (status `sending`) and send;
- `sending` (an earlier run sent it and never learned the outcome) → look in lexoffice first;
- `created` / `invoiced` (lexoffice has the invoice) → only check it and mark the report;
- `failed` (lexoffice created nothing) → take the attempt over and send again.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.column_types import utc_now
from connectors.fieldservice.models import InvoiceAttempt, InvoiceAttemptStatus
from tasks.invoicing.errors import InvoicingError
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.totals import Totals


class NextStep(enum.StrEnum):
    SEND = "send"
    LOOK_FIRST = "look_first"
    CHECK = "check"


@dataclass(frozen=True)
class AttemptState:
    """What the run knows about the attempt after `begin_attempt`."""

    attempt_id: int
    next_step: NextStep
    reference: str
    contact_id: uuid.UUID
    voucher_date: dt.date
    finalize: bool
    sent_at: dt.datetime
    expected: Totals
    invoice_id: uuid.UUID | None = None


def existing_reference(session: Session, work_report_id: int) -> tuple[str, dt.date] | None:
    """The reference and voucher date of an attempt still in lexoffice's hands, if any.

    A re-run keeps them, so a look-up in lexoffice can find what an earlier run sent.
    """
    attempt = queries.get_invoice_attempt(session, work_report_id)
    if attempt is None or attempt.status == InvoiceAttemptStatus.FAILED:
        return None
    return attempt.reference, attempt.voucher_date


def begin_attempt(
    sessions: sessionmaker[Session], plan: InvoicePlan, finalize: bool, run_id: str
) -> AttemptState:
    """Record the attempt (committed before anything is sent) or pick up an earlier one."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, plan.work_report_id)
        if attempt is None:
            return _state(_add(session, plan, finalize, run_id), NextStep.SEND)
        if attempt.status == InvoiceAttemptStatus.SENDING:
            return _state(attempt, NextStep.LOOK_FIRST)
        if attempt.status == InvoiceAttemptStatus.FAILED:
            return _retake(session, attempt, plan, finalize, run_id, attempt.sent_at)
        return _state(attempt, NextStep.CHECK)


def retake_unconfirmed(
    sessions: sessionmaker[Session], state: AttemptState, plan: InvoicePlan, run_id: str
) -> AttemptState:
    """Send again an attempt whose earlier send left no invoice in lexoffice, unless another
    run has taken it over since this run read it."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, plan.work_report_id)
        assert attempt is not None, "the attempt is recorded before anything is sent"
        return _retake(session, attempt, plan, state.finalize, run_id, state.sent_at)


def _add(session: Session, plan: InvoicePlan, finalize: bool, run_id: str) -> InvoiceAttempt:
    try:
        with session.begin_nested():
            return queries.add_invoice_attempt(
                session,
                work_report_id=plan.work_report_id,
                status=InvoiceAttemptStatus.SENDING,
                **_sent_values(plan, finalize, run_id),
            )
    except IntegrityError:
        raise InvoicingError(
            plan.record, None, "ein anderer Lauf rechnet diesen Arbeitsnachweis gerade ab"
        ) from None


def _sent_values(plan: InvoicePlan, finalize: bool, run_id: str) -> dict[str, object]:
    context = plan.context
    return {
        "reference": context.reference,
        "lexoffice_contact_id": context.contact_id,
        "voucher_date": context.voucher_date,
        "finalize": finalize,
        "expected_net": plan.totals.net,
        "expected_tax": plan.totals.tax,
        "expected_gross": plan.totals.gross,
        "line_count": len(plan.lines),
        "sent_at": utc_now(),
        "run_id": run_id,
    }


def _retake(
    session: Session,
    attempt: InvoiceAttempt,
    plan: InvoicePlan,
    finalize: bool,
    run_id: str,
    seen_sent_at: dt.datetime,
) -> AttemptState:
    """Take an attempt over to send the plan (again); only one of two racing runs succeeds."""
    values = _sent_values(plan, finalize, run_id)
    values.update(
        status=InvoiceAttemptStatus.SENDING,
        error=None,
        lexoffice_invoice_id=None,
        lexoffice_invoice_url=None,
        lexoffice_net=None,
        lexoffice_tax=None,
        lexoffice_gross=None,
    )
    if not queries.claim_invoice_attempt(session, attempt, seen_sent_at=seen_sent_at, **values):
        raise InvoicingError(
            plan.record, None, "ein anderer Lauf hat diese Rechnung übernommen; siehe dort"
        )
    return _state(attempt, NextStep.SEND)


def _state(attempt: InvoiceAttempt, step: NextStep) -> AttemptState:
    return AttemptState(
        attempt_id=attempt.id,
        next_step=step,
        reference=attempt.reference,
        contact_id=attempt.lexoffice_contact_id,
        voucher_date=attempt.voucher_date,
        finalize=attempt.finalize,
        sent_at=attempt.sent_at,
        expected=Totals(attempt.expected_net, attempt.expected_tax, attempt.expected_gross),
        invoice_id=attempt.lexoffice_invoice_id,
    )


def note_outcome(
    sessions: sessionmaker[Session],
    work_report_id: int,
    status: InvoiceAttemptStatus,
    *,
    invoice_id: uuid.UUID | None = None,
    error: str | None = None,
) -> None:
    """Commit what came of the attempt (the invoice id as soon as it is known)."""
    with sessions.begin() as session:
        attempt = queries.get_invoice_attempt(session, work_report_id)
        assert attempt is not None, "the attempt is recorded before anything is sent"
        queries.set_invoice_attempt_status(
            session, attempt, status, invoice_id=invoice_id, error=error
        )
