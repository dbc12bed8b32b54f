"""The words and number formats of the report people read (German, via Babel).

The report's data keeps English identifiers (entity "customers", count "skipped"); this
module turns them into what the office reads: "Kunden", "übersprungen", `1.234,56 €`,
`05.12.2026`. Only German is shipped (the `language` setting has one value so far).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

LOCALE = "de_DE"
TIME_ZONE = "Europe/Berlin"

ENTITIES = {
    "customers": "Kunden",
    "products": "Material (Produkte)",
    "activities": "Tätigkeiten",
    "order confirmations": "Auftragsbestätigungen",
    "delivery notes": "Lieferscheine",
    "invoice": "Rechnung",
    "invoices": "Rechnungen (Stand in lexoffice)",
    "event subscriptions": "Ereignis-Abonnements",
}
DIRECTIONS = {
    "lexoffice → system": "lexoffice → System",
    "system → lexoffice": "System → lexoffice",
    "both": "beide Richtungen",
}
# The columns of the counts table, in order, and their German headings.
COUNTS = {
    "created": "neu",
    "updated": "geändert",
    "linked": "verknüpft",
    "unchanged": "unverändert",
    "skipped": "übersprungen",
    "conflicts": "Konflikte",
    "failed": "Fehler",
}
# Counts outside the table's columns, shown in one line under it.
OTHER_COUNTS = {
    "excluded": "ausgeschlossen",
    "archived, never exported": "archiviert, nie übertragen",
    "archived (as in lexoffice)": "archiviert (wie in lexoffice)",
    "un-archived (as in lexoffice)": "wieder aktiv (wie in lexoffice)",
    "pending (import switched off)": "wartet (Import ausgeschaltet)",
    "pending (export switched off)": "wartet (Export ausgeschaltet)",
    "link marked missing": "Verknüpfung fehlt",
    "deleted": "gelöscht",
    "deleted in the system": "im System gelöscht",
    "not in the system": "nicht im System",
    "marked": "markiert",
    "present": "vorhanden",
    "status updated": "Stand übernommen",
    "not invoiced by lexsync": "nicht von lexsync erstellt (ignoriert)",
    "customers created from the address": "Kunden aus der Belegadresse angelegt",
    "not imported (switched off)": "nicht importiert (Import ausgeschaltet)",
    "not in lexoffice (any more)": "nicht mehr in lexoffice",
}
# One line each, under the table, for the counts that present in a report puzzle people.
EXPLANATIONS = {
    "linked": "verknüpft: auf beiden Seiten schon vorhanden und jetzt einander zugeordnet "
    "(über Kundennummer, E-Mail, Artikelnummer, EAN oder Namen), nichts doppelt angelegt.",
    "skipped": "übersprungen: bewusst nicht übertragen; bei Belegen Entwürfe (solange „Auch "
    "Entwürfe“ aus ist) und stornierte, sonst steht der Grund unter „Probleme“.",
    "conflicts": "Konflikte: auf beiden Seiten seit dem letzten Abgleich geändert; "
    "beide Werte stehen unter „Probleme“, bitte eine Seite korrigieren.",
    "failed": "Fehler: dieser Datensatz wurde nicht übertragen, der Rest schon; "
    "der Grund steht unter „Probleme“, der nächste Lauf versucht es wieder.",
    "excluded": "ausgeschlossen: im System als „vom Abgleich ausschließen“ markiert; "
    "gewollt, kein Fehler.",
    "archived, never exported": "archiviert, nie übertragen: im System archiviert, "
    "bevor sie je in lexoffice waren; sie werden nicht nachträglich angelegt.",
    "archived (as in lexoffice)": "archiviert (wie in lexoffice): in lexoffice archiviert, "
    "darum auch im System archiviert; sie werden nie nach lexoffice übertragen.",
    "un-archived (as in lexoffice)": "wieder aktiv (wie in lexoffice): in lexoffice aus dem "
    "Archiv geholt, darum auch im System wieder aktiv.",
    "pending (import switched off)": "wartet (Import ausgeschaltet): Änderungen aus "
    "lexoffice, die beim Einschalten des Imports übernommen werden.",
    "pending (export switched off)": "wartet (Export ausgeschaltet): Änderungen im System, "
    "die beim Einschalten des Exports übertragen werden.",
    "link marked missing": "Verknüpfung fehlt: in lexoffice gelöscht oder nicht mehr "
    "auffindbar; im System bleibt alles erhalten, es wird nichts neu angelegt.",
}
# A direction as the heading of its counts table.
HEADINGS = {
    "lexoffice → system": "Aus lexoffice ins System",
    "system → lexoffice": "Aus dem System nach lexoffice",
    "both": "In beide Richtungen",
}
# What one record is called in a report, a problem or an error, by the entity name the
# code uses ("customer 12" → "Kunde 12"); every label for people is built from here.
RECORDS = {
    "customer": "Kunde",
    "product": "Material",
    "activity": "Tätigkeit",
    "project": "Projekt",
    "work report": "Arbeitsnachweis",
    "contact": "lexoffice-Kontakt",
    "article": "lexoffice-Artikel",
    "invoice": "Rechnung",
}
# lexoffice's voucher states (lexoffice-api.md, voucherlist) as the office calls them; the one
# table for the report, `lexsync invoice` and `lexsync status` (tasks/invoice_status.py).
VOUCHER_STATUSES = {
    "draft": "Entwurf",
    "open": "offen",
    "overdue": "überfällig",
    "paid": "bezahlt",
    "paidoff": "ausgeglichen",  # credit notes
    "voided": "storniert",
    "transferred": "Zahlung unterwegs",
    "sepadebit": "Lastschrift unterwegs",
    "accepted": "angenommen",  # quotations
    "rejected": "abgelehnt",
    "unchecked": "ungeprüft",  # bookkeeping uploads
    "deleted": "gelöscht",  # not lexoffice's: lexsync's word for a draft that is gone
}
KINDS = {"error": "Fehler", "conflict": "Konflikt", "skip": "übersprungen"}
FIELDS = {
    "kind": "Art (Person/Firma)",
    "salutation": "Anrede",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "company_name": "Firmenname",
    "billing_street": "Straße (Rechnung)",
    "billing_zip": "PLZ (Rechnung)",
    "billing_city": "Ort (Rechnung)",
    "billing_country": "Land (Rechnung)",
    "shipping_street": "Straße (Lieferung)",
    "shipping_zip": "PLZ (Lieferung)",
    "shipping_city": "Ort (Lieferung)",
    "shipping_country": "Land (Lieferung)",
    "email": "E-Mail",
    "phone": "Telefon",
    "mobile": "Mobil",
    "note": "Notiz",
    "customer_number": "Kundennummer",
    "name": "Bezeichnung",
    "description": "Beschreibung",
    "unit": "Einheit",
    "article_number": "Artikelnummer",
    "ean": "EAN",
    "net_price": "Nettopreis",
    "tax_rate": "Steuersatz",
    "layout": "Rechnungsaufbau",
    "status": "Status",
    "hourly_rate": "Stundensatz",
    "positions": "Positionen",
    "totals": "Summen",
}
# Report titles as the flows write them, and their German form.
_TITLES = (
    (re.compile(r"Full sync of (.+)"), "Vollständiger Abgleich – {}"),
    (re.compile(r"Master-data sync of (.+)"), "Stammdatenabgleich – {}"),
    (re.compile(r"Document import of (.+)"), "Import von Belegen – {}"),
    (re.compile(r"Customer events of (.+)"), "Kundenänderungen aus lexoffice – {}"),
    (re.compile(r"Webhook subscriptions of (.+) for (.+)"), "Ereignis-Abonnements – {} ({})"),
    (re.compile(r"Invoice for work report (.+)"), "Rechnung zum Arbeitsnachweis {}"),
    (re.compile(r"customer export"), "Kundenübertragung"),
)


def title(text: str) -> str:
    """A run's title in German (a title this module does not know stays as it is)."""
    for pattern, german in _TITLES:
        if found := pattern.fullmatch(text):
            return german.format(*found.groups())
    return text


