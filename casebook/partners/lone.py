"""Single words and letter abbreviations that may name an unregistered organisation: for review.

A run of two or more capitalised words ('Bouwfirma Lindhout') becomes a
candidate in ``candidates``; a lone word never did, so the names people use
most for an organisation they know well ('Werfkade', 'OKV', 'de Smederij')
were neither found nor shown to the analyst. Replaying reviews on corpora
written elsewhere showed these as the largest share of what the review
never offers. A candidate resolves nothing by itself and never covers a
resolved mention; it costs the analyst one decision per form (accept as an
alias, or reject once for the case). So the rule is loose, but it keeps out
what is plainly not an organisation: words that open a sentence, given
names, the case's own places, everyday abbreviations, the programme's own
names and what the analyst rejected. A word with a capital inside ('FrostLine') is a
brand's spelling and is offered wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from casebook.partners.candidates import Taken
from casebook.partners.variants import normalise
from casebook.partners.words import (
    COMMON_ACRONYMS,
    NOT_ORGS,
    ORG_KEYWORDS,
    PARTICLES,
    STOP_WORDS,
    TYPE_WORDS,
)
from casebook.text.names import given_names

# Two to six capitals ('&' inside allowed): 'OKV', 'HB', 'W&T'; not a code like 'R1', and not
# a speaker's initials in front of what they said ('HB: Nou, …'). The patterns start with the
# capital and look back from it, so the scan only stops at capitals.
_ACRONYM = re.compile(r"[A-Z](?<![\w&.’'/-][A-Z])[A-Z&]{1,5}(?![\w&’'/-])(?![ \t]*:)")
# The word before a lone capitalised word that makes it read as an organisation: who people
# work with or go to ('bij', 'met', 'via'), or an article ('het Bosvelt', 'de Werfkade').
_ORG_CONTEXT = frozenset("bij met via namens vanuit tussen richting samen het de 't ’t".split())
# A capitalised word of four letters or more, with a hyphenated tail ('Werfkade', 'Sint-Jan').
_WORD = re.compile(
    r"[A-ZÀ-Þ](?<![\w&.’'/-][A-ZÀ-Þ])[a-zà-ÿ]{3,}(?:-[A-ZÀ-Þa-zà-ÿ][a-zà-ÿ]+)*(?![\w&’'/-])"
)

# A word with a capital inside ('FrostLine', 'TechLab'): a brand's spelling wherever it stands.
_INNER_CAPITAL = re.compile(
    r"[A-ZÀ-Þ](?<![\w&.’'/-][A-ZÀ-Þ])[a-zà-ÿ]{2,}(?:[A-ZÀ-Þ][a-zà-ÿ]{2,})+(?![\w&’'/-])"
)


def _word_before(text: str, start: int) -> str:
    """The word right before ``start`` across spaces or tabs only ('' at a line start)."""
    j = start - 1
    if j < 0 or text[j] not in " \t":
        return ""
    while j >= 0 and text[j] in " \t":
        j -= 1
    k = j
    while k >= 0 and (text[k].isalnum() or text[k] in "’'_"):
        k -= 1
    return text[k + 1 : j + 1]


# Never a lone name: the programme's own names and words for a kind of organisation.
_NEVER = NOT_ORGS | TYPE_WORDS | frozenset(ORG_KEYWORDS)
_ROMAN = re.compile(r"^[IVXLC]+$")


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether the line is written in capitals (a heading), where every word is an acronym."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    line = text[a : b if b >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def lone_names(text: str, taken: Taken, blocked: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """(start, end, surface) of lone words and abbreviations worth showing in the review.

    ``blocked``: the case's places, the names the analyst rejected and the
    forms they switched off. A word for a kind of organisation ('College',
    'ROC') is not a name either: the generic rules handle it.
    """
    keep_out = {normalise(w) for w in blocked} | _NEVER
    out: list[tuple[int, int, str]] = []
    for m in _ACRONYM.finditer(text):
        word = m.group(0)
        if (
            word in COMMON_ACRONYMS
            or _ROMAN.match(word)
            or normalise(word) in keep_out
            or not taken.free(m.start(), m.end())
            or _shouting(text, m.start(), m.end())
        ):
            continue
        out.append((m.start(), m.end(), word))
    for m in _INNER_CAPITAL.finditer(text):
        if normalise(m.group(0)) not in keep_out and taken.free(m.start(), m.end()):
            taken.add(m.start(), m.end())
            out.append((m.start(), m.end(), m.group(0)))
    names = given_names()
    for m in _WORD.finditer(text):
        word, a, b = m.group(0), m.start(), m.end()
        if _word_before(text, a).lower() not in _ORG_CONTEXT:
            continue
        key = normalise(word)
        if (
            key in STOP_WORDS
            or key in PARTICLES
            or key in keep_out
            or word in names
            or not taken.free(a, b)
        ):
            continue
        # a person ('met Jan Bakker') or a longer name the run pass already had ('bij Bouwfirma X')
        follows = text[b : b + 2]
        if follows[:1] == " " and follows[1:2].isupper():
            continue
        out.append((a, b, word))
    return sorted(out)
