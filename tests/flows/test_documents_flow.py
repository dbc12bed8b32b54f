"""The document import flow against the sandbox and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import Project, ProjectOrigin
from connectors.fieldservice.queries import list_projects
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.documents import import_documents
from tasks.connection import LexsyncConnection
from tasks.report import COUNT_COLUMNS, RunReport
from tasks.settings import DocumentImport as DocumentImportSetting
from tests.flows.conftest import connection_name, seed

DATE = "2026-03-02T10:00:00.000+01:00"


def line(
    name: str = "Elektroinstallation", net: float = 45.0, quantity: float = 2
) -> dict[str, Any]:
    return {
        "type": "custom",
        "name": name,
        "quantity": quantity,
        "unitName": "Std",
        "unitPrice": {"currency": "EUR", "netAmount": net, "taxRatePercentage": 19},
    }


def document(**extra: Any) -> dict[str, Any]:
    """A finalized order confirmation or delivery note to a one-time address, as typed in."""
    return {
        "voucherDate": DATE,
        "voucherStatus": "open",
        "address": {
            "name": "Baustelle Meier",
            "street": "Hauptstr. 1",
            "zip": "10115",
            "city": "Berlin",
            "countryCode": "DE",
        },
        "lineItems": [line()],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        **extra,
    }


def projects(sessions: sessionmaker[Session]) -> list[Project]:
    with sessions() as session:
        found = list_projects(session)
        session.expunge_all()
        return found


def run(connection_block: LexsyncConnection, **kwargs: Any) -> RunReport:
    report = import_documents(connection_name(connection_block), **kwargs)
    assert isinstance(report, RunReport)
    return report


def configure(connection_block: LexsyncConnection, **settings: Any) -> None:
    for key, value in settings.items():
        setattr(connection_block.settings, key, value)
    connection_block.save(connection_name(connection_block), overwrite=True)


def counts(report: RunReport, entity: str) -> dict[str, int]:
    """Every count of the entity's section, zeros included."""
    found = report.section(entity, "lexoffice → system").counts
    return {column: found[column] for column in COUNT_COLUMNS}


def test_order_confirmation_becomes_a_project_named_by_its_title_with_its_net_sum(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    [oc_id] = seed(
        sandbox,
        "order-confirmations",
        [
            document(
                title="Badsanierung",
                introduction="Wir bestätigen Ihren Auftrag.",
                remark="Danke.",
                lineItems=[line(), line("Kupferrohr", 3.5, 10)],
            )
        ],
    )
    report = run(connection_block)
    [project] = projects(sessions)
    assert project.name == "Badsanierung"
    assert project.order_sum == Decimal("125.00")
    assert project.origin == ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION
    assert project.lexoffice_id == uuid.UUID(oc_id)
    assert project.lexoffice_voucher_number == "AB0001"
    assert project.description is not None
    assert project.description.startswith("Wir bestätigen Ihren Auftrag.\n\nPositionen:\n")
    assert "- 2 Std Elektroinstallation à 45,00 € = 90,00 €" in project.description
    assert "- 10 Std Kupferrohr à 3,50 € = 35,00 €" in project.description
    assert project.description.endswith("Danke.")
    assert counts(report, "order confirmations")["created"] == 1


def test_delivery_note_with_default_title_is_named_by_number_and_customer_without_sum(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "delivery-notes", [document(totalPrice=None)])
    run(connection_block)
    [project] = projects(sessions)
    assert project.name == "LS0001 – Baustelle Meier"
    assert project.order_sum is None
    assert project.origin == ProjectOrigin.LEXOFFICE_DELIVERY_NOTE
    assert (
        project.description is not None
        and "- 2 Std Elektroinstallation\n" in project.description + "\n"
    )


def test_document_import_setting_chooses_the_document_types(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    def seed_one_of_each() -> None:
        seed(sandbox, "order-confirmations", [document()])
        seed(sandbox, "delivery-notes", [document()])

    def origins() -> list[ProjectOrigin]:
        return sorted(project.origin for project in projects(sessions))

    oc, dn = ProjectOrigin.LEXOFFICE_ORDER_CONFIRMATION, ProjectOrigin.LEXOFFICE_DELIVERY_NOTE
    seed_one_of_each()
    configure(connection_block, document_import=DocumentImportSetting.NONE)
    run(connection_block)
    assert origins() == []
    configure(connection_block, document_import=DocumentImportSetting.DELIVERY_NOTES)
    run(connection_block)
    assert origins() == [dn]
    configure(connection_block, document_import=DocumentImportSetting.ORDER_CONFIRMATIONS)
    run(connection_block)
    assert origins() == [dn, oc]
    seed_one_of_each()
    configure(connection_block, document_import=DocumentImportSetting.BOTH)
    run(connection_block)
    assert origins() == [dn, dn, oc, oc]


def test_drafts_are_imported_only_when_the_setting_says_so(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "order-confirmations", [document(), document(voucherStatus="draft")])
    report = run(connection_block)
    assert len(projects(sessions)) == 1
    assert counts(report, "order confirmations")["skipped"] == 1
    configure(connection_block, import_draft_documents=True)
    run(connection_block)
    names = sorted(project.name for project in projects(sessions))
    assert names == ["AB0001 – Baustelle Meier", "Entwurf vom 02.03.2026 – Baustelle Meier"]
