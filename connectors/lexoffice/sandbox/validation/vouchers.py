"""Write rules of POST invoices, order confirmations and delivery notes (regular format)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..countries import COUNTRY_CODES
from ..errors import Violation
from ..records.vouchers import Kind
from ..store import OrgStore
from ..util import parse_lexoffice_dt
from .common import Checker

LINE_TYPES = {"custom", "material", "service", "text"}
VAT_FREE = {
    "vatfree",
    "intraCommunitySupply",
    "constructionService13b",
    "externalService13b",
    "thirdPartyCountryService",
    "thirdPartyCountryDelivery",
    "photovoltaicEquipment",
}
TAX_TYPES = VAT_FREE | {"net", "gross"}
SHIPPING_TYPES = {"service", "serviceperiod", "delivery", "deliveryperiod", "none"}
MAX_LINE_ITEMS = 300
# Between 2020-07-01 and 2020-12-31 the reduced German rates applied.
REDUCED_2020 = (date(2020, 7, 1), date(2020, 12, 31))


def validate_voucher(body: dict[str, Any], kind: Kind, org: OrgStore) -> list[Violation]:
    """All rule violations of a sales-voucher body (read-only fields are not checked)."""
    check = Checker()
    _date(check, body.get("voucherDate"), "voucherDate")
    tax_type = _tax_conditions(check, body, org)
    _address(check, body.get("address"), org)
    relevant = _shipping(check, body.get("shippingConditions")) or body.get("voucherDate")
    _line_items(check, body.get("lineItems"), kind, tax_type, org, relevant)
    if kind.priced:
        _total_price(check, body.get("totalPrice"))
    check.text(body.get("title"), "title", 25)
    check.text(body.get("introduction"), "introduction", 2000)
    check.text(body.get("remark"), "remark", 2000)
    if kind.delivery_terms:
        check.text(body.get("deliveryTerms"), "deliveryTerms", 255)
    if body.get("language") is not None:
        check.one_of(body.get("language"), "language", {"de", "en"})
    return check.violations


def _date(check: Checker, value: Any, field: str) -> bool:
    if value is None:
        check.add("NOTNULL", field)
        return False
    if parse_lexoffice_dt(value) is None:
        check.add("PATTERN", field, "Format yyyy-MM-ddTHH:mm:ss.SSSXXX erwartet")
        return False
    return True


def _tax_conditions(check: Checker, body: dict[str, Any], org: OrgStore) -> str | None:
    conditions = body.get("taxConditions")
    if not isinstance(conditions, dict):
        check.add("NOTNULL", "taxConditions.taxType")
        return None
    tax_type = conditions.get("taxType")
    if not check.one_of(tax_type, "taxConditions.taxType", TAX_TYPES):
        return None
    address = body.get("address")
    contact_id = address.get("contactId") if isinstance(address, dict) else None
    if tax_type in VAT_FREE - {"vatfree"} and not contact_id:
        check.add("INVALID", "taxConditions.taxType", "erfordert einen referenzierten Kontakt")
    if org.config.small_business and tax_type != "vatfree":
        check.add("INVALID", "taxConditions.taxType", "Kleinunternehmer: nur vatfree möglich")
    return str(tax_type)


def _address(check: Checker, address: Any, org: OrgStore) -> None:
    if not isinstance(address, dict):
        check.add("NOTNULL", "address")
        return
    contact_id = address.get("contactId")
    if contact_id is not None:
        contact = org.collection("contacts").get(str(contact_id))
        if contact is None:
            check.add("NOT_FOUND", "address.contactId", "Kontakt existiert nicht")
        elif "customer" not in contact.get("roles", {}):
            check.add("INVALID", "address.contactId", "Kontakt hat keine Kundenrolle")
    else:
        check.required(address.get("name"), "address.name")
        check.required(address.get("countryCode"), "address.countryCode")
    code = address.get("countryCode")
    if code is not None and code not in COUNTRY_CODES:
        check.add("INVALID", "address.countryCode", f"gültig: {', '.join(sorted(COUNTRY_CODES))}")


def _shipping(check: Checker, shipping: Any) -> str | None:
    """Checks shippingConditions; returns the voucher's relevant date for tax rates."""
    if not isinstance(shipping, dict):
        check.add("NOTNULL", "shippingConditions.shippingType")
        return None
    kind = shipping.get("shippingType")
    if not check.one_of(kind, "shippingConditions.shippingType", SHIPPING_TYPES) or kind == "none":
        return None
    if not _date(check, shipping.get("shippingDate"), "shippingConditions.shippingDate"):
        return None
    if kind not in ("serviceperiod", "deliveryperiod"):
        return str(shipping["shippingDate"])
    end = shipping.get("shippingEndDate")
    if not _date(check, end, "shippingConditions.shippingEndDate"):
        return None
    start_dt, end_dt = parse_lexoffice_dt(shipping["shippingDate"]), parse_lexoffice_dt(end)
    if start_dt and end_dt and end_dt < start_dt:
        check.add("INVALID", "shippingConditions.shippingEndDate", "liegt vor shippingDate")
    return str(end)


