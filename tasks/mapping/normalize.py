"""Normalisation of single values so that equal data compares equal on both sides.

The same rules exist vectorised in `tasks.diff.frames`; `tests/tasks` checks they agree.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

PRICE_PLACES = Decimal("0.0001")  # unit prices keep 4 decimals (house style)
TAX_RATE_PLACES = Decimal("0.01")


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: the ways a frame says "no value"."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def text(value: Any) -> str | None:
    """Stripped text; blank becomes None."""
    if is_missing(value):
        return None
    stripped = str(value).strip()
    return stripped or None


def email(value: Any) -> str | None:
    """E-mail addresses compare case-insensitively, so they are kept lower-case."""
    stripped = text(value)
    return stripped.lower() if stripped else None


def country(value: Any) -> str | None:
    """ISO 3166 alpha-2 country code in capitals."""
    stripped = text(value)
    return stripped.upper() if stripped else None


def decimal(value: Any, places: Decimal) -> Decimal | None:
    """A Decimal quantized to `places`; floats go through str() to avoid binary artefacts."""
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        return Decimal(value).quantize(places)
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"not a decimal number: {value!r}") from error


def price(value: Any) -> Decimal | None:
    return decimal(value, PRICE_PLACES)


def tax_rate(value: Any) -> Decimal | None:
    return decimal(value, TAX_RATE_PLACES)


def flag(value: Any) -> bool:
    """A missing flag is False."""
    return False if is_missing(value) else bool(value)
