"""What holds a linked record's changes back: archived, unwritable, invalid, excluded, gone."""

from __future__ import annotations

from decimal import Decimal

from connectors.lexoffice.writability import WriteBlocker
from tasks.diff.plan import FieldChange, Resolution
from tasks.diff.settings import ConflictPolicy


def test_record_archived_in_lexoffice_is_not_re_exported_but_archived_in_the_system(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", archived=True)

    plan = customers.diff()

    assert not plan.lexoffice_updates
    assert "in lexoffice archiviert" in plan.skips[0].reason
    assert plan.system_updates[0].changes == (FieldChange("archived", new=True, old=False),)


def test_contact_lexoffice_cannot_update_is_skipped_as_edit_in_lexoffice(customers):
    customers.synced(1, "L1", phone="1", email="a@example.de")
    customers.remote["L1"] |= {
        "writable": False,
        "write_blockers": (WriteBlocker("emailAddresses.business", 2),),
    }
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", email="b@example.de")

    plan = customers.diff()

    (skip,) = plan.skips
    assert skip.local_id == 1 and "in lexoffice von Hand ändern" in skip.reason
    assert "2 E-Mail-Adressen (geschäftlich)" in skip.reason
    assert not plan.lexoffice_updates
    assert plan.system_updates[0].new_base == {"email": "b@example.de"}


def test_invalid_value_is_an_error_for_that_record_only(customers):
    customers.synced(1, "L1", email="a@example.de")
    customers.synced(2, "L2", email="b@example.de")
    customers.edit_system(1, email="kein-at-zeichen.de")
    customers.edit_system(2, email="neu@example.de")

    plan = customers.diff()

    (error,) = plan.errors
    assert (error.local_id, error.field) == (1, "email")
    assert [u.local_id for u in plan.lexoffice_updates] == [2]


def test_clearing_the_last_name_of_a_person_is_an_error(customers):
    customers.synced(1, "L1", last_name="Muster")
    customers.edit_system(1, last_name="  ")

    plan = customers.diff()

    assert [(e.field, e.local_id) for e in plan.errors] == [("last_name", 1)]
    assert not plan.lexoffice_updates


def test_product_tax_rate_and_ean_are_validated_before_export(products):
    products.synced(1, "P1", ean="4006381333931")
    products.synced(2, "P2", ean="4006381333931")
    products.edit_system(1, tax_rate=Decimal("16"))
    products.edit_system(2, ean="4006381333932")

    plan = products.diff()

    assert sorted((e.local_id, e.field) for e in plan.errors) == [(1, "tax_rate"), (2, "ean")]
    assert not plan.lexoffice_updates


def test_excluded_product_is_neither_exported_nor_changed_by_imports(products):
    products.synced(1, "P1", name="Kabel")
    products.local[1]["excluded"] = True
    products.edit_system(1, name="Kabel NYM")
    products.edit_lexoffice("P1", net_price=Decimal("9.99"))

    plan = products.diff()

    assert not plan.has_writes
    assert plan.counts["excluded"] == 1


def test_linked_record_vanished_from_lexoffice_is_marked_not_recreated(customers):
    customers.synced(1, "L1")
    del customers.remote["L1"]

    plan = customers.diff()

    (missing,) = plan.missing_links
    assert (missing.local_id, missing.lexoffice_id, missing.vanished_from) == (1, "L1", "lexoffice")
    assert not plan.lexoffice_creates


def test_linked_record_vanished_from_the_system_is_marked_not_reimported(customers):
    customers.synced(1, "L1")
    del customers.local[1]

    plan = customers.diff()

    assert [(m.lexoffice_id, m.vanished_from) for m in plan.missing_links] == [("L1", "system")]
    assert not plan.system_creates


def test_system_wins_conflict_stays_open_when_the_contact_cannot_be_written(customers):
    customers.synced(1, "L1", phone="1")
    customers.remote["L1"] |= {
        "writable": False,
        "write_blockers": (WriteBlocker("phoneNumbers.office", 2),),
    }
    customers.edit_system(1, phone="2")
    customers.edit_lexoffice("L1", phone="3")

    plan = customers.diff(conflict_policy=ConflictPolicy.SYSTEM_WINS)

    (conflict,) = plan.conflicts
    assert conflict.resolution is Resolution.UNRESOLVED
    assert "nicht änderbar" in conflict.note
    assert not plan.has_writes
