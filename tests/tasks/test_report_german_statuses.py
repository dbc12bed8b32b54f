"""lexoffice's voucher states have one German name: the report, `lexsync invoice` and
`lexsync status` (the invoice state text) all take it from `tasks.report_text`."""

from __future__ import annotations

import uuid

import pytest

from connectors.fieldservice.models import WorkReport
from tasks import report_text
from tasks.invoice_status import FREEING, invoice_state_text


def invoiced(status: str | None) -> WorkReport:
    """A work report whose invoice lexoffice has in `status` (a freed one has no invoice)."""
    return WorkReport(
        id=5,
        lexoffice_invoice_id=None if status in FREEING else uuid.uuid4(),
        lexoffice_invoice_number="RE0001",
        lexoffice_invoice_status=status,
    )


@pytest.mark.parametrize("status", sorted(report_text.VOUCHER_STATUSES))
def test_status_text_names_each_voucher_state_as_the_report_does(status: str) -> None:
    german = report_text.voucher_status(status)

    shown = invoice_state_text(invoiced(status))

    assert shown.startswith(f"RE0001 {german}") or shown.startswith(f"RE0001 in lexoffice {german}")
    assert status not in shown.split() or status == german


def test_a_state_not_yet_read_and_an_unknown_one_are_said_plainly() -> None:
    assert invoice_state_text(invoiced(None)) == "RE0001 Stand noch nicht gelesen"
    assert report_text.voucher_status(None) == "(unbekannt)"


def test_a_draft_without_a_number_is_named_once() -> None:
    draft = WorkReport(id=5, lexoffice_invoice_id=uuid.uuid4(), lexoffice_invoice_status="draft")

    assert invoice_state_text(draft) == "Entwurf, noch ohne Rechnungsnummer"
