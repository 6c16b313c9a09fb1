"""The article before a short name agrees with the noun the full name ends in.

'het Hoefslag' is the Hoefslag College (het college), 'de Hoefslag' the
Hoefslag Vakschool (de school): a Dutch speaker who shortens a name keeps
the article of its head noun. When a shared word could mean several
partners, 'het' or 'de' right before it keeps the ones whose names take that
article. A compound takes the gender of its last part ('brinkcollege': het).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Heads of organisation names by the article they take. Longest ending wins.
NEUTER = (
    "college",
    "lyceum",
    "atheneum",
    "gymnasium",
    "roc",
    "instituut",
    "centrum",
    "bedrijf",
    "platform",
    "pact",
    "huis",
    "lab",
    "genootschap",
    "collectief",
    "servicepunt",
    "punt",
)
COMMON = (
    "school",
    "scholengemeenschap",
    "gemeenschap",
    "academie",
    "stichting",
    "vereniging",
    "groep",
    "gemeente",
    "hogeschool",
    "universiteit",
    "fabriek",
    "coöperatie",
    "cooperatie",
    "werf",
    "kring",
    "campus",
    "provincie",
    "organisatie",
    "federatie",
    "alliantie",
)
_ENDINGS = sorted(
    [(e, "het") for e in NEUTER] + [(e, "de") for e in COMMON], key=lambda x: -len(x[0])
)
_WORD = re.compile(r"[^\W\d_]+")


def name_article(name: str) -> str | None:
    """'het' or 'de' for the last word of a name that ends in a known head noun, else None."""
    for word in reversed(_WORD.findall(name.lower())):
        for ending, article in _ENDINGS:
            if word.endswith(ending):
                return article
    return None


def agreeing(article: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """The ids of (id, name) pairs whose name takes ``article`` ('het', 'de', 't')."""
    want = "het" if article.lower() in ("het", "'t", "’t") else "de"
    return [i for i, name in names if name_article(name) == want]
