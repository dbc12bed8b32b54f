"""What `lexsync demo` says after its report: the first run's result, or that a repeated run
changed nothing and why that is the point (German, for the people trying it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tasks.report import RunReport

# Counts that mean a record was written on one side or the other.
WRITES = ("created", "updated", "linked", "deleted", "deleted in the system")


def changed_records(report: RunReport) -> int:
    return sum(section.counts[name] for section in report.sections for name in WRITES)


def write_requests(log: Iterable[dict[str, Any]]) -> int:
    return sum(1 for entry in log if entry["method"] != "GET")


def first_run(report: RunReport) -> str:
    return (
        f"Erster Lauf: {changed_records(report)} Datensätze angelegt, geändert oder verknüpft.\n"
        "Rufen Sie `make demo` gleich noch einmal auf: der zweite Lauf arbeitet auf denselben\n"
        "Daten (var/demo.db und die Sandbox in var/demo-sandbox.json) und zeigt, dass dann\n"
        "nichts mehr zu tun ist. Neu anfangen: `make demo DEMO_ARGS=--fresh`."
    )


def repeated_run(report: RunReport, log: list[dict[str, Any]]) -> str:
    changed, writes = changed_records(report), write_requests(log)
    reads = len(log) - writes
    problems = len(report.problems)
    still = (
        f"\nDie {problems} Probleme stehen weiter im Bericht, bis jemand sie im System oder in "
        "lexoffice behebt; der nächste Lauf übernimmt die Korrektur dann von selbst."
        if problems
        else ""
    )
    if changed == 0 and writes == 0:
        return (
            "Nichts geändert: kein Datensatz neu oder geändert, keine schreibende Anfrage an "
            f"lexoffice ({reads} lesende).\n"
            "Genau das ist der Sinn: lexsync vergleicht beide Seiten mit dem Stand des letzten\n"
            "Abgleichs und schreibt nur, was sich seitdem wirklich geändert hat. Deshalb kann der\n"
            "Abgleich jede Nacht laufen, ohne etwas doppelt anzulegen oder eine Änderung zu\n"
            "überschreiben. Ändern Sie einen Kunden in lexoffice oder im System und rufen Sie\n"
            "`make demo` noch einmal auf: dann steht genau diese eine Änderung im Bericht." + still
        )
    return (
        f"Wiederholter Lauf: {changed} Datensätze angelegt oder geändert, {writes} schreibende "
        f"und {reads} lesende Anfragen an lexoffice. Ein weiterer Lauf sollte nichts mehr "
        "ändern." + still
    )
