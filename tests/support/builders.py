"""Builders for records on both sides: a test states only what it is about."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Activity, Customer, CustomerKind, Product


def lex_person(
    last: str = "Müller", email: str | None = "mueller@example.de", **extra: Any
) -> dict[str, Any]:
    """A lexoffice person contact with the customer role, as a user would type it."""
    contact: dict[str, Any] = {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"salutation": "Frau", "firstName": "Erika", "lastName": last},
        "addresses": {
            "billing": [
                {"street": "Hauptstr. 1", "zip": "10115", "city": "Berlin", "countryCode": "DE"}
            ]
        },
    }
    if email:
        contact["emailAddresses"] = {"business": [email]}
    return contact | extra


def lex_company(name: str = "Elektro Groß GmbH", **extra: Any) -> dict[str, Any]:
    """A lexoffice company contact with the customer role."""
    return {"version": 0, "roles": {"customer": {}}, "company": {"name": name}} | extra


def lex_article(
    title: str, article_type: str = "PRODUCT", net: str = "10.00", **extra: Any
) -> dict[str, Any]:
    """A lexoffice article with a net-led price at 19 %."""
    return {
        "version": 0,
        "title": title,
        "type": article_type,
        "unitName": "Stück" if article_type == "PRODUCT" else "Stunde",
        "price": {"leadingPrice": "NET", "netPrice": float(net), "taxRate": 19},
    } | extra


def add_customer(sessions: sessionmaker[Session], **values: Any) -> int:
    """A system customer (a person unless told otherwise); returns its id."""
    values.setdefault("kind", CustomerKind.PERSON)
    return _add(sessions, Customer(**values))


def add_product(sessions: sessionmaker[Session], name: str = "NYM-J 3x1,5", **values: Any) -> int:
    """A system product (Materiallager); returns its id."""
    values = {"net_price": Decimal("1.2500"), "tax_rate": Decimal("19"), "unit": "Meter"} | values
    return _add(sessions, Product(name=name, **values))


def add_activity(
    sessions: sessionmaker[Session], name: str = "Elektroinstallation", **values: Any
) -> int:
    """A system activity (Tätigkeit); returns its id."""
    values = {"tax_rate": Decimal("19")} | values
    return _add(sessions, Activity(name=name, **values))


def _add(sessions: sessionmaker[Session], record: Any) -> int:
    with sessions.begin() as session:
        session.add(record)
        session.flush()
        return int(record.id)
