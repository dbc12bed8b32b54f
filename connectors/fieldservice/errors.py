"""Errors of the field-service database that name the record and the field at fault."""

from __future__ import annotations

from typing import Any


class InvalidRecordError(ValueError):
    """A record the field-service database refuses, e.g. a customer without a name.

    `record` describes the record (e.g. "customer 'Müller GmbH' (id 7)"), `field` is the
    attribute at fault and `problem` says what is wrong with it, for developers. `rule` names
    the rule broken ("required", "range", "gtin", "status") and `details` its values, so
    that the words for people are made where they are shown (`tasks/error_text.py`).
    """

    def __init__(
        self, record: str, field: str, problem: str, *, rule: str = "", **details: Any
    ) -> None:
        super().__init__(f"{record}: {field} {problem}")
        self.record = record
        self.field = field
        self.problem = problem
        self.rule = rule
        self.details = details
