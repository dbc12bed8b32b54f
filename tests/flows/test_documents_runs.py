"""The document import run after run: exactly once, changes reported, failures, paging, dry run."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.models import DocumentImportStatus
from connectors.fieldservice.queries import document_import_rows, get_cursors
from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, edit_in_lexoffice, requests_log, seed
from tests.flows.test_documents_flow import counts, document, projects, run

ENTITY = "order confirmations"


def requests(sandbox: SandboxServer, path: str) -> list[dict[str, Any]]:
    return [entry for entry in requests_log(sandbox) if entry["path"].startswith(path)]


def artifacts(key: str) -> list[Any]:
    """The artifacts published under `key`."""

    async def read() -> list[Any]:
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
            )

    return asyncio.run(read())


def imports(sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    with sessions() as session:
        return document_import_rows(session, ["order_confirmation", "delivery_note"])  # type: ignore[list-item]


def test_rerun_imports_nothing_twice_and_lists_only_since_the_cursor(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "order-confirmations", [document(), document()])
    seed(sandbox, "delivery-notes", [document()])
    run(connection_block)
    sandbox.control.delete("/requests").raise_for_status()
    report = run(connection_block)
    assert len(projects(sessions)) == 3
    assert (counts(report, ENTITY)["created"], counts(report, ENTITY)["unchanged"]) == (0, 2)
    assert requests(sandbox, "/v1/order-confirmations/") == []  # nothing read again
    listed = requests(sandbox, "/v1/voucherlist")
    assert listed and all("updatedDateFrom" in parse_qs(r["query"]) for r in listed)


def test_changed_or_voided_document_is_reported_once_and_not_applied(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    [oc_id] = seed(sandbox, "order-confirmations", [document(title="Badsanierung")])
    run(connection_block)
    patch = {"title": "Bad und Küche", "lineItems": [document()["lineItems"][0]] * 2}
    edit_in_lexoffice(sandbox, "order-confirmations", oc_id, patch)
    report = run(connection_block)
    [project] = projects(sessions)
    assert project.name == "Badsanierung"
    [(_, problem)] = report.problems
    assert problem.kind == "conflict"
    assert problem.field == "name, order_sum, description"
    assert "Bad und Küche" in str(problem.lexoffice_value)
    assert "nicht ins Projekt übernommen" in problem.message
    again = run(connection_block)
    assert again.problems == []
    assert counts(again, ENTITY)["unchanged"] == 1
    edit_in_lexoffice(sandbox, "order-confirmations", oc_id, {"voucherStatus": "voided"})
    [(_, voided)] = run(connection_block).problems
    assert voided.field is not None and voided.field.endswith("voucher_status")
    assert len(projects(sessions)) == 1


def test_document_that_cannot_be_imported_is_reported_and_the_rest_go_on(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    nameless = document(address={"countryCode": "DE"})
    [_, broken_id, _] = seed(sandbox, "order-confirmations", [document(), nameless, document()])
    report = run(connection_block)
    assert len(projects(sessions)) == 2
    [(_, problem)] = report.problems
    assert problem.kind == "error" and "hat keinen Namen" in problem.message
    assert counts(report, ENTITY)["failed"] == 1
    [failed] = [row for row in imports(sessions) if str(row["lexoffice_id"]) == broken_id]
    assert failed["status"] == DocumentImportStatus.FAILED and failed["project_id"] is None
    [published] = artifacts(f"document-import-{connection_name(connection_block)}-problems")
    assert "hat keinen Namen" in str(published.data)
    fix = {"address": {"name": "Baustelle Schulz", "countryCode": "DE"}}
    edit_in_lexoffice(sandbox, "order-confirmations", broken_id, fix)
    retried = run(connection_block)
    assert counts(retried, ENTITY)["created"] == 1
    assert len(projects(sessions)) == 3


def test_more_than_250_documents_are_listed_over_several_pages(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "order-confirmations", [document() for _ in range(251)])
    report = run(connection_block)
    assert counts(report, ENTITY)["created"] == 251
    assert len({project.lexoffice_id for project in projects(sessions)}) == 251
    pages = [parse_qs(r["query"]) for r in requests(sandbox, "/v1/voucherlist")]
    assert {(p["page"][0], p["size"][0]) for p in pages} >= {("0", "250"), ("1", "250")}


def test_dry_run_writes_nothing_but_reports_what_it_would_create(
    connection_block: LexsyncConnection, sandbox: SandboxServer, sessions: sessionmaker[Session]
) -> None:
    seed(sandbox, "order-confirmations", [document(), document(address={"countryCode": "DE"})])
    report = run(connection_block, dry_run=True)
    assert report.dry_run
    assert counts(report, ENTITY)["created"] == 1
    assert counts(report, ENTITY)["failed"] == 1
    assert projects(sessions) == []
    assert imports(sessions) == []
    with sessions() as session:
        assert get_cursors(session, connection_name(connection_block)) == {}
