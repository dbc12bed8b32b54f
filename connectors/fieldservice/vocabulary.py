"""An electrician's trade vocabulary (Elektroinstallation) for demo and synthetic data.

Faker knows German names and addresses but not what an electrician stocks or does; this small
curated list does. Prices are plausible net prices in euros, not quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class ProductFamily:
    """Products that differ only in a variant, e.g. NYM-J cable in several cross-sections."""

    pattern: str
    variants: tuple[str, ...]
    unit: str
    price_range: tuple[float, float]
    description: str
    consumable: bool = False

    def names(self) -> list[str]:
        """The family's product names, one per variant."""
        return [self.pattern.format(v) for v in self.variants]


_SERIES = tuple(
    f"{series} {colour}"
    for series, colour in product(
        ("Gira E2", "Busch-Jaeger future linear", "Jung LS 990", "Berker S.1"),
        ("reinweiß", "anthrazit"),
    )
)

PRODUCT_FAMILIES: tuple[ProductFamily, ...] = (
    ProductFamily(
        "NYM-J Mantelleitung {}",
        ("3x1,5 mm²", "5x1,5 mm²", "3x2,5 mm²", "5x2,5 mm²", "5x4 mm²", "5x6 mm²", "5x10 mm²"),
        "Meter",
        (0.65, 6.90),
        "Mantelleitung für feste Verlegung, Ring 50 m oder als Meterware",
    ),
    ProductFamily(
        "H07V-K Aderleitung 1,5 mm² {}",
        ("schwarz", "blau", "grün-gelb", "braun", "grau"),
        "Meter",
        (0.18, 0.35),
        "Feindrähtige Verdrahtungsleitung für Verteiler",
    ),
    ProductFamily(
        "NYY-J Erdkabel {}",
        ("3x1,5 mm²", "3x2,5 mm²", "5x2,5 mm²", "5x6 mm²", "5x16 mm²"),
        "Meter",
        (1.10, 14.50),
        "Kabel für Erdverlegung und Außenbereich",
    ),
    ProductFamily(
        "Installationsrohr flexibel {}",
        ("M16", "M20", "M25", "M32"),
        "Meter",
        (0.35, 1.20),
        "Wellrohr grau, halogenfrei",
    ),
    ProductFamily(
        "Kabelkanal {} reinweiß",
        ("15x15 mm", "20x20 mm", "30x30 mm", "40x60 mm", "60x110 mm"),
        "Meter",
        (1.20, 11.80),
        "Aufputz-Kabelkanal mit Oberteil, Länge 2 m",
    ),
    ProductFamily(
        "SCHUKO-Steckdose {}",
        _SERIES,
        "Stück",
        (4.80, 16.90),
        "Steckdoseneinsatz mit Zentralplatte",
    ),
    ProductFamily(
        "Wechselschalter {}", _SERIES, "Stück", (5.20, 18.40), "Schalter mit Wippe, 10 AX 250 V"
    ),
    ProductFamily(
        "Serienschalter {}", _SERIES, "Stück", (7.90, 24.50), "Serienschalter mit Doppelwippe"
    ),
    ProductFamily("Taster {}", _SERIES, "Stück", (6.10, 19.80), "Taster mit Wippe, Schließer"),
    ProductFamily(
        "Abdeckrahmen 1-fach {}", _SERIES, "Stück", (2.10, 12.50), "Rahmen für ein Gerät"
    ),
    ProductFamily(
        "Abdeckrahmen 2-fach {}", _SERIES, "Stück", (3.90, 21.00), "Rahmen für zwei Geräte"
    ),
    ProductFamily(
        "LED-Drehdimmer {}", _SERIES, "Stück", (29.00, 79.00), "Phasenan-/abschnitt, 5–200 W LED"
    ),
    ProductFamily(
        "Feuchtraum-Steckdose AP IP44 {}",
        ("grau", "reinweiß", "schwarz"),
        "Stück",
        (6.90, 11.50),
        "Aufputz-Steckdose mit Klappdeckel",
    ),
    ProductFamily(
        "Leitungsschutzschalter {} 1-polig",
        ("B10", "B13", "B16", "B20", "B25", "C16", "C32"),
        "Stück",
        (3.90, 9.80),
        "Sicherungsautomat 6 kA",
    ),
    ProductFamily(
        "FI-Schutzschalter {}",
        (
            "25A/30mA 2-polig Typ A",
            "40A/30mA 4-polig Typ A",
            "63A/30mA 4-polig Typ A",
            "40A/30mA 4-polig Typ B",
        ),
        "Stück",
        (32.00, 289.00),
        "Fehlerstromschutzschalter nach DIN VDE 0100-410",
    ),
    ProductFamily(
        "FI/LS-Schalter {} 30mA",
        ("B13", "B16", "C16"),
        "Stück",
        (39.00, 59.00),
        "Kombination aus Fehlerstrom- und Leitungsschutz",
    ),
    ProductFamily(
        "{}",
        (
            "Gerätedose UP 60 mm",
            "Hohlwanddose 68 mm",
            "Abzweigdose AP 100x100 mm IP55",
            "Geräteverbindungsdose UP",
            "Elektronikdose UP tief",
        ),
        "Stück",
        (0.40, 4.90),
        "Installationsdose",
    ),
    ProductFamily(
        "WAGO Verbindungsklemme {}",
        ("221-412", "221-413", "221-415", "2273-204"),
        "Stück",
        (0.22, 0.65),
        "Hebelklemme für ein-, mehr- und feindrähtige Leiter",
        consumable=True,
    ),
    ProductFamily(
        "LED-Einbaustrahler {}",
        ("5 W 2700 K", "5 W 3000 K", "7 W 3000 K", "7 W 4000 K"),
        "Stück",
        (12.50, 29.00),
        "Einbauleuchte schwenkbar, IP44",
    ),
    ProductFamily(
        "LED-Panel {}",
        ("62x62 cm 4000 K", "30x120 cm 4000 K", "60x60 cm 3000 K"),
        "Stück",
        (39.00, 89.00),
        "Rasterdeckenleuchte, UGR < 19",
    ),
    ProductFamily(
        "LED-Leuchtmittel E27 {}",
        ("8,5 W warmweiß", "11 W warmweiß", "15 W neutralweiß"),
        "Stück",
        (3.90, 8.90),
        "Ersatz für 60–100 W Glühlampe",
    ),
    ProductFamily(
        "Zählerschrank {}",
        ("1 Zählerfeld", "2 Zählerfelder", "3 Zählerfelder"),
        "Stück",
        (289.00, 890.00),
        "Zählerschrank mit APZ-Feld nach VDE-AR-N 4100",
    ),
    ProductFamily(
        "Kleinverteiler AP {}",
        ("1-reihig 12 TE", "2-reihig 24 TE", "3-reihig 36 TE", "4-reihig 48 TE"),
        "Stück",
        (24.00, 129.00),
        "Aufputz-Verteiler IP65 mit Tür",
    ),
    ProductFamily(
        "Überspannungsschutz {}",
        ("Typ 1+2 Kombiableiter", "Typ 2 4-polig", "Typ 3 Steckdosenadapter"),
        "Stück",
        (29.00, 420.00),
        "Überspannungsschutz nach DIN VDE 0100-443",
    ),
    ProductFamily(
        "Wallbox {} 11 kW",
        ("ABL eMH1", "Mennekes Amtron Compact", "Heidelberg Energy Control", "KEBA KeContact P30"),
        "Stück",
        (549.00, 1190.00),
        "Ladestation für Elektrofahrzeuge, meldepflichtig beim Netzbetreiber",
    ),
    ProductFamily(
        "{}",
        (
            "Rauchwarnmelder 10-Jahres-Batterie",
            "Bewegungsmelder 180° IP44",
            "Präsenzmelder 360° Decke",
            "Dämmerungsschalter AP",
        ),
        "Stück",
        (14.90, 89.00),
        "Melder und Sensoren",
    ),
    ProductFamily(
        "{}",
        (
            "Verlegekabel Cat.7 S/FTP",
            "Netzwerkdose Cat.6a 2-fach UP",
            "Patchkabel Cat.6a 2 m",
            "Patchfeld 24 Port Cat.6a",
        ),
        "Stück",
        (0.95, 149.00),
        "Netzwerkverkabelung",
    ),
    ProductFamily(
        "Kabelbinder {}",
        ("100x2,5 mm", "200x4,8 mm", "300x4,8 mm"),
        "Packung",
        (2.90, 7.90),
        "Beutel zu 100 Stück, schwarz UV-beständig",
        consumable=True,
    ),
    ProductFamily(
        "Isolierband 19 mm x 20 m {}",
        ("schwarz", "blau", "grün-gelb"),
        "Rolle",
        (0.99, 1.49),
        "PVC-Isolierband VDE",
        consumable=True,
    ),
    ProductFamily(
        "{}",
        (
            "Potentialausgleichsschiene",
            "Erdungsband verzinkt 30x3,5 mm",
            "Staberder 1,5 m",
            'Erdungsschelle Rohr 1/2–1"',
        ),
        "Stück",
        (3.20, 39.00),
        "Erdung und Potentialausgleich",
    ),
)


