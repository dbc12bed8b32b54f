"""The declarative base, the constraint naming convention and shared column helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from connectors.fieldservice.column_types import UTCDateTime, utc_now
from connectors.fieldservice.errors import InvalidRecordError

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Set first by the constructor, so that a validator refusing another value can name the record.
_IDENTIFYING = ("id", "kind", "name", "first_name", "last_name", "company_name", "article_number")


class Base(DeclarativeBase):
    """Base of every table of the field-service database."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    entity_label: ClassVar[str] = "record"

    def __init__(self, **kwargs: Any) -> None:
        cls = type(self)
        for key in sorted(kwargs, key=lambda k: k not in _IDENTIFYING):
            if not hasattr(cls, key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")
            setattr(self, key, kwargs[key])

    def label(self) -> str | None:
        """The record's name as a person would say it, if it has one yet."""
        return getattr(self, "name", None)

    def describe(self) -> str:
        """The record for an error message, e.g. "product 'Steckdose' (id 12)"."""
        label = self.label()
        text = f"{self.entity_label} {label!r}" if label else f"{self.entity_label} without a name"
        record_id = self.__dict__.get("id")
        return f"{text} (id {record_id})" if record_id is not None else f"{text} (new)"

    def validate(self) -> None:
        """Refuse the record with InvalidRecordError; checks that span fields live here."""


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _validate_before_write(_mapper: Mapper[Any], _connection: sa.Connection, target: Base) -> None:
    target.validate()


class Timestamps:
    """created_at / updated_at, tz-aware, set by lexsync and by the database alike."""

    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utc_now, server_default=sa.func.now(), onupdate=utc_now
    )


def blank_to_none(value: str | None) -> str | None:
    """None for an empty or blank text, so that "unique when set" holds for ''."""
    if value is None or not value.strip():
        return None
    return value.strip()


def check_range(
    record: Base, field: str, value: Decimal | None, low: int, high: int | None = None
) -> Decimal | None:
    """The value, or InvalidRecordError when it lies outside low..high."""
    if value is None:
        return None
    number = Decimal(value)
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidRecordError(
            record.describe(),
            field,
            f"must be {bound}, not {value}",
            rule="range",
            low=low,
            high=high,
            value=value,
        )
    return number


def non_negative(*columns: str) -> list[sa.CheckConstraint]:
    """CHECK constraints `column >= 0` (NULL passes), named `<column>_non_negative`."""
    return [sa.CheckConstraint(f"{c} >= 0", name=f"{c}_non_negative") for c in columns]


def percentage(*columns: str) -> list[sa.CheckConstraint]:
    """CHECK constraints `column BETWEEN 0 AND 100` (NULL passes), named `<column>_percent`."""
    return [sa.CheckConstraint(f"{c} BETWEEN 0 AND 100", name=f"{c}_percent") for c in columns]
