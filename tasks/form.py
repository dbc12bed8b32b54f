"""The connection block's form in the Prefect UI: every field and section titled in German.

Admins edit a connection (its address, key and settings) in the block form, which draws each
field with its `title` and `description`. These helpers take both as required arguments, so
no field of `LexsyncConnection` or `SyncSettings` can be added without them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, WithJsonSchema


def form_field(default: Any, title: str, description: str, **rules: Any) -> Any:
    """A field's default with its German title and description (`rules`: `ge=0`, …)."""
    return Field(default=default, title=title, description=description, **rules)


def form_section(title: str, description: str) -> ConfigDict:
    """A settings model's section in the form: German title and description.

    The form draws a nested model from its definition, so the section's title lives here and
    not on the field that holds it (Prefect drops a title next to a `$ref`).
    """
    return ConfigDict(extra="forbid", title=title, json_schema_extra={"description": description})


def form_choice(choices: type[StrEnum]) -> WithJsonSchema:
    """An enum field drawn inline with its field's German title and description.

    By default the form draws an enum from its shared definition, titled with the class name
    and its English docstring; inline, the field's own title and description show.
    """
    return WithJsonSchema({"type": "string", "enum": [choice.value for choice in choices]})
