"""Sales vouchers: invoices, order confirmations and delivery notes (create and read)."""

from __future__ import annotations

from pydantic import Field

from connectors.lexoffice.models.base import LexDateTime, LexofficeModel, Money, read_only


class VoucherAddress(LexofficeModel):
    """Either `contact_id` of a customer, or a one-time address (at least name, country)."""

    contact_id: str | None = None
    name: str | None = None
    supplement: str | None = None
    street: str | None = None
    city: str | None = None
    zip: str | None = None
    country_code: str | None = None
    contact_person: str | None = read_only()


class UnitPrice(LexofficeModel):
    currency: str = "EUR"
    net_amount: Money | None = None
    gross_amount: Money | None = None
    tax_rate_percentage: Money | None = None


class LineItem(LexofficeModel):
    """`type` is custom, material, service (both need the article `id`) or text."""

    id: str | None = None
    type: str
    name: str | None = None
    description: str | None = None
    quantity: Money | None = None
    unit_name: str | None = None
    unit_price: UnitPrice | None = None
    discount_percentage: Money | None = None
    line_item_amount: Money | None = read_only()


class TotalPrice(LexofficeModel):
    currency: str = "EUR"
    total_discount_absolute: Money | None = None
    total_discount_percentage: Money | None = None
    total_net_amount: Money | None = read_only()
    total_gross_amount: Money | None = read_only()
    total_tax_amount: Money | None = read_only()


class TaxAmount(LexofficeModel):
    tax_rate_percentage: Money | None = None
    tax_amount: Money | None = None
    net_amount: Money | None = None


class TaxConditions(LexofficeModel):
    tax_type: str
    tax_sub_type: str | None = None
    tax_type_note: str | None = None


class PaymentDiscountConditions(LexofficeModel):
    discount_percentage: Money | None = None
    discount_range: int | None = None


class PaymentConditions(LexofficeModel):
    payment_term_label: str | None = None
    payment_term_label_template: str | None = read_only()
    payment_term_duration: int | None = None
    payment_discount_conditions: PaymentDiscountConditions | None = None


class ShippingConditions(LexofficeModel):
    """shippingType service/serviceperiod/delivery/deliveryperiod/none (+ dates)."""

    shipping_type: str
    shipping_date: LexDateTime | None = None
    shipping_end_date: LexDateTime | None = None


class RelatedVoucher(LexofficeModel):
    id: str | None = None
    voucher_number: str | None = None
    voucher_type: str | None = None


class SalesVoucher(LexofficeModel):
    """What invoices, order confirmations and delivery notes share."""

    id: str | None = read_only()
    organization_id: str | None = read_only()
    created_date: LexDateTime | None = read_only()
    updated_date: LexDateTime | None = read_only()
    version: int | None = read_only()
    language: str | None = None
    archived: bool | None = read_only()
    voucher_status: str | None = read_only()
    voucher_number: str | None = read_only()
    voucher_date: LexDateTime
    address: VoucherAddress
    line_items: list[LineItem] = Field(default_factory=list)
    tax_conditions: TaxConditions
    shipping_conditions: ShippingConditions | None = None
    related_vouchers: list[RelatedVoucher] | None = read_only()
    print_layout_id: str | None = None
    title: str | None = None
    introduction: str | None = None
    remark: str | None = None


class PricedVoucher(SalesVoucher):
    """A sales voucher with prices (invoices, order confirmations)."""

    total_price: TotalPrice = Field(default_factory=TotalPrice)
    tax_amounts: list[TaxAmount] | None = read_only()
    payment_conditions: PaymentConditions | None = None


class Invoice(PricedVoucher):
    """An invoice (Rechnung). Create as draft, or finalized (`open`); never updated."""

    due_date: LexDateTime | None = read_only()
    electronic_document_profile: str | None = read_only()
    closing_invoice: bool | None = read_only()
    claimed_gross_amount: Money | None = read_only()
    recurring_template_id: str | None = read_only()
    x_rechnung: dict[str, str] | None = Field(default=None, alias="xRechnung")


class OrderConfirmation(PricedVoucher):
    """An order confirmation (Auftragsbestätigung)."""

    delivery_terms: str | None = None


class DeliveryNote(SalesVoucher):
    """A delivery note (Lieferschein): no prices, totals or payment conditions."""

    delivery_terms: str | None = None
