"""Why a work report (Arbeitsnachweis) cannot be invoiced, in words the craftsman understands.

Every error names the record and what is wrong, so the run's report and the button's answer
can show it as it is.
"""

from __future__ import annotations

from tasks import report_text
from tasks.error_text import SaidInGerman


class InvoicingError(SaidInGerman, RuntimeError):
    """Base of every invoicing error; `record` and `field` say what it is about."""

    def __init__(self, record: str, field: str | None, problem: str) -> None:
        where = f"{record}: {report_text.field(field)} " if field else f"{record}: "
        super().__init__(where + problem)
        self.record = record
        self.field = field
        self.problem = problem


class PreconditionError(InvoicingError):
    """The work report is not ready: not completed, already invoiced, a rate missing, …"""


class TooManyLinesError(PreconditionError):
    """More lines than lexoffice takes on one invoice, even grouped."""


class TotalsMismatchError(InvoicingError):
    """lexoffice's totals differ from what lexsync computed: check the invoice by hand."""


class OutcomeStillUnknownError(InvoicingError):
    """An invoice was sent, its outcome is unknown and lexoffice shows no invoice for it yet.

    Nothing is sent again now: the next run looks again first, and sends only after
    `resend_after_seconds` have passed since the send.
    """


class InvoiceRefusedError(InvoicingError):
    """lexoffice refused the invoice (validation); nothing was created."""
