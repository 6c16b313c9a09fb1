"""How the compound words in Dutch organisation names come apart.

'Scheeps|werf' is a werf, 'Kind|centrum' a centrum, 'Brink|college' a college
people call 'het Brink', 'Werkgevers|service|punt' gives the letters WSP.
Pure functions over one word; variants.py derives name forms with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.partners.words import (
    ARTICLES,
    COMPANY_ENDINGS,
    GENERIC_HEADS,
    HEAD_NOUNS_ALONE,
    KIND_ENDINGS,
    TYPE_ENDINGS,
    TYPE_NOUNS,
)


def _compound_head(word: str) -> str | None:
    """The head of a compound joined by a linking s: 'scheepswerf' → 'werf', 'wetenschapsknooppunt' → 'knooppunt'.

    Dutch joins the parts of many compounds with an s ('scheeps|werf',
    'werkgevers|vereniging'); what follows the last such s is the noun the
    compound names, and people who know the one partner so called use it alone
    after 'de' or 'het'. Heads that every company has ('het bedrijf', 'de
    fabriek', 'de groep') name nothing in particular and are left out.
    """
    if len(word) < 9 or not word.isalpha():
        return None
    cut = word.rfind("s", 4, len(word) - 4)
    if cut < 0 or word[cut - 1] in "aeiou":  # 'maakindus|trie', 'huis|…': no linking s there
        return None
    head = word[cut + 1 :]
    if head[0] in "aeiou" or head.startswith("ch"):
        return None  # 'huisart|s|enpraktijk', 'gemeen|s|chap': not where the parts meet
    if (
        head in COMPANY_ENDINGS
        or head in HEAD_NOUNS_ALONE
        or head in GENERIC_HEADS
        or head in ARTICLES
    ):
        return None
    return head


def _names_a_kind(word: str) -> bool:
    """A type word that names an institution after an article: 'het Vakcollege', 'het kindcentrum'."""
    return word in TYPE_NOUNS or _kind_compound(word)


def _kind_compound(word: str) -> bool:
    """A compound ending in a noun for a kind of organisation ('kindcentrum', 'brinkcollege')."""
    return any(word.endswith(e) and len(word) >= len(e) + 3 for e in KIND_ENDINGS)


def _compound_front(word: str) -> str | None:
    """'Brink' for 'Brinkcollege': the distinctive front of a one-word name ending in its kind."""
    low = word.lower()
    for e in KIND_ENDINGS:
        if low.endswith(e) and len(low) >= len(e) + 4 and word[:1].isupper():
            front = word[: len(word) - len(e)].rstrip("-")
            if front.isalpha() and front[1:].islower():
                return front
    return None


def _compound_type(word: str) -> bool:
    """A compound that names a kind of company ('bouwgroep', 'autobedrijf', 'timmerfabriek')."""
    return any(word.endswith(e) and len(word) >= len(e) + 3 for e in COMPANY_ENDINGS)


def _initials(word: str) -> str:
    """'Midden-Venen' → 'MV', 'Vakcollege' → 'VC', 'ROC' → 'R', 'Heuvelland' → 'H'."""
    letters = ""
    for part in re.split(r"[-–]", word):
        part = part.strip(",;:()\"'.&")
        if not part or not part[0].isalpha():
            continue
        letters += part[0].upper()
        low = part.lower()
        for ending in TYPE_ENDINGS:
            if low.endswith(ending) and len(low) >= len(ending) + 3:
                letters += ending[0].upper()
                break
    return letters


def _abbreviates(letters: str, words: Sequence[str]) -> bool:
    """Whether ``letters`` abbreviate ``words``: every word's first letter, plus letters starting parts inside it."""
    if not letters or not words or len(letters) > 3 * len(words):
        return False

    def match(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(letters)
        word = words[w].lower()
        if i >= len(letters) or letters[i] != word[0]:
            return False
        if match(i + 1, w + 1):
            return True

        # more letters from inside a compound: each starts a part of three letters or more
        def inner(i2: int, pos: int) -> bool:
            if match(i2, w + 1):
                return True
            if i2 >= len(letters):
                return False
            for p in range(max(pos, 3), len(word) - 2):
                if word[p] == letters[i2] and inner(i2 + 1, p + 3):
                    return True
            return False

        return inner(i + 1, 3)

    return match(0, 0)
