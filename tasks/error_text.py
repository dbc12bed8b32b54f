"""Why something failed, in German: the words for errors that reach a person.

Connectors raise with their facts as fields (lexoffice's status and path and how often the
client tried; the rule a record broke and its values; the write rules a contact breaks; the
shape lexoffice sent instead of the documented one) and an English message for developers.
The sentence the report, a run's state and the CLI show is made here, in one place, so that
connectors stay free of wording and the developer's logs and tracebacks stay English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from connectors.fieldservice.ean import InvalidGtinError
from connectors.fieldservice.errors import InvalidRecordError
from connectors.lexoffice import errors as lex
from connectors.lexoffice.models.common import RejectedItem
from connectors.lexoffice.writability import BOTH, ContactNotWritableError, WriteBlocker
from tasks import report_text

# The lists lexoffice takes one entry of on write, as the office knows them.
LISTS = {
    "addresses.billing": "Rechnungsadressen",
    "addresses.shipping": "Lieferadressen",
    "emailAddresses.business": "E-Mail-Adressen (geschäftlich)",
    "emailAddresses.office": "E-Mail-Adressen (Büro)",
    "emailAddresses.private": "E-Mail-Adressen (privat)",
    "emailAddresses.other": "E-Mail-Adressen (sonstige)",
    "phoneNumbers.business": "Telefonnummern (geschäftlich)",
    "phoneNumbers.office": "Telefonnummern (Büro)",
    "phoneNumbers.mobile": "Mobilnummern",
    "phoneNumbers.private": "Telefonnummern (privat)",
    "phoneNumbers.fax": "Faxnummern",
    "phoneNumbers.other": "Telefonnummern (sonstige)",
    "company.contactPersons": "Ansprechpartner",
}
# What a value lexoffice sent is not, by pydantic's error type.
SHAPES = {
    "string_type": "kein Text",
    "list_type": "keine Liste",
    "dict_type": "kein Objekt",
    "model_type": "kein Objekt",
    "model_attributes_type": "kein Objekt",
    "int_type": "keine ganze Zahl",
    "int_parsing": "keine ganze Zahl",
    "float_type": "keine Zahl",
    "float_parsing": "keine Zahl",
    "decimal_type": "keine Zahl",
    "decimal_parsing": "keine Zahl",
    "bool_type": "kein Ja/Nein",
    "bool_parsing": "kein Ja/Nein",
    "date_type": "kein Datum",
    "date_parsing": "kein Datum",
    "datetime_type": "kein Zeitpunkt",
    "datetime_parsing": "kein Zeitpunkt",
    "uuid_type": "keine ID",
    "uuid_parsing": "keine ID",
    "missing": "fehlt",
}


# A work report's status (Arbeitsnachweis) as the office says it.
WORK_REPORT_STATUSES = {
    "draft": "ein Entwurf",
    "completed": "abgeschlossen",
    "invoiced": "abgerechnet",
}


class SaidInGerman(Exception):
    """Base of lexsync's errors whose message is already the German sentence a person reads
    (what is wrong and what to do): shown as it is, without the class name."""


def reason(error: BaseException) -> str:
    """One German line for an error a person sees; an error lexsync has no words for (a
    bug) is named by its type and the first line of its message."""
    if (german := known(error)) is not None:
        return german
    first_line = (str(error).strip().splitlines() or [""])[0]
    name = type(error).__name__
    return f"{name}: {first_line}" if first_line else name


def message(error: BaseException) -> str:
    """Like `reason`, for errors raised with a German message already (the mapping's): an
    unknown error is shown as its message alone."""
    german = known(error)
    return german if german is not None else str(error)


def known(error: BaseException) -> str | None:
    """The German words for an error lexsync raises with structured facts or a German
    message (the first line of it), else None."""
    if isinstance(error, SaidInGerman):
        return (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, lex.LexofficeError):
        return lexoffice_error(error)
    if isinstance(error, ContactNotWritableError):
        return f"in lexoffice von Hand ändern: {write_blockers(error.blockers)}"
    if isinstance(error, InvalidRecordError):
        return invalid_record(error)
    if isinstance(error, InvalidGtinError):
        return gtin(error)
    return None


def lexoffice_error(error: lex.LexofficeError) -> str:
    """What happened and what to do, then the request: "lexoffice ist nicht erreichbar
    (ConnectError); später erneut versuchen (GET /v1/contacts; 12 Versuche in 91 s)"."""
    what, own_words = _lexoffice_what(error)
    facts = [f"{error.method} {error.path}"]
    if error.status is not None:
        facts[0] += f", HTTP {error.status}"
    if error.attempts is not None:
        tries = "Versuch" if error.attempts == 1 else "Versuche"
        facts.append(f"{error.attempts} {tries} in {error.elapsed_seconds or 0:.0f} s")
    if own_words and error.reason:
        facts.insert(0, f"lexoffice: {error.reason}")
    return f"{what} ({'; '.join(facts)})"


def _lexoffice_what(error: lex.LexofficeError) -> tuple[str, bool]:
    """The sentence for the error's class, and whether lexoffice's own reason adds to it."""
    if isinstance(error, lex.CredentialsError):
        if error.status == 403:
            return "dem API-Schlüssel fehlt eine Berechtigung: ihn mit allen neu erzeugen", True
        return "lexoffice lehnt den API-Schlüssel ab: einen neuen erzeugen und eintragen", False
    if isinstance(error, lex.PaymentRequiredError):
        return "der lexoffice-Tarif erlaubt das nicht", False
    if isinstance(error, lex.NotFoundError):
        return "in lexoffice nicht (mehr) vorhanden", False
    if isinstance(error, lex.ValidationError):
        return "lexoffice lehnte die Daten ab", True
    if isinstance(error, lex.VersionConflictError):
        return "in lexoffice inzwischen geändert; der nächste Lauf liest es neu", False
    if isinstance(error, lex.OutcomeUnknownError):
        unknown = "lexoffice bestätigte nicht, ob es ausgeführt wurde; vor einem neuen Versuch"
        return f"{unknown} sieht lexsync nach", False
    return _retry_later_what(error)


def _retry_later_what(error: lex.LexofficeError) -> tuple[str, bool]:
    later = "; später erneut versuchen"
    if isinstance(error, lex.ConnectionFailedError):
        return f"lexoffice ist nicht erreichbar ({error.reason or 'keine Antwort'}){later}", False
    if isinstance(error, lex.RateLimitedError):
        return f"lexoffice nahm zu viele Anfragen nicht an (Ratenlimit){later}", False
    if isinstance(error, lex.ServerError):
        if error.status is not None and error.status < 500:
            return f"lexoffice schickte eine unlesbare Antwort{later}", False
        return f"lexoffice meldete einen Fehler auf seiner Seite{later}", False
    return "lexoffice lehnte die Anfrage ab, ein Fehler in lexsync: bitte melden", True


def write_blockers(blockers: Iterable[WriteBlocker]) -> str:
    """ "2 E-Mail-Adressen (geschäftlich); die Schnittstelle nimmt je Art nur einen Eintrag"."""
    blockers = tuple(blockers)
    parts = [f"{b.entries} {LISTS.get(b.path, b.path)}" for b in blockers if b.path != BOTH]
    if parts:
        parts.append("die Schnittstelle nimmt je Art nur einen Eintrag")
    if any(b.path == BOTH for b in blockers):
        parts.append("Person und Firma zugleich, die Schnittstelle nimmt nur eins")
    return "; ".join(parts)


def invalid_record(error: InvalidRecordError) -> str:
    """What is wrong with the record's field (the report names the record beside it)."""
    details = error.details
    if error.rule == "required" and error.field == "company_name":
        return "eine Firma braucht einen Firmennamen"
    if error.rule == "required":
        return "eine Person braucht einen Nachnamen"
    if error.rule == "range":
        low, high, value = details["low"], details.get("high"), details["value"]
        if high is None:
            return f"muss mindestens {low} sein, nicht {report_text.number(value)}"
        return f"muss zwischen {low} und {high} liegen, nicht {report_text.number(value)}"
    if error.rule == "gtin":
        return gtin(details["gtin"])
    if error.rule == "status":
        status = WORK_REPORT_STATUSES.get(details["status"], details["status"])
        return f"ist {status}; abgerechnet werden nur abgeschlossene Arbeitsnachweise"
    return f"{report_text.field(error.field)}: ungültig"


def gtin(error: InvalidGtinError) -> str:
    if error.rule == "digits":
        return "keine gültige EAN: nur Ziffern erlaubt"
    if error.rule == "length":
        return f"keine gültige EAN: {error.digits} Ziffern, eine EAN hat 8, 12, 13 oder 14"
    return f"keine gültige EAN: Prüfziffer {error.digit}, richtig wäre {error.expected}"


def rejected(item: RejectedItem) -> str:
    """Why a record lexoffice listed could not be read: "kein Text: 12345"."""
    text = shape(item.error_type, item.got, item.expected)
    return f"{text} und {item.more} weitere Probleme" if item.more else text


def unreadable(detail: Mapping[str, Any]) -> str:
    """The same for one error of a pydantic ValidationError (a record read alone)."""
    expected = str((detail.get("ctx") or {}).get("expected", ""))
    return shape(str(detail.get("type", "")), repr(detail.get("input"))[:80], expected)


def shape(error_type: str, got: str, expected: str = "") -> str:
    if expected and error_type in ("enum", "literal_error"):
        allowed = expected.replace(" or ", " oder ")
        return f"erwartet {allowed}, nicht {got}"
    what = SHAPES.get(error_type, f"unerwartete Form ({error_type})")
    return what if error_type == "missing" else f"{what}: {got}"
