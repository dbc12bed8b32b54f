"""The words for errors people read are German (`tasks.error_text`), for every error the
connectors raise: each lexoffice status the error table knows, a network failure after the
client's retries, each rule a record breaks, each write rule of a contact, each shape a
listed record can have instead of the documented one."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from connectors.fieldservice import queries
from connectors.fieldservice.ean import InvalidGtinError, validate_gtin
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import Product, WorkReport, WorkReportStatus
from connectors.fieldservice.models.customer import check_customer_name
from connectors.lexoffice.errors import (
    STATUS_ERRORS,
    ConnectionFailedError,
    OutcomeUnknownError,
    error_for_response,
)
from connectors.lexoffice.models import Contact
from connectors.lexoffice.models.common import Page
from connectors.lexoffice.writability import contact_write_blockers
from tasks import error_text
from tests.support.english import english_in

STATUSES = sorted({*STATUS_ERRORS, 415, 500, 503})


@pytest.mark.parametrize("status", STATUSES)
def test_each_lexoffice_status_is_said_in_german_with_the_request(status: int) -> None:
    error = error_for_response("PUT", "/v1/contacts/abc", status, '{"message": "Some text"}')

    text = error_text.reason(error)

    assert english_in([text]) == [] and type(error).__name__ not in text
    assert f"PUT /v1/contacts/abc, HTTP {status}" in text


def test_a_network_failure_says_how_often_the_client_tried() -> None:
    error = ConnectionFailedError("GET", "/v1/contacts", None, "ConnectError")
    error.gave_up(12, 91.3, 90.0)

    text = error_text.reason(error)

    assert "gave up" in str(error)  # the developer's message keeps its words
    assert text.startswith("lexoffice ist nicht erreichbar (ConnectError)")
    assert "12 Versuche in 91 s" in text and english_in([text]) == []


def test_an_unknown_outcome_says_lexsync_looks_before_sending_again() -> None:
    text = error_text.reason(OutcomeUnknownError("POST", "/v1/invoices", 504))

    assert "sieht lexsync nach" in text and english_in([text]) == []


def refusals() -> list[InvalidRecordError]:
    """One InvalidRecordError per rule, raised by the connector's own checks."""
    found: list[InvalidRecordError] = []
    attempts: list[Any] = [
        lambda: check_customer_name("person", " ", None, "customer (row 0 of the batch)"),
        lambda: check_customer_name("company", None, "", "customer (new)"),
        lambda: Product(name="Kabel", net_price=Decimal("-0.01")),
        lambda: Product(name="Kabel", tax_rate=Decimal("100.5")),
        lambda: Product(name="Kabel", ean="4006381333932"),
        lambda: queries.mark_work_report_invoiced(
            None,  # type: ignore[arg-type]  # refused before the session is used
            WorkReport(id=5, status=WorkReportStatus.DRAFT),
            invoice_id=uuid.uuid4(),
            invoice_number=None,
            invoiced_at=dt.datetime.now(dt.UTC),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidRecordError) as refused:
            attempt()
        found.append(refused.value)
    return found


def test_each_rule_a_record_breaks_is_said_in_german() -> None:
    texts = [error_text.reason(error) for error in refusals()]

    assert english_in(texts) == []
    assert texts[:2] == [
        "eine Person braucht einen Nachnamen",
        "eine Firma braucht einen Firmennamen",
    ]
    assert texts[2] == "muss mindestens 0 sein, nicht -0,01"
    assert texts[3] == "muss zwischen 0 und 100 liegen, nicht 100,5"
    assert texts[4] == "keine gültige EAN: Prüfziffer 2, richtig wäre 1"
    assert texts[5] == "ist ein Entwurf; abgerechnet werden nur abgeschlossene Arbeitsnachweise"


@pytest.mark.parametrize("code", ["ABC", "12345", "4006381333932"])
def test_each_gtin_check_is_said_in_german(code: str) -> None:
    with pytest.raises(InvalidGtinError) as refused:
        validate_gtin(code)

    text = error_text.reason(refused.value)

    assert text.startswith("keine gültige EAN: ") and english_in([text]) == []


def test_each_write_rule_of_a_contact_is_said_in_german() -> None:
    crowded = {
        "roles": {"customer": {}},
        "person": {"lastName": "Voll"},
        "company": {"name": "Voll GmbH", "contactPersons": [{"lastName": "A"}, {"lastName": "B"}]},
        "addresses": {"billing": [{"countryCode": "DE"}] * 2},
        "emailAddresses": {"business": ["a@b.de", "c@d.de"], "office": ["e@f.de"] * 3},
        "phoneNumbers": {"mobile": ["1", "2"], "fax": ["3", "4"]},
    }
    blockers = contact_write_blockers(Contact.model_validate(crowded))

    text = error_text.write_blockers(blockers)

    assert english_in([text]) == [] and "." not in text.replace("(", "").split(";")[0]
    assert "3 E-Mail-Adressen (Büro)" in text and "2 Ansprechpartner" in text
    assert "Person und Firma zugleich" in text


@pytest.mark.parametrize(
    "record",
    [
        {"id": "a", "company": {"name": 12345}},
        {"id": "b", "emailAddresses": {"business": "nicht@liste.de"}},
        {"id": "c", "version": "eins"},
        {"id": "d", "archived": "vielleicht"},
    ],
)
def test_a_listed_record_of_another_shape_is_said_in_german(record: dict[str, Any]) -> None:
    page = Page[Contact].model_validate({"content": [record], "last": True})
    [rejected] = page.rejected

    text = error_text.rejected(rejected)

    assert english_in([text]) == [] and "Input should" not in text, text


def test_an_error_said_in_german_is_shown_without_its_class_name() -> None:
    from tasks.schema import OutdatedSchemaError

    said = OutdatedSchemaError("Die Systemdatenbank ist alt.\nZweite Zeile")
    unknown = RuntimeError("the second step broke")

    assert error_text.reason(said) == "Die Systemdatenbank ist alt."
    assert error_text.reason(unknown) == "RuntimeError: the second step broke"
