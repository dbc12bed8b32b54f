"""Opening the two sides of a connection: the system database and the lexoffice client.

Engines are made on first use (never at import) and kept per URL for the life of the
process, because an engine is a connection pool; sessions are opened by the task that needs
one (`with sessions.begin() as session:`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from connectors.fieldservice.db import make_engine, session_factory
from connectors.lexoffice.client import LexofficeClient
from connectors.lexoffice.settings import LexofficeSettings
from tasks.company_lock import check_held_locks

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def system_engine(database_url: str) -> Engine:
    """The process's engine for this database URL."""
    with _engines_lock:
        engine = _engines.get(database_url)
        if engine is None:
            engine = _engines[database_url] = make_engine(database_url)
            event.listen(engine, "begin", _only_while_locked, insert=True)  # before BEGIN
        return engine


def _only_while_locked(_connection: Connection) -> None:
    # A run whose company lock is lost must not write beside the run that took it over;
    # outside a run frame (receiver, CLI reads) there is nothing to check.
    check_held_locks()


def system_sessions(database_url: str) -> sessionmaker[Session]:
    """Sessions on the system database; the caller owns each transaction."""
    return session_factory(system_engine(database_url))


def dispose_engines() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def lexoffice_client(settings: LexofficeSettings) -> Iterator[LexofficeClient]:
    """A client for one lexoffice account, closed when the block ends."""
    with LexofficeClient(settings) as client:
        yield client
