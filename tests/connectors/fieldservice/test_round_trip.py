"""Every entity comes back as stored: Decimal places, aware datetimes, umlauts and ß."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from connectors.fieldservice import queries
from connectors.fieldservice.models import (
    Activity,
    AdditionalPosition,
    Base,
    CustomerKind,
    DiscountKind,
    EmployeeFunction,
    IssueKind,
    LabourEntry,
    Machine,
    MachineUse,
    MaterialUse,
    Product,
    Project,
    ProjectOrigin,
    SyncAction,
    SyncDirection,
    SyncEntity,
    SyncIssue,
    SyncJournal,
    Vehicle,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)

RecordT = TypeVar("RecordT", bound=Base)
BERLIN = ZoneInfo("Europe/Berlin")
GERMAN = "Größenmäßig übergroße Äpfel, Öfen & Süßes – „Straße“ № 5 €"


def _reloaded(session: Session, record: RecordT) -> RecordT:
    """The record as read back from the database, not from the session's memory."""
    session.add(record)
    session.flush()
    record_id = record.id  # type: ignore[attr-defined]
    session.expunge_all()
    found = session.get(type(record), record_id)
    assert found is not None
    return found


def test_customer_round_trips_with_umlauts_and_both_addresses(session: Session, build) -> None:
    created = dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)  # the night summer time starts
    customer = build.customer(
        kind=CustomerKind.COMPANY,
        salutation="Frau",
        first_name="Jörg-Ülrike",
        last_name="Weißmüller",
        company_name="Äpfel & Söhne GmbH & Co. KG",
        billing_street="Große Straße 12a",
        billing_city="Görlitz",
        billing_country_code="de",
        shipping_street="Baustelle Fußgängerzone 1",
        shipping_zip="02826",
        shipping_city="Görlitz",
        shipping_country_code="DE",
        email="joerg@aepfel-soehne.de",
        phone="+49 3581 12345",
        mobile="+49 151 2345678",
        customer_number=10001,
        note=GERMAN,
        archived=True,
        created_at=created,
    )
    found = _reloaded(session, customer)
    assert (found.kind, found.company_name, found.last_name) == (
        CustomerKind.COMPANY,
        "Äpfel & Söhne GmbH & Co. KG",
        "Weißmüller",
    )
    assert (found.billing_street, found.billing_country_code) == ("Große Straße 12a", "DE")
    assert found.has_shipping_address and found.shipping_street == "Baustelle Fußgängerzone 1"
    assert (found.note, found.customer_number, found.archived) == (GERMAN, 10001, True)
    assert found.created_at == created
    assert found.created_at.utcoffset() == dt.timedelta(0)
    assert found.created_at.isoformat() == "2026-03-29T00:30:00+00:00"
    assert found.updated_at.tzinfo is not None


def test_product_keeps_four_decimal_places_exactly(session: Session, build) -> None:
    product = build.product(
        name="NYM-J 5x2,5 mm² (Ring 50 m)",
        description=GERMAN,
        unit="Meter",
        net_price=Decimal("12345678.1234"),
        tax_rate=Decimal("7"),
        stock_on_hand=Decimal("0.0001"),
        exclude_from_sync=True,
    )
    found = _reloaded(session, product)
    assert str(found.net_price) == "12345678.1234"
    assert str(found.tax_rate) == "7.00"
    assert str(found.stock_on_hand) == "0.0001"
    assert (found.name, found.description, found.unit) == (
        "NYM-J 5x2,5 mm² (Ring 50 m)",
        GERMAN,
        "Meter",
    )
    assert found.exclude_from_sync is True


def test_extra_decimal_places_are_rounded_half_away_from_zero(session: Session, build) -> None:
    product = build.product(net_price=Decimal("1.23455"), stock_on_hand=Decimal("-2.00005"))
    found = _reloaded(session, product)
    assert (found.net_price, found.stock_on_hand) == (Decimal("1.2346"), Decimal("-2.0001"))


def test_defaults_are_filled_in(session: Session) -> None:
    found = _reloaded(session, Product(name="Kabelbinder", net_price=Decimal("0.05")))
    assert (found.unit, found.tax_rate, found.stock_on_hand) == ("Stück", Decimal("19.00"), 0)
    assert (found.exclude_from_sync, found.ean, found.article_number) == (False, None, None)


def test_database_defaults_serve_rows_written_by_other_software(session: Session) -> None:
    session.execute(sa.text("INSERT INTO products (name, net_price) VALUES ('Lüsterklemme', 0.2)"))
    row = queries.product_rows(session)[0]
    assert (row["unit"], row["tax_rate"], row["exclude_from_sync"]) == ("Stück", 19, False)
    age = dt.datetime.now(dt.UTC) - row["created_at"]
    assert dt.timedelta(minutes=-1) < age < dt.timedelta(minutes=1)


def test_updated_at_moves_on_update(session: Session, build) -> None:
    customer = queries.add(session, build.customer())
    customer.updated_at = before = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    session.flush()
    customer.billing_city = "Lüneburg"
    session.flush()
    assert customer.updated_at > before


