"""Small helpers shared by the sandbox: lexoffice timestamps, money rounding, JSON trees."""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

# lexoffice answers in German local time (samples carry +01:00/+02:00) and reads
# voucherlist day filters as whole days in CET/CEST.
BERLIN = ZoneInfo("Europe/Berlin")

# yyyy-MM-ddTHH:mm:ss.SSSXXX: literal T, exactly three fraction digits, Z or ±hh:mm.
LEXOFFICE_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")

CENT = Decimal("0.01")


def now() -> datetime:
    """The current instant in German local time."""
    return datetime.now(BERLIN)


def format_dt(value: datetime) -> str:
    """Format an aware datetime as lexoffice does: 2023-06-29T15:15:09.447+02:00."""
    return value.astimezone(BERLIN).isoformat(timespec="milliseconds")


def now_iso() -> str:
    """The current instant formatted as lexoffice formats timestamps."""
    return format_dt(now())


def parse_lexoffice_dt(text: object) -> datetime | None:
    """Parse a strictly formatted lexoffice timestamp; None when the format is wrong."""
    if not isinstance(text, str) or not LEXOFFICE_DATETIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_any_dt(text: object) -> datetime | None:
    """Parse a stored timestamp leniently (seeded records may use other ISO forms)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BERLIN)
    return value


def berlin_day(text: object) -> date | None:
    """The calendar day (CET/CEST) of a stored timestamp."""
    value = parse_any_dt(text)
    return value.astimezone(BERLIN).date() if value else None


def add_days_iso(text: str, days: int) -> str:
    """A stored timestamp shifted by whole days, formatted as lexoffice does."""
    value = parse_any_dt(text) or now()
    return format_dt(value + timedelta(days=days))


def new_id() -> str:
    """A fresh resource id (uuid4, as lexoffice's ids are)."""
    return str(uuid.uuid4())


def to_decimal(value: object) -> Decimal | None:
    """A JSON number as Decimal; None for anything that is not a number (bool included)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def decimal_places(value: Decimal) -> int:
    """How many fraction digits a number was written with (trailing zeros ignored)."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def round2(value: Decimal) -> Decimal:
    """Round half-up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round4(value: Decimal) -> Decimal:
    """Round half-up to four decimals (unit prices, quantities)."""
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def number(value: Decimal) -> float:
    """A Decimal as the JSON number lexoffice would print."""
    return float(value)


def plain(tree: Any) -> Any:
    """A JSON tree with Decimals turned into floats (what the store keeps)."""
    if isinstance(tree, dict):
        return {key: plain(item) for key, item in tree.items()}
    if isinstance(tree, list):
        return [plain(item) for item in tree]
    if isinstance(tree, Decimal):
        exponent = tree.as_tuple().exponent
        return int(tree) if isinstance(exponent, int) and exponent >= 0 else float(tree)
    return tree


def loads(body: bytes) -> Any:
    """Parse a request body keeping the exact decimals that were sent."""
    return json.loads(body, parse_float=Decimal)


def compact_json(payload: Any) -> bytes:
    """Compact JSON without whitespace, as lexoffice sends webhook bodies."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Merge `patch` into a copy of `base`: objects merge key by key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def utc_epoch() -> float:
    """Seconds since the epoch (the request log's time field)."""
    return datetime.now(UTC).timestamp()
