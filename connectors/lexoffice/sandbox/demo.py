"""Demo data for one organization: a small craftsman's (Handwerksbetrieb) lexoffice account.

Deterministic: Faker (de_DE) and all ids come from one seed, and every date is fixed, so two
runs produce the same records.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from .records.registry import RESOURCES, insert_as_user
from .store import OrgStore
from .util import BERLIN, format_dt

BASE = datetime(2026, 1, 5, 8, 30, tzinfo=BERLIN)
PRODUCTS = [
    ("Kupferrohr 15 mm", "m", 8.9),
    ("Kupferrohr 22 mm", "m", 12.4),
    ("Pressfitting Bogen 15 mm", "Stück", 4.2),
    ("Kugelhahn 1/2 Zoll", "Stück", 14.9),
    ("Thermostatkopf", "Stück", 22.5),
    ("Heizkörperventil", "Stück", 18.7),
    ("Flachheizkörper 600x1000", "Stück", 189.0),
    ("Ausdehnungsgefäß 25 l", "Stück", 64.0),
    ("Umwälzpumpe", "Stück", 249.0),
    ("Mischbatterie Küche", "Stück", 119.0),
    ("Waschtischarmatur", "Stück", 89.0),
    ("WC-Spülkasten", "Stück", 139.0),
    ("Silikon sanitär", "Kartusche", 7.8),
    ("Dämmschlauch 15 mm", "m", 1.9),
    ("Rohrschelle 15 mm", "Stück", 0.9),
    ("Kabel NYM-J 3x1,5", "m", 1.2),
    ("Kabel NYM-J 5x2,5", "m", 2.6),
    ("Schalter Aus/Wechsel", "Stück", 6.4),
    ("Steckdose Schuko", "Stück", 5.9),
    ("Abzweigdose", "Stück", 2.3),
    ("LED-Einbauleuchte", "Stück", 24.0),
    ("FI-Schutzschalter 40 A", "Stück", 59.0),
    ("Leitungsschutzschalter B16", "Stück", 7.5),
    ("Zählerschrank", "Stück", 389.0),
    ("Fliesenkleber 25 kg", "Sack", 18.5),
    ("Fugenmörtel 5 kg", "Eimer", 12.9),
    ("Dichtband", "m", 3.4),
    ("Schrauben-Set", "Packung", 9.9),
]
SERVICES = [
    ("Arbeitsstunde Meister", "Stunde", 78.0), ("Arbeitsstunde Geselle", "Stunde", 62.0),
    ("Arbeitsstunde Auszubildender", "Stunde", 35.0), ("Anfahrtspauschale", "Pauschal", 39.0),
    ("Notdienstzuschlag", "Pauschal", 95.0), ("Wartung Heizungsanlage", "Pauschal", 149.0),
    ("Rohrreinigung", "Stunde", 85.0), ("Entsorgung Altmaterial", "Pauschal", 45.0),
    ("Druckprüfung", "Pauschal", 69.0), ("E-Check", "Pauschal", 119.0),
    ("Aufmaß und Beratung", "Stunde", 58.0), ("Kleinmaterialpauschale", "Pauschal", 15.0),
]  # fmt: skip


def _gtin13(rng: random.Random) -> str:
    body = "400" + "".join(str(rng.randrange(10)) for _ in range(9))
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


def _stamp(days: float) -> str:
    return format_dt(BASE + timedelta(days=days))


class _Demo:
    def __init__(self, org: OrgStore, seed: int) -> None:
        self.org = org
        self.rng = random.Random(seed)
        self.fake = Faker("de_DE")
        self.fake.seed_instance(seed)
        self.kind = "order-confirmations"

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def insert(self, collection: str, entry: dict[str, Any]) -> dict[str, Any]:
        return insert_as_user(self.org, RESOURCES[collection], {"id": self.uid(), **entry})

    def address(self) -> dict[str, Any]:
        fake = self.fake
        return {
            "street": fake.street_address(),
            "zip": fake.postcode(),
            "city": fake.city(),
            "countryCode": "DE",
        }

    def contact(self, index: int) -> dict[str, Any]:
        fake, rng = self.fake, self.rng
        entry: dict[str, Any] = {"roles": {"customer": {}}, "version": 1}
        if index % 3 == 0:
            entry["company"] = {"name": fake.company()}
            person = {"firstName": fake.first_name(), "lastName": fake.last_name()}
            entry["company"]["contactPersons"] = [{**person, "primary": True}]
        else:
            entry["person"] = {
                "salutation": rng.choice(["Herr", "Frau"]),
                "firstName": fake.first_name(),
                "lastName": fake.last_name(),
            }
        entry["addresses"] = {"billing": [self.address()]}
        entry["emailAddresses"] = {"business": [fake.email()]}
        if index % 7 == 3:  # typed in by hand in the web app: more than the API allows
            entry["emailAddresses"]["business"].append(fake.email())
        entry["phoneNumbers"] = {"business": [fake.phone_number()]}
        entry["archived"] = index % 11 == 10
        entry["createdDate"] = entry["updatedDate"] = _stamp(-300 + index * 7)
        return entry

    def article(self, name: str, unit: str, price: float, kind: str, index: int) -> dict:
        entry: dict[str, Any] = {
            "title": name,
            "type": kind,
            "unitName": unit,
            "articleNumber": f"{'P' if kind == 'PRODUCT' else 'S'}-{1000 + index}",
            "price": {"netPrice": price, "leadingPrice": "NET", "taxRate": 19},
            "createdDate": _stamp(-200 + index),
        }
        if kind == "PRODUCT" and index % 2 == 0:
            entry["gtin"] = _gtin13(self.rng)
        return entry


def _lines(demo: _Demo, articles: list[dict[str, Any]], priced: bool) -> list[dict[str, Any]]:
    lines = []
    for article in demo.rng.sample(articles, 3):
        line: dict[str, Any] = {
            "id": article["id"],
            "type": "material" if article["type"] == "PRODUCT" else "service",
            "name": article["title"],
            "quantity": demo.rng.choice([1, 2, 3, 5, 10]),
            "unitName": article["unitName"],
        }
        if priced:
            line["unitPrice"] = {
                "currency": "EUR",
                "netAmount": article["price"]["netPrice"],
                "taxRatePercentage": 19,
            }
        lines.append(line)
    return lines


def _voucher(
    demo: _Demo, contact: dict[str, Any], articles: list[dict[str, Any]], day: int, done: bool
) -> dict[str, Any]:
    """An order confirmation (priced) or delivery note; `done` ones are finalized."""
    priced = demo.kind != "delivery-notes"
    date = _stamp(day)
    entry: dict[str, Any] = {
        "voucherDate": date,
        "address": {"contactId": contact["id"]},
        "lineItems": _lines(demo, articles, priced),
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {"shippingType": "service", "shippingDate": date},
        "voucherStatus": "open" if done else "draft",
        "createdDate": date,
    }
    if priced:
        entry["totalPrice"] = {"currency": "EUR"}
    return entry


def seed_demo(org: OrgStore, seed: int = 4711) -> dict[str, list[str]]:
    """Add ~30 customers, ~40 articles, 5 order confirmations and 3 delivery notes."""
    demo = _Demo(org, seed)
    contacts = [demo.insert("contacts", demo.contact(index)) for index in range(30)]
    vendor = demo.contact(30)
    vendor["roles"] = {"vendor": {}}
    contacts.append(demo.insert("contacts", vendor))
    articles = [
        demo.insert("articles", demo.article(name, unit, price, "PRODUCT", index))
        for index, (name, unit, price) in enumerate(PRODUCTS)
    ] + [
        demo.insert("articles", demo.article(name, unit, price, "SERVICE", 100 + index))
        for index, (name, unit, price) in enumerate(SERVICES)
    ]
    customers = [c for c in contacts if "customer" in c["roles"] and not c["archived"]]
    demo.kind = "order-confirmations"
    confirmations = [
        demo.insert(demo.kind, _voucher(demo, customers[i], articles, -30 + i * 5, i < 3))
        for i in range(5)
    ]
    demo.kind = "delivery-notes"
    notes = [
        demo.insert(demo.kind, _voucher(demo, customers[i], articles, -20 + i * 5, i < 2))
        for i in range(3)
    ]
    return {
        "contacts": [c["id"] for c in contacts],
        "articles": [a["id"] for a in articles],
        "order-confirmations": [v["id"] for v in confirmations],
        "delivery-notes": [v["id"] for v in notes],
    }
