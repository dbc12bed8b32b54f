"""lexoffice articles ⇄ canonical products (type PRODUCT) and activities (type SERVICE).

Prices are read from `price.netPrice` (lexoffice fills it in for gross-led articles too) and
written net-led: when a price field changes the body says `leadingPrice: NET` with `netPrice`
and `taxRate`, and drops `grossPrice` (read-only then). When no price field changes, the price
object is sent back as it was read. Money stays `Decimal` in the body: the connector must
serialise it as a JSON number. The activity price rule is in `tasks.mapping.records`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from tasks.mapping import normalize
from tasks.mapping.records import (
    ACTIVITY,
    PRODUCT,
    ZERO_PRICE,
    CanonicalActivity,
    CanonicalProduct,
    EntitySpec,
)
from tasks.mapping.remote import NotSynced, RemoteRecord

ArticleType = Literal["PRODUCT", "SERVICE"]
_READ_ONLY_KEYS = ("id", "organizationId", "archived", "createdDate", "updatedDate")
# canonical field → top-level article key
_ARTICLE_KEYS = {
    "name": "title",
    "description": "description",
    "unit": "unitName",
    "article_number": "articleNumber",
    "ean": "gtin",
}
_PRICE_FIELDS = ("net_price", "tax_rate")
C = TypeVar("C", CanonicalProduct, CanonicalActivity)


def article_to_product(article: Mapping[str, Any]) -> RemoteRecord[CanonicalProduct] | NotSynced:
    """The canonical product of a lexoffice article of type PRODUCT."""
    return _read(article, "PRODUCT", CanonicalProduct)


def article_to_activity(article: Mapping[str, Any]) -> RemoteRecord[CanonicalActivity] | NotSynced:
    """The canonical activity of a lexoffice article of type SERVICE."""
    return _read(article, "SERVICE", CanonicalActivity)


def apply_product_to_article(
    current_article: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """An article write body: `current_article` (None to create) with the given fields changed."""
    return _apply(current_article, fields, "PRODUCT", PRODUCT)


def apply_activity_to_article(
    current_article: Mapping[str, Any] | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """An article write body for an activity; a new article without a price gets 0.00."""
    return _apply(current_article, fields, "SERVICE", ACTIVITY)


def _read(
    article: Mapping[str, Any], article_type: ArticleType, canonical: type[C]
) -> RemoteRecord[C] | NotSynced:
    if article.get("type") != article_type:
        return NotSynced(article.get("id"), f"Artikel ist nicht vom Typ {article_type}")
    price = article.get("price") or {}
    values = {field: article.get(key) for field, key in _ARTICLE_KEYS.items()}
    values |= {"net_price": price.get("netPrice"), "tax_rate": price.get("taxRate")}
    known = {name: value for name, value in values.items() if name in canonical.SPEC.kinds}
    return RemoteRecord(
        lexoffice_id=str(article["id"]),
        version=int(article.get("version") or 0),
        archived=bool(article.get("archived")),
        writable=True,  # articles have no single-entry lists: every one can be written
        write_blockers=(),
        record=canonical(**known),
    )


def _apply(
    current: Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    article_type: ArticleType,
    spec: EntitySpec,
) -> dict[str, Any]:
    unknown = set(fields) - spec.export_fields
    if unknown:
        raise ValueError(f"not exported to lexoffice: {sorted(unknown)}")
    body = _writable_copy(current, article_type)
    values = {name: spec.normalize_value(name, value) for name, value in fields.items()}
    for name, value in values.items():
        if name in _ARTICLE_KEYS:
            _set_or_drop(body, _ARTICLE_KEYS[name], value)
    if current is None or any(name in values for name in _PRICE_FIELDS):
        body["price"] = _net_price(current, values)
    return body


def _writable_copy(current: Mapping[str, Any] | None, article_type: ArticleType) -> dict[str, Any]:
    body = copy.deepcopy(dict(current)) if current is not None else {}
    for key in _READ_ONLY_KEYS:
        body.pop(key, None)
    body["version"] = int((current or {}).get("version") or 0)
    body["type"] = article_type
    return body


def _net_price(current: Mapping[str, Any] | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """A net-led price object: changed values first, then the current ones, then 0.00."""
    price = (current or {}).get("price") or {}
    net = values.get("net_price", normalize.price(price.get("netPrice")))
    rate = values.get("tax_rate", normalize.tax_rate(price.get("taxRate")))
    return {"leadingPrice": "NET", "netPrice": ZERO_PRICE if net is None else net, "taxRate": rate}


def _set_or_drop(body: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        body.pop(key, None)
    else:
        body[key] = value
