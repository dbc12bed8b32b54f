"""The flows' parameters as the Prefect UI's Run form shows them: German title and description.

Prefect takes a parameter's description from a `pydantic.Field` default (or the docstring's
Args) but always titles it with its Python name; a `title` in `json_schema_extra` overrides
that in the generated schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field


def parameter(title: str, description: str, default: Any = ...) -> Any:
    """A flow parameter's default with the title and description the Run form shows."""
    return Field(default=default, description=description, json_schema_extra={"title": title})


def connection_parameter() -> Any:
    return parameter(
        "Verbindung (Firma)",
        "Name des lexsync-Verbindungsblocks der Firma; „default“ bei nur einer Firma.",
        "default",
    )


def dry_run_parameter() -> Any:
    return parameter(
        "Nur Probelauf",
        "Zeigt im Bericht, was geschehen würde, und schreibt nichts, weder ins System noch "
        "nach lexoffice.",
        False,
    )


def directions_parameter() -> Any:
    return parameter(
        "Richtungen nur für diesen Lauf",
        "Leer lassen für die Einstellungen der Verbindung. Sonst je Bereich (customers, "
        "products, activities) Import und Export für diesen einen Lauf ein- oder ausschalten.",
        None,
    )
