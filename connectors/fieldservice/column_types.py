"""Column types that behave alike on SQLite and PostgreSQL: money, timestamps, enums, JSON."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine


def utc_now() -> dt.datetime:
    """The current time, tz-aware in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A tz-aware timestamp, stored in UTC and always read back aware (UTC).

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none, so there the value is stored
    as naive UTC. Naive datetimes are refused: their meaning depends on the machine.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: give it a timezone")
        utc = value.astimezone(dt.UTC)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class ExactDecimal(sa.TypeDecorator[Decimal]):
    """A Decimal with fixed precision and scale, returned with exactly `scale` places.

    Values are rounded half away from zero to the scale on the way in (as PostgreSQL does),
    and refused if they have more integer digits than the column holds, on both databases.
    SQLite has no decimal type and stores a double: 12 significant digits survive that exactly,
    so values are read back as float and turned into a Decimal of the column's scale.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=False))
        return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            value = str(value)
        exact = Decimal(value).quantize(self._quantum, ROUND_HALF_UP)
        if exact.adjusted() >= self.precision - self.scale:
            raise ValueError(
                f"{value} does not fit NUMERIC({self.precision}, {self.scale}): "
                f"at most {self.precision - self.scale} digits before the decimal point"
            )
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            value = repr(value)
        return Decimal(value).quantize(self._quantum)


def amount() -> ExactDecimal:
    """An amount of money in euros and cents: NUMERIC(12, 2)."""
    return ExactDecimal(12, 2)


def unit_price() -> ExactDecimal:
    """A unit price or a rate, kept to 4 places as lexoffice does: NUMERIC(12, 4)."""
    return ExactDecimal(12, 4)


def quantity() -> ExactDecimal:
    """A quantity (pieces, metres, hours, km): NUMERIC(12, 4)."""
    return ExactDecimal(12, 4)


def percent() -> ExactDecimal:
    """A tax rate or discount in percent: NUMERIC(5, 2)."""
    return ExactDecimal(5, 2)


def str_enum(enum_class: type[enum.StrEnum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint named `name`, storing the values."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def json_document() -> TypeEngine[Any]:
    """A JSON document: JSONB on PostgreSQL, JSON text on SQLite."""
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _json_default(value: Any) -> Any:
    # Decimals become strings so that no cent is lost to a float on the way through JSON.
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps_json(value: Any) -> str:
    """JSON text for a JSON column: umlauts kept as they are, Decimal/UUID/dates as strings."""
    return json.dumps(value, ensure_ascii=False, default=_json_default)