def entity(name: str) -> str:
    return ENTITIES.get(name, name)


def direction(name: str) -> str:
    return DIRECTIONS.get(name, name)


def heading(direction_name: str) -> str:
    return HEADINGS.get(direction_name, direction(direction_name))


def field(name: str | None) -> str:
    return "" if not name else FIELDS.get(name, name)


def record(entity_name: str, ref: object = None, details: str | None = None) -> str:
    """A record as people recognise it: "Kunde 12 (Müller GmbH, Nr. 10001)", "Material 3"."""
    noun = RECORDS.get(entity_name, entity_name)
    text = noun if ref is None else f"{noun} {ref}"
    return f"{text} ({details})" if details else text


def voucher_status(name: str | None) -> str:
    return "(unbekannt)" if not name else VOUCHER_STATUSES.get(name, name)


def other_count(name: str) -> str:
    return OTHER_COUNTS.get(name, name)


def amount(value: Decimal | float | int | str, digits: int = 2) -> str:
    """`1.234,56 €` (a non-breaking space keeps the sign with its number).

    `digits=4` shows up to 4 decimals where the value has them (unit prices), never fewer
    than 2.
    """
    pattern = "#,##0.00" + "#" * max(digits - 2, 0) + "\xa0¤"
    return format_currency(
        Decimal(str(value)), "EUR", format=pattern, locale=LOCALE, currency_digits=False
    )


def number(value: Decimal | float | int | str) -> str:
    """`1.234,5` — quantities, percentages: as many decimals as the value has, none forced."""
    return format_decimal(Decimal(str(value)).normalize(), locale=LOCALE)


def day(value: date | datetime) -> str:
    """`05.12.2026`."""
    return format_date(value, "dd.MM.yyyy", locale=LOCALE)


def moment(value: datetime) -> str:
    """`05.12.2026, 14:03` in German time."""
    return format_datetime(value, "dd.MM.yyyy, HH:mm", tzinfo=ZoneInfo(TIME_ZONE), locale=LOCALE)
