"""A voucher's payment state (`GET /v1/payments/{voucherId}`)."""

from __future__ import annotations

from pydantic import Field

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel, Money


class PaymentItem(LexofficeModel):
    payment_item_type: str | None = None
    posting_date: LexDateTime | None = None
    amount: Money | None = None


class Payments(LexofficeModel):
    """`voucher_status` and `payment_status` stay strings: lexoffice adds values now and then.
    `paid_date` is set once the voucher is paid in full."""

    open_amount: Money | None = None
    currency: str | None = None
    payment_status: str | None = None
    voucher_type: str | None = None
    voucher_status: str | None = None
    paid_date: LexDateTime | None = None
    payment_items: list[PaymentItem] = Field(default_factory=list)
