"""Group references: the partners a plural phrase in a passage stands for.

'de andere scholen', 'alle drie de vmbo-scholen', 'de vmbo- en pro-scholen',
'beide ROC's', 'de twee Wâldlân-scholen'. People name partners in groups,
and a collaboration passage's proposal should hold every partner such a
phrase denotes in the case, marked as inferred. Pure functions over the
passage and the case's types and name forms; links.py applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from casebook.orgtypes import COMPANY, DEFAULT_TYPES, MUNICIPALITY, SCHOOL

# Plural nouns people use for a group of partners, with the words the types they cover answer to
# (a type's key, synonyms or role: see Vocabulary.answers_to). A broad noun ('scholen', 'bedrijven')
# counts with a quantifier ('alle', 'beide', 'de andere', 'drie') or when the code's partner types
# say which ('de bedrijven in de werkgroep' under a vmbo–bedrijf code). Plurals built on a type's
# word ('vmbo-scholen', 'roc's', 'pro-locaties') need no entry: the word in front says the type.
GROUP_NOUNS: dict[str, tuple[frozenset[str], bool]] = {
    "vmboscholen": (frozenset({"vmbo"}), True),
    "basisscholen": (frozenset({"basisschool"}), True),
    "hogescholen": (frozenset({"hogeschool"}), True),
    "gemeenten": (frozenset({MUNICIPALITY}), True),
    "gemeentes": (frozenset({MUNICIPALITY}), True),
    "scholen": (frozenset({SCHOOL}), False),
    "bedrijven": (frozenset({COMPANY}), False),
    "werkgevers": (frozenset({COMPANY}), False),
}
_NUMBERS = "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|\\d+"
_GROUP_RE = re.compile(
    rf"(?<![\w-])(?P<q>(?:(?:alle|beide|al|de|die|deze|onze|andere|overige|deelnemende|betrokken|{_NUMBERS})\s+)+"
    r"(?P<adj>[a-zà-ÿ]+e\s+)?)?"  # 'alle zes openbare basisscholen': an adjective after a count
    rf"(?P<noun>{'|'.join(sorted(map(re.escape, GROUP_NOUNS), key=len, reverse=True))}"
    # 'de vmbo- en pro-scholen', 'beide pabo's': a plural built on the words types are known by
    r"|(?:[a-zà-ÿ]{2,}-\s+(?:en|of)\s+)*[a-zà-ÿ]{2,}(?:-(?:scholen|locaties|instellingen)|'s))"
    r"(?![\w-])",
    re.IGNORECASE,
)
_FRONT = re.compile(r"([a-zà-ÿ]{2,})(?:-|'s)", re.IGNORECASE)
# 'elke vmbo-school', 'ieder bedrijf': one of each is all of them
_EACH_NOUNS = {
    "vmbo-school": "vmbo-scholen",
    "vmboschool": "vmboscholen",
    "vmbo-locatie": "vmbo-locaties",
    "mbo-school": "mbo-scholen",
    "mbo-instelling": "mbo-instellingen",
    "basisschool": "basisscholen",
    "po-school": "po-scholen",
    "hogeschool": "hogescholen",
    "gemeente": "gemeenten",
    "school": "scholen",
    "bedrijf": "bedrijven",
    "werkgever": "werkgevers",
}
_EACH_RE = re.compile(
    rf"(?<![\w-])(?:elke|elk|iedere|ieder)\s+(?P<noun>{'|'.join(sorted(map(re.escape, _EACH_NOUNS), key=len, reverse=True))})(?![\w-])",
    re.IGNORECASE,
)
# 'van de stichting', 'van het bestuur': the group belongs to an organisation named after it
_OWNER_AFTER = re.compile(r"\s+van\s+(?:de|het)\s+(?:stichting|bestuur|vereniging|koepel)\b", re.I)
_POSSESSIVE_Q = re.compile(r"\b(?:onze|ons)\b", re.IGNORECASE)
_QUANTIFIER = re.compile(rf"\b(?:alle|beide|andere|overige|{_NUMBERS})\b", re.IGNORECASE)


def _denoted(noun: str) -> tuple[frozenset[str], bool]:
    """The type words a plural noun stands for, and whether it names one kind ('vmbo-scholen')."""
    return GROUP_NOUNS.get(noun) or (frozenset(_FRONT.findall(noun)), True)


def group_references(
    text: str,
    partner_types: frozenset[str] = frozenset(),
    answers: Callable[[str], frozenset[str]] = DEFAULT_TYPES.answers_to,
) -> list[tuple[str, frozenset[str]]]:
    """Group references in a passage ('de andere scholen') with the organisation types they denote.

    A code's partner types narrow a broad noun: 'de andere scholen' under a
    vmbo–vmbo code means the vmbo schools, not every school. A partner type
    counts when the noun names it by key, synonym or role (``answers``: the
    project's vocabulary), so a project's own school types are narrowed too.
    """

    def narrow(types: frozenset[str]) -> frozenset[str]:
        return frozenset(t for t in partner_types if t in types or answers(t) & types)

    out: list[tuple[str, frozenset[str]]] = []
    for m in _GROUP_RE.finditer(text):
        types, specific = _denoted(m.group("noun").lower())
        quantified = bool(m.group("q") and _QUANTIFIER.search(m.group("q")))
        narrowed = narrow(types)
        if not specific and partner_types and not narrowed:
            continue  # 'de andere scholen' under a code about other kinds of partner
        if m.group("adj") and not quantified:
            continue  # 'het bestuur van de openbare basisscholen' describes the board, counts none
        if not m.group("q") or not (specific or quantified or narrowed):
            continue  # a bare plural, or 'de scholen' under a code that does not say which: too vague
        if not specific and _POSSESSIVE_Q.search(m.group("q")):
            continue  # 'zes van onze scholen': the speaker's own, not the partners of that type
        if _OWNER_AFTER.match(text, m.end()):
            continue  # 'de andere scholen van de stichting': the board named after it stands for them
        out.append((m.group(0).strip(), narrowed or types))
    for m in _EACH_RE.finditer(text):
        types, specific = _denoted(_EACH_NOUNS[m.group("noun").lower()])
        narrowed = narrow(types)
        if not specific and not narrowed:
            continue  # 'iedere school' may be a school of any kind, or of a kind the code does not name
        out.append((m.group(0).strip(), narrowed or types))
    return out


_SITES = "(?:scholen|locaties|vestigingen|instellingen|colleges|bedrijven)"
_COUNTED = rf"(?:(?:alle|de|die|deze)\s+)?(?:beide|alle|{_NUMBERS})\s+(?:(?:de|andere)\s+)?"


def shared_name_groups(passage: str, index: Any) -> list[tuple[str, list[str]]]:
    """'de twee Wâldlân-scholen', 'beide locaties van Wâldlân': every partner whose name has the word.

    A word two or more partners share (the ambiguous forms of the index) is
    the name of their board or brand; counted and plural, it names all of
    them rather than one to choose from.
    """
    out: list[tuple[str, list[str]]] = []
    if index is None:
        return out
    for key, ids in index.ambiguous.items():
        if " " in key or len(key) < 3:
            continue
        word = re.escape(key)
        pattern = re.compile(
            rf"(?<![\w-]){_COUNTED}(?:{word}(?:-[a-zà-ÿ]+|{_SITES})|{_SITES}\s+van\s+(?:(?:de|het)\s+)?{word})"
            r"(?![\w-])",
            re.IGNORECASE,
        )
        for m in pattern.finditer(passage):
            out.append((m.group(0), list(ids)))
    return out


_WORD_NUMBERS = {"beide": 2, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7}
_WORD_NUMBERS |= {"acht": 8, "negen": 9, "tien": 10}


def _counted(phrase: str, fits: list[Any], own: Any = None) -> list[Any]:
    """The partners a group reference with a number denotes: 'de twee scholen', 'tien bedrijven'.

    More partners of those types than the number: the one type with exactly
    that many partners ('de twee scholen' in a case with two vmbo schools, an
    mbo and a primary board are the vmbo schools), else all of them. Fewer
    partners than the number: a broad noun ('een stuk of tien bedrijven' with
    three registered) reaches beyond the registry and says nothing about which
    partners are in it; a noun for one kind ('de drie vmbo-scholen' with two
    registered) still takes the registered ones. 'De andere twee scholen' said
    by a school (``own``, the turn's organisation) whose type has three
    partners are the other two of its type, before any other type with two.
    """
    numbers = [
        _WORD_NUMBERS.get(w.lower()) or (int(w) if w.isdigit() else None) for w in phrase.split()
    ]
    n = next((x for x in numbers if x), None)
    if n is None or n == len(fits):
        return fits
    if n > len(fits):
        _, specific = GROUP_NOUNS.get(phrase.split()[-1].lower(), (frozenset(), True))
        return fits if specific else []
    by_type: dict[str, list[Any]] = {}
    for o in fits:
        by_type.setdefault(o.counts_as, []).append(o)  # the penvoerder counts as a vmbo school
    if own is not None and "andere" in phrase.lower().split():
        peers = [o for o in by_type.get(own.counts_as, []) if o.id != own.id]
        if len(peers) == n and len(peers) < len(by_type.get(own.counts_as, [])):
            return peers  # 'de andere twee scholen', said by the third school of that type
    exact = [group for group in by_type.values() if len(group) == n]
    return exact[0] if len(exact) == 1 else fits