def test_catalog_entries_round_trip(session: Session) -> None:
    activity = _reloaded(
        session,
        Activity(
            name="Zählerschrankmontage", tax_rate=Decimal("19"), default_price=Decimal("72.5")
        ),
    )
    assert (activity.unit, activity.default_price) == ("Stunde", Decimal("72.5000"))
    function = _reloaded(session, EmployeeFunction(name="Geselle", hourly_rate=Decimal("62.1234")))
    assert function.hourly_rate == Decimal("62.1234")
    vehicle = _reloaded(
        session,
        Vehicle(
            name="VW Crafter",
            license_plate="HB-EL 204",
            rate_per_km=Decimal("0.8500"),
            rate_per_hour=Decimal("12"),
            rate_per_day=Decimal("89.99"),
        ),
    )
    assert (vehicle.rate_per_km, vehicle.rate_per_day) == (Decimal("0.85"), Decimal("89.99"))
    machine = _reloaded(session, Machine(name="Mauernutfräse", rate_per_hour=Decimal("9.5")))
    assert (machine.name, machine.rate_per_hour, machine.rate_per_day) == (
        "Mauernutfräse",
        Decimal("9.5"),
        Decimal(0),
    )


def test_project_round_trips_with_its_lexoffice_voucher(session: Session, build) -> None:
    lexoffice_id = uuid.uuid4()
    project = Project(
        name="Wallbox-Installation Süderstraße",
        customer=build.customer(),
        order_sum=Decimal("9999999999.99"),
        description=GERMAN,
        origin=ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION,
        lexoffice_id=lexoffice_id,
        lexoffice_voucher_number="AB0815",
    )
    found = _reloaded(session, project)
    assert found.origin == ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION
    assert (found.lexoffice_id, found.lexoffice_voucher_number) == (lexoffice_id, "AB0815")
    assert str(found.order_sum) == "9999999999.99"
    assert found.customer.last_name == "Weiß"
    assert queries.get_project_by_lexoffice_id(session, lexoffice_id) is found


def _full_report(build) -> WorkReport:
    catalog = {
        "function": EmployeeFunction(name="Meister", hourly_rate=Decimal("78")),
        "activity": Activity(name="Fehlersuche", default_price=Decimal("74")),
        "product": build.product(name="LS-Schalter B16"),
        "vehicle": Vehicle(name="Sprinter", rate_per_km=Decimal("0.95")),
        "machine": Machine(name="Hubarbeitsbühne", rate_per_day=Decimal("180")),
    }
    first = WorkReportSection(title="Störung Küche", lump_sum=Decimal("150.50"))
    first.labour = [
        LabourEntry(
            employee_function=catalog["function"],
            activity=catalog["activity"],
            hours=Decimal("1.25"),
            discount_percent=Decimal("10"),
        ),
        LabourEntry(
            employee_function=catalog["function"], activity=catalog["activity"], hours=Decimal(2)
        ),
    ]
    first.materials = [
        MaterialUse(
            product=catalog["product"],
            quantity=Decimal("2.5"),
            unit_price_override=Decimal("3.3333"),
            discount_percent=Decimal("5"),
        )
    ]
    first.vehicle_uses = [
        VehicleUse(vehicle=catalog["vehicle"], km=Decimal("42.5"), hours=Decimal("0.5"))
    ]
    second = WorkReportSection(title="Prüfung nach DIN VDE 0100-600")
    second.machine_uses = [MachineUse(machine=catalog["machine"], days=Decimal(1))]
    second.additional_positions = [
        AdditionalPosition(
            text="Entsorgung Altgeräte (Größe: groß)",
            quantity=Decimal(1),
            unit="pauschal",
            unit_price=Decimal("35.00"),
            tax_rate=Decimal("19"),
            discount_percent=Decimal("2.5"),
        )
    ]
    return WorkReport(
        customer=build.customer(),
        date_from=dt.date(2026, 3, 2),
        date_to=dt.date(2026, 3, 4),
        status=WorkReportStatus.COMPLETED,
        note=GERMAN,
        discount_kind=DiscountKind.ABSOLUTE,
        discount_value=Decimal("49.99"),
        sections=[first, second],
    )


