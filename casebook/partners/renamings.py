"""Names a text gives an organisation besides its own: old names, buildings, what people say.

After a merger or a renaming people keep the old name for years, and a
school or college is often called by its building. The registry knows none
of this, but the texts usually say it once, right next to a name the
registry does know:

- ``X (voorheen Y en Z)``, ``X, tot 2025 Y``, ``X, vroeger Y``: Y and Z are X's old names;
- ``Y is opgegaan in X``, ``Y, nu onderdeel van X``, ``Y (nu X)``: the same;
- ``Y is de praktijkhal van X``, ``Y, het gebouw van X``: a building standing for its owner
  (``Y is een sporthal van X`` says Y is one of X's buildings, not what X is called);
- ``(de mensen) zeggen X, of Y``: two names for one organisation after a verb of saying.

Each such Y resolves to X's organisation wherever the case's documents write
it with a capital (``casebook.partners.definitions.find_defined``), and an old
name of a type word and one other word (``Carolus College``) also gives that
word alone (``het Carolus``), as a registered name would.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from casebook.partners.words import TYPE_NOUNS, TYPE_WORDS

# a name: one to four capitalised words, optionally with 'de'/'het' in front ('de Esch', 'Mavo Wierdenkamp')
_WORD = r"[A-ZÀ-Þ][\w'’-]+"
_NAME = rf"((?:[Dd]e |[Hh]et )?{_WORD}(?: (?:van |de |der )?{_WORD}){{0,3}})"
_QUOTE_OPEN = r"[\"'‘“]?"
_QUOTE_CLOSE = r"[\"'’”]?"
# after X: ', voorheen Y en Z', '(tot 2025 Y)', ', vroeger Y'
_FORMERLY = re.compile(
    r"\s*[,(]\s*(?:[A-Z]{2,6},\s*)?(?:voorheen|vroeger|destijds|tot\s+(?:\d{4}|vorig jaar))"
    rf"\s*:?\s+{_NAME}((?:\s*(?:,|en)\s+{_NAME})*)"
)
_MORE = re.compile(rf"\s*(?:,|en)\s+{_NAME}")
# before X: 'Y is opgegaan in (het) ', 'Y, nu onderdeel van ', 'Y (nu '
_MERGED_INTO = re.compile(
    rf"{_QUOTE_OPEN}{_NAME}{_QUOTE_CLOSE}\s*"
    r"(?:(?:is|zijn)\s+(?:opgegaan|opgenomen)\s+in"
    r"|\(\s*(?:nu|inmiddels|tegenwoordig)(?:\s+onderdeel\s+van)?"
    r"|,\s*(?:nu|inmiddels|tegenwoordig)\s+onderdeel\s+van)"
    r"\s+(?:het\s+|de\s+)?$"
)  # a bare ', nu X' is 'now' in a sentence ('we hadden Y, nu het ROC …'), not a new name
# before X: 'Y is (de|die|het) (grote) praktijkhal van (het) '
_BUILDING_NOUNS = (
    "hal",
    "gebouw",
    "locatie",
    "vestiging",
    "pand",
    "werkplaats",
    "campus",
    "dependance",
)
_BUILDING_OF = re.compile(
    rf"{_NAME}(?:\s+(?:is|was)\s+|\s*,\s*)(?:de|het|die|dat)\s+(?:\w+\s+)?"
    rf"\w*(?:{'|'.join(_BUILDING_NOUNS)})\s+van\s+(?:het\s+|de\s+)?$"
)
# the word right before X (an article skipped) says which of the two patterns before X can apply
_TAIL = re.compile(r"(?<![\w-])(in|van|nu|inmiddels|tegenwoordig)\s+(?:het\s+|de\s+)?$", re.I)
_PATTERNS_AFTER = {
    "in": (_MERGED_INTO,),
    "nu": (_MERGED_INTO,),
    "inmiddels": (_MERGED_INTO,),
    "tegenwoordig": (_MERGED_INTO,),
    "van": (_MERGED_INTO, _BUILDING_OF),  # 'nu onderdeel van', 'de praktijkhal van'
}
# a text without any of these words has none of the patterns: substring tests, not one search per name
_FORMERLY_CUES = ("voorheen", "vroeger", "destijds", "tot 1", "tot 2", "tot vorig")
_BEFORE_CUES = (
    "opgegaan",
    "opgenomen",
    "onderdeel van",
    "(nu ",
    "(inmiddels",
    "(tegenwoordig",
    *(f"{n} van " for n in _BUILDING_NOUNS),
)
# around X: '(ze) zeggen (gewoon) X, of "Y"', 'noemen het X of Y'
_SAYING_BEFORE = re.compile(
    r"(?<![\w-])(?:zeggen|zegt|zei|zeiden|noemen|noemt|noemde|heet|heten)\b[^.?!\n]{0,40}$", re.I
)
_OR_AFTER = re.compile(rf"\s*,?\s+of\s+{_QUOTE_OPEN}{_NAME}{_QUOTE_CLOSE}(?=[\s,.;:!?)]|$)")


def renamed_forms(
    text: str, resolved: Iterable[tuple[int, int, str]], name_words: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(name, organisation id) for every other name this text gives a resolved mention's organisation.

    ``resolved`` holds (start, end, organisation id) of mentions already
    resolved in the text; ``name_words`` the lowercase words of every
    registered name, which an old name's bare word must not be ('Veenland
    College' gives no 'Veenland' when another partner is '... Veenland').
    The caller drops forms that already mean something, given names and places.
    """
    out: list[tuple[str, str]] = []
    formerly = any(c in text for c in _FORMERLY_CUES)
    before = any(c in text for c in _BEFORE_CUES)
    for start, end, org_id in resolved:
        after = text[end : end + 8]
        m = _FORMERLY.match(text, end) if formerly and ("," in after or "(" in after) else None
        if m:
            out.append((m.group(1), org_id))
            out += [(n.group(1), org_id) for n in _MORE.finditer(m.group(2))]
        tail = _TAIL.search(text, max(0, start - 16), start) if before else None
        # most names follow none of these words: the longer searches are skipped
        for pattern in _PATTERNS_AFTER[tail.group(1).lower()] if tail else ():
            b = pattern.search(text[max(0, start - 120) : start])
            if b:
                out.append((b.group(1), org_id))
        said = _OR_AFTER.match(text, end) if " of " in after else None
        if said and _SAYING_BEFORE.search(text, max(0, start - 60), start):
            out.append((said.group(1), org_id))
    forms: list[tuple[str, str]] = []
    for name, org_id in out:
        forms.append((name, org_id))
        bare = _bare_word(name)
        if bare and bare.lower() not in name_words:
            forms.append((bare, org_id))
    return forms


def _bare_word(name: str) -> str | None:
    """'Carolus College' → 'Carolus': an old name of a type word and one more word keeps that word."""
    words = name.split()
    kinds = [w.lower() in TYPE_WORDS or w.lower() in TYPE_NOUNS for w in words]
    if len(words) == 2 and sum(kinds) == 1 and words[0].lower() not in ("de", "het"):
        return words[kinds.index(False)]
    return None
