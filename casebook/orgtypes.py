"""Organisation types: the stored keys, the labels readers see, and what users may write for them.

Kept below the codebook, the partner registry and the reports, which all name
types: a collaboration code lists the partner types it takes, the registry
stores them, tables and legends show them.
"""

from __future__ import annotations

import re

from casebook.errors import InvalidInput

# Stored type keys, in the order tables and legends show them, with the label a reader sees.
ORG_TYPES: dict[str, str] = {
    "vmbo-penvoerder": "vmbo (penvoerder)",
    "vmbo": "vmbo",
    "mbo": "mbo",
    "po": "po",
    "vso/pro": "vso/pro",
    "hbo/pabo": "hbo/pabo",
    "bedrijf": "bedrijf",
    "branche": "branche/werkgeversorganisatie",
    "gemeente": "gemeente/overheid",
    "ondersteuning": "ondersteuning",
    "overig": "overig",
}

_TYPE_SYNONYMS: dict[str, str] = {
    "vmbo": "vmbo",
    "vmbo-school": "vmbo",
    "vmbo school": "vmbo",
    "deelnemende vmbo-school": "vmbo",
    "vmbo-penvoerder": "vmbo-penvoerder",
    "vmbo penvoerder": "vmbo-penvoerder",
    "vmbo (penvoerder)": "vmbo-penvoerder",
    "penvoerder": "vmbo-penvoerder",
    "mbo": "mbo",
    "roc": "mbo",
    "mbo-instelling": "mbo",
    "po": "po",
    "basisschool": "po",
    "primair onderwijs": "po",
    "vso/pro": "vso/pro",
    "vso": "vso/pro",
    "pro": "vso/pro",
    "vso-pro": "vso/pro",
    "pro/vso": "vso/pro",
    "praktijkonderwijs": "vso/pro",
    "hbo/pabo": "hbo/pabo",
    "hbo": "hbo/pabo",
    "pabo": "hbo/pabo",
    "wo": "hbo/pabo",
    "lerarenopleiding": "hbo/pabo",
    "bedrijf": "bedrijf",
    "bedrijven": "bedrijf",
    "bedrijfsleven": "bedrijf",
    "company": "bedrijf",
    "branche": "branche",
    "branche/werkgeversorganisatie": "branche",
    "brancheorganisatie": "branche",
    "werkgeversorganisatie": "branche",
    "gemeente": "gemeente",
    "gemeente/overheid": "gemeente",
    "overheid": "gemeente",
    "lokale overheid": "gemeente",
    "provincie": "gemeente",
    "ondersteuning": "ondersteuning",
    "sto-ondersteuning": "ondersteuning",
    "landelijk": "ondersteuning",
    "overig": "overig",
    "overige": "overig",
    "other": "overig",
}


def normalise_type(value: str | None) -> str:
    """The stored type key for what a user or a partner list wrote."""
    key = re.sub(r"\s+", " ", (value or "").strip().lower())
    if not key:
        return "overig"
    if key in ORG_TYPES:
        return key
    if key in _TYPE_SYNONYMS:
        return _TYPE_SYNONYMS[key]
    raise InvalidInput(f"unknown organisation type '{value}'; use one of: {', '.join(ORG_TYPES)}")
