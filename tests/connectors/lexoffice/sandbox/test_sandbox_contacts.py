"""/v1/contacts: write rules (legacy errors), optimistic locking, filters, paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.lexoffice.sandbox import SandboxServer
from tests.support.sandbox import company, issues, person


def create(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_action_result_with_location(api: httpx.Client) -> None:
    response = api.post("/v1/contacts", json=company("Elektro Braun"))
    result = response.json()
    assert response.status_code == 201
    assert set(result) == {"id", "resourceUri", "createdDate", "updatedDate", "version"}
    assert response.headers["Location"] == result["resourceUri"]
    assert result["resourceUri"].endswith(f"/v1/contacts/{result['id']}")
    contact = api.get(f"/v1/contacts/{result['id']}").json()
    assert contact["roles"] == {"customer": {"number": 10001}}
    assert contact["version"] == result["version"]
    assert contact["archived"] is False


def test_customer_numbers_are_assigned_in_sequence(api: httpx.Client) -> None:
    first = create(api, company("A GmbH"))
    second = create(api, {**company("B GmbH"), "roles": {"customer": {}, "vendor": {}}})
    roles = api.get(f"/v1/contacts/{second['id']}").json()["roles"]
    assert api.get(f"/v1/contacts/{first['id']}").json()["roles"]["customer"]["number"] == 10001
    assert roles == {"customer": {"number": 10002}, "vendor": {"number": 70001}}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({**company(), "roles": {}}, ("missing_entity", "roles")),
        ({**company(), "company": {"name": " "}}, ("missing_entity", "company.name")),
        ({**person(), "person": {"firstName": "Max"}}, ("missing_entity", "person.lastName")),
        ({"version": 0, "roles": {"customer": {}}}, ("missing_entity", "company")),
        ({**company(), "person": {"lastName": "X"}}, ("invalid_value", "person")),
        ({**company(), "version": 3}, ("invalid_value", "version")),
        ({k: v for k, v in company().items() if k != "version"}, ("missing_entity", "version")),
        (
            {**company(), "company": {"name": "X", "contactPersons": [{"firstName": "A"}]}},
            ("missing_entity", "company.contactPersons[0].lastName"),
        ),
        (
            {**company(), "addresses": {"billing": [{"city": "Berlin"}]}},
            ("missing_entity", "addresses.billing[0].countryCode"),
        ),
        (
            {**company(), "emailAddresses": {"business": ["a@x.de", "b@x.de"]}},
            ("invalid_value", "emailAddresses.business"),
        ),
        (
            {**company(), "phoneNumbers": {"mobile": ["1", "2"]}},
            ("invalid_value", "phoneNumbers.mobile"),
        ),
        (
            {**company(), "addresses": {"shipping": [{"countryCode": "DE"}] * 2}},
            ("invalid_value", "addresses.shipping"),
        ),
        (
            {**person(), "person": {"lastName": "X", "salutation": "x" * 26}},
            ("invalid_value", "person.salutation"),
        ),
        ({**company(), "note": "n" * 1001}, ("invalid_value", "note")),
        (
            {**company(), "roles": {"customer": {"number": 4711}}},
            ("invalid_value", "roles.customer.number"),
        ),
        ({**company(), "archived": True}, ("invalid_value", "archived")),
    ],
)
def test_invalid_contacts_are_406_in_legacy_format(
    api: httpx.Client, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    response = api.post("/v1/contacts", json=body)
    assert expected in issues(response)
    assert response.json()["IssueList"][0]["type"] == "validation_failure"
    assert api.get("/v1/contacts").json()["totalElements"] == 0


def test_company_with_two_contact_persons_is_refused(api: httpx.Client) -> None:
    persons = [{"lastName": "A"}, {"lastName": "B"}]
    body = {**company(), "company": {"name": "X", "contactPersons": persons}}
    assert ("invalid_value", "company.contactPersons") in issues(
        api.post("/v1/contacts", json=body)
    )


def test_get_merge_put_works_and_bumps_the_version(api: httpx.Client) -> None:
    created = create(api, company("Alt GmbH"))
    contact = api.get(f"/v1/contacts/{created['id']}").json()
    contact["company"]["name"] = "Neu GmbH"
    response = api.put(f"/v1/contacts/{created['id']}", json=contact)
    assert response.status_code == 200
    assert response.json()["version"] == contact["version"] + 1
    assert "Location" not in response.headers
    stored = api.get(f"/v1/contacts/{created['id']}").json()
    assert stored["company"]["name"] == "Neu GmbH"
    assert stored["roles"] == contact["roles"]


def test_put_with_stale_version_is_409(api: httpx.Client) -> None:
    created = create(api, company())
    contact = api.get(f"/v1/contacts/{created['id']}").json()
    assert api.put(f"/v1/contacts/{created['id']}", json=contact).status_code == 200
    stale = api.put(f"/v1/contacts/{created['id']}", json=contact)
    assert stale.status_code == 409
    assert "IssueList" in stale.json()


def test_customer_number_cannot_be_changed(api: httpx.Client) -> None:
    created = create(api, company())
    contact = api.get(f"/v1/contacts/{created['id']}").json()
    contact["roles"]["customer"]["number"] = 99999
    response = api.put(f"/v1/contacts/{created['id']}", json=contact)
    assert ("invalid_value", "roles.customer.number") in issues(response)
    assert api.get(f"/v1/contacts/{created['id']}").json()["roles"]["customer"]["number"] == 10001


def test_roles_can_be_added_but_not_removed(api: httpx.Client) -> None:
    created = create(api, company())
    contact = api.get(f"/v1/contacts/{created['id']}").json()
    added = {**contact, "roles": {**contact["roles"], "vendor": {}}}
    assert api.put(f"/v1/contacts/{created['id']}", json=added).status_code == 200
    current = api.get(f"/v1/contacts/{created['id']}").json()
    removed = {**current, "roles": {"vendor": current["roles"]["vendor"]}}
    response = api.put(f"/v1/contacts/{created['id']}", json=removed)
    assert ("invalid_value", "roles.customer") in issues(response)


def test_contact_typed_in_with_two_emails_is_readable_but_not_writable(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    entry = {"company": {"name": "Web UI GmbH"}, "emailAddresses": {"business": ["a@x", "b@x"]}}
    [contact_id] = sandbox.control.post("/seed/contacts", json=[entry]).json()["ids"]
    contact = api.get(f"/v1/contacts/{contact_id}").json()
    assert contact["emailAddresses"]["business"] == ["a@x", "b@x"]
    response = api.put(f"/v1/contacts/{contact_id}", json=contact)
    assert ("invalid_value", "emailAddresses.business") in issues(response)


def test_unknown_contact_is_404(api: httpx.Client) -> None:
    assert api.get("/v1/contacts/00000000-0000-0000-0000-000000000000").status_code == 404
    unknown = api.put("/v1/contacts/00000000-0000-0000-0000-000000000000", json=company())
    assert unknown.status_code == 404


def seed_names(sandbox: SandboxServer, entries: list[dict[str, Any]]) -> list[str]:
    ids: list[str] = sandbox.control.post("/seed/contacts", json=entries).json()["ids"]
    return ids


def names(page: dict[str, Any]) -> list[str]:
    return [c.get("company", {}).get("name") or c["person"]["lastName"] for c in page["content"]]


def test_list_is_sorted_by_name_and_cannot_be_resorted(
    sandbox: SandboxServer, api: httpx.Client
) -> None:
    seed_names(sandbox, [{"company": {"name": n}} for n in ("Zeta", "alpha", "Beta")])
    page = api.get("/v1/contacts", params={"sort": "name,DESC"}).json()
    assert names(page) == ["alpha", "Beta", "Zeta"]
    assert page["sort"][0]["property"] == "name"
    assert page["sort"][0]["direction"] == "ASC"


def test_paging_through_more_than_250_contacts(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed_names(sandbox, [{"company": {"name": f"Firma {n:04d}"}} for n in range(620)])
    pages = [api.get("/v1/contacts", params={"page": p, "size": 250}).json() for p in range(3)]
    assert [p["numberOfElements"] for p in pages] == [250, 250, 120]
    assert [(p["first"], p["last"]) for p in pages] == [
        (True, False),
        (False, False),
        (False, True),
    ]
    assert {p["totalElements"] for p in pages} == {620}
    assert {p["totalPages"] for p in pages} == {3}
    assert len({c["id"] for p in pages for c in p["content"]}) == 620
    default = api.get("/v1/contacts").json()
    assert (default["size"], default["number"], default["numberOfElements"]) == (25, 0, 25)
    clamped = api.get("/v1/contacts", params={"size": 1000}).json()
    assert (clamped["size"], clamped["numberOfElements"]) == (250, 250)


def test_filters_combine_with_and(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed_names(
        sandbox,
        [
            {"company": {"name": "Meier Bau"}, "emailAddresses": {"business": ["info@meier.de"]}},
            {"company": {"name": "Meier Elektro"}, "roles": {"vendor": {}}},
            {"person": {"firstName": "Jo", "lastName": "Meier"}, "roles": {"customer": {}}},
        ],
    )
    assert names(api.get("/v1/contacts", params={"name": "meier"}).json()) == [
        "Meier",
        "Meier Bau",
        "Meier Elektro",
    ]
    vendors = api.get("/v1/contacts", params={"vendor": "true", "customer": "false"}).json()
    assert names(vendors) == ["Meier Elektro"]
    by_mail = api.get("/v1/contacts", params={"email": "info@", "name": "Bau"}).json()
    assert names(by_mail) == ["Meier Bau"]
    assert names(api.get("/v1/contacts", params={"number": 70001}).json()) == ["Meier Elektro"]


def test_wildcards_and_escapes_in_search_strings(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed_names(
        sandbox,
        [
            {"company": {"name": "n"}, "emailAddresses": {"business": ["john.doe@example.com"]}},
            {"company": {"name": "m"}, "emailAddresses": {"business": ["n_d_e@example.com"]}},
            {"company": {"name": "100% Bau"}},
            {"company": {"name": "1000 Bau"}},
        ],
    )
    assert (
        len(api.get("/v1/contacts", params={"email": "n_d_e@example.com"}).json()["content"]) == 2
    )
    exact = api.get("/v1/contacts", params={"email": "n\\_d\\_e@example.com"}).json()
    assert names(exact) == ["m"]
    assert names(api.get("/v1/contacts", params={"name": "100\\%"}).json()) == ["100% Bau"]
    assert len(api.get("/v1/contacts", params={"name": "10%Bau"}).json()["content"]) == 2


def test_search_strings_are_html_decoded(sandbox: SandboxServer, api: httpx.Client) -> None:
    seed_names(sandbox, [{"company": {"name": "Johnson & Partner <GmbH>"}}])
    found = api.get("/v1/contacts", params={"name": "johnson &amp; partner &lt;gmbh&gt;"}).json()
    assert names(found) == ["Johnson & Partner <GmbH>"]
    request = sandbox.control.get("/requests").json()[-1]
    assert "%26amp%3B" in request["query"]


@pytest.mark.parametrize("params", [{"name": "ab"}, {"email": "x"}, {"number": "zwölf"}])
def test_bad_filters_are_400_in_legacy_format(api: httpx.Client, params: dict[str, str]) -> None:
    response = api.get("/v1/contacts", params=params)
    assert response.status_code == 400
    assert response.json()["IssueList"][0]["i18nKey"] == "bad_request_error"
