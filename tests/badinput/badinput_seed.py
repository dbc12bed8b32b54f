"""Putting the bad-input corpora in place: rows in the system database, records in lexoffice."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from connectors.lexoffice.sandbox.server import SandboxServer
from tasks.sync.entities import ADAPTERS
from tests.badinput.badinput_corpus import LEXOFFICE_CASES, SYSTEM_CASES, VENDOR_ONLY, SystemCase
from tests.flows.conftest import seed


def system_cases_for(url: str) -> list[SystemCase]:
    """The system cases the database at `url` can hold (PostgreSQL refuses a NUL, say)."""
    backend = "sqlite" if url.startswith("sqlite") else "postgresql"
    return [case for case in SYSTEM_CASES if backend in case.backends]


def insert_rows_as_other_software_would(
    sessions: sessionmaker[Session], cases: list[SystemCase]
) -> dict[str, int]:
    """Plain INSERTs past the ORM's checks: the database's own constraints still hold."""
    ids = {}
    with sessions.begin() as session:
        for case in cases:
            table: Any = ADAPTERS[case.entity].system_model.__table__
            result: Any = session.execute(sa.insert(table).values(**case.values))
            ids[case.key] = int(result.inserted_primary_key[0])
    return ids


def seed_corpus(sandbox: SandboxServer) -> dict[str, str]:
    """Every case typed into lexoffice; returns case key → lexoffice id."""
    ids: dict[str, str] = {}
    for resource in ("contacts", "articles"):
        cases = [case for case in LEXOFFICE_CASES if case.resource == resource]
        extra = [VENDOR_ONLY] if resource == "contacts" else []
        seeded = seed(sandbox, resource, [case.record for case in cases] + extra)
        ids |= {case.key: lexoffice_id for case, lexoffice_id in zip(cases, seeded, strict=False)}
    return ids
