"""Forms built from the parts of a name: a hyphenated name's initials, a family firm said family first.

Two habits the word-by-word derivation in ``casebook.partners.variants``
does not cover:

- A distinctive part joined by a hyphen (``Oost-Veenland``, ``Midden-Venen``)
  is said by the initials of its parts (``OV``), also after the type's
  acronym (``ROC OV`` for *ROC Oost-Veenland*).
- A family firm registered trade first (``Metaalbewerking Jansen B.V.``) is
  just as often said family first (``Jansen Metaalbewerking``), and its
  initials follow that order (``JM``; ``JI`` and ``JIB`` for
  ``Installatiebedrijf Jansen``, whose trade is a compound): lorries,
  letterheads and notes use them.
- A firm named by a word and a compound trade (``Haven Installatiegroep``)
  is said by the trade alone after an article (``de Installatiegroep``) and by
  the word and the trade without the compound's ending (``Haven
  Installatie``): the ending ('groep', 'bedrijf') is what people leave off.
- A name without its place keeps being a name when two or more capitalised
  words are left (``Technisch College`` for *Technisch College Veldhoven*),
  even when each word alone is a type word.
- A family firm with its kin (``Smit & Zonen``) is also said by the two
  initials around the ampersand (``S&Z``), as people write ``B&O``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.partners.words import TYPE_ENDINGS

# derived origins kept without a distinctive word (initials, bare type words, head nouns)
ALWAYS_WORTH = ("initials", "type-word", "head-noun", "compound-head", "type-phrase")


def named_rest(variant: str, origin: str) -> bool:
    """'Technisch College': the name without its place, two or more capitalised words.

    Its words are all type words, so it is kept as a 'type-phrase' and matched
    only as written, with capitals ('een technisch college' is any college).
    """
    words = variant.split()
    return origin == "no-place" and len(words) >= 2 and all(w[:1].isupper() for w in words)


def part_forms(
    words: Sequence[str], kinds: Sequence[str], *, company: bool
) -> list[tuple[str, str]]:
    """(form, origin) for a name split into ``words`` with their ``kinds`` (as ``derive`` sorts them).

    ``kinds`` holds 'type', 'content', 'legal', 'place', 'article' or
    'particle' per word; a family suffix is already gone from ``words``.
    """
    out: list[tuple[str, str]] = []
    content = [i for i, k in enumerate(kinds) if k == "content"]
    if len(content) == 1:
        parts = [p for p in re.split(r"[-–]", words[content[0]]) if p]
        if len(parts) >= 2 and all(p[:1].isupper() and len(p) >= 3 for p in parts):
            letters = "".join(p[0] for p in parts)
            out.append((letters, "initials"))
            types = [w for w, k in zip(words, kinds, strict=True) if k == "type"]
            if len(types) == 1 and types[0].isupper() and content[0] > kinds.index("type"):
                out.append((f"{types[0]} {letters}", "type-initials"))  # 'ROC OV'
    named = [i for i, k in enumerate(kinds) if k in ("content", "particle")]
    if (
        company
        and kinds
        and kinds[0] == "type"
        and len(words[0]) > 4
        and named
        and kinds.count("type") == 1
        and all(k in ("content", "particle", "legal") for k in kinds[1:])
    ):
        family = [words[i] for i in named]
        trade = words[0]
        out.append((" ".join([*family, trade]), "family-first"))
        firsts = "".join(w[0].upper() for w in family if w[:1].isupper()) + trade[0].upper()
        compound = next(
            (e for e in TYPE_ENDINGS if trade.lower().endswith(e) and len(trade) >= len(e) + 3),
            None,
        )
        for letters in (firsts, firsts + compound[0].upper() if compound else firsts):
            if 2 <= len(letters) <= 5 and (letters, "initials") not in out:
                out.append((letters, "initials"))
    named_kinds = [(w, k) for w, k in zip(words, kinds, strict=True) if k != "legal"]
    if company and len(named_kinds) >= 2 and named_kinds[-1][1] == "type":
        trade = named_kinds[-1][0]
        ending = next(
            (e for e in TYPE_ENDINGS if trade.lower().endswith(e) and len(trade) >= len(e) + 4),
            None,
        )
        if ending and all(k == "content" for _, k in named_kinds[:-1]):
            out.append((trade, "type-word"))
            stem = trade[: -len(ending)]
            out.append((" ".join([*(w for w, _ in named_kinds[:-1]), stem]), "trade-stem"))
    return out


def family_forms(head: str, kin_forms: Sequence[str]) -> list[tuple[str, str]]:
    """(form, origin) for a family head and its kin: 'Smit & Zonen', 'Smit en Zn', …, and 'S&Z'."""
    out = [(f"{head} {link} {k}", "family") for link in ("&", "en") for k in kin_forms]
    if " " not in head and head[:1].isupper():
        out += [(f"{head[0]}&{k[0].upper()}", "initials") for k in kin_forms[-1:]]
    return out
