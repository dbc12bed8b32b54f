"""Database URLs with the password kept apart, so a form can store it as a secret."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None); an unparseable URL stays whole."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url, None
    if parsed.password is None:
        return url, None
    # URL.set() ignores None; the URL is a NamedTuple, _replace clears the field.
    address = parsed._replace(password=None).render_as_string(hide_password=False)
    return address, str(parsed.password)


def with_password(address: str, password: str | None) -> str:
    """`address` with `password` put in (an address that has one keeps its own)."""
    if not password:
        return address
    try:
        parsed = make_url(address)
    except ArgumentError:
        return address
    if parsed.password is not None:
        return address
    return parsed.set(password=password).render_as_string(hide_password=False)


_DRIVERLESS_POSTGRES = ("postgres://", "postgresql://")


def with_driver(url: str) -> str:
    """`postgres://` and `postgresql://` (no driver) mean PostgreSQL through psycopg 3.

    Other tools (Heroku, psql, libpq) write them so; SQLAlchemy would look for a plugin
    named "postgres" or for psycopg2, neither of which lexsync ships.
    """
    for prefix in _DRIVERLESS_POSTGRES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
