"""Capitalised word runs outside the registry: where fuzzy matching looks, and candidates for review.

A run is split around what earlier passes claimed (``Taken``); each piece is
tried against the registry's names with rapidfuzz (in ``detection``) and,
failing that, may become a *candidate*: a name that looks like an
organisation (``Bouwbedrijf Kramer``) but is not registered. A candidate
ends at the name: a place or a person in front is cut off.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from casebook.partners.variants import (
    _RUN_RE,
    _TOKEN_RE,
    MAX_SUBSPAN_TOKENS,
    _strip_possessive,
    normalise,
)
from casebook.partners.words import (
    NOT_ORG_OPENERS,
    NOT_ORG_STARTS,
    NOT_ORGS,
    ORG_KEYWORDS,
    ORG_SUFFIXES,
    PARTICLES,
    STOP_WORDS,
)
from casebook.text.names import given_names


@dataclass
class Piece:
    tokens: list[tuple[int, int, str]] = field(default_factory=list)
    heads: dict[int, int] = field(
        default_factory=dict
    )  # token index → end of its part before a hyphen


class Taken:
    """Character ranges already claimed by an earlier pass."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.spans, (start, start))
        for j in (i - 1, i):
            if 0 <= j < len(self.spans) and self.spans[j][0] < end and start < self.spans[j][1]:
                return False
        return True

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


def run_pieces(text: str, taken: Taken, lone_word_ok: Callable[[str], bool]) -> list[Piece]:
    """Capitalised word runs, split around characters an earlier pass claimed.

    A hyphenated word with a capitalised head ('MCW-studenten',
    'Kraaienburg-lyceum') ends its piece; its head alone is tried as well.
    """
    pieces: list[Piece] = []
    for m in _RUN_RE.finditer(text):
        run = m.group(0)
        if " " not in run and "\t" not in run and not lone_word_ok(run):
            continue  # most runs are one sentence-opening word
        current = Piece()
        all_free = taken.free(m.start(), m.end())
        for t in _TOKEN_RE.finditer(m.group(0)):
            a = m.start() + t.start()
            word = t.group(0)
            closes = word.endswith(".") and "." not in word[:-1] and word.lower() != "zn."
            if closes:
                word = word[:-1]
            head, dash, tail = word.partition("-")
            if dash and head[:1].isupper() and tail[:1].islower():
                current.heads[len(current.tokens)] = a + len(head)
                closes = True
            b = a + len(word)
            if word and (all_free or taken.free(a, b)):
                current.tokens.append((a, b, word))
                if not closes:
                    continue
            if current.tokens:
                pieces.append(current)
            current = Piece()
        if current.tokens:
            pieces.append(current)
    return [p for p in pieces if any(t[2][:1].isupper() for t in p.tokens)]


def subspans(piece: Piece) -> Iterable[tuple[int, int]]:
    toks = piece.tokens
    for i in range(len(toks)):
        for j in range(i, min(len(toks), i + MAX_SUBSPAN_TOKENS)):
            if toks[j][2].lower() in PARTICLES:
                continue
            yield toks[i][0], toks[j][1]
            if j in piece.heads:
                yield toks[i][0], piece.heads[j]


