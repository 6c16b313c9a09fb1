"""A name word that belongs to a person: 'Annelies Hekkert', 'meneer Smits', 'Gerrit Oude Hengel'.

Family firms carry the family's name, and the family turns up in the same
texts; a surname right after a given name, a title or a cue of naming is the
person, not the firm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from casebook.partners.cues import named_person
from casebook.partners.words import PARTICLES, STOP_WORDS, TYPE_WORDS, is_dictionary_word
from casebook.text.names import given_names

_PREVIOUS_WORD = re.compile(r"(\w+\.?)[ \t]+$")
PERSON_TITLES = frozenset(
    "meneer mevrouw dhr dhr. mevr mevr. mw mw. juf meester wethouder burgemeester heer".split()
)  # 'de heer' ends in 'heer'; 'de' alone is an article, not a title


# 'zegt Dijkstra', 'aldus Dijkstra': a verb of saying put before a bare name makes it its speaker.
SAYING_VERBS = frozenset(
    "zegt zei vertelt vertelde aldus lacht lachte vindt vond legt benadrukt benadrukte "
    "antwoordt antwoordde vervolgt zucht".split()
)


def after_person_word(
    text: str, pos: int, surface: str, known: Callable[[str], bool] | None = None
) -> bool:
    """'Annelies Hekkert', 'meneer Smits', 'Jan de Valk': a surname, not the company or school.

    With ``known`` (does the case know this word: a name word of a partner,
    one of its places), an unknown capitalised word before a one-word form is
    taken for a given name too: 'Wiebo Dijkstra' when 'Wiebo' is in no list.
    """
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
    if word.lower() in SAYING_VERBS and len(words) == 1:
        return True
    return (
        word in given_names()
        or word.lower() in PERSON_TITLES
        or named_person(text, pos)
        or (known is not None and len(words) == 1 and _unknown_given_name(word, known))
    )


def _unknown_given_name(word: str, known: Callable[[str], bool]) -> bool:
    """A capitalised word the language and the case do not know: likely a person's given name."""
    return (
        word[:1].isupper()
        and word[1:].islower()
        and len(word) >= 3
        and word.lower() not in TYPE_WORDS
        and word.lower() not in STOP_WORDS
        and word.lower() not in PARTICLES
        and not is_dictionary_word(word)
        and not known(word)
    )


def _two_word_surname(words: Sequence[str]) -> bool:
    """'Oude Hengel', 'Ter Horst': two capitalised words, no article or type word, can be a surname."""
    return len(words) == 2 and all(
        w[:1].isupper() and w.lower() not in TYPE_WORDS and w.lower() not in ("de", "het")
        for w in words
    )
