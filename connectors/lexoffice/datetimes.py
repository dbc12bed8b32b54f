"""lexoffice's datetime format: `yyyy-MM-ddTHH:mm:ss.SSSXXX` (exactly 3 ms digits)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_LEXOFFICE_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$"
)


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as lexoffice wants it, e.g. `2022-04-27T09:30:00.000+02:00`.

    Naive datetimes are refused: lexoffice would read them in an unknown zone.
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"naive datetime {value!r}: lexoffice needs a timezone")
    millis = value.microsecond // 1000
    return f"{value:%Y-%m-%dT%H:%M:%S}.{millis:03d}{_format_offset(offset)}"


def _format_offset(offset: timedelta) -> str:
    if offset == timedelta(0):
        return "Z"
    sign = "+" if offset > timedelta(0) else "-"
    minutes = int(abs(offset).total_seconds()) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_datetime(text: str) -> datetime:
    """Parse a datetime as lexoffice sends it (any number of fraction digits, `Z` or offset)."""
    if not _LEXOFFICE_DATETIME.match(text):
        raise ValueError(f"not a lexoffice datetime: {text!r}")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_date(value: date) -> str:
    """Format a day for voucherlist filters (`yyyy-MM-dd`, read by lexoffice as CET/CEST)."""
    return value.strftime("%Y-%m-%d")
