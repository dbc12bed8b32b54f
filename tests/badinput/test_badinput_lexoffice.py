"""Malformed and odd records in lexoffice (typed into the web app, where the API's rules do
not apply): each bad one fails alone, naming record and field; the listing and the run go on;
odd but readable ones are imported byte for byte; lexoffice is never written to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import LinkStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.customer_events import sync_contacts
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.sync.entities import ADAPTERS
from tests.badinput.badinput_corpus import LEXOFFICE_CASES, VENDOR_ONLY, LexofficeCase
from tests.badinput.badinput_corpus import lex_company as corpus_company
from tests.badinput.badinput_seed import seed_corpus
from tests.flows.conftest import (
    connection_name,
    edit_in_lexoffice,
    lexoffice_records,
    requests_log,
    seed,
)
from tests.support.builders import lex_company

ENTITY_OF = {"contacts": "customers", "articles": "products"}


def sync(connection_block: LexsyncConnection) -> RunReport:
    return sync_master_data(connection=connection_name(connection_block))


def imported_rows(sessions: sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    """System rows by the lexoffice id they are linked to."""
    rows: dict[str, dict[str, Any]] = {}
    with sessions.begin() as session:
        for adapter in ADAPTERS.values():
            by_id = {row["id"]: row for row in adapter.system_rows(session)}
            for link in queries.link_rows(session, adapter.entity):
                rows[str(link["lexoffice_id"])] = by_id[link["local_id"]]
    return rows


def errors_about(report: RunReport, lexoffice_id: str) -> list[str | None]:
    return [
        problem.field
        for _, problem in report.problems
        if problem.kind == "error" and lexoffice_id in problem.record
    ]


@pytest.fixture
def seeded(sandbox: SandboxServer) -> dict[str, str]:
    return seed_corpus(sandbox)


def test_each_bad_lexoffice_record_fails_alone_naming_record_and_field(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    seeded: dict[str, str],
) -> None:
    report = sync(connection_block)

    bad = [case for case in LEXOFFICE_CASES if case.field is not None]
    for case in bad:
        assert errors_about(report, seeded[case.key]) == [case.field], (case.key, report.problems)
    assert report.failed == len(bad), [p for _, p in report.problems]
    imported = imported_rows(sessions)
    assert {case.key for case in LEXOFFICE_CASES if seeded[case.key] in imported} == {
        case.key for case in LEXOFFICE_CASES if case.field is None
    }


def test_odd_but_readable_lexoffice_records_are_imported_byte_for_byte(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    seeded: dict[str, str],
) -> None:
    sync(connection_block)

    imported = imported_rows(sessions)
    for case in LEXOFFICE_CASES:
        if case.probe is None:
            continue
        value = imported[seeded[case.key]][case.probe]
        assert value == expected_import(case), (case.key, value)
    with sessions.begin() as session:
        names = {row["company_name"] for row in queries.customer_rows(session)}
    assert VENDOR_ONLY["company"]["name"] not in names


def expected_import(case: LexofficeCase) -> Any:
    if case.expect is not None:
        return case.expect
    record = case.record
    if case.probe == "company_name":
        return record["company"]["name"]
    if case.probe == "last_name":
        return record["person"]["lastName"]
    if case.probe == "name":
        return record["title"]
    if case.probe == "net_price":
        return Decimal(str(record["price"]["netPrice"]))
    raise AssertionError(f"no expectation for {case.probe}")


def test_bad_lexoffice_records_make_no_writes_and_stay_reported_on_the_next_run(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    seeded: dict[str, str],
) -> None:
    before = {r: lexoffice_records(sandbox, r) for r in ("contacts", "articles")}

    first = sync(connection_block)
    rows_after_first = imported_rows(sessions)
    second = sync(connection_block)

    assert requests_log(sandbox, "POST") == requests_log(sandbox, "PUT") == []
    assert {r: lexoffice_records(sandbox, r) for r in ("contacts", "articles")} == before
    assert imported_rows(sessions) == rows_after_first
    assert second.failed == first.failed


def test_linked_record_that_turns_malformed_is_held_back_not_marked_missing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    [lexoffice_id] = seed(sandbox, "contacts", [lex_company("Wird Kaputt GmbH")])
    sync(connection_block)
    edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"company": {"name": ["kaputt"]}})

    report = sync(connection_block)

    assert errors_about(report, lexoffice_id) == ["company.name"]
    assert requests_log(sandbox, "POST") == []  # not exported a second time
    with sessions.begin() as session:
        [link] = queries.link_rows(session, ADAPTERS["customers"].entity)
        [row] = queries.customer_rows(session)
    assert link["status"] == LinkStatus.ACTIVE
    assert row["company_name"] == "Wird Kaputt GmbH"

    edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"company": {"name": "Wieder Heil"}})
    assert sync(connection_block).failed == 0
    assert imported_rows(sessions)[lexoffice_id]["company_name"] == "Wieder Heil"


def test_webhook_sync_of_a_malformed_contact_reports_it_and_imports_the_others(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    bad, good = seed(sandbox, "contacts", [corpus_company(12345), corpus_company("Heil AG")])

    report = sync_contacts([bad, good], connection=connection_name(connection_block))

    assert errors_about(report, bad) == ["company.name"]
    assert report.failed == 1
    assert imported_rows(sessions)[good]["company_name"] == "Heil AG"


def test_webhook_sync_of_a_linked_contact_that_turns_malformed_keeps_its_link(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    """The webhook import decides with the full sync's guards: an unreadable linked contact
    sits the run out, it is neither taken for deleted in lexoffice nor exported again."""
    [lexoffice_id] = seed(sandbox, "contacts", [lex_company("Wird Kaputt GmbH")])
    sync(connection_block)
    edit_in_lexoffice(sandbox, "contacts", lexoffice_id, {"company": {"name": ["kaputt"]}})

    report = sync_contacts([lexoffice_id], connection=connection_name(connection_block))

    assert errors_about(report, lexoffice_id) == ["company.name"]
    assert [p.record for _, p in report.problems if p.kind == "skip"] == []
    assert requests_log(sandbox, "POST") == []
    with sessions.begin() as session:
        [link] = queries.link_rows(session, ADAPTERS["customers"].entity)
    assert link["status"] == LinkStatus.ACTIVE
