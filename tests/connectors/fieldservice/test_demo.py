"""The demo business: its size, its variety, and that it is the same every time."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.ean import is_valid_gtin
from connectors.fieldservice.models import (
    AdditionalPosition,
    Customer,
    CustomerKind,
    DiscountKind,
    LabourEntry,
    MachineUse,
    MaterialUse,
    Product,
    ProjectOrigin,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)

EXPECTED_COUNTS = {
    "customers": 50,
    "products": 150,
    "activities": 12,
    "employee_functions": 3,
    "vehicles": 2,
    "machines": 2,
    "projects": 10,
    "work_reports": 10,
}


def _count(session: Session, *where: sa.ColumnElement[bool], model: type) -> int:
    statement = sa.select(sa.func.count()).select_from(model).where(*where)
    return int(session.execute(statement).scalar_one())


def test_demo_has_the_size_of_a_small_electrician_business(session: Session, count_rows) -> None:
    assert seed_demo(session) == EXPECTED_COUNTS
    assert count_rows(session, Customer) == 50
    assert count_rows(session, Product) == 150
    assert count_rows(session, WorkReport) == 10
    functions = [f.name for f in queries.list_employee_functions(session)]
    assert functions == ["Auszubildender", "Geselle", "Meister"]


def test_demo_customers_are_persons_and_companies_some_shipping_elsewhere(
    session: Session,
) -> None:
    seed_demo(session)
    customers = queries.list_customers(session, include_archived=True)
    kinds = {c.kind for c in customers}
    assert kinds == {CustomerKind.PERSON, CustomerKind.COMPANY}
    assert 3 <= sum(c.has_shipping_address for c in customers) <= 15
    assert any(c.archived for c in customers)
    assert all(c.display_name and c.billing_city and c.email for c in customers)
    assert any(set("äöüßÄÖÜ") & set(c.display_name or "") for c in customers)


def test_demo_products_have_valid_unique_eans_and_article_numbers(session: Session) -> None:
    seed_demo(session)
    rows = queries.product_rows(session)
    assert all(row["ean"] and is_valid_gtin(row["ean"]) for row in rows)
    assert len({row["ean"] for row in rows}) == len(rows)
    assert len({row["article_number"] for row in rows}) == len(rows)
    assert {"Meter", "Stück"} <= {row["unit"] for row in rows}
    assert any(row["exclude_from_sync"] for row in rows)


def test_demo_work_reports_use_every_kind_of_position(session: Session) -> None:
    seed_demo(session)
    for model in (LabourEntry, MaterialUse, VehicleUse, MachineUse, AdditionalPosition):
        assert _count(session, model=model) > 0, model.__name__
    assert _count(session, WorkReportSection.lump_sum.is_not(None), model=WorkReportSection)
    assert _count(session, LabourEntry.discount_percent > 0, model=LabourEntry)
    assert _count(session, MaterialUse.discount_percent > 0, model=MaterialUse)
    assert _count(session, MaterialUse.unit_price_override.is_not(None), model=MaterialUse)
    kinds = {r.discount_kind for r in queries.list_work_reports(session)}
    assert {DiscountKind.PERCENT, DiscountKind.ABSOLUTE} <= kinds
    statuses = [r.status for r in queries.list_work_reports(session)]
    assert WorkReportStatus.COMPLETED in statuses and WorkReportStatus.DRAFT in statuses
    assert any(r.date_to for r in queries.list_work_reports(session))


def test_demo_projects_come_from_both_systems(session: Session) -> None:
    seed_demo(session)
    origins = {p.origin for p in queries.list_projects(session)}
    assert origins == set(ProjectOrigin)


def test_demo_is_the_same_every_time(session: Session) -> None:
    def snapshot() -> list[tuple[object, ...]]:
        with session.begin_nested() as savepoint:
            seed_demo(session)
            rows: list[tuple[object, ...]] = [
                (c["last_name"], c["company_name"], c["billing_street"], c["email"])
                for c in queries.customer_rows(session)
            ] + [(p["name"], p["ean"], p["net_price"]) for p in queries.product_rows(session)]
            savepoint.rollback()
        session.expunge_all()
        return rows

    assert snapshot() == snapshot()
