"""Write rules of POST/PUT /v1/contacts (legacy `IssueList` errors).

Decisions where the docs are silent (see README): read-only values that are echoed unchanged
(id, organizationId, archived, role numbers, version) are accepted; a read-only value that
differs from the stored one is refused with `invalid_value`, so a client can never change a
customer number. Roles cannot be removed via PUT.
"""

from __future__ import annotations

from typing import Any

from ..errors import Issue

LIST_LIMITED = {
    "addresses": ("billing", "shipping"),
    "emailAddresses": ("business", "office", "private", "other"),
    "phoneNumbers": ("business", "office", "mobile", "private", "fax", "other"),
}
ROLES = ("customer", "vendor")


def missing(source: str) -> Issue:
    return Issue("missing_entity", source)


def invalid(source: str, why: str, args: Any = None) -> Issue:
    return Issue("invalid_value", source, additional_data=why, args=args)


def blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


def too_long(issues: list[Issue], value: Any, source: str, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        issues.append(invalid(source, f"size must be between 0 and {limit}", {"max": limit}))


def validate_contact(
    body: dict[str, Any], stored: dict[str, Any] | None, organization_id: str
) -> list[Issue]:
    """All rule violations of a contact body; `stored` is the current contact on PUT."""
    issues: list[Issue] = []
    issues += _roles(body.get("roles"), stored)
    issues += _company_or_person(body)
    issues += _lists(body)
    issues += _read_only(body, stored or {"archived": False, "organizationId": organization_id})
    too_long(issues, body.get("note"), "note", 1000)
    xrechnung = body.get("xRechnung")
    if (
        isinstance(xrechnung, dict)
        and xrechnung.get("buyerReference")
        and blank(xrechnung.get("vendorNumberAtCustomer"))
    ):
        issues.append(missing("xRechnung.vendorNumberAtCustomer"))
    return issues


def _roles(roles: Any, stored: dict[str, Any] | None) -> list[Issue]:
    if not isinstance(roles, dict) or not any(isinstance(roles.get(r), dict) for r in ROLES):
        return [missing("roles")]
    issues: list[Issue] = []
    stored_roles = (stored or {}).get("roles", {})
    for role in ROLES:
        given = roles.get(role)
        if role in stored_roles and not isinstance(given, dict):
            issues.append(invalid(f"roles.{role}", "a role cannot be removed"))
        if isinstance(given, dict) and given.get("number") is not None:
            current = stored_roles.get(role, {}).get("number")
            if given["number"] != current:
                issues.append(invalid(f"roles.{role}.number", "assigned by lexoffice, read-only"))
    return issues


def _company_or_person(body: dict[str, Any]) -> list[Issue]:
    company, person = body.get("company"), body.get("person")
    if company is not None and person is not None:
        return [invalid("person", "company and person exclude each other")]
    if company is None and person is None:
        return [missing("company")]
    if person is not None:
        return _person(person)
    return _company(company)


def _person(person: Any) -> list[Issue]:
    if not isinstance(person, dict):
        return [invalid("person", "must be an object")]
    issues = [missing("person.lastName")] if blank(person.get("lastName")) else []
    too_long(issues, person.get("salutation"), "person.salutation", 25)
    return issues


def _company(company: Any) -> list[Issue]:
    if not isinstance(company, dict):
        return [invalid("company", "must be an object")]
    issues = [missing("company.name")] if blank(company.get("name")) else []
    persons = company.get("contactPersons")
    if persons is None:
        return issues
    if not isinstance(persons, list):
        return [*issues, invalid("company.contactPersons", "must be a list")]
    if len(persons) > 1:
        issues.append(invalid("company.contactPersons", "at most one entry", {"max": 1}))
    for index, entry in enumerate(persons):
        source = f"company.contactPersons[{index}]"
        if not isinstance(entry, dict) or blank(entry.get("lastName")):
            issues.append(missing(f"{source}.lastName"))
        elif isinstance(entry, dict):
            too_long(issues, entry.get("salutation"), f"{source}.salutation", 25)
    return issues


def _lists(body: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    for group, kinds in LIST_LIMITED.items():
        value = body.get(group)
        if value is None:
            continue
        if not isinstance(value, dict):
            issues.append(invalid(group, "must be an object"))
            continue
        for kind in kinds:
            entries = value.get(kind)
            if entries is None:
                continue
            if not isinstance(entries, list):
                issues.append(invalid(f"{group}.{kind}", "must be a list"))
            elif len(entries) > 1:
                issues.append(invalid(f"{group}.{kind}", "at most one entry", {"max": 1}))
            elif group == "addresses":
                issues += _addresses(entries, f"{group}.{kind}")
    return issues


def _addresses(entries: list[Any], source: str) -> list[Issue]:
    issues: list[Issue] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or blank(entry.get("countryCode")):
            issues.append(missing(f"{source}[{index}].countryCode"))
    return issues


def _read_only(body: dict[str, Any], current: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    for name in ("id", "organizationId", "archived"):
        if body.get(name) is not None and body.get(name) != current.get(name):
            issues.append(invalid(name, "read-only"))
    return issues
