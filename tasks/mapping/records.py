"""Canonical records: the flat set of fields lexsync manages, and who owns which direction.

A canonical record is what both sides are reduced to before the diff: plain strings (stripped,
blank → None), e-mail lower-case, money and tax rates as quantized `Decimal`, flags as bool.

Customers (*Kunden*) ⇄ lexoffice contacts with the customer role. All fields are imported;
`note` and `customer_number` are never exported (lexoffice assigns customer numbers; the note
stays lexoffice's). An address that has content but no country is German: lexoffice requires a
`countryCode` and the system often leaves it empty.

Products (*Materiallager*) ⇄ articles of type PRODUCT; activities (*Tätigkeiten*) ⇄ articles of
type SERVICE; both directions for every field.

The activity price rule: lexoffice requires a price on every article.
- When the system stores a default price for activities (`ACTIVITY`), it is synced both ways and
  a missing price counts as 0.00 on both sides: "no price" in the system is exported as 0.00,
  and lexoffice's 0.00 for it is not a change to import.
- When the system has no price field (`ACTIVITY_WITHOUT_PRICE`), the price is not managed:
  a new article is created at 0.00 and later updates keep whatever price lexoffice holds.
An activity without a unit is counted in hours ("Stunde").

`archived` is not a field of the records: it comes with the lexoffice record (read-only there,
the API cannot set it) and is imported into the system's archived flag, never exported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, ClassVar, Literal

from tasks.mapping import normalize

Entity = Literal["customer", "product", "activity"]
FieldKind = Literal["text", "email", "country", "price", "tax_rate", "kind"]

DEFAULT_ACTIVITY_UNIT = "Stunde"
ZERO_PRICE = Decimal("0.0000")
DEFAULT_COUNTRY = "DE"
ARCHIVED = "archived"
ADDRESS_PARTS = {
    "billing": ("billing_street", "billing_zip", "billing_city", "billing_country"),
    "shipping": ("shipping_street", "shipping_zip", "shipping_city", "shipping_country"),
}

_NORMALIZERS = {
    "text": normalize.text,
    "email": normalize.email,
    "country": normalize.country,
    "price": normalize.price,
    "tax_rate": normalize.tax_rate,
    "kind": lambda value: (normalize.text(value) or "").lower() or None,
}


@dataclass(frozen=True)
class EntitySpec:
    """What the diff needs to know about one kind of record."""

    entity: Entity
    kinds: Mapping[str, FieldKind]  # managed field → how it is normalised
    export_fields: frozenset[str]  # system → lexoffice
    match_keys: tuple[str, ...]  # first-time linking, tried in this order
    defaults: Mapping[str, Any] = field(default_factory=dict)  # a missing value means this

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.kinds)

    @property
    def import_fields(self) -> frozenset[str]:
        """lexoffice → system: every managed field plus the archived flag."""
        return frozenset(self.kinds) | {ARCHIVED}

    @property
    def compared_fields(self) -> tuple[str, ...]:
        return (*self.kinds, ARCHIVED)

    def normalize_value(self, name: str, value: Any) -> Any:
        normalized = _NORMALIZERS[self.kinds[name]](value)
        return self.defaults.get(name) if normalized is None else normalized


_CUSTOMER_KINDS: dict[str, FieldKind] = {
    "kind": "kind",
    "salutation": "text",
    "first_name": "text",
    "last_name": "text",
    "company_name": "text",
    "billing_street": "text",
    "billing_zip": "text",
    "billing_city": "text",
    "billing_country": "country",
    "shipping_street": "text",
    "shipping_zip": "text",
    "shipping_city": "text",
    "shipping_country": "country",
    "email": "email",
    "phone": "text",
    "mobile": "text",
    "note": "text",
    "customer_number": "text",
}
_ARTICLE_KINDS: dict[str, FieldKind] = {"name": "text", "description": "text", "unit": "text"}

CUSTOMER = EntitySpec(
    entity="customer",
    kinds=_CUSTOMER_KINDS,
    export_fields=frozenset(_CUSTOMER_KINDS) - {"note", "customer_number"},
    match_keys=("customer_number", "email"),
)
_PRODUCT_KINDS: dict[str, FieldKind] = {
    **_ARTICLE_KINDS,
    "article_number": "text",
    "ean": "text",
    "net_price": "price",
    "tax_rate": "tax_rate",
}
PRODUCT = EntitySpec(
    entity="product",
    kinds=_PRODUCT_KINDS,
    export_fields=frozenset(_PRODUCT_KINDS),
    match_keys=("article_number", "ean"),
)
_ACTIVITY_KINDS: dict[str, FieldKind] = {**_ARTICLE_KINDS, "tax_rate": "tax_rate"}
ACTIVITY_WITHOUT_PRICE = EntitySpec(
    entity="activity",
    kinds=_ACTIVITY_KINDS,
    export_fields=frozenset(_ACTIVITY_KINDS),
    match_keys=("name",),
    defaults={"unit": DEFAULT_ACTIVITY_UNIT},
)
ACTIVITY = EntitySpec(
    entity="activity",
    kinds={**_ACTIVITY_KINDS, "net_price": "price"},
    export_fields=frozenset(_ACTIVITY_KINDS) | {"net_price"},
    match_keys=("name",),
    defaults={"unit": DEFAULT_ACTIVITY_UNIT, "net_price": ZERO_PRICE},
)


def normalize_values(spec: EntitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every managed field of `spec`, normalised; absent fields become None (or the default)."""
    result = {name: spec.normalize_value(name, values.get(name)) for name in spec.fields}
    if spec.entity == "customer":
        _default_address_country(result)
    return result


def _default_address_country(values: dict[str, Any]) -> None:
    for street, zip_code, city, country in ADDRESS_PARTS.values():
        has_content = any(values.get(part) for part in (street, zip_code, city))
        if has_content and values.get(country) is None:
            values[country] = DEFAULT_COUNTRY


class _Canonical:
    """Normalises every field on construction, so no un-normalised record exists."""

    SPEC: ClassVar[EntitySpec]

    def __post_init__(self) -> None:
        raw = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        normalized = normalize_values(self.SPEC, raw)
        for name, value in normalized.items():
            object.__setattr__(self, name, value)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.SPEC.fields}


@dataclass(frozen=True)
class CanonicalCustomer(_Canonical):
    """A customer (*Kunde*) as lexsync manages it."""

    SPEC = CUSTOMER
    kind: str | None = None  # "person" or "company" (any case on input)
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    billing_street: str | None = None
    billing_zip: str | None = None
    billing_city: str | None = None
    billing_country: str | None = None
    shipping_street: str | None = None
    shipping_zip: str | None = None
    shipping_city: str | None = None
    shipping_country: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    note: str | None = None
    customer_number: str | None = None


@dataclass(frozen=True)
class CanonicalProduct(_Canonical):
    """A product of the *Materiallager* as lexsync manages it."""

    SPEC = PRODUCT
    name: str | None = None
    description: str | None = None
    unit: str | None = None
    article_number: str | None = None
    ean: str | None = None
    net_price: Decimal | None = None
    tax_rate: Decimal | None = None


@dataclass(frozen=True)
class CanonicalActivity(_Canonical):
    """An activity (*Tätigkeit*) as lexsync manages it; `net_price` is its default price."""

    SPEC = ACTIVITY
    name: str | None = None
    description: str | None = None
    unit: str | None = None
    tax_rate: Decimal | None = None
    net_price: Decimal | None = None
