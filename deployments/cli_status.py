"""`lexsync status`: what is linked, what the last runs changed, what is open — in German.

Reads the system database (links, the sync journal, the sync issues) and the last reports
published to Prefect; it never asks lexoffice. Exit 0 with no open errors, 3 when the last
report listed failed records or errors are open (conflicts alone are not failures: they
wait for a person), 2 for a configuration error. Every line is for the admin or the office:
German words, dates as `05.12.2026, 14:03` (German time), amounts as `1.234,56 €`.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from deployments.cli_support import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_connection_argument,
    error,
    load,
    require_database_at_head,
    safe_url,
)
from tasks import report_text as text

LAST_RUNS = 5
OPEN_ISSUES_SHOWN = 20
PROBLEMS_SHOWN = 20


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "status", help="Verknüpfungen, letzte Läufe, offene Fehler und Konflikte"
    )
    add_connection_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tasks.resources import system_sessions

    try:
        url = load(args.connection).database_url
        require_database_at_head(url, args.connection)
    except Exception as failure:
        error(str(failure))
        return EXIT_USAGE
    print(f"Systemdatenbank: {safe_url(url)}")
    with system_sessions(url).begin() as session:
        _print_links(session)
        _print_runs(session)
        _print_invoices(session)
        errors = _print_issues(session)
    errors += _print_last_reports(args.connection)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _print_links(session: Session) -> None:
    from connectors.fieldservice import queries
    from connectors.fieldservice.models import LinkStatus
    from tasks.sync.entities import ADAPTERS

    print("\nVerknüpfungen mit lexoffice:")
    width = max(len(text.entity(name)) for name in ADAPTERS)
    for name, adapter in ADAPTERS.items():
        statuses = Counter(row["status"] for row in queries.link_rows(session, adapter.entity))
        missing = (
            statuses[LinkStatus.MISSING_IN_LEXOFFICE] + statuses[LinkStatus.DELETED_IN_LEXOFFICE]
        )
        linked = text.number(sum(statuses.values()))
        print(
            f"  {text.entity(name):<{width}} {linked:>6} verknüpft, "
            f"davon {text.number(missing)} in lexoffice gelöscht oder nicht mehr gefunden"
        )


def _print_runs(session: Session) -> None:
    from connectors.fieldservice import queries

    # The journal holds one row per applied change; a run is its run_id.
    rows = queries.recent_runs(session, LAST_RUNS)
    print("\nLetzte Läufe mit Änderungen (aus dem Änderungsprotokoll):")
    if not rows:
        print("  noch keine")
    for run_id, last_change, changes in rows:
        what = "Änderung" if changes == 1 else "Änderungen"
        print(f"  {text.moment(last_change)}  Lauf {run_id}: {text.number(changes)} {what}")


def _print_invoices(session: Session) -> None:
    """What became in lexoffice of each invoice lexsync created (tasks/invoice_status.py)."""
    from connectors.fieldservice import queries
    from tasks.invoice_status import invoice_state_text

    reports = queries.invoiced_work_reports(session)
    print("\nRechnungen, die lexsync erstellt hat (Stand in lexoffice):")
    if not reports:
        print("  noch keine")
    for report in reports:
        print(f"  {text.record('work report', report.id)}: {invoice_state_text(report)}")


def _print_issues(session: Session) -> int:
    """Prints the open issues; returns how many are errors."""
    from connectors.fieldservice import queries

    issues = queries.list_issues(session, unresolved_only=True)
    kinds = Counter(str(issue.kind) for issue in issues)
    print(f"\nOffene Probleme: {_kind_counts(kinds)}")
    for issue in [i for i in reversed(issues) if str(i.kind) != "skip"][:OPEN_ISSUES_SHOWN]:
        record = _named(
            str(issue.entity), issue.record_label or issue.local_id or issue.lexoffice_id
        )
        where = _where(str(issue.kind), record, text.field(issue.field))
        print(f"  {where}: {issue.message}{_values(issue)}")
    return kinds["error"]


def _kind_counts(kinds: Counter[str]) -> str:
    """ "1 Fehler, 2 Konflikte, 0 übersprungen"."""
    conflicts = "Konflikt" if kinds["conflict"] == 1 else "Konflikte"
    return (
        f"{text.number(kinds['error'])} Fehler, {text.number(kinds['conflict'])} {conflicts}, "
        f"{text.number(kinds['skip'])} übersprungen"
    )


def _named(entity: str, record: object) -> str:
    """The record as the report names it ("Material 7 (Kabel)"); the noun added if missing."""
    noun, label = text.record(entity), str(record)
    return label if label.startswith(noun) else f"{noun} {label}"


def _where(kind: str, record: str, field: str) -> str:
    """ "Konflikt · Material 7 (Kabel) · Bezeichnung"."""
    return " · ".join(part for part in (text.KINDS.get(kind, kind), record, field) if part)


def _values(issue: Any) -> str:
    """The values stored with the issue, as the report shows them: both of a conflict, else
    those known (e.g. the refused e-mail, or the change left waiting)."""
    values = issue.values or {}
    sides = (("System", values.get("system")), ("lexoffice", values.get("lexoffice")))
    conflict = str(issue.kind) == "conflict"
    shown = [f"{side}: {_quoted(value)}" for side, value in sides if conflict or value is not None]
    return f" ({', '.join(shown)})" if shown else ""


def _quoted(value: Any) -> str:
    return "(leer)" if value is None or value == "" else f"„{value}“"


def _print_last_reports(connection: str) -> int:
    """Prints the problems of the last published reports; returns how many records failed."""
    from deployments.last_report import last_reports

    reports = last_reports(connection)
    if not reports:
        print("\nLetzter Bericht: noch keiner veröffentlicht")
    failed = 0
    for report in reports:
        errors, conflicts = report.count("error"), report.count("conflict")
        failed += errors
        print(f"\nLetzter Bericht: {text.title(report.title)} ({text.moment(report.created)})")
        records = "Datensatz" if errors == 1 else "Datensätze"
        which = "Konflikt" if conflicts == 1 else "Konflikte"
        print(f"  {text.number(errors)} {records} mit Fehler, {text.number(conflicts)} {which}")
        for row in [r for r in report.problems if r.get("kind") != "skip"][:PROBLEMS_SHOWN]:
            record = f"{row['entity']}: {row['record']}"
            where = _where(str(row["kind"]), record, str(row.get("field") or ""))
            print(f"  {where}: {row['reason']}")
    return failed
