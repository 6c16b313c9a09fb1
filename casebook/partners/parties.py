"""'Alle vier de partijen': a counted group that points back at the organisations just listed.

People list who signed or took part ('getekend door ons, het ROC, De Brekkel
en de gemeente') and go on with a count and a word that names no kind of
organisation ('alle vier de partijen', 'de drie partners'). The count says
which organisations are meant: those named in the sentence before, with the
speaker's own when that sentence has a first-person word. Only an exact
count counts; otherwise the group is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NUMBER_WORDS = {"twee": 2, "beide": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7}
_PARTY_NOUNS = "partijen|partners|organisaties|ondertekenaars|instellingen|deelnemers"
_COUNTED_PARTIES = re.compile(
    rf"(?<![\w-])(?:alle\s+)?(?P<n>{'|'.join(_NUMBER_WORDS)}|\d+)\s+(?:de\s+|deze\s+|die\s+)?"
    rf"(?:{_PARTY_NOUNS})(?![\w-])",
    re.I,
)
_FIRST_PERSON = re.compile(r"(?<![\w-])(?:ons|onze|wij|we)(?![\w-])", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def previous_sentence(text: str, start: int) -> tuple[int, int]:
    """(start, end) of the sentence that ends right before ``start`` (within 400 characters)."""
    lo = max(0, start - 400)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    if not ends:
        return start, start
    end = ends[-1]
    begin = ends[-2] if len(ends) > 1 else lo
    return begin, end


def counted_parties(
    passage: str, sentence: str, named: Sequence[str], own: str | None
) -> tuple[str, list[str]] | None:
    """(the phrase, the organisations it counts) when a counted group matches the sentence before.

    ``sentence`` is the sentence before the passage, ``named`` the
    organisations resolved in it (in order), ``own`` the speaker's.
    """
    m = _COUNTED_PARTIES.search(passage)
    if m is None:
        return None
    word = m.group("n").lower()
    n = _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else 0)
    parties = list(dict.fromkeys(named))
    if own and own not in parties and _FIRST_PERSON.search(sentence):
        parties.append(own)
    if len(parties) != n:
        return None
    return m.group(0), parties
