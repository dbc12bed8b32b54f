"""First-time linking, creates on the other side, and the frames' keys."""

from __future__ import annotations

import pandas as pd
import pytest

from tasks.diff.engine import diff_records
from tasks.mapping.records import CUSTOMER


def test_customers_link_by_customer_number_before_e_mail(customers):
    customers.system(1, customer_number="10001", email="x@example.de")
    customers.system(2, email="Anna@Example.de")
    customers.lexoffice("L1", customer_number="10001", email="other@example.de")
    customers.lexoffice("L2", email="anna@example.de")

    plan = customers.diff()

    assert sorted((n.local_id, n.lexoffice_id, n.matched_by) for n in plan.new_links) == [
        (1, "L1", "customer_number"),
        (2, "L2", "email"),
    ]
    assert not plan.system_creates and not plan.lexoffice_creates


def test_record_matched_by_number_is_not_matched_again_by_e_mail(customers):
    customers.system(1, customer_number="10001", email="same@example.de")
    customers.lexoffice("L1", customer_number="10001", email="x@example.de")
    customers.lexoffice("L2", email="same@example.de")

    plan = customers.diff()

    assert [(n.local_id, n.lexoffice_id) for n in plan.new_links] == [(1, "L1")]
    assert [c.lexoffice_id for c in plan.system_creates] == ["L2"]


def test_first_link_fills_gaps_and_reports_differences(customers):
    customers.system(1, customer_number="10001", phone="030 1", mobile=None, billing_city="Ulm")
    customers.lexoffice(
        "L1", customer_number="10001", phone=None, mobile="0170 1", billing_city="Köln"
    )

    plan = customers.diff()

    (link,) = plan.new_links
    assert link.base["customer_number"] == "10001"
    assert [c.field for c in plan.lexoffice_updates[0].changes] == ["phone"]
    assert [c.field for c in plan.system_updates[0].changes] == ["mobile"]
    assert [c.field for c in plan.conflicts] == ["billing_city"]


def test_ambiguous_e_mail_is_reported_with_candidates_and_nothing_is_created(customers):
    customers.system(1, email="buero@example.de")
    customers.system(2, email="buero@example.de")
    customers.lexoffice("L1", email="buero@example.de")

    plan = customers.diff()

    assert not plan.new_links and not plan.system_creates and not plan.lexoffice_creates
    by_record = {(s.local_id, s.lexoffice_id): s.candidates for s in plan.skips}
    assert by_record == {(1, None): ("L1",), (2, None): ("L1",), (None, "L1"): (1, 2)}
    assert all("nicht eindeutig" in s.reason for s in plan.skips)


def test_record_ambiguous_by_number_is_not_matched_by_e_mail_later(customers):
    customers.system(1, customer_number="7", email="a@example.de")
    customers.lexoffice("L1", customer_number="7", email="a@example.de")
    customers.lexoffice("L2", customer_number="7", email="b@example.de")

    plan = customers.diff()

    assert not plan.new_links and not plan.system_creates and not plan.lexoffice_creates
    assert len(plan.skips) == 3


def test_duplicates_on_one_side_without_a_partner_are_simply_created(customers):
    customers.system(1, email="same@example.de")
    customers.system(2, email="same@example.de")

    plan = customers.diff()

    assert sorted(c.local_id for c in plan.lexoffice_creates) == [1, 2]
    assert not plan.skips


def test_products_link_by_article_number_then_ean(products):
    products.system(1, article_number="A-1", ean="4006381333931")
    products.system(2, article_number=None, ean="96385074")
    products.lexoffice("P1", article_number="A-1")
    products.lexoffice("P2", article_number="B-9", ean="96385074")

    plan = products.diff()

    assert sorted((n.local_id, n.lexoffice_id, n.matched_by) for n in plan.new_links) == [
        (1, "P1", "article_number"),
        (2, "P2", "ean"),
    ]


def test_activities_link_only_by_exactly_the_same_name(activities):
    activities.system(1, name="Montage")
    activities.system(2, name="Wartung")
    activities.lexoffice("A1", name="Montage ")
    activities.lexoffice("A2", name="wartung")

    plan = activities.diff()

    assert [(n.local_id, n.lexoffice_id) for n in plan.new_links] == [(1, "A1")]
    assert [c.local_id for c in plan.lexoffice_creates] == [2]
    assert [c.lexoffice_id for c in plan.system_creates] == ["A2"]


