"""What the field-service database refuses, and that its messages name record and field."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import (
    Customer,
    CustomerKind,
    Product,
    Project,
    ProjectOrigin,
    WorkReport,
    WorkReportStatus,
)


def _refused_by_database(session: Session, table: Any, values: dict[str, Any]) -> str:
    """Insert past every Python check (an untyped table); return the database's message."""
    untyped = sa.table(table.name, *(sa.column(name) for name in values))
    with pytest.raises(IntegrityError) as refused, session.begin_nested():
        session.execute(sa.insert(untyped).values(**values))
    return str(refused.value.orig)


def test_person_without_last_name_is_refused_naming_the_field(session: Session, build) -> None:
    customer = build.customer(first_name="Anna", last_name="  ")
    with pytest.raises(InvalidRecordError, match="last_name is required") as refused:
        queries.add(session, customer)
    assert refused.value.field == "last_name"
    assert "customer 'Anna'" in refused.value.record


def test_company_without_company_name_is_refused_at_flush_too(session: Session, build) -> None:
    session.add(build.customer(kind=CustomerKind.COMPANY, company_name=None))
    with pytest.raises(InvalidRecordError, match="company_name is required") as refused:
        session.flush()
    assert refused.value.field == "company_name"
    assert refused.value.record == "customer without a name (new)"


def test_clearing_the_name_of_a_stored_customer_is_refused(session: Session, build) -> None:
    customer = queries.add(session, build.customer())
    customer.last_name = None
    with pytest.raises(InvalidRecordError, match=rf"\(id {customer.id}\): last_name"):
        session.flush()


def test_bulk_insert_of_a_nameless_customer_names_the_row(session: Session, build) -> None:
    rows = [build.customer_row(), build.customer_row(company_name="")]
    with pytest.raises(InvalidRecordError, match=r"row 1 of the batch.*company_name"):
        queries.insert_customers(session, rows)


def test_database_refuses_a_customer_without_name(session: Session) -> None:
    message = _refused_by_database(
        session, Customer.__table__, {"kind": "person", "first_name": "Anna"}
    )
    assert "ck_customers_name_required" in message


def test_bad_ean_is_refused_naming_product_and_field(build) -> None:
    with pytest.raises(InvalidRecordError) as refused:
        build.product(ean="4006381333930", name="LED-Panel 62x62")
    assert refused.value.field == "ean"
    assert str(refused.value) == (
        "product 'LED-Panel 62x62' (new): ean GTIN '4006381333930' has the wrong check digit 0"
        " (expected 1)"
    )


def test_bad_ean_in_a_bulk_insert_names_the_row(session: Session) -> None:
    rows = [{"name": "Kabelbinder", "net_price": Decimal(1), "ean": "12345"}]
    with pytest.raises(InvalidRecordError, match=r"product 'Kabelbinder' .*ean GTIN '12345' has 5"):
        queries.insert_products(session, rows)


def test_empty_ean_and_article_number_are_stored_as_null(session: Session, build) -> None:
    first = queries.add(session, build.product(ean=" ", article_number=""))
    second = queries.add(session, build.product(ean="", article_number=" "))
    assert (first.ean, first.article_number, second.article_number) == (None, None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("net_price", Decimal("-0.01"), "net_price must be at least 0, not -0.01"),
        ("tax_rate", Decimal("100.01"), "tax_rate must be between 0 and 100, not 100.01"),
        ("tax_rate", Decimal(-7), "tax_rate must be between 0 and 100, not -7"),
    ],
)
def test_prices_and_tax_rates_out_of_range_are_refused(
    build, field: str, value: Decimal, message: str
) -> None:
    with pytest.raises(InvalidRecordError, match=f"product 'Kabel' \\(new\\): {message}"):
        build.product(name="Kabel", **{field: value})


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"net_price": -1}, "ck_products_net_price_non_negative"),
        ({"net_price": 1, "tax_rate": 101}, "ck_products_tax_rate_percent"),
        ({"net_price": 1, "name": " "}, "ck_products_name_required"),
    ],
)
def test_database_refuses_out_of_range_numbers(
    session: Session, values: dict[str, Any], constraint: str
) -> None:
    message = _refused_by_database(session, Product.__table__, {"name": "Kabel", **values})
    assert constraint in message


def test_customer_number_is_unique_when_set(session: Session, build) -> None:
    queries.add(session, build.customer(customer_number=None))
    queries.add(session, build.customer(customer_number=None))
    queries.add(session, build.customer(customer_number=10001))
    with pytest.raises(IntegrityError, match="customer_number"), session.begin_nested():
        queries.add(session, build.customer(customer_number=10001))


def test_article_number_is_unique(session: Session, build) -> None:
    queries.add(session, build.product(article_number="EL-1"))
    with pytest.raises(IntegrityError, match="article_number"), session.begin_nested():
        queries.add(session, build.product(article_number="EL-1"))


def test_foreign_keys_are_enforced(session: Session) -> None:
    message = _refused_by_database(session, Project.__table__, {"name": "P", "customer_id": 999})
    assert "foreign key" in message.lower()


def test_a_project_from_lexoffice_needs_its_lexoffice_id(session: Session, build) -> None:
    customer = queries.add(session, build.customer())
    values = {
        "name": "Wallbox",
        "customer_id": customer.id,
        "origin": ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION.value,
    }
    assert "ck_projects_lexoffice_origin_has_id" in _refused_by_database(
        session, Project.__table__, values
    )


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"date_to": dt.date(2026, 3, 1)}, "ck_work_reports_period_order"),
        ({"status": "invoiced"}, "ck_work_reports_invoice_reference"),
        ({"lexoffice_invoice_id": uuid.uuid4().hex}, "ck_work_reports_invoice_reference"),
        ({"discount_kind": "percent", "discount_value": 120}, "ck_work_reports_discount"),
        ({"discount_kind": "absolute"}, "ck_work_reports_discount"),
        ({"status": "paid"}, "ck_work_reports_status"),
    ],
)
def test_database_refuses_inconsistent_work_reports(
    session: Session, build, values: dict[str, Any], constraint: str
) -> None:
    customer = queries.add(session, build.customer())
    row = {"customer_id": customer.id, "date_from": dt.date(2026, 3, 2), **values}
    assert constraint in _refused_by_database(session, WorkReport.__table__, row)


def test_only_completed_reports_can_be_marked_invoiced(session: Session, build) -> None:
    customer = queries.add(session, build.customer())
    report = queries.add(session, WorkReport(customer=customer, date_from=dt.date(2026, 3, 2)))
    with pytest.raises(InvalidRecordError, match="status is draft"):
        queries.mark_work_report_invoiced(
            session,
            report,
            invoice_id=uuid.uuid4(),
            invoice_number="RE0001",
            invoiced_at=dt.datetime.now(dt.UTC),
        )
    assert report.status == WorkReportStatus.DRAFT


def test_naive_datetimes_are_refused(session: Session, build) -> None:
    customer = build.customer(created_at=dt.datetime(2026, 3, 2, 8, 0))
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        queries.add(session, customer)


def test_numbers_too_large_for_their_column_are_refused_on_both_databases(
    session: Session, build
) -> None:
    with pytest.raises(sa.exc.StatementError, match=r"does not fit NUMERIC\(12, 4\)"):
        queries.add(session, build.product(net_price=Decimal("123456789.5")))
