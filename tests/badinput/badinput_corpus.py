"""The bad-input corpus: one row per case, so a new nasty input is one more line.

A case either names the field lexsync must refuse it for (`field`), or is hostile but valid
(`field=None`): then it must arrive on the other side byte for byte (or as `expect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks.sync.entities import EntityName

LOOSE_DB = ("sqlite",)  # values PostgreSQL itself refuses to store (length, NUL)
ANY_DB = ("sqlite", "postgresql")

HOSTILE_TEXTS = {
    "emoji": "Bäckerei 🥨 Brezel-König 👨‍👩‍👧",
    "rtl": "شركة \u200fMüller\u200e للكهرباء",
    "zero_width": "Zero\u200bWidth\u200dJoiner\ufeffGmbH",
    "sql": "Robert'); DROP TABLE customers;--",
    "html": "<script>alert('x')</script> &amp; Söhne <b>",
    "combining": "Zoe\u0308 Me\u0301ndez",  # decomposed: must not be NFC-normalised
    "quotes": "Kabel \"NYM\" \\ 3x1,5 'mm²'",
    "long_255": "Ä" * 254 + "ß",
}


@dataclass(frozen=True)
class SystemCase:
    """A row of the system database (inserted past the ORM's checks, as other software may)."""

    key: str
    entity: EntityName
    values: dict[str, Any]
    field: str | None = None  # the canonical field the report must name; None: valid
    probe: str | None = None  # valid cases: the column checked on the lexoffice side
    expect: Any = None  # valid cases: the value expected there, if not the inserted one
    backends: tuple[str, ...] = ANY_DB


def _company(name: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "company", "company_name": name, **extra}


def _person(last: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "person", "first_name": "Eva", "last_name": last, **extra}


def _product(name: str, **extra: Any) -> dict[str, Any]:
    base = {"name": name, "unit": "Stück", "net_price": Decimal("12.5000"), "tax_rate": 19}
    return base | extra


def _activity(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "unit": "Stunde", "default_price": Decimal("55"), "tax_rate": 19} | extra


SYSTEM_CASES: tuple[SystemCase, ...] = (
    # --- refused, each for its own field -------------------------------------------------
    SystemCase("email_no_at", "customers", _person("Ohneat", email="kein-at-zeichen.de"), "email"),
    SystemCase("email_blank_inside", "customers", _person("Leer", email="a b@example.de"), "email"),
    SystemCase(
        "country_digits",
        "customers",
        _person("Land", billing_country_code="1A", billing_city="Köln"),
        "billing_country",
    ),
    SystemCase(
        "country_unknown",
        "customers",
        _person("Nirgends", billing_country_code="ZZ", billing_city="Atlantis"),
        "billing_country",
    ),
    SystemCase("company_name_nbsp", "customers", _company("\u00a0"), "company_name"),
    SystemCase("last_name_tab", "customers", _person("\t"), "last_name"),
    SystemCase("control_char", "customers", _company("Elektro\x07Meier"), "company_name"),
    SystemCase(
        "nul_byte", "customers", _company("Null\x00Byte GmbH"), "company_name", backends=LOOSE_DB
    ),
    SystemCase(
        "salutation_too_long",
        "customers",
        _person("Anrede", salutation="Sehr geehrte Frau Professorin Dr."),
        "salutation",
        backends=LOOSE_DB,
    ),
    SystemCase("ean_check_digit", "products", _product("EAN falsch", ean="4006381333932"), "ean"),
    SystemCase("ean_letters", "products", _product("EAN Buchstaben", ean="ABCDEFGH"), "ean"),
    SystemCase("tax_rate_16", "products", _product("Alte MwSt", tax_rate=16), "tax_rate"),
    # lexsync leaves this check to lexoffice: its 406 names lexoffice's field.
    SystemCase("title_too_long", "products", _product("Ü" * 300), "title", backends=LOOSE_DB),
    SystemCase("activity_tax_5", "activities", _activity("Ermäßigt", tax_rate=5), "tax_rate"),
    # --- hostile but valid: must arrive byte for byte ------------------------------------
    *(
        SystemCase(f"company_{k}", "customers", _company(text), probe="company_name")
        for k, text in HOSTILE_TEXTS.items()
    ),
    SystemCase(
        "street_html",
        "customers",
        _person(
            "Straße",
            billing_street="<img src=x onerror=alert(1)> 12",
            billing_zip="D-10115 ⚠",
            billing_city="Berlin",
        ),
        probe="billing_street",
    ),
    SystemCase(
        "zip_free_text",
        "customers",
        _person(
            "Postfach", billing_zip="SW1A 1AA", billing_city="London", billing_country_code="GB"
        ),
        probe="billing_zip",
    ),
    *(
        SystemCase(f"product_{k}", "products", _product(f"{text[:240]} {i}"), probe="name")
        for i, (k, text) in enumerate(HOSTILE_TEXTS.items())
    ),
    SystemCase(
        "description_long",
        "products",
        _product(
            "Lange Beschreibung",
            description=("Zeile 1\n\tZeile 2 mit Tab\r\n" + "x" * 4000 + " 🔌"),
        ),
        probe="description",
    ),
    SystemCase(
        "price_absurd",
        "products",
        _product("Goldkabel", net_price=Decimal("99999999.9999")),
        probe="net_price",
    ),
    SystemCase(
        "price_zero",
        "activities",
        _activity("Kulanz", default_price=Decimal("0")),
        probe="net_price",
    ),
)


@dataclass(frozen=True)
class LexofficeCase:
    """A record typed into lexoffice's web app (seeded: the API's write rules do not apply)."""

    key: str
    resource: str  # contacts, articles
    record: dict[str, Any]
    field: str | None = None  # the field the report must name; None: imported
    probe: str | None = None  # imported cases: the system column to compare
    expect: Any = None  # the value expected in the system, if not read from `record`


def lex_company(name: Any, **extra: Any) -> dict[str, Any]:
    return {"roles": {"customer": {}}, "company": {"name": name}} | extra


def lex_person(last: Any, **extra: Any) -> dict[str, Any]:
    return {"roles": {"customer": {}}, "person": {"firstName": "Jo", "lastName": last}} | extra


def lex_article(title: Any, price: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    price = price or {"leadingPrice": "NET", "netPrice": 10, "grossPrice": 11.9, "taxRate": 19}
    return {"title": title, "type": "PRODUCT", "unitName": "Stück", "price": price} | extra


def _billing(**address: Any) -> dict[str, Any]:
    return {"addresses": {"billing": [address]}}


LEXOFFICE_CASES: tuple[LexofficeCase, ...] = (
    # --- malformed JSON shapes: the listing goes on, the record is reported -----------------
    LexofficeCase("name_is_number", "contacts", lex_company(12345), "company.name"),
    LexofficeCase(
        "email_not_list",
        "contacts",
        lex_person("Liste", emailAddresses={"business": "nicht@liste.de"}),
        "emailAddresses.business",
    ),
    LexofficeCase(
        "address_not_list",
        "contacts",
        lex_person("Adresse", addresses={"billing": {"city": "Bonn", "countryCode": "DE"}}),
        "addresses.billing",
    ),
    LexofficeCase(
        "leading_price_unknown",
        "articles",
        lex_article("Preisart", {"leadingPrice": "SOMETIMES", "netPrice": 1, "taxRate": 19}),
        "price.leadingPrice",
    ),
    # --- readable, but the system cannot hold them -----------------------------------------
    LexofficeCase("no_person_no_company", "contacts", {"roles": {"customer": {}}}, "company"),
    LexofficeCase("company_without_name", "contacts", lex_company(None), "company_name"),
    LexofficeCase(
        "country_three_letters",
        "contacts",
        lex_person("Dreibuchstaben", **_billing(city="Wien", countryCode="AUT")),
        "billing_country",
    ),
    LexofficeCase(
        "zip_too_long",
        "contacts",
        lex_person("Langzip", **_billing(zip="1" * 30, city="X", countryCode="DE")),
        "billing_zip",
    ),
    LexofficeCase("name_too_long", "contacts", lex_company("N" * 300), "company_name"),
    LexofficeCase("nul_in_name", "contacts", lex_person("Nul\x00l"), "last_name"),
    LexofficeCase("gtin_invalid", "articles", lex_article("GTIN kaputt", gtin="12345"), "ean"),
    LexofficeCase(
        "price_too_big",
        "articles",
        lex_article("Milliarde", {"leadingPrice": "NET", "netPrice": 1e12, "taxRate": 19}),
        "net_price",
    ),
    # --- odd but fine: imported ------------------------------------------------------------
    *(
        LexofficeCase(f"contact_{k}", "contacts", lex_company(text), probe="company_name")
        for k, text in HOSTILE_TEXTS.items()
    ),
    *(
        LexofficeCase(f"article_{k}", "articles", lex_article(f"{text[:240]} {i}"), probe="name")
        for i, (k, text) in enumerate(HOSTILE_TEXTS.items())
    ),
    LexofficeCase(
        "two_emails",
        "contacts",
        lex_person(
            "Zweimail", emailAddresses={"business": ["erste@example.de", "zweite@example.de"]}
        ),
        probe="email",
        expect="erste@example.de",
    ),
    LexofficeCase(
        "archived",
        "contacts",
        lex_person("Archiviert", archived=True),
        probe="archived",
        expect=True,
    ),
    LexofficeCase(
        "person_and_company",
        "contacts",
        lex_person("Beides", company={"name": "Auch Firma"}),
        probe="last_name",
    ),
    LexofficeCase(
        "price_many_decimals",
        "articles",
        lex_article("Cent-Bruchteil", {"leadingPrice": "NET", "netPrice": 1.23456, "taxRate": 19}),
        probe="net_price",
        expect=Decimal("1.2346"),
    ),
)
"""Seeded records that are not lexsync's business at all (vendor only): neither imported nor
reported as errors."""
VENDOR_ONLY: dict[str, Any] = {"roles": {"vendor": {}}, "company": {"name": "Nur Lieferant AG"}}
