"""Partner organisations, their mentions in the text, and collaboration graphs.

Each case (STO region) keeps a registry of its partner organisations with a
type and aliases (``registry``). Mentions of those organisations are found in
every document of the case (``mentions``); collaboration codings (codes the
codebook marks as dyads or forms) get the organisations they involve (``links``); links become
networkx graphs per case or pooled (``graph``), compared across cases
(``metrics``) and drawn (``draw``).
"""

from __future__ import annotations

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
