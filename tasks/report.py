"""The report of a run: what changed, what was left alone and what failed, per entity and direction.

A person reads it in the Prefect UI (a markdown artifact plus a table of every problem) and
the CLI prints the same text, in German (`tasks.report_text`). Counts use one vocabulary
everywhere: created, updated, linked, unchanged, skipped, conflicts, failed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from tasks import report_text as text

ProblemKind = Literal["error", "conflict", "skip"]
COUNT_COLUMNS = tuple(text.COUNTS)
# The markdown lists this many problems; the table artifact holds all of them.
PROBLEMS_LISTED = 50
# A reason longer than this is cut in the markdown (the table artifact has it whole).
REASON_LENGTH = 160
# The problem table's columns: the field of a problem row → its German heading.
PROBLEM_COLUMNS = {
    "entity": "Daten",
    "direction": "Richtung",
    "kind": "Art",
    "record": "Datensatz",
    "field": "Feld",
    "reason": "Grund",
    "system value": "Wert im System",
    "lexoffice value": "Wert in lexoffice",
}
_KIND_COUNTER = {"error": "failed", "conflict": "conflicts", "skip": "skipped"}


@dataclass(frozen=True)
class Problem:
    """One record that failed, was skipped or is in conflict, in words a person understands."""

    kind: ProblemKind
    record: str  # how a person recognises it, e.g. "customer 12 (Müller GmbH)"
    message: str
    field: str | None = None
    system_value: Any = None
    lexoffice_value: Any = None
    local_id: Any = None  # the system record's id, when there is one (kept in sync_issues)
    lexoffice_id: str | None = None


@dataclass
class SectionReport:
    """One entity in one direction, e.g. customers lexoffice → system."""

    entity: str
    direction: str  # "lexoffice → system", "system → lexoffice", or "both"
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] += n

    def add_problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.counts[_KIND_COUNTER[problem.kind]] += 1


@dataclass
class RunReport:
    """Everything one flow run did; `failed` decides the run's exit code."""

    title: str
    dry_run: bool = False
    sections: list[SectionReport] = field(default_factory=list)

    def section(self, entity: str, direction: str) -> SectionReport:
        """The section for entity and direction, created on first use."""
        for existing in self.sections:
            if (existing.entity, existing.direction) == (entity, direction):
                return existing
        created = SectionReport(entity, direction)
        self.sections.append(created)
        return created

    def extend(self, other: RunReport) -> None:
        """Add another run's sections; one entity and direction stays one section (e.g. the
        customers the document import exported join the master-data sync's customers)."""
        for added in other.sections:
            target = self.section(added.entity, added.direction)
            target.counts.update(added.counts)
            target.problems += added.problems

    @property
    def failed(self) -> int:
        return sum(section.counts["failed"] for section in self.sections)

    @property
    def problems(self) -> list[tuple[SectionReport, Problem]]:
        return [(s, p) for s in self.sections for p in s.problems]


def render_markdown(report: RunReport) -> str:
    """The report as markdown: a counts table, what its puzzling counts mean, every problem."""
    mode = " (Probelauf: nichts wurde geschrieben)" if report.dry_run else ""
    lines = [f"# {text.title(report.title)}{mode}", ""]
    if report.sections:
        lines += [*_counts_tables(report), *_other_counts(report), *_explanations(report)]
    else:
        lines += ["Nichts zu tun.", ""]
    lines += _problem_list(report) if report.problems else ["Keine Probleme."]
    return "\n".join(lines) + "\n"


def problem_rows(report: RunReport) -> list[dict[str, Any]]:
    """One row per problem, for a table artifact (German headings, values as they are)."""
    return [
        {PROBLEM_COLUMNS[key]: value for key, value in _problem_fields(s, p).items()}
        for s, p in report.problems
    ]


def problem_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row of the problem table back in the report's own terms (kind "error", …)."""
    plain = {key: row.get(heading, row.get(key)) for key, heading in PROBLEM_COLUMNS.items()}
    kinds = {german: kind for kind, german in text.KINDS.items()}
    plain["kind"] = kinds.get(str(plain["kind"]), plain["kind"])
    return plain