@dataclass(frozen=True)
class ActivitySpec:
    """An activity (Tätigkeit) as the demo offers it."""

    name: str
    unit: str
    default_price: float | None
    description: str


ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec("Elektroinstallation", "Stunde", 68.0, "Installation nach DIN VDE 0100"),
    ActivitySpec(
        "Leitungsverlegung", "Stunde", 62.0, "Leitungen verlegen, Schlitze und Durchbrüche"
    ),
    ActivitySpec("Fehlersuche", "Stunde", 74.0, "Störungssuche und Reparatur"),
    ActivitySpec("Zählerschrankmontage", "Stunde", 72.0, "Zählerplatz nach TAB des Netzbetreibers"),
    ActivitySpec("Verteilerbau", "Stunde", 72.0, "Unterverteilung bestücken und verdrahten"),
    ActivitySpec("Montage Beleuchtung", "Stunde", 62.0, "Leuchten montieren und anschließen"),
    ActivitySpec("Wallbox-Installation", "Stunde", 78.0, "Ladestation montieren, anmelden"),
    ActivitySpec("Netzwerkverkabelung", "Stunde", 66.0, "Datennetz Cat.6a/Cat.7, Patchfeld"),
    ActivitySpec("Smart-Home-Programmierung", "Stunde", 85.0, "KNX/Funk parametrieren"),
    ActivitySpec("E-Check Prüfung", "Stück", 9.5, "Prüfung ortsveränderlicher Geräte nach DGUV V3"),
    ActivitySpec("Notdienst", "Stunde", 115.0, "Einsatz außerhalb der Geschäftszeiten"),
    ActivitySpec("Beratung und Planung", "Stunde", None, "Vor-Ort-Termin, Angebot, Planung"),
)

