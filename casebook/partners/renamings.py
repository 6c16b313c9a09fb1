"""Names a text gives an organisation besides its own: old names, buildings, what people say.

After a merger or a renaming people keep the old name for years, and a
school or college is often called by its building. The registry knows none
of this, but the texts usually say it once, right next to a name the
registry does know:

- ``X (voorheen Y en Z)``, ``X, tot 2025 Y``, ``X, vroeger Y``: Y and Z are X's old names;
- ``Y is opgegaan in X``, ``Y, nu onderdeel van X``, ``Y (nu X)``: the same;
- ``Y is de praktijkhal van X``, ``Y, het gebouw van X``: a building standing for its owner
  (``Y is een sporthal van X`` says Y is one of X's buildings, not what X is called);
- ``(de mensen) zeggen X, of Y``: two names for one organisation after a verb of saying;
- ``X. Vroeger Y``, ``we heten X, maar iedereen zegt nog Y``, ``de naamswijziging van Y naar
  X``, ``Y voert sinds 2022 de naam X``: a renaming said in a sentence of its own;
- ``de afdeling Y van X``: a department named for its organisation (``Leren en Werken``),
  and the initials of a department of two words joined by 'en' or '&' (``L&W``);
- ``X, dat is "Y"``, ``Y, dat is X``, ``X is "Y"``: two names said to be one, the quotes
  marking a name when only a verb joins them (``X is de penvoerder`` says what X is);
- ``X is de rechtsopvolger van Y``: Y is X's old name.

Each such Y resolves to X's organisation wherever the case's documents write
it with a capital (``casebook.partners.definitions.find_defined``), and an old
name of a type word and one other word (``Carolus College``) also gives that
word alone (``het Carolus``), as a registered name would; when that type word is an
acronym (``ROC Veldhoven``) the acronym alone (``het ROC``) means the renamed one too.
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
    r"\s*(?:[,(]\s*(?:[A-Z]{2,6},\s*)?(?:voorheen|vroeger|destijds|tot\s+(?:\d{4}|vorig jaar))"
    r"|\.\s+(?:Voorheen|Vroeger))"
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
# before X: 'de naamswijziging van Y naar ', 'Y voert (sinds 1 januari 2022) de naam '
_RENAMED_TO = re.compile(
    rf"(?:naams?wijziging\s+van\s+{_NAME}\s+(?:naar|in)"
    rf"|{_NAME}\s+(?:voert|draagt|heeft)\s+(?:(?:sinds|vanaf|per)\s+[^.,;!?\n]{{1,30}}?\s+|nu\s+)?"
    r"de\s+naam)\s+(?:het\s+|de\s+)?$"
)
# before X: '(de) afdeling Y van (de|het) ', Y of up to three words joined by 'en' or '&'
_DEPARTMENT = re.compile(
    rf"(?<![\w-])afdeling\s+({_WORD}(?:\s+(?:en\s+|&\s+)?{_WORD}){{0,2}})\s+van\s+(?:het\s+|de\s+)?$"
)
# after X: ', maar iedereen zegt (nog steeds) Y': the name people kept using
_STILL_SAID = re.compile(
    r",?\s+maar\s+(?:\w+\s+){1,2}(?:zegt|zeggen|noemt|noemen)\s+(?:het\s+|ons\s+|hen\s+)?"
    rf"nog(?:\s+steeds|\s+altijd)?\s+{_QUOTE_OPEN}{_NAME}{_QUOTE_CLOSE}(?=[\s,.;:!?)]|$)"
)
# after X: ', dat is "Y"' or ', dat is Y' closing the clause; 'is "Y"', 'heet "Y"' only in quotes;
# 'is (per 1 januari 2021) de rechtsopvolger van Y'
_EQUALS_AFTER = re.compile(
    rf"\s*,\s*dat\s+is\s+{_QUOTE_OPEN}{_NAME}{_QUOTE_CLOSE}(?=\s*[,.;:!?)]|\s*$)"
    rf"|\s+(?:is|heet|heten)\s+[\"‘“]{_NAME}[\"’”]"
    rf"|\s+is\s+(?:[^.;:!?\n]{{0,40}}?\s+)?de\s+(?:rechts)?opvolger\s+van\s+{_NAME}"
)
_EQUALS_CUES = ("dat is ", ' is "', " is “", " heet ", " heten ", "opvolger van ")
# before X: 'Y, dat is '
_EQUALS_BEFORE = re.compile(
    rf"{_QUOTE_OPEN}{_NAME}{_QUOTE_CLOSE}\s*,\s*dat\s+is\s+(?:het\s+|de\s+)?$"
)
# the word right before X (an article skipped) says which of the patterns before X can apply
_TAIL = re.compile(
    r"(?<![\w-])(in|van|nu|inmiddels|tegenwoordig|naar|naam|is)\s+(?:het\s+|de\s+)?$", re.I
)
_PATTERNS_AFTER = {
    "in": (_MERGED_INTO,),
    "nu": (_MERGED_INTO,),
    "inmiddels": (_MERGED_INTO,),
    "tegenwoordig": (_MERGED_INTO,),
    "van": (_MERGED_INTO, _BUILDING_OF, _DEPARTMENT),  # 'nu onderdeel van', 'de praktijkhal van'
    "naar": (_RENAMED_TO,),
    "naam": (_RENAMED_TO,),
    "is": (_EQUALS_BEFORE,),
}
# a text without any of these words has none of the patterns: substring tests, not one search per name
_FORMERLY_CUES = (
    "voorheen",
    "vroeger",
    "destijds",
    "tot 1",
    "tot 2",
    "tot vorig",
    ". Vroeger",
    ". Voorheen",
)
_BEFORE_CUES = (
    "opgegaan",
    "opgenomen",
    "onderdeel van",
    "(nu ",
    "(inmiddels",
    "(tegenwoordig",
    *(f"{n} van " for n in _BUILDING_NOUNS),
    "afdeling ",
    "wijziging van ",
    "de naam ",
    "dat is ",
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
    equals = any(c in text for c in _EQUALS_CUES)
    for start, end, org_id in resolved:
        after = text[end : end + 8]
        m = _FORMERLY.match(text, end) if formerly and any(c in after for c in ",(.") else None
        if m:
            out.append((m.group(1), org_id))
            out += [(n.group(1), org_id) for n in _MORE.finditer(m.group(2))]
        e = _EQUALS_AFTER.match(text, end) if equals else None
        if e:
            out.append((next(g for g in e.groups() if g), org_id))
        tail = _TAIL.search(text, max(0, start - 16), start) if before else None
        # most names follow none of these words: the longer searches are skipped
        for pattern in _PATTERNS_AFTER[tail.group(1).lower()] if tail else ():
            b = pattern.search(text[max(0, start - 120) : start])
            if b:
                name = next(g for g in b.groups() if g)
                out.append((name, org_id))
                if pattern is _DEPARTMENT:
                    out += [(i, org_id) for i in _joined_initials(name)]
        still = _STILL_SAID.match(text, end) if "maar" in after else None
        if still and _SAYING_BEFORE.search(text, max(0, start - 60), start):
            out.append((still.group(1), org_id))
        said = _OR_AFTER.match(text, end) if " of " in after else None
        if said and _SAYING_BEFORE.search(text, max(0, start - 60), start):
            out.append((said.group(1), org_id))
    forms: list[tuple[str, str]] = []
    for name, org_id in out:
        forms.append((name, org_id))
        forms += [(b, org_id) for b in _bare_words(name) if b.lower() not in name_words]
    return forms


def _bare_words(name: str) -> list[str]:
    """'Carolus College' → 'Carolus', 'ROC Veldhoven' → 'ROC' (and 'Veldhoven', a place the caller drops).

    An old name of a type word and one more word keeps that word; a type word
    written as an acronym is kept as well: who still says the old name says 'het ROC'.
    """
    words = name.split()
    kinds = [w.lower() in TYPE_WORDS or w.lower() in TYPE_NOUNS for w in words]
    if len(words) == 2 and sum(kinds) == 1 and words[0].lower() not in ("de", "het"):
        kind = words[kinds.index(True)]
        return [words[kinds.index(False)], *([kind] if kind.isupper() and len(kind) >= 3 else [])]
    return []


def _joined_initials(name: str) -> list[str]:
    """'Leren en Werken' → 'L&W': two capitalised words joined by 'en' or '&' are said by their initials."""
    m = re.fullmatch(r"([A-ZÀ-Þ])\w+\s+(?:en|&)\s+([A-ZÀ-Þ])\w+", name)
    return [f"{m.group(1)}&{m.group(2)}"] if m else []