def test_unlinked_records_are_created_on_the_other_side_with_their_base(customers):
    customers.system(1, last_name="Neu", email="neu@example.de", note="intern")
    customers.lexoffice("L9", last_name="Alt", customer_number="10009", archived=True)

    plan = customers.diff()

    (to_lexoffice,) = plan.lexoffice_creates
    assert to_lexoffice.values["last_name"] == "Neu"
    assert "note" not in to_lexoffice.values and "customer_number" not in to_lexoffice.values
    (to_system,) = plan.system_creates
    assert to_system.values["archived"] is True
    assert to_system.values["customer_number"] == "10009"


def test_invalid_new_record_is_an_error_and_not_created(customers):
    customers.system(1, kind="company", company_name=None, last_name="Muster")
    customers.system(2, last_name="Gut")

    plan = customers.diff()

    assert [(e.local_id, e.field) for e in plan.errors] == [(1, "company_name")]
    assert [c.local_id for c in plan.lexoffice_creates] == [2]


def test_archived_system_record_is_never_exported_as_new(customers):
    customers.system(1, archived=True)

    plan = customers.diff()

    assert not plan.lexoffice_creates
    assert plan.counts["archived_not_exported"] == 1


def test_disabled_directions_create_nothing_and_count_what_waits(customers):
    customers.system(1, email="a@example.de")
    customers.lexoffice("L1", email="b@example.de")

    plan = customers.diff(import_enabled=False, export_enabled=False)

    assert not plan.has_writes
    assert (plan.counts["pending_import"], plan.counts["pending_export"]) == (1, 1)


def test_excluded_product_is_not_exported_and_blocks_its_lexoffice_twin(products):
    products.system(1, article_number="A-1", excluded=True)
    products.system(2, article_number="A-2", excluded=True)
    products.lexoffice("P1", article_number="A-1")

    plan = products.diff()

    assert not plan.has_writes and not plan.new_links
    assert [(s.local_id, s.lexoffice_id) for s in plan.skips] == [(1, "P1")]
    assert plan.counts["excluded"] == 1


def test_rows_without_keys_are_reported_and_the_rest_goes_on(customers):
    customers.system(1)
    customers.lexoffice("L1", email="x@example.de")
    local, remote, links = customers.frames()
    local = pd.concat([local, local.assign(local_id=None)], ignore_index=True)
    remote = pd.concat([remote, remote.assign(lexoffice_id=None)], ignore_index=True)

    plan = diff_records(CUSTOMER, local, remote, links)

    assert sorted(str(e.field) for e in plan.errors) == ["lexoffice_id", "local_id"]
    assert len(plan.lexoffice_creates) == 1 and len(plan.system_creates) == 1


def test_a_duplicated_link_fails_loudly(customers):
    customers.synced(1, "L1")
    local, remote, links = customers.frames()
    doubled = pd.concat([links, links.assign(local_id=2)], ignore_index=True)

    with pytest.raises(pd.errors.MergeError):
        diff_records(CUSTOMER, local, remote, doubled)


def test_base_may_be_given_as_one_dict_per_link(customers):
    customers.synced(1, "L1", phone="1")
    customers.edit_lexoffice("L1", phone="2")
    local, remote, flat = customers.frames()
    as_dicts = pd.DataFrame(
        {
            "local_id": [1],
            "lexoffice_id": ["L1"],
            "base": [customers.links[1]["base"]],
        }
    )

    assert diff_records(CUSTOMER, local, remote, as_dicts) == diff_records(
        CUSTOMER, local, remote, flat
    )


def test_missing_columns_are_named(customers):
    customers.system(1)
    local, remote, links = customers.frames()

    with pytest.raises(ValueError, match="email"):
        diff_records(CUSTOMER, local.drop(columns=["email"]), remote, links)


def test_first_run_with_no_links_and_no_lexoffice_records_exports_everything(customers):
    customers.system(1)
    local, _, _ = customers.frames()

    plan = diff_records(CUSTOMER, local, pd.DataFrame(), pd.DataFrame())

    assert [c.local_id for c in plan.lexoffice_creates] == [1]


def test_keys_of_different_types_fail_loudly_instead_of_duplicating(customers):
    customers.synced(1, "L1")
    local, remote, links = customers.frames()

    with pytest.raises(TypeError, match="local_id"):
        diff_records(CUSTOMER, local, remote, links.assign(local_id="1"))
