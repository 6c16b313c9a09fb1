"""Initials written with full stops ('de V.T.O.') or hyphens ('W-B'): the same letters as 'VTO', 'WB'.

Reports and minutes often put a stop after every capital, and notes join
two letters with a hyphen. The letters are read without the stops and
resolved as any abbreviation is: to the organisation whose derived initials
they are, else to the one organisation whose words they abbreviate. Letters
followed by a capitalised word or a name particle are a person's initials
('J.P. de Wit'), not an organisation. Dotted letters in lowercase
('o.v.e.b.') count from four letters on: 'd.w.z.', 'i.s.m.' and their kin
are everyday abbreviations of three.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from casebook.partners.variants import VariantIndex, normalise
from casebook.partners.words import COMMON_ACRONYMS, PARTICLES, STOP_WORDS

_DOTTED = re.compile(
    r"(?<![\w.-])(?:(?:[A-Z]\.){2,6}|(?:[a-z]\.){4,6}|[A-Z](?:-[A-Z]){1,4})(?![\w-])"
)
# a surname after the letters: 'J.P. Wit', 'J.P. de Wit', 'A. van der Berg'
_PERSON_AFTER = re.compile(r"[ \t]+((?:[a-z']+[ \t]+){0,3})([A-Z][\w'-]+)")


def _person_initials(text: str, end: int) -> bool:
    after = _PERSON_AFTER.match(text, end)
    if after is None:
        return False
    particles = after.group(1).split()
    if any(p not in PARTICLES for p in particles):
        return False
    return bool(particles) or after.group(2).lower() not in STOP_WORDS


def dotted_initials(
    text: str, resolve: Callable[[str], str | None]
) -> Iterator[tuple[int, int, str]]:
    """(start, end, organisation id) of dotted initials that ``resolve`` (letters → id) knows."""
    for m in _DOTTED.finditer(text):
        letters = m.group(0).replace(".", "").replace("-", "").upper()
        if letters in COMMON_ACRONYMS or _person_initials(text, m.end()):
            continue
        org_id = resolve(letters)
        if org_id:
            yield m.start(), m.end(), org_id


def initials_of(index: VariantIndex, letters: str) -> str | None:
    """The organisation whose initials these capitals are: a derived form, else an abbreviation."""
    v = index.by_norm.get(normalise(letters))
    if v is not None:
        return v.organisation_id if v.text.isupper() else None
    if normalise(letters) in index.ambiguous:
        return None
    return index.abbreviation(letters)
