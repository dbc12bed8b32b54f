"""Normalisation and validation of single values, and the vectorised twin in the diff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from tasks.diff.frames import normalize_columns
from tasks.mapping.records import (
    CUSTOMER,
    PRODUCT,
    CanonicalActivity,
    CanonicalCustomer,
    normalize_values,
)
from tasks.mapping.validation import is_valid_email, is_valid_gtin, validate


def test_customer_values_are_normalised_on_construction():
    customer = CanonicalCustomer(
        kind=" Company ",
        company_name=" Bau GmbH ",
        email=" Info@Bau.DE ",
        phone="",
        billing_zip=" 10115 ",
    )

    assert (customer.kind, customer.company_name, customer.email) == (
        "company",
        "Bau GmbH",
        "info@bau.de",
    )
    assert customer.phone is None
    assert customer.billing_country == "DE"  # an address without a country is German
    assert customer.shipping_country is None


def test_activity_defaults_to_hours_and_a_zero_price():
    activity = CanonicalActivity(name="Montage")

    assert activity.unit == "Stunde"
    assert activity.net_price == Decimal("0")


@pytest.mark.parametrize(
    "gtin, valid",
    [
        ("4006381333931", True),  # EAN-13
        ("96385074", True),  # EAN-8
        ("036000291452", True),  # UPC-A (GTIN-12)
        ("10614141000415", True),  # GTIN-14
        ("4006381333932", False),  # wrong check digit
        ("40063813339", False),  # wrong length
        ("400638133393X", False),
    ],
)
def test_gtin_check_digit(gtin, valid):
    assert is_valid_gtin(gtin) is valid


@pytest.mark.parametrize(
    "email, valid",
    [
        ("a@b.de", True),
        ("a.b+c@sub.b.de", True),
        ("a@b", False),
        ("a b@c.de", False),
        ("@c.de", False),
    ],
)
def test_email_shape(email, valid):
    assert is_valid_email(email) is valid


def test_validation_checks_only_fields_being_sent():
    values = {"name": None, "unit": "m", "tax_rate": Decimal("16"), "net_price": None, "ean": "1"}

    assert validate(PRODUCT, values, ["unit"]) == []
    assert {p.field for p in validate(PRODUCT, values, list(values))} == {
        "name",
        "tax_rate",
        "net_price",
        "ean",
    }


def test_company_contact_person_needs_a_last_name():
    values = normalize_values(
        CUSTOMER, {"kind": "company", "company_name": "Bau", "first_name": "Max"}
    )

    assert [p.field for p in validate(CUSTOMER, values, ["first_name"])] == ["last_name"]


def test_frame_normalisation_agrees_with_value_normalisation():
    raw: list[dict[str, Any]] = [
        {
            "kind": "Person ",
            "last_name": " Muster",
            "email": "A@B.DE",
            "billing_city": "Ulm",
            "phone": "",
            "customer_number": 10001.0,
        },
        {
            "kind": "company",
            "company_name": "X",
            "shipping_zip": "1",
            "shipping_country": "at",
            "note": "  ",
        },
    ]
    frame = pd.DataFrame(
        [{name: row.get(name) for name in CUSTOMER.fields} for row in raw]
    ).add_prefix("sys_")

    normalized = normalize_columns(CUSTOMER, frame, "sys_")

    for position, row in enumerate(raw):
        from_frame = {name: normalized[f"sys_{name}"].iloc[position] for name in CUSTOMER.fields}
        from_frame = {name: None if pd.isna(value) else value for name, value in from_frame.items()}
        expected = normalize_values(
            CUSTOMER, row | {"customer_number": "10001" if position == 0 else None}
        )
        assert from_frame == expected


def test_customer_country_code_and_salutation_length_are_checked():
    values = normalize_values(
        CUSTOMER,
        {
            "kind": "person",
            "last_name": "M",
            "billing_city": "Wien",
            "billing_country": "Österreich",
            "salutation": "S" * 26,
        },
    )

    problems = validate(CUSTOMER, values, list(CUSTOMER.export_fields))

    assert sorted(p.field for p in problems) == ["billing_country", "salutation"]


def test_a_refused_tax_rate_is_written_as_the_office_writes_it():
    values = {"name": "Kabel", "unit": "m", "tax_rate": Decimal("16.00")}

    (problem,) = validate(PRODUCT, values, ["tax_rate"])

    assert problem.message == "Steuersatz 16 % ist nicht 0, 7 oder 19 %"
