"""A work report (Arbeitsnachweis) that uses every kind of position, with a hand-checked total.

Used by the pure invoicing tests (transient records) and the flow tests (added to a database).

Hand check (net invoice, 3 % overall discount, sent as each line's own discount:
1 − (1 − own)(1 − 3 %), see tasks/invoicing/totals.py):

| line | computation | amount | rate |
| --- | --- | --- | --- |
| Elektroinstallation (Meister) | 2.5 h × 78.00 − 3 % = 189.15 | 189.15 | 19 |
| Elektroinstallation (Geselle) | 4 h × 62.00 − 12.70 % (10 % then 3 %) = 216.504 | 216.50 | 19 |
| Kabel NYM-J 3x1,5 | 25.5 m × 0.89 − 3 % = 22.01415 | 22.01 | 19 |
| Steckdose | 6 × 3.99 (override) − 7.85 % (5 % then 3 %) = 22.06071 | 22.06 | 19 |
| Fahrzeug, km | 42.5 km × 0.85 − 3 % = 35.04125 | 35.04 | 19 |
| Fahrzeug, Stunden | 1 h × 12.00 − 3 % | 11.64 | 19 |
| Maschine, Stunden | 1.5 h × 9.50 − 3 % = 13.8225 | 13.82 | 19 |
| Maschine, Tage | 1 d × 55.00 − 3 % | 53.35 | 19 |
| Abschnittskosten Montage | 1 × 150.00 − 3 % | 145.50 | 19 |
| Elektroinstallation (Meister) | 1 h × 78.00 − 3 % | 75.66 | 19 |
| Fachbuch | 1 × 24.90 − 3 % = 24.153 | 24.15 | 7 |
| Schrauben (excluded from sync) | 2 × 3.50 − 3 % | 6.79 | 19 |
| Entsorgung Altmaterial | 1 × 35.00 − 3 % | 33.95 | 19 |

19 %: net 825.47, tax 156.8393 → 156.84; 7 %: net 24.15, tax 1.6905 → 1.69.
Net 849.62 + tax 158.53 = gross 1008.15.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import httpx
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import (
    Activity,
    AdditionalPosition,
    Customer,
    CustomerKind,
    DiscountKind,
    EmployeeFunction,
    LabourEntry,
    Machine,
    MachineUse,
    MaterialUse,
    Product,
    SyncEntity,
    Vehicle,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)
from connectors.lexoffice.client import LexofficeClient
from tasks.connection import LexsyncConnection
from tasks.invoicing.plan import InvoicePlan
from tasks.invoicing.prepare import prepare_invoice
from tasks.report import RunReport

D = Decimal
HAND_CHECKED_NET = D("849.62")
HAND_CHECKED_TAX = D("158.53")
HAND_CHECKED_GROSS = D("1008.15")
SERVICE_DAY = dt.date(2026, 11, 2)


@dataclass
class Catalog:
    meister: EmployeeFunction
    geselle: EmployeeFunction
    installation: Activity
    cable: Product
    socket: Product
    book: Product
    screws: Product
    van: Vehicle
    router: Machine


def catalog() -> Catalog:
    return Catalog(
        meister=EmployeeFunction(name="Meister", hourly_rate=D("78.00")),
        geselle=EmployeeFunction(name="Geselle", hourly_rate=D("62.00")),
        installation=Activity(
            name="Elektroinstallation", unit="Stunde", default_price=D("78.00"), tax_rate=D(19)
        ),
        cable=Product(name="Kabel NYM-J 3x1,5", unit="Meter", net_price=D("0.89"), tax_rate=D(19)),
        socket=Product(name="Steckdose", unit="Stück", net_price=D("4.20"), tax_rate=D(19)),
        book=Product(name="Fachbuch", unit="Stück", net_price=D("24.90"), tax_rate=D(7)),
        screws=Product(
            name="Schrauben",
            unit="Packung",
            net_price=D("3.50"),
            tax_rate=D(19),
            exclude_from_sync=True,
        ),
        van=Vehicle(
            name="VW Crafter",
            license_plate="HB-EL 204",
            rate_per_km=D("0.85"),
            rate_per_hour=D("12.00"),
            rate_per_day=D("89.00"),
        ),
        router=Machine(name="Mauernutfräse", rate_per_hour=D("9.50"), rate_per_day=D("55.00")),
    )


def customer() -> Customer:
    return Customer(
        kind=CustomerKind.COMPANY, company_name="Muster Bau GmbH", billing_city="Bremen"
    )


def every_position_report(c: Catalog, owner: Customer | None = None) -> WorkReport:
    """The hand-checked work report: every kind of position, two sections, 3 % discount."""
    montage = WorkReportSection(title="Montage", lump_sum=D("150.00"))
    montage.labour = [
        LabourEntry(employee_function=c.meister, activity=c.installation, hours=D("2.5")),
        LabourEntry(
            employee_function=c.geselle, activity=c.installation, hours=D(4), discount_percent=D(10)
        ),
    ]
    montage.materials = [
        MaterialUse(product=c.cable, quantity=D("25.5")),
        MaterialUse(
            product=c.socket, quantity=D(6), unit_price_override=D("3.99"), discount_percent=D(5)
        ),
    ]
    montage.vehicle_uses = [VehicleUse(vehicle=c.van, km=D("42.5"), hours=D(1), days=D(0))]
    montage.machine_uses = [MachineUse(machine=c.router, hours=D("1.5"), days=D(1))]
    check = WorkReportSection(title="Prüfung")
    check.labour = [LabourEntry(employee_function=c.meister, activity=c.installation, hours=D(1))]
    check.materials = [
        MaterialUse(product=c.book, quantity=D(1)),
        MaterialUse(product=c.screws, quantity=D(2)),
    ]
    check.additional_positions = [
        AdditionalPosition(
            text="Entsorgung Altmaterial",
            quantity=D(1),
            unit="pauschal",
            unit_price=D("35.00"),
            tax_rate=D(19),
        )
    ]
    report = WorkReport(
        customer=owner or customer(),
        date_from=SERVICE_DAY,
        status=WorkReportStatus.COMPLETED,
        discount_kind=DiscountKind.PERCENT,
        discount_value=D("3.00"),
    )
    report.sections = [montage, check]
    return report


@dataclass(frozen=True)
class Seeded:
    """A work report in the system database whose customer and catalog are in lexoffice."""

    work_report_id: int
    customer_id: int
    contact_id: str
    service_article_id: str
    cable_article_id: str


def seed_linked_work_report(
    sessions: sessionmaker[Session], control: httpx.Client, *, link_customer: bool = True
) -> Seeded:
    """The hand-checked work report, its customer linked to a lexoffice contact, the
    activity and the cable linked to lexoffice articles (the rest stays unlinked)."""
    contact_id, service_id, cable_id = _seed_lexoffice(control)
    c = catalog()
    report = every_position_report(c)
    with sessions.begin() as session:
        session.add(report)
        session.flush()
        links = [(SyncEntity.ACTIVITY, c.installation.id, service_id)]
        links.append((SyncEntity.PRODUCT, c.cable.id, cable_id))
        if link_customer:
            links.append((SyncEntity.CUSTOMER, report.customer.id, contact_id))
        for entity, local_id, lexoffice_id in links:
            queries.upsert_link(session, entity, local_id, uuid.UUID(lexoffice_id), 1, {})
        return Seeded(report.id, report.customer.id, contact_id, service_id, cable_id)


def _seed_lexoffice(control: httpx.Client) -> tuple[str, str, str]:
    contact = {"roles": {"customer": {}}, "company": {"name": "Muster Bau GmbH"}}
    contacts = control.post("/seed/contacts", json=[contact])
    contacts.raise_for_status()
    service = _article("Elektroinstallation", "SERVICE", "Stunde", 78)
    cable = _article("Kabel NYM-J 3x1,5", "PRODUCT", "Meter", 0.89)
    articles = control.post("/seed/articles", json=[service, cable])
    articles.raise_for_status()
    service_id, cable_id = articles.json()["ids"]
    return contacts.json()["ids"][0], service_id, cable_id


def _article(title: str, kind: str, unit: str, price: float) -> dict[str, object]:
    return {
        "title": title,
        "type": kind,
        "unitName": unit,
        "price": {"netPrice": price, "leadingPrice": "NET", "taxRate": 19},
    }


def prepared_invoice(
    sessions: sessionmaker[Session],
    client: LexofficeClient,
    connection_block: LexsyncConnection,
    work_report_id: int,
    run_id: str = "r",
) -> InvoicePlan:
    """The invoice plan a run of this connection prepares (default layout, a scratch report)."""
    settings = connection_block.settings
    return prepare_invoice(sessions, client, settings, work_report_id, None, run_id, RunReport(""))
