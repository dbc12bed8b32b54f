"""From lexoffice JSON through canonical records to the diff's frames."""

from __future__ import annotations

from decimal import Decimal

from tasks.diff import diff_records
from tasks.mapping.articles import article_to_product
from tasks.mapping.contacts import contact_to_customer
from tasks.mapping.records import CUSTOMER, PRODUCT
from tasks.mapping.remote import RemoteRecord
from tasks.mapping.tables import links_frame, local_frame, remote_frame


def _contact(contact_id: str, email: str, *extra_emails: str) -> dict:
    return {
        "id": contact_id,
        "version": 4,
        "roles": {"customer": {"number": 10001}},
        "person": {"lastName": "Muster"},
        "emailAddresses": {"business": [email, *extra_emails]},
    }


def test_contacts_feed_the_diff_and_unwritable_ones_are_skipped():
    records = [
        contact_to_customer(_contact("L1", "a@x.de")),
        contact_to_customer(_contact("L2", "b@x.de", "c@x.de")),
    ]
    remote = remote_frame(CUSTOMER, [r for r in records if isinstance(r, RemoteRecord)])
    local = local_frame(
        CUSTOMER,
        [
            {
                "local_id": 1,
                "kind": "person",
                "last_name": "Muster",
                "email": "a@x.de",
                "phone": "1",
            },
            {
                "local_id": 2,
                "kind": "person",
                "last_name": "Muster",
                "email": "b@x.de",
                "phone": "2",
            },
        ],
    )
    base = {"kind": "person", "last_name": "Muster", "customer_number": "10001", "archived": False}
    links = links_frame(
        CUSTOMER,
        [
            {"local_id": 1, "lexoffice_id": "L1", "base": base | {"email": "a@x.de"}},
            {"local_id": 2, "lexoffice_id": "L2", "base": base | {"email": "b@x.de"}},
        ],
    )

    plan = diff_records(CUSTOMER, local, remote, links)

    assert [(u.lexoffice_id, u.expected_version) for u in plan.lexoffice_updates] == [("L1", 4)]
    assert [s.lexoffice_id for s in plan.skips] == ["L2"]
    assert "2 E-Mail-Adressen (geschäftlich)" in plan.skips[0].reason


def test_articles_feed_the_diff_with_decimal_prices():
    article = {
        "id": "P1",
        "version": 1,
        "type": "PRODUCT",
        "title": "Kabel",
        "unitName": "m",
        "price": {"netPrice": 1.1, "taxRate": 19.0},
    }
    remote = remote_frame(PRODUCT, [article_to_product(article)])  # type: ignore[list-item]
    local = local_frame(
        PRODUCT,
        [{"local_id": 7, "name": "Kabel", "unit": "m", "net_price": "1.10", "tax_rate": 19}],
    )
    base = {"name": "Kabel", "unit": "m", "net_price": Decimal("1.1"), "tax_rate": Decimal(19)}
    links = links_frame(PRODUCT, [{"local_id": 7, "lexoffice_id": "P1", "base": base}])

    assert diff_records(PRODUCT, local, remote, links).is_settled
