"""The report people read: German words, numbers and dates, every puzzling count explained."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tasks import report_text
from tasks.report import (
    PROBLEMS_LISTED,
    Problem,
    RunReport,
    problem_from_row,
    problem_rows,
    render_markdown,
)

NBSP = "\xa0"


def _sync_report() -> RunReport:
    report = RunReport("Master-data sync of meier")
    exporting = report.section("customers", "system → lexoffice")
    exporting.count("created", 3)
    exporting.count("excluded", 10)
    exporting.add_problem(
        Problem(
            "error",
            "Kunde 12 (Ohne Mail)",
            "keine gültige E-Mail-Adresse",
            field="email",
            system_value="not an email",
        )
    )
    importing = report.section("products", "lexoffice → system")
    importing.count("unchanged", 1234)
    importing.add_problem(
        Problem(
            "conflict",
            "Material 7 (Kabel)",
            "auf beiden Seiten geändert",
            field="name",
            system_value="Kabel NYM",
            lexoffice_value=None,
        )
    )
    return report


def test_report_is_german_with_a_narrow_table_per_direction() -> None:
    markdown = render_markdown(_sync_report())

    assert markdown.startswith("# Stammdatenabgleich – meier\n")
    exporting = markdown.index("**Aus dem System nach lexoffice**")
    importing = markdown.index("**Aus lexoffice ins System**")
    assert "| Daten | neu | unverändert | Fehler |\n" in markdown[exporting:importing]
    assert "| Kunden | 3 | 0 | 1 |" in markdown[exporting:importing]
    assert "| Daten | unverändert | Konflikte |\n" in markdown[importing:]
    assert "| Material (Produkte) | 1.234 | 1 |" in markdown[importing:]
    assert "created" not in markdown and "customers" not in markdown


def test_counts_outside_the_table_are_named_and_every_puzzling_count_explained() -> None:
    markdown = render_markdown(_sync_report())

    assert "Außerdem bei Kunden (System → lexoffice): ausgeschlossen 10." in markdown
    explanations = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert any(line.startswith("- ausgeschlossen: ") for line in explanations)
    assert any(line.startswith("- Konflikte: ") for line in explanations)
    assert any(line.startswith("- Fehler: ") for line in explanations)
    # Nothing was skipped, so "übersprungen" needs no explanation here.
    assert not any(line.startswith("- übersprungen: ") for line in explanations)


def test_refused_value_is_shown_as_it_was_not_as_empty() -> None:
    report = _sync_report()

    [error_row, conflict_row] = problem_rows(report)
    markdown = render_markdown(report)

    assert error_row["Wert im System"] == "not an email"
    assert error_row["Art"] == "Fehler" and error_row["Feld"] == "E-Mail"
    assert "E-Mail: keine gültige E-Mail-Adresse (System: „not an email“)" in markdown
    assert conflict_row["Wert in lexoffice"] == "(leer)"
    assert "(System: „Kabel NYM“, lexoffice: (leer))" in markdown


def test_problem_table_rows_read_back_in_the_reports_own_terms() -> None:
    [row, _] = problem_rows(_sync_report())

    plain = problem_from_row(row)

    assert plain["kind"] == "error" and plain["record"] == "Kunde 12 (Ohne Mail)"
    assert plain["field"] == "E-Mail" and plain["reason"] == "keine gültige E-Mail-Adresse"


def test_a_long_problem_list_is_cut_and_points_to_the_table() -> None:
    report = RunReport("Full sync of default", dry_run=True)
    section = report.section("customers", "lexoffice → system")
    for index in range(PROBLEMS_LISTED + 7):
        section.add_problem(Problem("skip", f"Kontakt {index}", "mehrdeutig " * 40))

    markdown = render_markdown(report)

    assert "(Probelauf: nichts wurde geschrieben)" in markdown
    assert f"## Probleme ({PROBLEMS_LISTED + 7})" in markdown
    assert "… und 7 weitere" in markdown
    assert max(len(line) for line in markdown.splitlines()) < 260
    assert any(line.startswith("- übersprungen: ") for line in markdown.splitlines())


def test_clean_report_says_so() -> None:
    report = RunReport("Document import of default")
    report.section("order confirmations", "lexoffice → system").count("unchanged", 2)

    markdown = render_markdown(report)

    assert "# Import von Belegen – default" in markdown
    assert "**Aus lexoffice ins System**" in markdown
    assert "| Auftragsbestätigungen | 2 |" in markdown
    assert markdown.rstrip().endswith("Keine Probleme.")


def test_amounts_and_dates_in_german_form() -> None:
    assert report_text.amount(Decimal("1234.56")) == f"1.234,56{NBSP}€"
    assert report_text.amount(Decimal("62.0000"), digits=4) == f"62,00{NBSP}€"
    assert report_text.amount(Decimal("0.1235"), digits=4) == f"0,1235{NBSP}€"
    assert report_text.number(Decimal("4.0000")) == "4"
    assert report_text.day(date(2026, 12, 5)) == "05.12.2026"
    # 23:30 UTC is already the next day in Berlin.
    assert report_text.moment(datetime(2026, 12, 5, 23, 30, tzinfo=UTC)) == "06.12.2026, 00:30"


def test_records_are_named_in_german_by_name_and_number() -> None:
    from tasks.sync.entities import ADAPTERS

    customer = {"kind": "company", "company_name": "Müller GmbH", "customer_number": "10001"}
    assert ADAPTERS["customers"].label(customer, 12) == "Kunde 12 (Müller GmbH, Nr. 10001)"
    product = {"name": "Kabel", "article_number": "K-1"}
    assert ADAPTERS["products"].label(product, 3) == "Material 3 (Kabel, Nr. K-1)"
    assert ADAPTERS["activities"].label({"name": "Montage"}, 1) == "Tätigkeit 1 (Montage)"
    assert report_text.record("work report", 7) == "Arbeitsnachweis 7"
    assert report_text.record("project") == "Projekt"
    assert report_text.voucher_status("open") == "offen"
