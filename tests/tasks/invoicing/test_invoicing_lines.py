"""Positions of a work report become lexoffice line items: every kind, both layouts."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tasks.invoicing import ArticleLinks, InvoiceLayout, detailed_lines, grouped_lines, lay_out
from tests.tasks.invoicing.invoicing_builders import Catalog, catalog, every_position_report

D = Decimal


def _with_ids(c: Catalog) -> Catalog:
    c.installation.id = 1
    for number, product in enumerate((c.cable, c.socket, c.book, c.screws), start=2):
        product.id = number
    return c


def test_every_kind_of_position_becomes_a_line_under_its_section_heading() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    assert [(line.kind, line.type) for line in lines] == [
        ("heading", "text"),
        ("labour", "custom"),
        ("labour", "custom"),
        ("material", "custom"),
        ("material", "custom"),
        ("vehicle", "custom"),
        ("vehicle", "custom"),
        ("machine", "custom"),
        ("machine", "custom"),
        ("lump_sum", "custom"),
        ("heading", "text"),
        ("labour", "custom"),
        ("material", "custom"),
        ("material", "custom"),
        ("additional", "custom"),
    ]
    assert [line.name for line in lines if line.type == "text"] == ["Montage", "Prüfung"]


def test_labour_is_charged_at_the_functions_hourly_rate_with_its_discount() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    geselle = lines[2]
    assert geselle.name == "Elektroinstallation (Geselle)"
    assert (geselle.quantity, geselle.unit_name, geselle.unit_price) == (D(4), "Stunde", D(62))
    assert geselle.discount_percent == D(10)


def test_vehicle_and_machine_rates_give_one_line_each_and_skip_zero_quantities() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    vehicle = [(line.unit_name, line.quantity, line.unit_price) for line in lines[5:7]]
    assert vehicle == [("km", D("42.5"), D("0.85")), ("Stunde", D(1), D(12))]
    machine = [(line.unit_name, line.quantity, line.unit_price) for line in lines[7:9]]
    assert machine == [("Stunde", D("1.5"), D("9.5")), ("Tag", D(1), D(55))]
    assert lines[9].name == "Abschnittskosten Montage"
    assert (lines[9].quantity, lines[9].unit_price) == (D(1), D(150))


def test_linked_articles_are_referenced_and_excluded_products_stay_custom() -> None:
    c = _with_ids(catalog())
    service_id, cable_id, screws_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    links = ArticleLinks(
        activities={c.installation.id: service_id},
        products={c.cable.id: cable_id, c.screws.id: screws_id},
    )
    lines = detailed_lines(every_position_report(c), links)
    by_name = {line.name: line for line in lines}
    assert (by_name["Elektroinstallation (Meister)"].type, lines[1].article_id) == (
        "service",
        service_id,
    )
    assert (by_name["Kabel NYM-J 3x1,5"].type, by_name["Kabel NYM-J 3x1,5"].article_id) == (
        "material",
        cable_id,
    )
    assert (by_name["Schrauben"].type, by_name["Schrauben"].article_id) == ("custom", None)
    assert by_name["Steckdose"].type == "custom"


def test_material_uses_the_price_override_when_given() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    socket = next(line for line in lines if line.name == "Steckdose")
    assert (socket.unit_price, socket.discount_percent) == (D("3.99"), D(5))


def test_grouped_layout_adds_up_hours_per_function_and_activity_without_headings() -> None:
    lines = grouped_lines(detailed_lines(every_position_report(catalog()), ArticleLinks()))
    assert all(line.type != "text" for line in lines)
    meister = [line for line in lines if line.name == "Elektroinstallation (Meister)"]
    assert len(meister) == 1
    assert meister[0].quantity == D("3.5")
    assert [line.kind for line in lines][:3] == ["labour", "labour", "material"]
    assert len(lines) == 12


def test_grouping_keeps_lines_apart_that_differ_in_price_or_discount() -> None:
    report = every_position_report(catalog())
    report.sections[1].labour[0].discount_percent = D(10)
    lines = grouped_lines(detailed_lines(report, ArticleLinks()))
    assert len([line for line in lines if line.name == "Elektroinstallation (Meister)"]) == 2


def test_layout_asked_for_is_kept_when_within_the_limit() -> None:
    lines = detailed_lines(every_position_report(catalog()), ArticleLinks())
    laid_out = lay_out(lines, InvoiceLayout.DETAILED)
    assert (laid_out.layout, len(laid_out.lines), laid_out.note) == (
        InvoiceLayout.DETAILED,
        15,
        None,
    )
    assert lay_out(lines, InvoiceLayout.GROUPED).layout == InvoiceLayout.GROUPED
