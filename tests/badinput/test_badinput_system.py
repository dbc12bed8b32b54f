"""Invalid and hostile rows in the system database: each bad one fails alone, naming its field;
hostile but valid ones reach lexoffice byte for byte; nothing is deleted or overwritten."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.master_data import sync_master_data
from tasks import report_text
from tasks.connection import LexsyncConnection
from tasks.report import RunReport
from tasks.sync.entities import ADAPTERS
from tests.badinput.badinput_corpus import SystemCase
from tests.badinput.badinput_seed import insert_rows_as_other_software_would, system_cases_for
from tests.flows.conftest import connection_name, lexoffice_records

# canonical field → how lexoffice holds it (the lexoffice record's path)
LEXOFFICE_PATHS: dict[str, tuple[Any, ...]] = {
    "company_name": ("company", "name"),
    "last_name": ("person", "lastName"),
    "billing_street": ("addresses", "billing", 0, "street"),
    "billing_zip": ("addresses", "billing", 0, "zip"),
    "name": ("title",),
    "description": ("description",),
    "net_price": ("price", "netPrice"),
}
COLUMNS = {"billing_country": "billing_country_code", "net_price": "net_price"}


def system_snapshot(sessions: sessionmaker[Session]) -> dict[str, dict[int, dict[str, Any]]]:
    with sessions.begin() as session:
        return {
            name: {row["id"]: row for row in adapter.system_rows(session)}
            for name, adapter in ADAPTERS.items()
        }


def lexoffice_value(record: dict[str, Any], path: tuple[Any, ...]) -> Any:
    value: Any = record
    for part in path:
        value = value[part]
    return value


def error_fields(report: RunReport, label: str) -> list[str | None]:
    """The fields named by the report's errors about the record labelled `label …`."""
    return [
        problem.field
        for _, problem in report.problems
        if (problem.kind == "error" and problem.record.startswith(f"{label} "))
        or problem.record == label
    ]


@pytest.fixture
def corpus(
    system_url: str, sessions: sessionmaker[Session]
) -> tuple[list[SystemCase], dict[str, int]]:
    cases = system_cases_for(system_url)
    return cases, insert_rows_as_other_software_would(sessions, cases)


def test_each_bad_system_record_fails_alone_with_its_field(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    corpus: tuple[list[SystemCase], dict[str, int]],
) -> None:
    cases, ids = corpus

    report = sync_master_data(connection=connection_name(connection_block))

    bad = [case for case in cases if case.field is not None]
    for case in bad:
        label = report_text.record(ADAPTERS[case.entity].spec.entity, ids[case.key])
        assert error_fields(report, label) == [case.field], (case.key, report.problems)
    assert report.failed == len(bad), [p for _, p in report.problems]
    with sessions.begin() as session:
        linked = {
            name: {link["local_id"] for link in queries.link_rows(session, adapter.entity)}
            for name, adapter in ADAPTERS.items()
        }
    for case in cases:
        assert (ids[case.key] in linked[case.entity]) == (case.field is None), case.key


def test_hostile_valid_system_values_reach_lexoffice_byte_for_byte(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    corpus: tuple[list[SystemCase], dict[str, int]],
) -> None:
    cases, ids = corpus

    sync_master_data(connection=connection_name(connection_block))

    by_id = {
        record["id"]: record
        for resource in ("contacts", "articles")
        for record in lexoffice_records(sandbox, resource)
    }
    with sessions.begin() as session:
        links = {
            (name, link["local_id"]): link["lexoffice_id"]
            for name, adapter in ADAPTERS.items()
            for link in queries.link_rows(session, adapter.entity)
        }
    for case in cases:
        if case.probe is None:
            continue
        record = by_id[str(links[case.entity, ids[case.key]])]
        sent = lexoffice_value(record, LEXOFFICE_PATHS[case.probe])
        column = "default_price" if case.entity == "activities" else case.probe
        expected = case.expect if case.expect is not None else case.values[column]
        if isinstance(expected, Decimal):
            assert Decimal(str(sent)) == expected, case.key
        else:
            assert sent == expected, (case.key, sent, expected)


def test_bad_system_records_are_neither_changed_nor_lost_by_two_runs(
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
    corpus: tuple[list[SystemCase], dict[str, int]],
) -> None:
    cases, ids = corpus
    before = system_snapshot(sessions)

    first = sync_master_data(connection=connection_name(connection_block))
    contacts, articles = (
        lexoffice_records(sandbox, "contacts"),
        lexoffice_records(sandbox, "articles"),
    )
    second = sync_master_data(connection=connection_name(connection_block))

    after = system_snapshot(sessions)
    for case in cases:
        old, new = before[case.entity][ids[case.key]], after[case.entity][ids[case.key]]
        changed = {k for k in old if old[k] != new[k]} - {"customer_number", "updated_at"}
        assert not changed, (case.key, changed)
    assert second.failed == first.failed
    assert lexoffice_records(sandbox, "contacts") == contacts
    assert lexoffice_records(sandbox, "articles") == articles
