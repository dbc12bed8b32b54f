"""A lexoffice document as a project: name, order sum, description, customer (no I/O)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from connectors.fieldservice.models import CustomerKind, DocumentType, ProjectOrigin
from connectors.lexoffice.models import DeliveryNote, OrderConfirmation, VoucherAddress
from tasks.documents.customers import uses_address
from tasks.documents.mapping import (
    UnmappableDocumentError,
    customer_from_address,
    describe,
    differing_fields,
    draft_project,
    german,
    project_name,
)

DOCUMENT_ID = "6b9bd4a0-8f4c-4e0a-9a55-4f5f7a2c6e11"


def order_confirmation(**extra: Any) -> OrderConfirmation:
    values: dict[str, Any] = {
        "id": DOCUMENT_ID,
        "version": 2,
        "voucherNumber": "AB0042",
        "voucherDate": "2026-03-02T10:00:00.000+01:00",
        "address": {"name": "Muster GmbH", "countryCode": "DE"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Elektroinstallation",
                "quantity": 2.5,
                "unitName": "Std",
                "unitPrice": {"netAmount": 1045.5, "taxRatePercentage": 19},
                "lineItemAmount": 2613.75,
            }
        ],
        "totalPrice": {"totalNetAmount": 2613.75},
        "taxConditions": {"taxType": "net"},
        "title": "Auftragsbestätigung",
        **extra,
    }
    return OrderConfirmation.model_validate(values)


def delivery_note(**extra: Any) -> DeliveryNote:
    values = order_confirmation().model_dump(by_alias=True, exclude={"total_price"})
    values["lineItems"] = [
        {"type": "material", "name": "Kabel NYM-J", "quantity": 50, "unitName": "m"}
    ]
    values.update(voucherNumber="LS0007", title="Lieferschein", **extra)
    return DeliveryNote.model_validate(values)


def test_user_title_is_the_project_name() -> None:
    assert project_name(order_confirmation(title="Badsanierung Meier")) == "Badsanierung Meier"


@pytest.mark.parametrize(
    "title", ["Auftragsbestätigung", "auftragsbestätigung ", "Order confirmation", "", None]
)
def test_default_or_missing_title_falls_back_to_number_and_customer(title: str | None) -> None:
    assert project_name(order_confirmation(title=title)) == "AB0042 – Muster GmbH"


def test_draft_without_number_is_named_by_its_date() -> None:
    draft = order_confirmation(voucherNumber=None, voucherStatus="draft")
    assert project_name(draft) == "Entwurf vom 02.03.2026 – Muster GmbH"


def test_delivery_note_default_title_falls_back_too() -> None:
    assert project_name(delivery_note()) == "LS0007 – Muster GmbH"


def test_order_confirmation_project_has_net_sum_origin_and_lexoffice_ids() -> None:
    draft = draft_project(order_confirmation(), DocumentType.ORDER_CONFIRMATION)
    assert draft.order_sum == Decimal("2613.75")
    assert draft.origin == ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION
    assert draft.lexoffice_id == uuid.UUID(DOCUMENT_ID)
    assert draft.lexoffice_voucher_number == "AB0042"


def test_delivery_note_project_has_no_order_sum() -> None:
    draft = draft_project(delivery_note(), DocumentType.DELIVERY_NOTE)
    assert draft.order_sum is None
    assert draft.origin == ProjectOrigin.LEXOFFICE_DELIVERY_NOTE


def test_description_has_introduction_items_terms_and_remark_in_german_numbers() -> None:
    text_item = {"type": "text", "name": "Hinweis", "description": "Zugang über den Hof"}
    document = order_confirmation(
        introduction="Wir bestätigen.",
        remark="Danke.",
        deliveryTerms="Lieferung frei Baustelle",
        lineItems=[*order_confirmation().model_dump(by_alias=True)["lineItems"], text_item],
    )
    assert describe(document) == (
        "Wir bestätigen.\n\n"
        "Positionen:\n"
        "- 2,5 Std Elektroinstallation à 1.045,50 € = 2.613,75 €\n"
        "  Hinweis\n  Zugang über den Hof\n\n"
        "Lieferbedingungen: Lieferung frei Baustelle\n\n"
        "Danke."
    )


def test_delivery_note_items_are_listed_without_prices() -> None:
    assert describe(delivery_note()) == "Positionen:\n- 50 m Kabel NYM-J"


@pytest.mark.parametrize(
    ("number", "places", "text"),
    [
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("2.5000"), None, "2,5"),
        (Decimal("10"), None, "10"),
    ],
)
def test_numbers_are_written_german_style(number: Decimal, places: int | None, text: str) -> None:
    assert german(number, places) == text


def test_customer_from_one_time_address_is_a_company_with_the_billing_address() -> None:
    address = VoucherAddress(
        name="Familie Schulz",
        supplement="Hinterhaus",
        street="Weg 2",
        zip="14467",
        city="Potsdam",
        country_code="de",
    )
    values = customer_from_address(address, "Auftragsbestätigung AB0042")
    assert values["kind"] == CustomerKind.COMPANY
    assert values["company_name"] == "Familie Schulz"
    assert (values["billing_street"], values["billing_zip"], values["billing_city"]) == (
        "Weg 2",
        "14467",
        "Potsdam",
    )
    assert values["billing_country_code"] == "DE"
    assert (
        values["note"]
        == "Aus lexoffice übernommen (Auftragsbestätigung AB0042).\nZusatz: Hinterhaus"
    )


def test_address_without_a_name_cannot_make_a_customer() -> None:
    with pytest.raises(UnmappableDocumentError, match="keinen Namen"):
        customer_from_address(VoucherAddress(country_code="DE"), "x")


def test_differing_fields_name_what_lexoffice_says_now() -> None:
    draft = draft_project(order_confirmation(title="Neu"), DocumentType.ORDER_CONFIRMATION)
    project = {**draft.values(), "name": "Alt", "order_sum": Decimal("2613.7500")}
    assert differing_fields(project, draft) == {"name": ("Alt", "Neu")}


def test_document_without_id_is_unmappable() -> None:
    with pytest.raises(UnmappableDocumentError):
        draft_project(order_confirmation(id=None), DocumentType.ORDER_CONFIRMATION)


def test_collective_contact_and_one_time_address_use_the_address_not_a_contact() -> None:
    contact = "0d8f2c1e-7d4a-4f3b-9a5e-2b1c3d4e5f60"
    linked = order_confirmation(address={"contactId": contact, "name": "Sammelkunde"})
    one_time = order_confirmation()
    # The voucherlist shows no contactId for the collective contact (Sammelkunde).
    assert uses_address(None, linked)
    assert uses_address(contact, one_time)
    assert not uses_address(contact, linked)