def _problem_fields(section: SectionReport, problem: Problem) -> dict[str, str]:
    return {
        "entity": text.entity(section.entity),
        "direction": text.direction(section.direction),
        "kind": text.KINDS[problem.kind],
        "record": problem.record,
        "field": text.field(problem.field),
        "reason": problem.message,
        "system value": _show(problem, problem.system_value),
        "lexoffice value": _show(problem, problem.lexoffice_value),
    }


def _counts_tables(report: RunReport) -> list[str]:
    """One narrow table per direction: a row per entity, only the columns with a count.

    Narrow so that it fits the Prefect UI's artifact column at 1280 px: a column that is
    zero in every row is left out ("unverändert" always stays, so no table is empty).
    """
    lines: list[str] = []
    for direction in dict.fromkeys(s.direction for s in report.sections):
        sections = [s for s in report.sections if s.direction == direction]
        columns = [
            c for c in COUNT_COLUMNS if c == "unchanged" or any(s.counts[c] for s in sections)
        ]
        lines += [f"**{text.heading(direction)}**", ""]
        lines.append("| Daten | " + " | ".join(text.COUNTS[c] for c in columns) + " |")
        lines.append("| --- |" + " ---: |" * len(columns))
        lines += [
            f"| {text.entity(s.entity)} | "
            + " | ".join(text.number(s.counts[c]) for c in columns)
            + " |"
            for s in sections
        ]
        lines.append("")
    return lines


def _other_counts(report: RunReport) -> list[str]:
    """Counts outside the table's columns, one line per section that has any."""
    lines = []
    for section in report.sections:
        others = sorted(
            (text.other_count(name), n)
            for name, n in section.counts.items()
            if name not in COUNT_COLUMNS and n
        )
        if others:
            listed = ", ".join(f"{name} {n}" for name, n in others)
            where = f"{text.entity(section.entity)} ({text.direction(section.direction)})"
            lines.append(f"Außerdem bei {where}: {listed}.  ")
    return [*lines, ""] if lines else []


def _explanations(report: RunReport) -> list[str]:
    """One line for each puzzling count that is not zero in this report."""
    present = {name for s in report.sections for name, n in s.counts.items() if n}
    lines = [f"- {line}" for name, line in text.EXPLANATIONS.items() if name in present]
    return ["**Was die Zahlen bedeuten**", "", *lines, ""] if lines else []


def _problem_list(report: RunReport) -> list[str]:
    """The problems grouped by section, as list items (they wrap at any width)."""
    problems = report.problems
    lines = [f"## Probleme ({len(problems)})"]
    current = None
    for section, problem in problems[:PROBLEMS_LISTED]:
        if section is not current:
            current = section
            heading = f"{text.entity(section.entity)}: {text.direction(section.direction)}"
            lines += ["", f"### {heading}", ""]
        lines.append(_problem_line(problem))
    if len(problems) > PROBLEMS_LISTED:
        rest = len(problems) - PROBLEMS_LISTED
        lines += ["", f"… und {rest} weitere: alle stehen in der Tabelle „Probleme“ dieses Laufs."]
    return lines


def _problem_line(problem: Problem) -> str:
    where = f", {text.field(problem.field)}" if problem.field else ""
    line = f"- **{text.KINDS[problem.kind]}** · {_inline(problem.record)}{where}: "
    return line + _inline(_shorten(problem.message)) + _values(problem)


def _values(problem: Problem) -> str:
    """The values concerned: both for a conflict, else those known (e.g. a refused e-mail)."""
    sides = (("System", problem.system_value), ("lexoffice", problem.lexoffice_value))
    shown = [
        f"{side}: {_quoted(value)}"
        for side, value in sides
        if problem.kind == "conflict" or value is not None
    ]
    return f" ({', '.join(shown)})" if shown else ""


def _quoted(value: Any) -> str:
    if value is None or value == "":
        return "(leer)"
    return f"„{_inline(_shorten(str(value)))}“"


def _shorten(message: str) -> str:
    if len(message) <= REASON_LENGTH:
        return message
    return message[: REASON_LENGTH - 1].rstrip() + "…"


def _inline(value: str) -> str:
    """Text safe inside a markdown line or table cell."""
    return value.replace("|", "\\|").replace("\n", " ").replace("*", "\\*")


def _show(problem: Problem, value: Any) -> str:
    """A value for the table: an empty one of a conflict says so, an unknown one is blank."""
    if value is None or value == "":
        return "(leer)" if problem.kind == "conflict" else ""
    return str(value)
