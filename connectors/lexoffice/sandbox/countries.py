"""The countries the sandbox knows (a subset of lexoffice's list), with tax classification."""

from __future__ import annotations

_EU = {
    "AT": ("Austria", "Österreich"),
    "BE": ("Belgium", "Belgien"),
    "BG": ("Bulgaria", "Bulgarien"),
    "CY": ("Cyprus", "Zypern"),
    "CZ": ("Czech Republic", "Tschechien"),
    "DK": ("Denmark", "Dänemark"),
    "EE": ("Estonia", "Estland"),
    "ES": ("Spain", "Spanien"),
    "FI": ("Finland", "Finnland"),
    "FR": ("France", "Frankreich"),
    "GR": ("Greece", "Griechenland"),
    "HR": ("Croatia", "Kroatien"),
    "HU": ("Hungary", "Ungarn"),
    "IE": ("Ireland", "Irland"),
    "IT": ("Italy", "Italien"),
    "LT": ("Lithuania", "Litauen"),
    "LU": ("Luxembourg", "Luxemburg"),
    "LV": ("Latvia", "Lettland"),
    "MT": ("Malta", "Malta"),
    "NL": ("Netherlands", "Niederlande"),
    "PL": ("Poland", "Polen"),
    "PT": ("Portugal", "Portugal"),
    "RO": ("Romania", "Rumänien"),
    "SE": ("Sweden", "Schweden"),
    "SI": ("Slovenia", "Slowenien"),
    "SK": ("Slovakia", "Slowakei"),
}
_THIRD = {
    "CH": ("Switzerland", "Schweiz"),
    "LI": ("Liechtenstein", "Liechtenstein"),
    "NO": ("Norway", "Norwegen"),
    "IS": ("Iceland", "Island"),
    "GB": ("United Kingdom", "Vereinigtes Königreich"),
    "US": ("United States of America", "Vereinigte Staaten von Amerika"),
    "CA": ("Canada", "Kanada"),
    "TR": ("Turkey", "Türkei"),
    "UA": ("Ukraine", "Ukraine"),
    "RS": ("Serbia", "Serbien"),
    "CN": ("China", "China"),
    "JP": ("Japan", "Japan"),
    "AU": ("Australia", "Australien"),
    "ES_CN": ("Canary Islands", "Kanarische Inseln"),
    "GR_69": ("Mount Athos", "Berg Athos"),
}


def _entry(code: str, names: tuple[str, str], classification: str) -> dict[str, str]:
    return {
        "countryCode": code,
        "countryNameEN": names[0],
        "countryNameDE": names[1],
        "taxClassification": classification,
    }


COUNTRIES = (
    [_entry("DE", ("Germany", "Deutschland"), "de")]
    + [_entry(code, names, "intraCommunity") for code, names in _EU.items()]
    + [_entry(code, names, "thirdPartyCountry") for code, names in _THIRD.items()]
)
COUNTRY_CODES = frozenset(entry["countryCode"] for entry in COUNTRIES)
