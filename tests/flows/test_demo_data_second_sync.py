"""The demo's data synced twice: the second full sync finds everything in step and changes nothing.

`lexsync demo` starts from fresh data every time (see tests/deployments/test_cli_demo.py); this
is the same data kept for a second run, as an installation would keep it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.demo import seed_demo
from connectors.fieldservice.models import SyncJournal
from connectors.lexoffice.sandbox.server import SandboxServer
from flows.full_sync import full_sync
from tasks.connection import LexsyncConnection
from tests.flows.conftest import connection_name, requests_log

pytestmark = pytest.mark.slow


def journal_size(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(SyncJournal)) or 0)


def test_second_full_sync_of_the_demo_data_changes_nothing(
    sandbox: SandboxServer, connection_block: LexsyncConnection, sessions: sessionmaker[Session]
) -> None:
    sandbox.control.post("/seed-demo").raise_for_status()
    with sessions.begin() as session:
        seed_demo(session)
    name = connection_name(connection_block)

    first = full_sync(connection=name)
    journalled = journal_size(sessions)
    sandbox.control.delete("/requests").raise_for_status()
    second = full_sync(connection=name)

    assert first.failed == 0 and journalled > 0  # the control: the first run did the work
    assert [r for r in requests_log(sandbox) if r["method"] != "GET"] == []
    assert all(s.counts["created"] == s.counts["updated"] == 0 for s in second.sections)
    assert second.failed == 0
    assert journal_size(sessions) == journalled
