"""Query strings the way lexoffice wants them, including its search-string encoding."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

QueryValue = str | int | bool | list[str] | None
Params = Mapping[str, QueryValue]

MIN_SEARCH_LENGTH = 3
_HTML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def html_encode_search(text: str) -> str:
    """HTML-encode `&`, `<`, `>` (the first half of lexoffice's search-string encoding)."""
    for char, entity in _HTML_ESCAPES:
        text = text.replace(char, entity)
    return text


def require_search_length(name: str, text: str) -> None:
    """Refuse a contact filter lexoffice would reject (400) for being under 3 characters."""
    if len(text) < MIN_SEARCH_LENGTH:
        raise ValueError(
            f"contact filter {name!r} needs at least {MIN_SEARCH_LENGTH} characters, "
            f"got {len(text)}"
        )


def query_string(params: Params) -> str:
    """URL-encode query parameters; lists become comma-separated values, bools true/false.

    Values that are search strings must already be HTML-encoded (`html_encode_search`).
    """
    pairs = [
        f"{name}={_encode_value(value)}" for name, value in params.items() if value is not None
    ]
    return "&".join(pairs)


def _encode_value(value: QueryValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(quote(item, safe="") for item in value)
    return quote(str(value), safe="")
