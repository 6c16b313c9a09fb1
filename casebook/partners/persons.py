"""A name word that belongs to a person: 'Annelies Hekkert', 'meneer Smits', 'Gerrit Oude Hengel'.

Family firms carry the family's name, and the family turns up in the same
texts; a surname right after a given name, a title or a cue of naming is the
person, not the firm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casebook.partners.cues import named_person
from casebook.partners.words import PARTICLES, TYPE_WORDS
from casebook.text.names import given_names

_PREVIOUS_WORD = re.compile(r"(\w+\.?)[ \t]+$")
PERSON_TITLES = frozenset(
    "meneer mevrouw dhr dhr. mevr mevr. mw mw. juf meester wethouder burgemeester heer".split()
)  # 'de heer' ends in 'heer'; 'de' alone is an article, not a title


def after_person_word(text: str, pos: int, surface: str) -> bool:
    """'Annelies Hekkert', 'meneer Smits', 'Jan de Valk': a surname, not the company or school."""
    words = surface.split()
    if len(words) > 1 and words[0].lower() not in PARTICLES and not _two_word_surname(words):
        return False
    m = _PREVIOUS_WORD.search(text, max(0, pos - 30), pos)
    if not m:
        return False
    word = m.group(1)
    if word.lower() in ("oude", "jonge") and re.search(
        r"(?<![\w-])de\s+$", text[max(0, m.start() - 4) : m.start()], re.I
    ):
        return True  # 'de oude Van de Laar': the father, not the firm
    if word.lower() == "een" and surface[:1].isupper():
        return True  # 'ook een Smedinga': one of the family
    return word in given_names() or word.lower() in PERSON_TITLES or named_person(text, pos)


def _two_word_surname(words: Sequence[str]) -> bool:
    """'Oude Hengel', 'Ter Horst': two capitalised words, no article or type word, can be a surname."""
    return len(words) == 2 and all(
        w[:1].isupper() and w.lower() not in TYPE_WORDS and w.lower() not in ("de", "het")
        for w in words
    )
