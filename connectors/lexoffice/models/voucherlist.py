"""Entries of the voucherlist (`/v1/voucherlist`), the only list of sales vouchers."""

from __future__ import annotations

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel, Money


class VoucherlistEntry(LexofficeModel):
    """One voucher in the list; GET its own endpoint for line items.

    `voucher_type` and `voucher_status` stay strings: lexoffice adds new values now and then.
    `contact_id` is None for the collective contact (Sammelkunde).
    """

    id: str
    voucher_type: str
    voucher_status: str
    voucher_number: str | None = None
    voucher_date: LexDateTime | None = None
    created_date: LexDateTime | None = None
    updated_date: LexDateTime | None = None
    due_date: LexDateTime | None = None
    contact_id: str | None = None
    contact_name: str | None = None
    total_amount: Money | None = None
    open_amount: Money | None = None
    currency: str | None = None
    archived: bool | None = None