def candidate(
    text: str, piece: Piece, rejected: set[str], case_names: set[str]
) -> tuple[int, int, str, str, str | None] | None:
    """A capitalised run that looks like an unregistered organisation: (start, end, surface, name,
    suggested type), or None for a person, a sentence opener or a known non-organisation."""
    if len(piece.tokens) < 2:
        return None
    toks = list(piece.tokens)
    while toks and (toks[0][2].lower() in STOP_WORDS or toks[0][2].lower() in PARTICLES):
        toks.pop(0)
    while toks and (toks[-1][2].lower() in PARTICLES or len(toks[-1][2]) < 2):
        toks.pop()
    if len(toks) > 2 and toks[1][2] in PARTICLES and opens_sentence(text, toks[0][0]):
        toks.pop(
            0
        )  # 'Docenten van het Lyceum X': the sentence's first word is not part of the name
        while toks and toks[0][2] in PARTICLES:
            toks.pop(0)
    toks = cut_at_preposition(toks)
    if len(toks) < 2 or toks[0][2].lower().rstrip(".") in NOT_ORG_OPENERS:
        return None
    lowered = [t[2].lower().rstrip(".") for t in toks]
    suggested = keyword_type(lowered)
    if suggested is None:
        if any(t[2] in given_names() for t in toks):
            return None  # a person: 'Ronald Vos'
        if len(toks) < 3 and opens_sentence(text, toks[0][0]):
            return (
                None  # 'Naast STO', 'Maatregel Onvoldoende': a capital that only opens a sentence
            )
    if all(lw in ORG_KEYWORDS or lw in STOP_WORDS or lw in PARTICLES for lw in lowered):
        return None
    start, end = toks[0][0], toks[-1][1]
    end -= _strip_possessive(text[start:end])
    surface = text[start:end]
    key = normalise(surface)
    if key in rejected or key in case_names or key in NOT_ORGS or key.startswith(NOT_ORG_STARTS):
        return None
    name = re.sub(r"\s+", " ", surface).strip()
    return start, end, surface, name, suggested


_PLACE_PREPOSITIONS = frozenset({"in", "te", "op", "aan", "bij", "voor", "uit", "met", "naar"})
_ARTICLE_WORDS = frozenset({"het", "'t", "’t", "de"})


def cut_at_preposition(toks: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A candidate ends at the name: 'Rivierpoort in Zandstad' → Rivierpoort; 'Ton van het Stedelijk' →
    het Stedelijk; 'Horst van HR' → neither side is an organisation name of two words.

    'van' with an article or an abbreviation after it opens a phrase about
    who or what belongs where, and the organisation is what follows;
    another preposition opens a place or purpose, and the name is before it.
    Surname particles ('Van der Heijden', 'Jan van den Berg') are left alone.
    """
    for i in range(1, len(toks) - 1):
        word = toks[i][2].lower()
        nxt = toks[i + 1][2]
        if word == "van" and (nxt.lower() in _ARTICLE_WORDS and nxt.islower() or nxt.isupper()):
            rest = toks[i + 1 :]
            while rest and rest[0][2].lower() in _ARTICLE_WORDS:
                rest = rest[1:]
            return rest
        if word in _PLACE_PREPOSITIONS:
            head = toks[:i]
            while head and head[-1][2].lower() in PARTICLES:
                head = head[:-1]
            return head
    return toks


def keyword_type(lowered: list[str]) -> str | None:
    for w in lowered:
        if w in ORG_KEYWORDS:
            return ORG_KEYWORDS[w]
    for w in lowered:
        for suffix, type_ in ORG_SUFFIXES.items():
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                return type_
    return None


def opens_sentence(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\"'“‘(-–":
        j -= 1
    return j < 0 or text[j] in "\n.!?:;"


_WORD_BEFORE = re.compile(r"([\w.&'-]+)[ \t]+$")
_NAME_WORD = re.compile(r"[A-Z][^\W\d_A-Z]*(?:-[A-Z][^\W\d_]*)*")


def inside_longer_name(text: str, start: int) -> bool:
    """Whether a capitalised word follows another inside a sentence ('Vereniging Technische Ondernemers').

    A word written with a capital because an earlier word began a longer
    name says nothing about whether the word alone is used as a name. The
    first word of a name ('Scheepswerf' in 'Scheepswerf Ossendijk') does:
    people say 'de scheepswerf' for it.
    """
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None or not _NAME_WORD.fullmatch(before.group(1)):
        return False  # 'HR-adviseur Scheepswerf X': a job title, not part of the name
    return not opens_sentence(text, before.start(1))