EMPLOYEE_FUNCTIONS: tuple[tuple[str, float], ...] = (
    ("Meister", 78.0),
    ("Geselle", 62.0),
    ("Auszubildender", 34.0),
)

# name, licence plate, per km, per hour, per day
VEHICLES: tuple[tuple[str, str, float, float, float], ...] = (
    ("VW Crafter Kastenwagen", "HB-EL 204", 0.85, 12.0, 89.0),
    ("Mercedes-Benz Sprinter", "HB-EL 317", 0.95, 14.0, 99.0),
)

# name, per hour, per day
MACHINES: tuple[tuple[str, float, float], ...] = (
    ("Mauernutfräse", 9.5, 55.0),
    ("Hubarbeitsbühne 12 m", 28.0, 180.0),
)

PROJECT_KINDS: tuple[str, ...] = (
    "Elektroinstallation Neubau",
    "Sanierung Altbau",
    "Wallbox-Installation",
    "Zählerschrank erneuern",
    "Beleuchtung Büro",
    "Netzwerkverkabelung",
    "E-Check Betrieb",
    "Unterverteilung Werkstatt",
    "Smart-Home-Nachrüstung",
    "Außenbeleuchtung",
)

ADDITIONAL_POSITIONS: tuple[tuple[str, str, float], ...] = (
    ("Entsorgung Altmaterial", "pauschal", 35.0),
    ("Anmeldung beim Netzbetreiber", "pauschal", 89.0),
    ("Parkgebühren", "Stück", 6.5),
    ("Messprotokoll nach DIN VDE 0100-600", "Stück", 49.0),
)
