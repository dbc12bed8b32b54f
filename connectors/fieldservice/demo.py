"""Demo data: a small German electrician business (Elektro-Fachbetrieb), always the same."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker
from sqlalchemy.orm import Session

from connectors.fieldservice import vocabulary as vocab
from connectors.fieldservice.ean import with_check_digit
from connectors.fieldservice.models import (
    Activity,
    AdditionalPosition,
    Base,
    Customer,
    CustomerKind,
    DiscountKind,
    EmployeeFunction,
    LabourEntry,
    Machine,
    MachineUse,
    MaterialUse,
    Product,
    Project,
    ProjectOrigin,
    Vehicle,
    VehicleUse,
    WorkReport,
    WorkReportSection,
    WorkReportStatus,
)

DEMO_SEED = 4711
CUSTOMERS = 50
PROJECTS = 10
FIRST_WORK_DAY = dt.date(2026, 3, 2)
SECTION_TITLES = ("Montage", "Verdrahtung und Anschluss", "Prüfung und Inbetriebnahme")
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "", "'": ""})


@dataclass(frozen=True)
class Catalog:
    """What work reports are priced from."""

    products: list[Product]
    activities: list[Activity]
    functions: list[EmployeeFunction]
    vehicles: list[Vehicle]
    machines: list[Machine]

    def records(self) -> list[Base]:
        """Every catalog entry."""
        return [*self.products, *self.activities, *self.functions, *self.vehicles, *self.machines]


def seed_demo(session: Session, *, seed: int = DEMO_SEED) -> dict[str, int]:
    """Add the demo business to the session and flush; returns how many of each were added.

    About 50 customers, 150 products, 12 activities, 3 employee functions, 2 vehicles,
    2 machines, 10 projects and 10 work reports that together use every kind of position.
    Never commits: the caller decides.
    """
    fake = Faker("de_DE")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    customers = [_customer(fake, rng, i) for i in range(CUSTOMERS)]
    catalog = _catalog(rng)
    projects = _projects(rng, [c for c in customers if not c.archived])
    reports = [_work_report(fake, rng, catalog, p, i) for i, p in enumerate(projects)]
    session.add_all(customers)
    session.add_all(catalog.records())
    session.add_all([*projects, *reports])
    session.flush()
    return {
        "customers": len(customers),
        "products": len(catalog.products),
        "activities": len(catalog.activities),
        "employee_functions": len(catalog.functions),
        "vehicles": len(catalog.vehicles),
        "machines": len(catalog.machines),
        "projects": len(projects),
        "work_reports": len(reports),
    }


def money(value: float, places: int = 2) -> Decimal:
    """A float from the random generator as a Decimal with `places` decimals."""
    return Decimal(str(round(value, places)))


def email_for(name: str, domain: str) -> str:
    """An address such as juergen.weiss@example.org for "Jürgen Weiß"."""
    parts = name.lower().translate(_TRANSLITERATION).split(".")
    return ".".join(p for p in parts if p) + "@" + domain


def _customer(fake: Faker, rng: random.Random, index: int) -> Customer:
    is_company = index % 3 == 0
    female = rng.random() < 0.5
    first_name = fake.first_name_female() if female else fake.first_name_male()
    last_name = fake.last_name()
    company_name = fake.company() if is_company else None
    customer = Customer(
        kind=CustomerKind.COMPANY if is_company else CustomerKind.PERSON,
        salutation="Frau" if female else "Herr",
        first_name=first_name,
        last_name=last_name,
        company_name=company_name,
        billing_street=fake.street_address(),
        billing_zip=fake.postcode(),
        billing_city=fake.city(),
        email=email_for(f"{first_name}.{last_name}", fake.free_email_domain()),
        phone=fake.phone_number(),
        mobile=fake.numerify("+49 15# #######") if rng.random() < 0.6 else None,
        note=fake.sentence(nb_words=8) if index % 10 == 4 else None,
        archived=index % 25 == 24,
    )
    if index % 7 == 3:
        # A site address (Baustelle) that differs from the billing address.
        customer.shipping_street = fake.street_address()
        customer.shipping_zip = fake.postcode()
        customer.shipping_city = fake.city()
        customer.shipping_country_code = "DE"
    return customer


def _catalog(rng: random.Random) -> Catalog:
    return Catalog(
        products=_products(rng),
        activities=[
            Activity(
                name=a.name,
                unit=a.unit,
                description=a.description,
                default_price=money(a.default_price) if a.default_price is not None else None,
            )
            for a in vocab.ACTIVITIES
        ],
        functions=[
            EmployeeFunction(name=name, hourly_rate=money(rate))
            for name, rate in vocab.EMPLOYEE_FUNCTIONS
        ],
        vehicles=[
            Vehicle(
                name=name,
                license_plate=plate,
                rate_per_km=money(km),
                rate_per_hour=money(hour),
                rate_per_day=money(day),
            )
            for name, plate, km, hour, day in vocab.VEHICLES
        ],
        machines=[
            Machine(name=name, rate_per_hour=money(hour), rate_per_day=money(day))
            for name, hour, day in vocab.MACHINES
        ],
    )


def _products(rng: random.Random) -> list[Product]:
    products: list[Product] = []
    for family in vocab.PRODUCT_FAMILIES:
        for name in family.names():
            products.append(
                Product(
                    name=name,
                    article_number=f"EL-{10001 + len(products)}",
                    # 400–440 is GS1 Germany's prefix range.
                    ean=with_check_digit(f"40{rng.randrange(10**10):010d}"),
                    description=family.description,
                    unit=family.unit,
                    net_price=money(rng.uniform(*family.price_range)),
                    stock_on_hand=Decimal(rng.randrange(0, 250)),
                    exclude_from_sync=family.consumable,
                )
            )
    return products


def _projects(rng: random.Random, customers: list[Customer]) -> list[Project]:
    projects = []
    for index, customer in enumerate(rng.sample(customers, PROJECTS)):
        kind = vocab.PROJECT_KINDS[index]
        project = Project(
            name=f"{kind} {customer.shipping_city or customer.billing_city}",
            customer=customer,
            description=f"{kind} für {customer.display_name}",
        )
        # Two projects from order confirmations, one from a delivery note in lexoffice.
        if index in (1, 4, 7):
            is_order = index != 7
            project.origin = (
                ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION
                if is_order
                else ProjectOrigin.LEXOFFICE_DELIVERY_NOTE
            )
            project.lexoffice_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            project.lexoffice_voucher_number = f"{'AB' if is_order else 'LS'}{index:04d}"
            project.order_sum = money(rng.uniform(800, 12000))
        projects.append(project)
    return projects


def _work_report(
    fake: Faker, rng: random.Random, catalog: Catalog, project: Project, index: int
) -> WorkReport:
    date_from = FIRST_WORK_DAY + dt.timedelta(days=3 * index)
    report = WorkReport(
        customer=project.customer,
        project=project,
        date_from=date_from,
        date_to=date_from + dt.timedelta(days=2) if index % 4 == 3 else None,
        status=WorkReportStatus.COMPLETED if index % 2 == 0 else WorkReportStatus.DRAFT,
        note=fake.sentence(nb_words=10),
    )
    report.sections = [_section(rng, catalog, index, s) for s in range(1 + index % 3)]
    if index == 3:
        report.discount_kind, report.discount_value = DiscountKind.PERCENT, Decimal("3.00")
    if index == 6:
        report.discount_kind, report.discount_value = DiscountKind.ABSOLUTE, Decimal("50.00")
    return report


def _section(rng: random.Random, catalog: Catalog, report: int, index: int) -> WorkReportSection:
    """A section; which kinds of position it has follows the report's number, so that the ten
    reports together use every kind (machines, additional positions, lump sums, discounts)."""
    first = index == 0
    section = WorkReportSection(title=SECTION_TITLES[index])
    section.labour = [
        LabourEntry(
            employee_function=rng.choice(catalog.functions),
            activity=rng.choice([a for a in catalog.activities if a.unit == "Stunde"]),
            hours=money(rng.choice((0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.5, 8.0))),
            discount_percent=Decimal(10) if report % 3 == 1 and k == 0 else Decimal(0),
        )
        for k in range(rng.randint(1, 3))
    ]
    section.materials = [
        MaterialUse(
            product=product,
            quantity=money(rng.uniform(1, 25) if product.unit == "Meter" else rng.randint(1, 8)),
            unit_price_override=product.net_price * Decimal("0.9") if report == 4 else None,
            discount_percent=Decimal(5) if report % 3 == 2 else Decimal(0),
        )
        for product in rng.sample(catalog.products, rng.randint(2, 5))
    ]
    if first:
        section.vehicle_uses = [
            VehicleUse(
                vehicle=catalog.vehicles[report % 2],
                km=money(rng.uniform(6, 60), 1),
                hours=money(rng.choice((0, 0.5, 1))),
                days=Decimal(1 if report == 5 else 0),
            )
        ]
    if first and report % 3 == 0:
        section.machine_uses = [
            MachineUse(
                machine=catalog.machines[report % 2],
                hours=money(rng.choice((1, 2, 3.5))),
                days=Decimal(1 if report == 9 else 0),
            )
        ]
    if report % 4 == 1:
        text, unit, price = vocab.ADDITIONAL_POSITIONS[(report + index) % 4]
        section.additional_positions = [
            AdditionalPosition(
                text=text,
                quantity=Decimal(1),
                unit=unit,
                unit_price=money(price),
                tax_rate=Decimal(19),
                discount_percent=Decimal(0),
            )
        ]
    if first and report % 5 == 2:
        section.lump_sum = money(rng.uniform(150, 600))
    return section
