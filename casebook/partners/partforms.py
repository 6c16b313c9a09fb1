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
- A family firm with its kin (``Smit & Zonen``) is also said by the two
  initials around the ampersand (``S&Z``), as people write ``B&O``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.partners.words import TYPE_ENDINGS


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
    return out


def family_forms(head: str, kin_forms: Sequence[str]) -> list[tuple[str, str]]:
    """(form, origin) for a family head and its kin: 'Smit & Zonen', 'Smit en Zn', …, and 'S&Z'."""
    out = [(f"{head} {link} {k}", "family") for link in ("&", "en") for k in kin_forms]
    if " " not in head and head[:1].isupper():
        out += [(f"{head[0]}&{k[0].upper()}", "initials") for k in kin_forms[-1:]]
    return out
