"""The full sync's safety net for invoice status back: what the events may have missed.

1. The voucherlist of invoices updated since the cursor (whole days): each invoice lexsync
   follows (invoiced, or awaiting a decision) gets the state the list shows.
2. Deleted drafts: no list shows an invoice that is gone, so a followed draft (or one never
   read) that step 1 did not show is looked for among lexoffice's drafts; only one found
   there neither is read on its own, and its 404 frees the work report as the
   `invoice.deleted` event would.

Reads per full sync: one voucherlist page per 250 invoices updated since the cursor, plus
one GET of the payments for each followed invoice newly paid; then, only if a followed draft
was not in that list, one voucherlist page per 250 drafts in lexoffice, plus one GET per
followed draft in neither list (404: deleted; else its state, + 1 for its payments unless
still a draft). With no draft deleted: no GET of a single invoice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.models import VoucherlistEntry
from connectors.lexoffice.voucherlist import VoucherlistQuery
from tasks.invoice_status import BERLIN, InvoiceState, keep_invoice_state, read_invoice_state
from tasks.report import RunReport


@task(cache_policy=NO_CACHE)
def reconcile_invoice_states(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    connection: str,
    report: RunReport,
) -> int:
    """Invoices the voucherlist shows updated since the cursor, then drafts deleted in
    lexoffice, applied to lexsync's work reports. Returns how many work reports changed."""
    with sessions.begin() as session:
        since = queries.get_invoice_status_cursor(session, connection)
        since = since or queries.earliest_invoiced_at(session)
    if since is None:
        return 0  # lexsync has created no invoice yet: nothing to read
    entries = _updated_since(client, since)
    changed = _apply_entries(sessions, client, entries, report)
    changed += _find_deleted_drafts(sessions, client, set(entries), report)
    newest = [e.updated_date for e in entries.values() if e.updated_date is not None]
    if newest:
        with sessions.begin() as session:
            queries.set_invoice_status_cursor(session, connection, max(newest))
    return changed


def _updated_since(client: LexofficeClient, since: dt.datetime) -> dict[str, VoucherlistEntry]:
    query = VoucherlistQuery(
        voucher_types=("invoice",),
        updated_date_from=since.astimezone(BERLIN).date(),
        sort="updatedDate,ASC",
    )
    return {entry.id: entry for entry in client.iter_voucherlist(query)}


def _apply_entries(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    entries: dict[str, VoucherlistEntry],
    report: RunReport,
) -> int:
    with sessions.begin() as session:
        known = queries.work_reports_by_invoice(session, (uuid.UUID(i) for i in entries))
        paid_known = {i for i, r in known.items() if r.lexoffice_paid_at is not None}
    changed = 0
    for invoice_id in known:
        entry = entries[str(invoice_id)]
        state = _state_of_entry(client, entry, paid_known=invoice_id in paid_known)
        changed += keep_invoice_state(sessions, invoice_id, state, report)
    return changed


def _state_of_entry(
    client: LexofficeClient, entry: VoucherlistEntry, paid_known: bool
) -> InvoiceState:
    """The voucherlist has all but the paid date: read the payments once when newly paid."""
    paid_at = None
    if entry.voucher_status == "paid" and not paid_known:
        paid_at = client.get_payments(entry.id).paid_date
    return InvoiceState(
        entry.voucher_status,
        entry.voucher_number,
        entry.open_amount,
        paid_at,
        entry.updated_date,
    )


def _find_deleted_drafts(
    sessions: sessionmaker[Session], client: LexofficeClient, seen: set[str], report: RunReport
) -> int:
    """Followed drafts missing from lexoffice: each is read once; 404 frees its work report."""
    with sessions.begin() as session:
        unseen = {str(i) for i in queries.followed_drafts(session)} - seen
    if not unseen:
        return 0
    drafts = VoucherlistQuery(voucher_types=("invoice",), voucher_statuses=("draft",))
    missing = unseen - {entry.id for entry in client.iter_voucherlist(drafts)}
    changed = 0
    for invoice_id in sorted(missing):
        state = read_invoice_state(client, invoice_id)
        changed += keep_invoice_state(sessions, uuid.UUID(invoice_id), state, report)
    return changed