def test_work_report_round_trips_with_every_kind_of_position(session: Session, build) -> None:
    report = _reloaded(session, _full_report(build))
    report = queries.get_work_report(session, report.id)  # type: ignore[assignment]
    assert report is not None
    assert (report.date_from, report.date_to, report.note) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 4),
        GERMAN,
    )
    assert (report.discount_kind, report.discount_value) == (
        DiscountKind.ABSOLUTE,
        Decimal("49.99"),
    )
    first, second = report.sections
    assert [s.position for s in report.sections] == [0, 1]
    assert (first.title, first.lump_sum, second.lump_sum) == (
        "Störung Küche",
        Decimal("150.50"),
        None,
    )
    assert [(e.position, e.hours, e.discount_percent) for e in first.labour] == [
        (0, Decimal("1.25"), Decimal("10")),
        (1, Decimal("2"), Decimal("0")),
    ]
    assert first.labour[0].activity.name == "Fehlersuche"
    material = first.materials[0]
    assert (material.product.name, material.quantity, material.unit_price_override) == (
        "LS-Schalter B16",
        Decimal("2.5000"),
        Decimal("3.3333"),
    )
    vehicle_use = first.vehicle_uses[0]
    assert (vehicle_use.vehicle.name, vehicle_use.km, vehicle_use.days) == (
        "Sprinter",
        Decimal("42.5"),
        Decimal(0),
    )
    assert (second.machine_uses[0].machine.name, second.machine_uses[0].days) == (
        "Hubarbeitsbühne",
        Decimal(1),
    )
    extra = second.additional_positions[0]
    assert (extra.text, extra.unit, extra.unit_price, extra.discount_percent) == (
        "Entsorgung Altgeräte (Größe: groß)",
        "pauschal",
        Decimal("35.00"),
        Decimal("2.50"),
    )


def test_invoiced_work_report_keeps_its_invoice_reference(session: Session, build) -> None:
    report = queries.add(session, _full_report(build))
    invoice_id = uuid.uuid4()
    invoiced_at = dt.datetime(2026, 3, 5, 17, 45, 12, 123456, tzinfo=BERLIN)
    queries.mark_work_report_invoiced(
        session, report, invoice_id=invoice_id, invoice_number="RE0042", invoiced_at=invoiced_at
    )
    found = _reloaded(session, report)
    assert found.status == WorkReportStatus.INVOICED
    assert (found.lexoffice_invoice_id, found.lexoffice_invoice_number) == (invoice_id, "RE0042")
    assert found.invoiced_at == invoiced_at and found.invoiced_at.tzinfo == dt.UTC


def test_deleting_a_work_report_deletes_its_sections_and_positions(
    session: Session, build, count_rows
) -> None:
    report = queries.add(session, _full_report(build))
    session.delete(report)
    session.flush()
    for model in (WorkReportSection, LabourEntry, MaterialUse, VehicleUse, AdditionalPosition):
        assert count_rows(session, model) == 0
    assert count_rows(session, Product) == 1


def test_bookkeeping_round_trips_json_with_umlauts_and_decimals(session: Session) -> None:
    lexoffice_id = uuid.uuid4()
    values = {"name": "Müller & Söhne", "netPrice": Decimal("12.3400"), "tags": ["ß", None]}
    link = queries.upsert_link(session, SyncEntity.PRODUCT, 7, lexoffice_id, 3, values)
    session.expunge_all()
    link = _reloaded(session, link)
    assert link.synced_values == {
        "name": "Müller & Söhne",
        "netPrice": "12.3400",
        "tags": ["ß", None],
    }
    assert (link.lexoffice_id, link.lexoffice_version, link.synced_at.tzinfo) == (
        lexoffice_id,
        3,
        dt.UTC,
    )
    queries.append_journal(
        session,
        [
            {
                "run_id": "run-1",
                "entity": SyncEntity.CUSTOMER,
                "local_id": 1,
                "lexoffice_id": lexoffice_id,
                "direction": SyncDirection.EXPORT,
                "action": SyncAction.UPDATE,
                "before": {"city": "Koln"},
                "after": {"city": "Köln"},
            }
        ],
    )
    (entry,) = queries.journal_entries(session, "run-1")
    assert (entry.before, entry.after, entry.action) == (
        {"city": "Koln"},
        {"city": "Köln"},
        SyncAction.UPDATE,
    )
    assert isinstance(entry, SyncJournal) and entry.at.tzinfo == dt.UTC
    queries.append_issues(
        session,
        [
            {
                "run_id": "run-1",
                "entity": SyncEntity.CUSTOMER,
                "local_id": 1,
                "record_label": "Jürgen Weiß",
                "field": "last_name",
                "kind": IssueKind.CONFLICT,
                "message": "in beiden Systemen geändert",
                "values": {"local": "Weiß", "lexoffice": "Weiss", "synced": "Weiß"},
            }
        ],
    )
    (issue,) = queries.list_issues(session, run_id="run-1")
    assert isinstance(issue, SyncIssue)
    assert (issue.record_label, issue.kind, issue.resolved) == (
        "Jürgen Weiß",
        IssueKind.CONFLICT,
        False,
    )
    assert issue.values == {"local": "Weiß", "lexoffice": "Weiss", "synced": "Weiß"}


def test_customer_rows_come_back_typed(session: Session, build) -> None:
    queries.add(session, build.customer(kind=CustomerKind.PERSON, last_name="Öztürk"))
    (row,) = queries.customer_rows(session)
    assert row["last_name"] == "Öztürk"
    assert row["kind"] == CustomerKind.PERSON
    assert row["created_at"].tzinfo == dt.UTC
