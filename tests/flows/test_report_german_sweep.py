"""No English reaches the office: the problem scenarios the other tests build, run together.

Each scenario is made from the existing builders (the bad-input corpora of both sides, a
contact the API cannot write, a conflict, the invoice faults and preconditions, a refused
key); what a person reads of it — the report's markdown, every problem's reason, the run's
state message — must hold none of the English words lexsync used to write
(`tests/support/english.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice import queries
from connectors.fieldservice.models import SyncEntity, WorkReportStatus
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from flows.invoice import create_invoice
from flows.master_data import sync_master_data
from tasks.connection import LexsyncConnection
from tasks.report import RunReport, render_markdown
from tests.badinput.badinput_seed import (
    insert_rows_as_other_software_would,
    seed_corpus,
    system_cases_for,
)
from tests.flows.conftest import connection_name, edit_in_lexoffice, inject_fault, seed
from tests.support.artifacts import run_artifacts
from tests.support.builders import lex_article, lex_person
from tests.support.english import english_in
from tests.tasks.invoicing.invoicing_builders import seed_linked_work_report


def report_texts(report: RunReport) -> list[str]:
    return [render_markdown(report), *(problem.message for _, problem in report.problems)]


def state_texts(state: Any) -> list[str]:
    """The state's message and every artifact the run published (report and problems)."""
    artifacts = run_artifacts(state.state_details.flow_run_id)
    return [str(state.message or ""), *artifacts.values()]


def bad_input_on_both_sides(sandbox: SandboxServer, connection: Any, sessions: Any) -> list[str]:
    name = connection_name(connection)
    insert_rows_as_other_software_would(sessions, system_cases_for(connection.database_url))
    seed_corpus(sandbox)
    return report_texts(full_sync(connection=name))


def contact_the_api_cannot_write_and_a_conflict(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> list[str]:
    name = connection_name(connection_block)
    doubled = lex_person("Doppelt", "a@doppelt.de")
    doubled["emailAddresses"]["business"].append("b@doppelt.de")
    both = lex_person("Beides") | {"company": {"name": "Auch Firma"}}
    seed(sandbox, "contacts", [doubled, both])
    [article_id] = seed(sandbox, "articles", [lex_article("Kabel", articleNumber="K-1")])
    sync_master_data(connection=name)
    edit_in_lexoffice(sandbox, "articles", article_id, {"title": "Kabel rot"})
    with sessions.begin() as session:
        customers = queries.customer_rows(session)
        queries.update_customers(session, [{"id": c["id"], "phone": "030 1"} for c in customers])
        [product] = queries.product_rows(session)
        queries.update_products(session, [{"id": product["id"], "name": "Kabel blau"}])
    report = sync_master_data(connection=name)
    assert {problem.kind for _, problem in report.problems} >= {"skip", "conflict"}
    return report_texts(report)


def invoice_refused_then_unconfirmed(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> list[str]:
    name = connection_name(connection_block)
    seeded = seed_linked_work_report(sessions, sandbox.control)
    service = link_activity(sessions, uuid.uuid4())  # an article lexoffice does not know: 406
    texts = state_texts(create_invoice(seeded.work_report_id, name, return_state=True))
    link_activity(sessions, service)
    inject_fault(sandbox, fault="500", method="POST", path="/v1/invoices")
    for _ in range(2):  # not confirmed; then: sent a moment ago, not sent again yet
        texts += state_texts(create_invoice(seeded.work_report_id, name, return_state=True))
    return texts


def link_activity(sessions: sessionmaker[Session], lexoffice_id: uuid.UUID) -> uuid.UUID:
    """Links the work report's activity to `lexoffice_id`; returns the article it had."""
    with sessions.begin() as session:
        link = queries.get_link(session, SyncEntity.ACTIVITY, 1)
        assert link is not None
        linked, link.lexoffice_id = link.lexoffice_id, lexoffice_id
    return linked


def invoice_not_ready(sandbox: SandboxServer, connection: Any, sessions: Any) -> list[str]:
    name = connection_name(connection)
    draft = seed_linked_work_report(sessions, sandbox.control)
    with sessions.begin() as session:
        report = queries.get_work_report(session, draft.work_report_id)
        assert report is not None
        report.status = WorkReportStatus.DRAFT
    return state_texts(create_invoice(draft.work_report_id, name, return_state=True))


def refused_key(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: Any
) -> list[str]:
    name = connection_name(connection_block)
    connection_block.lexoffice_api_key = SecretStr("kein-gueltiger-schluessel")
    connection_block.save(name, overwrite=True)
    return state_texts(full_sync(connection=name, return_state=True))


Scenario = Callable[[SandboxServer, LexsyncConnection, Any], list[str]]
SCENARIOS: dict[str, Scenario] = {
    "bad input on both sides": bad_input_on_both_sides,
    "contact the API cannot write, conflict": contact_the_api_cannot_write_and_a_conflict,
    "invoice refused, then unconfirmed": invoice_refused_then_unconfirmed,
    "invoice of a work report not ready": invoice_not_ready,
    "refused key": refused_key,
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_what_a_person_reads_of_a_problem_is_german(
    scenario: str,
    sandbox: SandboxServer,
    connection_block: LexsyncConnection,
    sessions: sessionmaker[Session],
) -> None:
    texts = SCENARIOS[scenario](sandbox, connection_block, sessions)

    assert any(text.strip() for text in texts)
    assert english_in(texts) == []
