"""Checks on values before they are sent to lexoffice, so one bad record fails alone."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks import report_text
from tasks.mapping.countries import ISO_3166_ALPHA_2
from tasks.mapping.records import EntitySpec

VALID_TAX_RATES = frozenset({Decimal(0), Decimal(7), Decimal(19)})  # lexoffice, since 03/2024
GTIN_LENGTHS = frozenset({8, 12, 13, 14})
# Deliberately loose: one @, no blanks, a dot in the domain. lexoffice has the last word.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# C0 controls (but tab, line feed, carriage return), lone surrogates and U+FFFE/U+FFFF: JSON
# carries them, but XML 1.0 cannot, so XRechnung and lexoffice's documents would break on them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SALUTATION_MAX_LENGTH = 25
_CUSTOMER_NAME_FIELDS = frozenset({"kind", "salutation", "first_name", "last_name", "company_name"})


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str


def is_valid_email(value: str) -> bool:
    return _EMAIL.fullmatch(value) is not None


def is_valid_gtin(value: str) -> bool:
    """GTIN-8/12/13/14: digits only and a correct modulo-10 check digit."""
    if not value.isdigit() or len(value) not in GTIN_LENGTHS:
        return False
    body, check = value[:-1], int(value[-1])
    # Weights 3,1,3,… from the digit next to the check digit leftwards.
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def validate(
    spec: EntitySpec, values: Mapping[str, Any], sent: Collection[str]
) -> list[FieldProblem]:
    """Problems with `values` (a full canonical record) in the fields about to be `sent`."""
    problems = _text_problems(spec, values, sent) + _common_problems(values, sent)
    if spec.entity == "customer":
        problems += _customer_problems(values, sent)
    else:
        problems += _article_problems(spec, values, sent)
    return problems


def _text_problems(
    spec: EntitySpec, values: Mapping[str, Any], sent: Collection[str]
) -> list[FieldProblem]:
    problems = []
    for name in sent:
        value = values.get(name)
        is_text = spec.kinds.get(name) in ("text", "email")
        if is_text and isinstance(value, str) and (found := _UNPRINTABLE.search(value)):
            why = f"enthält das Steuerzeichen U+{ord(found.group()):04X}"
            problems.append(FieldProblem(name, f"{why}, das lexoffice nicht drucken kann"))
    return problems


def _common_problems(values: Mapping[str, Any], sent: Collection[str]) -> list[FieldProblem]:
    problems = []
    email = values.get("email")
    if "email" in sent and email is not None and not is_valid_email(email):
        problems.append(FieldProblem("email", "keine gültige E-Mail-Adresse"))
    rate = values.get("tax_rate")
    if "tax_rate" in sent and rate is not None and rate not in VALID_TAX_RATES:
        problems.append(
            FieldProblem(
                "tax_rate", f"Steuersatz {report_text.number(rate)} % ist nicht 0, 7 oder 19 %"
            )
        )
    ean = values.get("ean")
    if "ean" in sent and ean is not None and not is_valid_gtin(ean):
        problems.append(FieldProblem("ean", "keine gültige EAN (GTIN-8/12/13/14, Prüfziffer)"))
    return problems


def _customer_problems(values: Mapping[str, Any], sent: Collection[str]) -> list[FieldProblem]:
    problems = _customer_format_problems(values, sent)
    if _CUSTOMER_NAME_FIELDS & set(sent):
        problems += _customer_name_problems(values)
    return problems


def _customer_format_problems(
    values: Mapping[str, Any], sent: Collection[str]
) -> list[FieldProblem]:
    problems = []
    for name in ("billing_country", "shipping_country"):
        code = values.get(name)
        if name in sent and code is not None and code not in ISO_3166_ALPHA_2:
            problems.append(
                FieldProblem(name, "kein Ländercode nach ISO 3166 (zwei Buchstaben, z. B. DE)")
            )
    salutation = values.get("salutation")
    if "salutation" in sent and salutation and len(salutation) > SALUTATION_MAX_LENGTH:
        message = f"lexoffice erlaubt höchstens {SALUTATION_MAX_LENGTH} Zeichen Anrede"
        problems.append(FieldProblem("salutation", message))
    return problems


def _customer_name_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    kind = values.get("kind")
    if kind not in ("person", "company"):
        return [FieldProblem("kind", "Art muss „person“ oder „company“ sein")]
    if kind == "company" and not values.get("company_name"):
        return [FieldProblem("company_name", "eine Firma braucht einen Firmennamen")]
    if kind == "person" and not values.get("last_name"):
        return [FieldProblem("last_name", "eine Person braucht einen Nachnamen")]
    names_a_contact = values.get("first_name") or values.get("salutation")
    if kind == "company" and names_a_contact and not values.get("last_name"):
        return [FieldProblem("last_name", "die Ansprechperson der Firma braucht einen Nachnamen")]
    return []


def _article_problems(
    spec: EntitySpec, values: Mapping[str, Any], sent: Collection[str]
) -> list[FieldProblem]:
    required = {"name": "eine Bezeichnung", "unit": "eine Einheit", "tax_rate": "einen Steuersatz"}
    if "net_price" in spec.kinds:
        required["net_price"] = "einen Nettopreis"
    return [
        FieldProblem(name, f"lexoffice verlangt {what}")
        for name, what in required.items()
        if name in sent and values.get(name) is None
    ]
