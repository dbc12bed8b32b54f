"""Write rules of POST/PUT /v1/articles (regular error format)."""

from __future__ import annotations

from typing import Any

from ..errors import Violation
from .common import Checker, gtin_valid

TYPES = {"PRODUCT", "SERVICE"}
LEADING = {"NET", "GROSS"}
TAX_RATES = {0, 7, 19}


def validate_article(body: dict[str, Any]) -> list[Violation]:
    """All rule violations of an article body (read-only fields are not checked: ignored)."""
    check = Checker()
    check.required(body.get("title"), "title")
    check.one_of(body.get("type"), "type", TYPES)
    check.required(body.get("unitName"), "unitName")
    check.text(body.get("title"), "title", 255)
    check.text(body.get("articleNumber"), "articleNumber", 255)
    gtin = body.get("gtin")
    if gtin not in (None, "") and (not isinstance(gtin, str) or not gtin_valid(gtin)):
        check.add("PATTERN", "gtin", "keine gültige GTIN-8, -12, -13 oder -14")
    price = body.get("price")
    if not isinstance(price, dict):
        check.add("NOTNULL", "price")
        return check.violations
    _price(check, price)
    return check.violations


def _price(check: Checker, price: dict[str, Any]) -> None:
    leading = price.get("leadingPrice")
    check.one_of(leading, "price.leadingPrice", LEADING)
    rate = price.get("taxRate")
    if check.amount(rate, "price.taxRate", 2) is not None and rate not in TAX_RATES:
        check.add("INVALID", "price.taxRate", "gültige Steuersätze: 0, 7, 19")
    if leading == "NET":
        check.amount(price.get("netPrice"), "price.netPrice", 4)
    elif leading == "GROSS":
        check.amount(price.get("grossPrice"), "price.grossPrice", 4)
