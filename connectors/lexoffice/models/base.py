"""Shared bases of the lexoffice models: camelCase aliases, money, datetimes, read-only fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

from connectors.lexoffice.datetimes import format_datetime

_READ_ONLY = "readOnly"


def decimal_to_json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number; refuses values a JSON number would not carry exactly."""
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    if Decimal(repr(number)) != value.normalize():
        raise ValueError(f"{value} cannot be sent exactly as a JSON number")
    return number


Money = Annotated[Decimal, PlainSerializer(decimal_to_json_number, when_used="json")]
"""Amounts, prices, quantities and rates: Decimal in Python, a plain number in JSON."""

LexDateTime = Annotated[AwareDatetime, PlainSerializer(format_datetime, when_used="json")]
"""A timezone-aware datetime, written as `yyyy-MM-ddTHH:mm:ss.SSSXXX`."""


def read_only(**kwargs: Any) -> Any:
    """A field lexoffice sets itself: read from responses, never sent on create or update."""
    return Field(default=None, json_schema_extra={_READ_ONLY: True}, **kwargs)


class LexofficeModel(BaseModel):
    """Base of lexoffice JSON: camelCase on the wire, snake_case in Python, unknown keys dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", validate_assignment=True
    )

    def to_write_json(self) -> dict[str, Any]:
        """The JSON body for a create or update: read-only fields and None values left out."""
        return self.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude=read_only_exclusions(self)
        )


class KeepUnknownModel(LexofficeModel):
    """A model that keeps keys it does not know, so GET → merge → PUT loses nothing."""

    model_config = ConfigDict(extra="allow")


def _is_read_only(field: FieldInfo) -> bool:
    extra = field.json_schema_extra
    return isinstance(extra, dict) and extra.get(_READ_ONLY) is True


def read_only_exclusions(model: BaseModel) -> dict[Any, Any]:
    """A pydantic `exclude` spec covering every read-only field, nested ones included."""
    exclude: dict[Any, Any] = {}
    for name, field in type(model).model_fields.items():
        if _is_read_only(field):
            exclude[name] = True
        elif nested := _nested_exclusions(getattr(model, name)):
            exclude[name] = nested
    return exclude


def _nested_exclusions(value: Any) -> dict[Any, Any]:
    if isinstance(value, BaseModel):
        return read_only_exclusions(value)
    if isinstance(value, list):
        per_item = {index: _nested_exclusions(item) for index, item in enumerate(value)}
        return {index: spec for index, spec in per_item.items() if spec}
    return {}