def allowed_rates(tax_type: str | None, relevant: Any) -> set[int]:
    """Valid tax rates: 0 for vat-free types, otherwise 0/7/19 (0/5/16 in 2020's second half)."""
    if tax_type in VAT_FREE:
        return {0}
    moment = parse_lexoffice_dt(relevant)
    if moment and REDUCED_2020[0] <= moment.date() <= REDUCED_2020[1]:
        return {0, 5, 16}
    return {0, 7, 19}


def _line_items(
    check: Checker, lines: Any, kind: Kind, tax_type: str | None, org: OrgStore, relevant: Any
) -> None:
    if not isinstance(lines, list) or not lines:
        check.add("NOTNULL" if lines is None else "SIZE", "lineItems", "1 bis 300 Positionen")
        return
    if len(lines) > MAX_LINE_ITEMS:
        check.add("SIZE", "lineItems", f"Größe muss zwischen 1 und {MAX_LINE_ITEMS} sein")
    rates = allowed_rates(tax_type, relevant)
    for index, line in enumerate(lines):
        field = f"lineItems[{index}]"
        if not isinstance(line, dict):
            check.add("INVALID", field)
            continue
        _line(check, line, field, kind, tax_type, org, rates)


def _line(
    check: Checker,
    line: dict[str, Any],
    field: str,
    kind: Kind,
    tax_type: str | None,
    org: OrgStore,
    rates: set[int],
) -> None:
    line_type = line.get("type")
    check.one_of(line_type, f"{field}.type", LINE_TYPES)
    check.text(line.get("name"), f"{field}.name", 255)
    check.text(line.get("description"), f"{field}.description", 2000)
    if line_type == "text":
        if not line.get("name") and not line.get("description"):
            check.add("NOTNULL", f"{field}.name")
        return
    check.required(line.get("name"), f"{field}.name")
    needs_article = line_type in ("material", "service")
    if needs_article and check.required(line.get("id"), f"{field}.id"):
        _article(check, org, line["id"], f"{field}.id")
    check.amount(line.get("quantity"), f"{field}.quantity", 4, minimum=None)
    check.required(line.get("unitName"), f"{field}.unitName")
    if kind.priced:
        _unit_price(check, line.get("unitPrice"), f"{field}.unitPrice", tax_type, rates)
        check.amount(
            line.get("discountPercentage"), f"{field}.discountPercentage", 2, False, 0, 100
        )


def _article(check: Checker, org: OrgStore, article_id: Any, field: str) -> None:
    if str(article_id) not in org.collection("articles"):
        check.add("NOT_FOUND", field, "Artikel existiert nicht")


def _unit_price(
    check: Checker, price: Any, field: str, tax_type: str | None, rates: set[int]
) -> None:
    if not isinstance(price, dict):
        check.add("NOTNULL", field)
        return
    check.one_of(price.get("currency"), f"{field}.currency", {"EUR"})
    amount_key = "grossAmount" if tax_type == "gross" else "netAmount"
    check.amount(price.get(amount_key), f"{field}.{amount_key}", 4, minimum=None)
    rate = check.amount(price.get("taxRatePercentage"), f"{field}.taxRatePercentage", 2)
    if rate is not None and rate not in rates:
        allowed = ", ".join(str(r) for r in sorted(rates))
        check.add("INVALID", f"{field}.taxRatePercentage", f"gültige Steuersätze: {allowed}")


def _total_price(check: Checker, total: Any) -> None:
    if not isinstance(total, dict):
        check.add("NOTNULL", "totalPrice.currency")
        return
    check.one_of(total.get("currency"), "totalPrice.currency", {"EUR"})
    check.amount(total.get("totalDiscountAbsolute"), "totalPrice.totalDiscountAbsolute", 2, False)
    check.amount(
        total.get("totalDiscountPercentage"), "totalPrice.totalDiscountPercentage", 2, False, 0, 100
    )
