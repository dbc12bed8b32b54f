"""The three-way comparison of linked records: who changed what since the last sync."""

from __future__ import annotations

from decimal import Decimal

from tasks.diff.engine import diff_records
from tasks.diff.plan import FieldChange, Resolution
from tasks.diff.settings import ConflictPolicy
from tasks.mapping.records import ACTIVITY_WITHOUT_PRICE


def test_unchanged_linked_records_need_nothing(customers):
    customers.synced(1, "L1", email="a@example.de")
    customers.synced(2, "L2", email="b@example.de")

    plan = customers.diff()

    assert plan.is_settled
    assert plan.counts["unchanged"] == 2


def test_field_changed_only_in_lexoffice_updates_the_system(customers):
    customers.synced(1, "L1", phone="030 1")
    customers.edit_lexoffice("L1", phone="030 2")

    plan = customers.diff()

    (update,) = plan.system_updates
    assert update.local_id == 1
    assert update.changes == (FieldChange("phone", new="030 2", old="030 1"),)
    assert update.new_base == {"phone": "030 2"}
    assert not plan.lexoffice_updates


def test_field_changed_only_in_the_system_updates_lexoffice_at_the_seen_version(customers):
    customers.synced(1, "L1", billing_city="Berlin")
    customers.edit_lexoffice("L1", note="ruft nur vormittags an")  # version 1 → 2
    customers.edit_system(1, billing_city="Potsdam")

    plan = customers.diff()

    (update,) = plan.lexoffice_updates
    assert update.lexoffice_id == "L1"
    assert update.expected_version == 2
    assert update.changes == (FieldChange("billing_city", new="Potsdam", old="Berlin"),)
    assert update.new_base == {"billing_city": "Potsdam"}


def test_fields_changed_on_different_sides_merge_into_one_update_each_way(customers):
    customers.synced(1, "L1", phone="1", mobile="2", email="a@example.de", billing_city="Ulm")
    customers.edit_system(1, phone="11", mobile="22")
    customers.edit_lexoffice("L1", email="neu@example.de", billing_city="Köln")

    plan = customers.diff()

    (to_lexoffice,) = plan.lexoffice_updates
    (to_system,) = plan.system_updates
    assert {c.field for c in to_lexoffice.changes} == {"phone", "mobile"}
    assert {c.field for c in to_system.changes} == {"email", "billing_city"}
    assert not plan.conflicts


def test_same_change_on_both_sides_only_refreshes_the_base(customers):
    customers.synced(1, "L1", email="alt@example.de")
    customers.edit_system(1, email="neu@example.de")
    customers.edit_lexoffice("L1", email="NEU@example.de ")

    plan = customers.diff()

    assert not plan.has_writes and not plan.conflicts
    (refresh,) = plan.base_refreshes
    assert refresh.values == {"email": "neu@example.de"}


def test_conflict_is_only_reported_by_default_and_other_fields_still_sync(customers):
    customers.synced(1, "L1", phone="1", email="a@example.de")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", phone="3", email="b@example.de")

    plan = customers.diff()

    (conflict,) = plan.conflicts
    assert (conflict.field, conflict.base, conflict.system_value, conflict.lexoffice_value) == (
        "phone",
        "1",
        "2",
        "3",
    )
    assert conflict.resolution is Resolution.UNRESOLVED
    assert not plan.lexoffice_updates
    (update,) = plan.system_updates
    assert update.new_base == {"email": "b@example.de"}  # phone's base is not advanced


def test_conflict_under_lexoffice_wins_imports_the_lexoffice_value(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", phone="3")

    plan = customers.diff(conflict_policy=ConflictPolicy.LEXOFFICE_WINS)

    assert plan.conflicts[0].resolution is Resolution.LEXOFFICE_WINS
    assert plan.system_updates[0].changes == (FieldChange("phone", new="3", old="2"),)
    assert not plan.lexoffice_updates


def test_conflict_under_system_wins_exports_the_system_value(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", phone="3")

    plan = customers.diff(conflict_policy=ConflictPolicy.SYSTEM_WINS)

    assert plan.conflicts[0].resolution is Resolution.SYSTEM_WINS
    assert plan.lexoffice_updates[0].changes == (FieldChange("phone", new="2", old="3"),)
    assert not plan.system_updates


def test_system_wins_cannot_export_a_field_lexoffice_owns(customers):
    customers.synced(1, "L1", note="alt")
    customers.edit_system(1, note="System")
    customers.edit_lexoffice("L1", note="lexoffice")

    plan = customers.diff(conflict_policy=ConflictPolicy.SYSTEM_WINS)

    (conflict,) = plan.conflicts
    assert conflict.resolution is Resolution.UNRESOLVED
    assert "nie an lexoffice übertragen" in conflict.note
    assert not plan.has_writes


def test_system_change_to_an_import_only_field_is_not_exported(customers):
    customers.synced(1, "L1", note="alt", customer_number="10001")
    customers.edit_system(1, note="neu", customer_number="99")

    plan = customers.diff()

    assert not plan.has_writes
    assert plan.counts["unchanged"] == 1


def test_disabled_export_keeps_the_change_pending_until_enabled(customers):
    customers.synced(1, "L1", phone="1", email="a@example.de")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", email="b@example.de")

    held = customers.diff(export_enabled=False)
    customers.apply(held)
    released = customers.diff()

    assert not held.lexoffice_updates
    assert held.counts["pending_export"] == 1
    assert held.system_updates[0].new_base == {"email": "b@example.de"}
    assert released.lexoffice_updates[0].changes == (FieldChange("phone", new="2", old="1"),)
    assert not released.system_updates


def test_disabled_import_keeps_the_change_pending_until_enabled(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_lexoffice("L1", phone="2")

    held = customers.diff(import_enabled=False)
    customers.apply(held)
    released = customers.diff()

    assert not held.system_updates and held.counts["pending_import"] == 1
    assert released.system_updates[0].changes == (FieldChange("phone", new="2", old="1"),)


def test_conflict_under_lexoffice_wins_stays_open_while_import_is_disabled(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", phone="3")

    plan = customers.diff(conflict_policy=ConflictPolicy.LEXOFFICE_WINS, import_enabled=False)

    assert plan.conflicts[0].resolution is Resolution.UNRESOLVED
    assert "Import ist ausgeschaltet" in plan.conflicts[0].note
    assert not plan.has_writes


def test_prices_compare_as_decimals_whatever_their_notation(products):
    products.synced(1, "P1", net_price=Decimal("2.5"))
    products.edit_lexoffice("P1", net_price=2.50)

    assert products.diff().is_settled


def test_activity_without_price_in_the_system_equals_zero_in_lexoffice(activities):
    activities.synced(1, "A1", net_price=None)
    activities.edit_lexoffice("A1", net_price=Decimal("0.00"))

    assert activities.diff().is_settled


def test_activity_price_is_not_managed_when_the_system_has_no_price_field(make_world):
    activities = make_world(ACTIVITY_WITHOUT_PRICE)
    activities.synced(1, "A1", name="Montage")
    activities.edit_lexoffice("A1", net_price=Decimal("99"))  # lexoffice's price: not managed

    local, remote, links = activities.frames()

    assert "net_price" not in local.columns
    assert diff_records(ACTIVITY_WITHOUT_PRICE, local, remote, links).is_settled
