"""Query functions: bulk-friendly, free of N+1, and never committing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.db import session_factory
from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.errors import InvalidRecordError
from connectors.fieldservice.models import (
    Activity,
    Base,
    Customer,
    IssueKind,
    LinkStatus,
    SyncEntity,
    WorkReportStatus,
)


def _companies(count: int) -> list[dict[str, object]]:
    return [
        {"kind": "company", "company_name": f"Elektro Größe {i} GmbH", "billing_city": "Kiel"}
        for i in range(count)
    ]


def test_loading_every_customer_is_one_query(session: Session, sql_statements) -> None:
    queries.insert_customers(session, _companies(300))
    with sql_statements() as statements:
        rows = queries.customer_rows(session)
    assert len(rows) == 300
    assert len(statements) == 1
    assert rows[0]["company_name"] == "Elektro Größe 0 GmbH"


def test_loading_every_product_and_activity_is_one_query_each(
    session: Session, sql_statements
) -> None:
    seed_demo(session)
    with sql_statements() as statements:
        products = queries.product_rows(session)
        syncable = queries.product_rows(session, syncable_only=True)
        activities = queries.activity_rows(session)
    assert len(statements) == 3
    assert (len(products), len(activities)) == (150, 12)
    assert 0 < len(syncable) < len(products)
    assert not any(row["exclude_from_sync"] for row in syncable)


def test_bulk_insert_returns_ids_in_the_order_of_the_rows(session: Session) -> None:
    ids = queries.insert_customers(session, _companies(50))
    names = {c.id: c.company_name for c in queries.list_customers(session)}
    assert [names[i] for i in ids] == [f"Elektro Größe {i} GmbH" for i in range(50)]


def test_bulk_insert_without_ids_inserts_all_the_same(session: Session, count_rows) -> None:
    assert queries.insert_customers(session, _companies(20), return_ids=False) == []
    assert count_rows(session, Customer) == 20


def test_bulk_rows_must_share_their_columns(session: Session) -> None:
    rows = [{"kind": "company", "company_name": "A"}, {"kind": "person", "last_name": "B"}]
    with pytest.raises(ValueError, match="row 1 has the columns"):
        queries.insert_customers(session, rows)


def test_bulk_update_changes_customers_and_checks_names(session: Session) -> None:
    first, second = queries.insert_customers(session, _companies(2))
    queries.update_customers(
        session, [{"id": first, "billing_city": "Lübeck"}, {"id": second, "billing_city": "Jena"}]
    )
    assert queries.get_customer(session, first).billing_city == "Lübeck"  # type: ignore[union-attr]
    with pytest.raises(InvalidRecordError, match=f"id {second}.*company_name"):
        queries.update_customers(
            session, [{"id": second, "kind": "company", "company_name": None, "last_name": "X"}]
        )


def test_bulk_update_of_products_checks_the_ean(session: Session, build) -> None:
    product = queries.add(session, build.product(name="Dimmer"))
    with pytest.raises(InvalidRecordError, match=f"id {product.id}.*ean"):
        queries.update_products(session, [{"id": product.id, "ean": "4006381333932"}])
    queries.update_products(session, [{"id": product.id, "net_price": Decimal("5.5")}])
    session.refresh(product)
    assert product.net_price == Decimal("5.5000")


def test_look_ups_by_natural_keys(session: Session, build) -> None:
    customer = queries.add(session, build.customer(customer_number=10042))
    product = queries.add(session, build.product(article_number="EL-7"))
    activity = queries.add(session, Activity(name="Notdienst"))
    assert queries.get_customer_by_number(session, 10042) is customer
    assert queries.get_customer_by_number(session, 1) is None
    assert queries.get_product(session, product.id) is product
    assert queries.get_product_by_article_number(session, "EL-7") is product
    assert queries.get_activity_by_name(session, "Notdienst") is activity


def test_archived_customers_are_listed_only_when_asked(session: Session, build) -> None:
    queries.add(session, build.customer(last_name="Aktiv"))
    queries.add(session, build.customer(last_name="Archiviert", archived=True))
    assert [c.last_name for c in queries.list_customers(session)] == ["Aktiv"]
    assert len(queries.list_customers(session, include_archived=True)) == 2


def test_work_reports_load_whole_in_a_fixed_number_of_queries(
    session: Session, sql_statements
) -> None:
    seed_demo(session)
    session.expunge_all()
    with sql_statements() as statements:
        reports = queries.list_work_reports(session)
        positions = [
            (
                r.customer.display_name,
                r.project and r.project.name,
                [(e.activity.name, e.employee_function.name) for e in s.labour],
                [m.product.name for m in s.materials],
                [v.vehicle.name for v in s.vehicle_uses],
                [m.machine.name for m in s.machine_uses],
                [a.text for a in s.additional_positions],
            )
            for r in reports
            for s in r.sections
        ]
    assert len(reports) == 10 and len(positions) > 10
    assert len(statements) <= 8, statements  # one per kind of row, not one per report


def test_work_reports_can_be_listed_by_status(session: Session) -> None:
    seed_demo(session)
    completed = queries.list_work_reports(session, status=WorkReportStatus.COMPLETED)
    assert completed and all(r.status == WorkReportStatus.COMPLETED for r in completed)
    assert [r.date_from for r in completed] == sorted(r.date_from for r in completed)


def test_upserting_links_inserts_then_overwrites(session: Session) -> None:
    ids = [uuid.uuid4() for _ in range(3)]
    links = [
        {
            "entity": SyncEntity.CUSTOMER,
            "local_id": i,
            "lexoffice_id": ids[i],
            "lexoffice_version": 1,
            "synced_values": {"name": f"Kunde {i}"},
        }
        for i in range(3)
    ]
    queries.upsert_links(session, links)
    queries.set_link_status(session, SyncEntity.CUSTOMER, [2], LinkStatus.MISSING_IN_LEXOFFICE)
    missing = queries.get_link(session, SyncEntity.CUSTOMER, 2)
    assert missing is not None and missing.status == LinkStatus.MISSING_IN_LEXOFFICE
    link = queries.upsert_link(session, SyncEntity.CUSTOMER, 2, ids[2], 5, {"name": "Kunde Zwei"})
    assert (link.lexoffice_version, link.synced_values, link.status) == (
        5,
        {"name": "Kunde Zwei"},
        LinkStatus.ACTIVE,
    )
    rows = queries.link_rows(session, SyncEntity.CUSTOMER)
    assert [(r["local_id"], r["lexoffice_version"]) for r in rows] == [(0, 1), (1, 1), (2, 5)]
    assert queries.link_rows(session, SyncEntity.PRODUCT) == []
    assert queries.get_link_by_lexoffice_id(session, SyncEntity.CUSTOMER, ids[1]).local_id == 1  # type: ignore[union-attr]
    assert queries.get_link_by_lexoffice_id(session, SyncEntity.PRODUCT, ids[1]) is None


def test_one_lexoffice_record_links_to_one_local_record_only(session: Session) -> None:
    lexoffice_id = uuid.uuid4()
    queries.upsert_link(session, SyncEntity.PRODUCT, 1, lexoffice_id, 0, {})
    queries.upsert_link(session, SyncEntity.ACTIVITY, 1, lexoffice_id, 0, {})  # other entity
    with pytest.raises(IntegrityError, match="lexoffice_id"), session.begin_nested():
        queries.upsert_link(session, SyncEntity.PRODUCT, 2, lexoffice_id, 0, {})


def test_issues_can_be_resolved_and_filtered(session: Session) -> None:
    issue = {"entity": SyncEntity.PRODUCT, "kind": IssueKind.SKIP, "message": "ausgeschlossen"}
    queries.append_issues(session, [{"run_id": "a", **issue}, {"run_id": "b", **issue}])
    first, second = queries.list_issues(session)
    queries.resolve_issues(session, [first.id])
    assert queries.list_issues(session, unresolved_only=True) == [second]
    assert queries.list_issues(session, run_id="a") == [first]
    assert first.resolved is True


def test_query_functions_never_commit(engine: Engine, build) -> None:
    sessions = session_factory(engine)
    try:
        with sessions() as session:
            _write_through_every_query_function(session, build)
            session.rollback()
        with engine.connect() as connection:
            counts = {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for table in Base.metadata.sorted_tables
            }
        assert set(counts.values()) == {0}, counts
    finally:
        with engine.begin() as connection:  # if a function did commit, leave no trace
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


def _write_through_every_query_function(session: Session, build) -> None:
    seed_demo(session)
    customer = queries.add(session, build.customer())
    queries.insert_customers(session, _companies(3))
    (product_id,) = queries.insert_products(session, [{"name": "Lüsterklemme", "net_price": 1}])
    queries.update_customers(session, [{"id": customer.id, "billing_city": "Ulm"}])
    queries.update_products(session, [{"id": product_id, "net_price": 2}])
    queries.upsert_link(session, SyncEntity.CUSTOMER, customer.id, uuid.uuid4(), 1, {})
    queries.set_link_status(session, SyncEntity.CUSTOMER, [customer.id], LinkStatus.ACTIVE)
    queries.append_journal(
        session,
        [
            {
                "run_id": "r",
                "entity": "customer",
                "local_id": customer.id,
                "direction": "export",
                "action": "create",
            }
        ],
    )
    queries.append_issues(
        session, [{"run_id": "r", "entity": "customer", "kind": "error", "message": "Fehler"}]
    )
    queries.resolve_issues(session, [issue.id for issue in queries.list_issues(session)])
    report = queries.list_work_reports(session, status=WorkReportStatus.COMPLETED)[0]
    queries.mark_work_report_invoiced(
        session,
        report,
        invoice_id=uuid.uuid4(),
        invoice_number="RE1",
        invoiced_at=dt.datetime.now(dt.UTC),
    )


def test_products_excluded_from_sync_stay_in_the_full_list(session: Session, build) -> None:
    queries.add(session, build.product(exclude_from_sync=True))
    assert len(queries.product_rows(session)) == 1
    assert queries.product_rows(session, syncable_only=True) == []
