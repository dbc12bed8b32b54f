"""`lexsync status`: what is linked, what the last runs changed, what is open.

Reads the system database (links, the sync journal, the sync issues) and the last reports
published to Prefect; it never asks lexoffice. Exit 0 with no open errors, 3 when the last
report listed failed records or errors are open (conflicts alone are not failures: they
wait for a person), 2 for a configuration error.
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

LAST_RUNS = 5
OPEN_ISSUES_SHOWN = 20
PROBLEMS_SHOWN = 20


def register(commands: Any) -> None:
    parser = commands.add_parser("status", help="links, last runs, open errors and conflicts")
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
    print(f"system database: {safe_url(url)}")
    with system_sessions(url).begin() as session:
        _print_links(session)
        _print_runs(session)
        _print_invoices(session)
        errors = _print_issues(session)
    errors += _print_last_reports(args.connection)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _print_links(session: Session) -> None:
    from connectors.fieldservice import queries
    from connectors.fieldservice.models import LinkStatus, SyncEntity

    print("\nlinks to lexoffice:")
    for entity in SyncEntity:
        statuses = Counter(row["status"] for row in queries.link_rows(session, entity))
        missing = (
            statuses[LinkStatus.MISSING_IN_LEXOFFICE] + statuses[LinkStatus.DELETED_IN_LEXOFFICE]
        )
        linked = sum(statuses.values())
        print(f"  {entity.value:<9} {linked:>6} linked, {missing} missing in lexoffice")


def _print_runs(session: Session) -> None:
    from connectors.fieldservice import queries

    # The journal holds one row per applied change; a run is its run_id.
    rows = queries.recent_runs(session, LAST_RUNS)
    print("\nlast runs that changed something (from the sync journal):")
    if not rows:
        print("  none yet")
    for run_id, last_change, changes in rows:
        print(f"  {last_change:%Y-%m-%d %H:%M:%S %Z}  run {run_id}: {changes} changes")


def _print_invoices(session: Session) -> None:
    """What became in lexoffice of each invoice lexsync created (tasks/invoice_status.py)."""
    from connectors.fieldservice import queries
    from tasks.invoice_status import invoice_state_text

    reports = queries.invoiced_work_reports(session)
    print("\ninvoices lexsync created (state in lexoffice):")
    if not reports:
        print("  none yet")
    for report in reports:
        print(f"  work report {report.id}: {invoice_state_text(report)}")


def _print_issues(session: Session) -> int:
    """Prints the open issues; returns how many are errors."""
    from connectors.fieldservice import queries

    issues = queries.list_issues(session, unresolved_only=True)
    kinds = Counter(str(issue.kind) for issue in issues)
    print(
        f"\nopen issues: {kinds['error']} errors, {kinds['conflict']} conflicts, "
        f"{kinds['skip']} skipped"
    )
    for issue in [i for i in reversed(issues) if str(i.kind) != "skip"][:OPEN_ISSUES_SHOWN]:
        record = issue.record_label or issue.local_id or issue.lexoffice_id
        field = f" [{issue.field}]" if issue.field else ""
        print(f"  {issue.kind} {issue.entity} {record}{field}: {issue.message}{_values(issue)}")
    return kinds["error"]


def _values(issue: Any) -> str:
    """Both values of a conflict (or of a change left waiting), as stored with the issue."""
    values = issue.values or {}
    if str(issue.kind) != "conflict" and values.get("system") is None:
        return ""
    return f" (system: {values.get('system')}, lexoffice: {values.get('lexoffice')})"


def _print_last_reports(connection: str) -> int:
    """Prints the problems of the last published reports; returns how many records failed."""
    from deployments.last_report import last_reports

    reports = last_reports(connection)
    if not reports:
        print("\nlast reports: none published yet")
    failed = 0
    for report in reports:
        errors, conflicts = report.count("error"), report.count("conflict")
        failed += errors
        print(f"\n{report.title} ({report.created:%Y-%m-%d %H:%M %Z}):")
        print(f"  {errors} failed records, {conflicts} conflicts")
        for row in [r for r in report.problems if r.get("kind") != "skip"][:PROBLEMS_SHOWN]:
            field = f" [{row['field']}]" if row.get("field") else ""
            print(f"  {row['kind']} {row['entity']}: {row['record']}{field}: {row['reason']}")
    return failed
