"""After a plan is applied, the next diff has nothing left to do."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tasks.diff.plan import FieldChange
from tasks.diff.settings import ConflictPolicy


def _busy_customers(world):
    world.synced(1, "L1", phone="1", email="a@example.de")
    world.edit_system(1, phone="2")
    world.edit_lexoffice("L1", email="b@example.de")
    world.synced(2, "L2", billing_city="Ulm")
    world.edit_system(2, billing_city="Köln")
    world.edit_lexoffice("L2", billing_city="Bonn")
    world.synced(3, "L3", mobile="0170")
    world.edit_system(3, mobile="0171")
    world.edit_lexoffice("L3", mobile="0171")
    world.system(4, customer_number="10004", phone="030 4")
    world.lexoffice("L4", customer_number="10004", mobile="0170 4")
    world.system(5, last_name="Nur-System")
    world.lexoffice("L6", last_name="Nur-Lexoffice", archived=True)


@pytest.mark.parametrize("policy", [ConflictPolicy.LEXOFFICE_WINS, ConflictPolicy.SYSTEM_WINS])
def test_second_customer_diff_after_applying_the_plan_is_settled(customers, policy):
    _busy_customers(customers)

    first = customers.diff(conflict_policy=policy)
    customers.apply(first)
    second = customers.diff(conflict_policy=policy)

    assert first.has_writes and first.new_links and first.base_refreshes and first.conflicts
    assert second.is_settled, second
    assert second.counts["unchanged"] == 6


def test_report_only_conflict_stays_reported_until_a_person_settles_it(customers):
    _busy_customers(customers)

    customers.apply(customers.diff())
    still_open = customers.diff()
    customers.edit_system(2, billing_city="Bonn")  # someone decides for lexoffice's value
    after_decision = customers.diff()
    customers.apply(after_decision)

    assert [c.field for c in still_open.conflicts] == ["billing_city"]
    assert not still_open.has_writes
    assert [r.values for r in after_decision.base_refreshes] == [{"billing_city": "Bonn"}]
    assert customers.diff().is_settled


def test_second_product_diff_after_applying_the_plan_is_settled(products):
    products.synced(1, "P1", net_price=Decimal("1.00"), ean="4006381333931")
    products.edit_system(1, net_price=Decimal("1.10"))
    products.edit_lexoffice("P1", description="verzinkt")
    products.system(2, article_number="A-2", unit="Meter")
    products.lexoffice("P2", article_number="A-2", unit="m")
    products.lexoffice("P3", article_number="A-3")

    products.apply(products.diff(conflict_policy=ConflictPolicy.SYSTEM_WINS))

    assert products.diff(conflict_policy=ConflictPolicy.SYSTEM_WINS).is_settled
    assert products.remote["P2"]["unit"] == "Meter"


def test_second_activity_diff_after_applying_the_plan_is_settled(activities):
    activities.synced(1, "A1", net_price=Decimal("45"))
    activities.edit_lexoffice("A1", net_price=Decimal("48"))
    activities.system(2, name="Anfahrt", net_price=None)

    activities.apply(activities.diff())

    assert activities.diff().is_settled
    assert activities.local[1]["net_price"] == Decimal("48.0000")


def test_customer_number_lexoffice_assigns_to_an_exported_customer_arrives_next_run(customers):
    customers.system(1, last_name="Neu")
    customers.apply(customers.diff())
    customers.remote["lex-1"]["customer_number"] = "10042"  # lexoffice numbers new customers

    plan = customers.diff()

    (update,) = plan.system_updates
    assert update.changes == (FieldChange("customer_number", new="10042", old=None),)
    assert not plan.lexoffice_updates
