"""The forms people edit in the Prefect UI: the connection block and each deployment's Run form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.flows import load_flow_from_entrypoint
from prefect.utilities.callables import parameter_schema
from pydantic import SecretStr

from tasks.connection import LexsyncConnection
from tasks.settings import DocumentImport, SyncSettings

PREFECT_YAML = Path(__file__).resolve().parents[2] / "prefect.yaml"


def _block_schema() -> dict[str, Any]:
    return LexsyncConnection.model_json_schema()


def _section(schema: dict[str, Any], field: str) -> dict[str, Any]:
    """The definition a field's section is drawn from (its $ref target)."""
    reference = schema["properties"][field]
    name = reference.get("$ref", "").rsplit("/", 1)[-1]
    definition: dict[str, Any] = schema["definitions"][name]
    return definition


def test_settings_form_has_one_titled_german_section_per_entity() -> None:
    schema = _block_schema()
    settings = _section(schema, "settings")
    sections = {
        field: _section(schema | {"properties": settings["properties"]}, field)
        for field in ("customers", "products", "activities", "documents", "invoicing")
    }

    titles = [section["title"] for section in sections.values()]

    assert titles == ["Kunden", "Material (Produkte)", "Tätigkeiten", "Dokumente", "Rechnungen"]
    assert all(section.get("description") for section in sections.values())
    for section in sections.values():
        for name, field in section["properties"].items():
            assert field.get("title") and field.get("description"), name


def test_choices_are_drawn_with_their_german_field_title_not_the_class_name() -> None:
    """The form titles a field that refers to a shared enum definition with the enum's
    class name and English docstring (seen: "ConflictPolicy (Optional)")."""
    definitions = _block_schema()["definitions"]
    fields = [f for d in definitions.values() for f in d.get("properties", {}).values()]

    referenced = {f["$ref"].rsplit("/", 1)[-1] for f in fields if "$ref" in f}

    assert all("properties" in definitions[name] for name in referenced), referenced
    choices = [f for f in fields if "enum" in f]
    assert {f["title"] for f in choices} == {"Welche Belege", "Aufbau", "Bei Konflikten"}


def test_every_connection_field_has_a_german_title_and_description() -> None:
    properties = _block_schema()["properties"]

    for name, field in properties.items():
        # A nested section is drawn with its definition's title and description.
        shown = _section(_block_schema(), name) if "$ref" in field else field
        assert shown.get("title") and shown.get("description"), name
    assert properties["lexoffice_api_key"]["title"] == "lexoffice-API-Schlüssel"


def test_secrets_are_secret_fields_and_the_address_holds_no_password() -> None:
    schema = _block_schema()
    properties = schema["properties"]
    assert {"lexoffice_api_key", "database_password"} <= set(schema["secret_fields"])
    secret = {"format": "password", "type": "string", "writeOnly": True}

    for name in ("lexoffice_api_key", "database_password"):
        variants = properties[name].get("anyOf", [properties[name]])
        assert any(secret.items() <= variant.items() for variant in variants), name
    assert "database_url" not in properties


def test_a_whole_database_url_is_split_into_address_and_secret_password() -> None:
    url = "postgresql+psycopg://lexsync:geheim%40123@db.example.de:5432/meier"

    connection = LexsyncConnection(database_url=url)

    assert connection.database_address == "postgresql+psycopg://lexsync@db.example.de:5432/meier"
    assert isinstance(connection.database_password, SecretStr)
    assert "geheim" not in repr(connection) and "geheim" not in connection.model_dump_json()
    assert connection.database_url == url


# A connection block's data as lexsync stores it (every setting away from its default).
STORED_BLOCK: dict[str, Any] = {
    "database_address": "postgresql+psycopg://lexsync@db.example.de/meier",
    "lexoffice_base_url": "https://api.lexoffice.io",
    "lexoffice_rate_per_second": 1.5,
    "organization_id": "7d5a0d2b-1f4e-4a39-9d5e-3b1c2a0f6e11",
    "webhook_callback_url": "https://lexsync.example.de/webhooks/lexoffice",
    "active": False,
    "settings": {
        "customers": {"import_enabled": False, "export_enabled": True},
        "products": {"import_enabled": True, "export_enabled": False},
        "activities": {"import_enabled": False, "export_enabled": False},
        "documents": {"kinds": "order_confirmations", "include_drafts": True},
        "invoicing": {
            "layout": "grouped",
            "app_base_url": "https://app.lexoffice.de",
            "resend_after_seconds": 600,
            "remark": "Danke.",
        },
        "conflict_policy": "lexoffice_wins",
        "delete_articles_in_lexoffice": True,
        "recreate_unconfirmed_after_seconds": 900,
        "language": "de",
    },
}


def test_an_existing_blocks_data_loads_and_is_saved_in_the_same_shape() -> None:
    connection_block = LexsyncConnection.model_validate(STORED_BLOCK)

    settings = connection_block.settings
    assert settings.directions("products").export_enabled is False
    assert settings.document_import == DocumentImport.ORDER_CONFIRMATIONS
    assert settings.recreate_unconfirmed_after_seconds == 900
    saved = connection_block.model_dump(mode="json")
    assert {name: saved[name] for name in STORED_BLOCK} == STORED_BLOCK


def test_settings_saved_with_the_old_flat_document_switches_still_load() -> None:
    settings = SyncSettings.model_validate(
        {"document_import": "delivery_notes", "import_draft_documents": True}
    )

    assert settings.documents.kinds == DocumentImport.DELIVERY_NOTES
    assert settings.document_import == DocumentImport.DELIVERY_NOTES
    assert settings.import_draft_documents is True


def _deployments() -> list[tuple[str, str]]:
    declared = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    return [(d["name"], d["entrypoint"]) for d in declared]


@pytest.mark.parametrize(("deployment", "entrypoint"), _deployments())
def test_every_deployment_parameter_has_a_title_and_description(
    deployment: str, entrypoint: str
) -> None:
    flow: Any = load_flow_from_entrypoint(entrypoint)

    properties = parameter_schema(flow.fn).model_dump()["properties"]

    assert properties, deployment
    for name, field in properties.items():
        assert field["title"] != name, f"{deployment}: {name} has no title"
        assert field.get("description"), f"{deployment}: {name} has no description"


def test_invoice_run_form_asks_for_the_work_report_in_german() -> None:
    flow: Any = load_flow_from_entrypoint("flows/invoice.py:create_invoice")

    schema = parameter_schema(flow.fn).model_dump()

    assert schema["required"] == ["work_report_id"]
    assert schema["properties"]["work_report_id"]["title"] == "Arbeitsnachweis-Nr."
    assert schema["properties"]["finalize"]["default"] is False
