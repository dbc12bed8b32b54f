"""lexoffice's datetime format, without I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from connectors.lexoffice.datetimes import format_date, format_datetime, parse_datetime

BERLIN_SUMMER = timezone(timedelta(hours=2))


def test_formats_offset_with_colon_and_exactly_three_millisecond_digits() -> None:
    value = datetime(2022, 4, 27, 9, 30, 0, 123456, tzinfo=BERLIN_SUMMER)
    assert format_datetime(value) == "2022-04-27T09:30:00.123+02:00"


def test_formats_whole_seconds_with_zero_milliseconds() -> None:
    value = datetime(2022, 4, 27, 9, 30, tzinfo=BERLIN_SUMMER)
    assert format_datetime(value) == "2022-04-27T09:30:00.000+02:00"


def test_formats_utc_as_z_and_negative_offsets_with_sign() -> None:
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05.000Z"
    minus = timezone(-timedelta(hours=3, minutes=30))
    assert format_datetime(datetime(2024, 1, 2, tzinfo=minus)).endswith(".000-03:30")


def test_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2024, 1, 2, 3, 4, 5))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-17T18:32:07.551+02:00", datetime(2023, 6, 17, 18, 32, 7, 551000, BERLIN_SUMMER)),
        ("2023-06-17T16:32:07.551Z", datetime(2023, 6, 17, 16, 32, 7, 551000, UTC)),
        ("2023-06-17T16:32:07Z", datetime(2023, 6, 17, 16, 32, 7, tzinfo=UTC)),
    ],
)
def test_parses_lexoffice_datetimes(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_parse_refuses_datetimes_without_zone() -> None:
    with pytest.raises(ValueError):
        parse_datetime("2023-06-17T18:32:07.551")


def test_round_trips_through_the_format() -> None:
    value = datetime(2025, 12, 31, 23, 59, 59, 999000, BERLIN_SUMMER)
    assert parse_datetime(format_datetime(value)) == value


def test_voucherlist_days_are_plain_dates() -> None:
    assert format_date(date(2025, 1, 5)) == "2025-01-05"
