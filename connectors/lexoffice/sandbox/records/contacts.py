"""The stored shape of a contact, and how it is matched by the list filters."""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from ..store import OrgStore
from ..util import plain

ROLES = ("customer", "vendor")
WRITABLE = ("company", "person", "addresses", "xRechnung", "emailAddresses", "phoneNumbers", "note")


def build_contact(
    org: OrgStore,
    body: dict[str, Any],
    record_id: str,
    stored: dict[str, Any] | None = None,
    as_user: bool = False,
) -> dict[str, Any]:
    """A contact as lexoffice stores it, from a validated API body (or a user's entry).

    Role numbers are assigned by lexoffice; only a user (`as_user`, the control API) may
    bring their own numbers and set `archived`.
    """
    record: dict[str, Any] = {
        "id": record_id,
        "organizationId": org.organization_id,
        "version": stored["version"] if stored else 0,
        "roles": _roles(org, body.get("roles"), stored, as_user),
    }
    for key in WRITABLE:
        if body.get(key) is not None:
            record[key] = plain(copy.deepcopy(body[key]))
    for person in record.get("company", {}).get("contactPersons", []) or []:
        if isinstance(person, dict):
            person.setdefault("primary", False)
    was_archived = bool((stored or {}).get("archived", False))
    record["archived"] = bool(body.get("archived", was_archived)) if as_user else was_archived
    return record


def _roles(org: OrgStore, roles: Any, stored: dict[str, Any] | None, as_user: bool) -> dict:
    roles = roles if isinstance(roles, dict) else {}
    if as_user and not any(isinstance(roles.get(role), dict) for role in ROLES):
        roles = {"customer": {}}
    stored_roles = (stored or {}).get("roles", {})
    result: dict[str, Any] = {}
    for role in ROLES:
        if not isinstance(roles.get(role), dict):
            continue
        typed = roles[role].get("number")
        if as_user and isinstance(typed, int) and not isinstance(typed, bool):
            org.claim_role_number(role, typed)
            number = typed
        elif role in stored_roles:
            number = stored_roles[role]["number"]
        else:
            number = org.next_role_number(role)
        result[role] = {"number": number}
    return result


def public(record: dict[str, Any]) -> dict[str, Any]:
    """The contact as GET returns it (without the sandbox's bookkeeping fields)."""
    return {key: value for key, value in record.items() if not key.startswith("_")}


def display_name(record: dict[str, Any]) -> str:
    """The name lexoffice shows and sorts by: company name, or first and last name."""
    company = record.get("company")
    if isinstance(company, dict):
        return str(company.get("name") or "")
    person = record.get("person") or {}
    parts = [person.get("firstName"), person.get("lastName")]
    return " ".join(str(part) for part in parts if part)


def sort_key(record: dict[str, Any]) -> tuple[str, str]:
    return display_name(record).casefold(), record["id"]


def emails(record: dict[str, Any]) -> list[str]:
    """Every e-mail address of a contact, including its contact persons'."""
    found: list[str] = []
    for values in (record.get("emailAddresses") or {}).values():
        found += [value for value in values or [] if isinstance(value, str)]
    for person in (record.get("company") or {}).get("contactPersons") or []:
        if isinstance(person, dict) and isinstance(person.get("emailAddress"), str):
            found.append(person["emailAddress"])
    return found


def names(record: dict[str, Any]) -> list[str]:
    """The texts the `name` filter looks at."""
    person = record.get("person") or {}
    texts = [display_name(record), person.get("lastName"), person.get("firstName")]
    return [text for text in texts if isinstance(text, str) and text]


def search_pattern(text: str) -> re.Pattern[str]:
    """A contacts search string as a regex: HTML entities decoded, `%` any run, `_` one char.

    A backslash makes the next `%`, `_` or `\\` literal. Matching is a case-insensitive
    substring match.
    """
    decoded = html.unescape(text)
    parts: list[str] = []
    index = 0
    while index < len(decoded):
        char = decoded[index]
        if char == "\\" and index + 1 < len(decoded):
            parts.append(re.escape(decoded[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def matches(pattern: re.Pattern[str], texts: list[str]) -> bool:
    return any(pattern.search(text) for text in texts)
