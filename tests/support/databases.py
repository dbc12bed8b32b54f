"""Throwaway PostgreSQL databases for tests: one per need, dropped at the end of the session."""

from __future__ import annotations

import os
import secrets

import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_SERVER = os.environ.get(
    "LEXSYNC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class ThrowawayDatabases:
    """Creates databases named lexsync_test_<random> on the server and drops them again."""

    def __init__(self, server_url: str = POSTGRES_SERVER) -> None:
        self.server_url = make_url(server_url)
        self.admin = sa.create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"lexsync_test_{secrets.token_hex(4)}"
        self.created: list[str] = []

    def create(self) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"
            )
        self.created.append(name)
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        for name in self.created:
            with self.admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()
