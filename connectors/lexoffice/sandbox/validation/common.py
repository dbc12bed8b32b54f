"""Checks shared by the regular-format validators (articles, vouchers, subscriptions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import Violation
from ..util import decimal_places, to_decimal


class Checker:
    """Collects `Violation`s while a body is walked."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, violation: str, field: str, message: str | None = None) -> None:
        self.violations.append(Violation(violation, field, message))

    def required(self, value: Any, field: str) -> bool:
        """NOTNULL unless the value is present (blank strings count as missing)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add("NOTNULL", field)
            return False
        return True

    def text(self, value: Any, field: str, limit: int) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.add("INVALID", field, "muss eine Zeichenkette sein")
        elif len(value) > limit:
            self.add("SIZE", field, f"Größe muss zwischen 0 und {limit} sein")

    def one_of(self, value: Any, field: str, allowed: Any) -> bool:
        if value is None:
            self.add("NOTNULL", field)
            return False
        if value not in allowed:
            self.add("INVALID", field, f"muss einer von {sorted(allowed)} sein")
            return False
        return True

    def amount(
        self,
        value: Any,
        field: str,
        places: int,
        required: bool = True,
        minimum: int | None = 0,
        maximum: int | None = None,
    ) -> Decimal | None:
        """A number with at most `places` decimals within [`minimum`, `maximum`]."""
        if value is None:
            if required:
                self.add("NOTNULL", field)
            return None
        number = to_decimal(value)
        if number is None:
            self.add("INVALID", field, "muss eine Zahl sein")
            return None
        if decimal_places(number) > places:
            self.add("DIGITS", field, f"höchstens {places} Nachkommastellen")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.add("RANGE", field, f"muss zwischen {minimum} und {maximum} liegen")
            return None
        return number


def gtin_valid(gtin: str) -> bool:
    """GTIN-8, -12, -13 or -14 with a correct check digit."""
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    digits = [int(char) for char in gtin]
    body, check = digits[:-1], digits[-1]
    weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - weighted % 10) % 10 == check
