"""The report of a run: what changed, what was left alone and what failed, per entity and direction.

A person reads it in the Prefect UI (a markdown artifact plus a table of every problem) and
the CLI prints the same text. Counts use one vocabulary everywhere: created, updated,
unchanged, skipped, conflicts, failed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

ProblemKind = Literal["error", "conflict", "skip"]
COUNT_COLUMNS = ("created", "updated", "linked", "unchanged", "skipped", "conflicts", "failed")
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
    """The report as markdown: a counts table, then every problem with its reason."""
    mode = " (dry run: nothing was written)" if report.dry_run else ""
    lines = [f"# {report.title}{mode}", "", _counts_table(report), ""]
    if report.problems:
        lines += ["## Problems", "", "| entity | direction | kind | record | field | reason |"]
        lines.append("| --- | --- | --- | --- | --- | --- |")
        lines += [_problem_row(section, problem) for section, problem in report.problems]
    else:
        lines.append("No problems.")
    return "\n".join(lines) + "\n"


def problem_rows(report: RunReport) -> list[dict[str, Any]]:
    """One row per problem, for a table artifact."""
    return [
        {
            "entity": section.entity,
            "direction": section.direction,
            "kind": problem.kind,
            "record": problem.record,
            "field": problem.field or "",
            "reason": problem.message,
            "system value": _show(problem.system_value),
            "lexoffice value": _show(problem.lexoffice_value),
        }
        for section, problem in report.problems
    ]


def _counts_table(report: RunReport) -> str:
    header = "| entity | direction | " + " | ".join(COUNT_COLUMNS) + " | other |"
    rule = "| --- | --- |" + " --- |" * (len(COUNT_COLUMNS) + 1)
    rows = [
        f"| {s.entity} | {s.direction} | "
        + " | ".join(str(s.counts[c]) for c in COUNT_COLUMNS)
        + f" | {_other_counts(s)} |"
        for s in report.sections
    ]
    return "\n".join([header, rule, *rows])


def _other_counts(section: SectionReport) -> str:
    others = sorted((k, v) for k, v in section.counts.items() if k not in COUNT_COLUMNS and v)
    return ", ".join(f"{name}: {n}" for name, n in others)


def _problem_row(section: SectionReport, problem: Problem) -> str:
    values = ""
    if problem.kind == "conflict":
        values = (
            f" (system: {_show(problem.system_value)}, lexoffice: {_show(problem.lexoffice_value)})"
        )
    cells = (
        section.entity,
        section.direction,
        problem.kind,
        problem.record,
        problem.field or "",
        problem.message + values,
    )
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _show(value: Any) -> str:
    return "(empty)" if value is None or value == "" else str(value)
