"""The region's own name, read from the partner list: the word several partners' names end on.

A regional partnership's registry often spells out the region in the
official names ('Stichting Techniekhuis Oldemark', 'Vereniging Werkgevers
Oldemark'), while nobody names the region when they speak of one of them:
'de VW', not 'de VWO'. When the case's attributes do not list that word as a
place, the registry itself shows it: a capitalised closing word that two or
more organisations share, which is no type word, legal form, family suffix
or ordinary Dutch word (unless a compass point opens it: 'Noordkust'). It then counts as one of the case's places, so the
initials and short forms are derived without it as they are for a town.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from casebook.partners.words import (
    FAMILY_SUFFIX,
    LEGAL_FORMS,
    LEGAL_SUFFIXES,
    PARTICLES,
    STOP_WORDS,
    TYPE_WORDS,
    is_dictionary_word,
)


def _closing_word(name: str) -> str | None:
    """The last word of a name before its legal form ('Bakker Oldemark B.V.' → 'Oldemark')."""
    words = FAMILY_SUFFIX.sub("", name).split()
    while words and words[-1].lower().strip(",.") in LEGAL_SUFFIXES | {"b.v", "n.v"}:
        words.pop()
    if len(words) < 2 or "&" in words[-2:]:
        return None  # a one-word name is all name; 'Jansen & Smit' ends on a person
    return words[-1].strip(",;:()")


def shared_region_words(names: Iterable[str], min_orgs: int = 2) -> list[str]:
    """Closing words at least ``min_orgs`` different names share, when they read as a proper name."""
    seen: dict[str, set[str]] = {}
    written: dict[str, str] = {}
    for name in names:
        word = _closing_word(name)
        if not word or not word[:1].isupper() or not word.isalpha():
            continue
        key = word.casefold()
        if (
            key in TYPE_WORDS
            or key in LEGAL_FORMS
            or key in PARTICLES
            or key in STOP_WORDS
            or word.isupper()  # 'ROC', 'MBO': an acronym, not a region
        ):
            continue
        seen.setdefault(key, set()).add(name.casefold())
        written.setdefault(key, word)
    return [
        written[k]
        for k, owners in seen.items()
        if len(owners) >= min_orgs
        and (not is_dictionary_word(written[k]) or _COMPASS.match(written[k]))
    ]


# 'Noordkust', 'Westhoek', 'Zuidoost': a compass point makes an ordinary word a region's name.
_COMPASS = re.compile(r"(?:noord|zuid|oost|west)(?=\w{3})", re.I)
