"""Aligning two versions of a document's canonical text and carrying spans across.

The texts are cut into tokens (a run of word characters, or one punctuation
mark; whitespace is never a token), each token becomes a small integer, and
the two integer sequences are aligned by an edit-distance library — rapidfuzz's
``Indel.opcodes`` (the longest common subsequence: as many tokens as possible
stay matched) by default, ``difflib.SequenceMatcher`` as the measured
alternative (bench/revise.py compares them); neighbouring deletions and
insertions are then read as one replacement. rapidfuzz's ``Levenshtein``
was tried first: with substitutions as cheap as a deletion plus an insertion
it happily "substitutes" an intact coded word for a neighbour, which the
property test caught. Tokens keep a line break or a
changed space from ever counting as a changed word, and a corrected name
(``Zandrijck`` → ``Zandrijk``) from shifting the alignment of its sentence.

``Alignment.carry`` takes an old span and returns where it lands and with which
outcome:

* ``same`` — the span's text is unchanged, only (perhaps) moved;
* ``edited`` — both ends survive, but words (or spacing) inside changed, or
  words were inserted inside;
* ``partial`` — some of the span's words were deleted outright;
* ``lost`` — none of the span's words survive.

Where a span edge falls inside a replaced stretch, the edge is placed by a
character-level alignment of just that stretch and snapped to a word edge, so
a carried span never starts or ends in the middle of a word it did not start
or end in before.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(r"\w+|[^\w\s]")
METHODS = ("rapidfuzz", "difflib")
# A carried span that would cover more new words than surviving old ones, and
# whose text shares less than this (rapidfuzz ratio, 0–100) with the old quote,
# counts as lost: the words were struck and others written in their place.
OTHER_WORDS_BELOW = 50.0


@dataclass(frozen=True)
class Carried:
    outcome: str  # same | edited | partial | lost
    start: int | None = None
    end: int | None = None


def tokens(text: str) -> tuple[list[int], list[int], list[str]]:
    starts: list[int] = []
    ends: list[int] = []
    words: list[str] = []
    for m in TOKEN.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        words.append(m.group())
    return starts, ends, words


def token_opcodes(
    a: list[str], b: list[str], method: str = "rapidfuzz"
) -> list[tuple[str, int, int, int, int]]:
    """Edit operations turning token list ``a`` into ``b`` (difflib's five-tuple form)."""
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz.distance import Indel

    vocab: dict[str, int] = {}
    ia = [vocab.setdefault(t, len(vocab)) for t in a]
    ib = [vocab.setdefault(t, len(vocab)) for t in b]
    ops: list[tuple[Any, ...]]
    if method == "rapidfuzz":
        ops = [tuple(op) for op in Indel.opcodes(ia, ib)]
    elif method == "difflib":
        ops = list(difflib.SequenceMatcher(None, ia, ib, autojunk=False).get_opcodes())
    else:
        raise ValueError(f"unknown alignment method {method!r}; use one of {METHODS}")
    return _merge_changes(ops)  # type: ignore[arg-type]


def _merge_changes(
    ops: list[tuple[str, int, int, int, int]],
) -> list[tuple[str, int, int, int, int]]:
    """Neighbouring deletions and insertions become one replacement: a corrected word, not a lost one."""
    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        if tag != "equal" and out and out[-1][0] != "equal":
            _t, a1, _a2, b1, _b2 = out[-1]
            i1, j1 = a1, b1
            out.pop()
        if tag != "equal":
            tag = "delete" if j1 == j2 else "insert" if i1 == i2 else "replace"
        out.append((tag, i1, i2, j1, j2))
    return out


class Alignment:
    """One old text aligned to one new text; carries any number of spans cheaply."""

    def __init__(self, old: str, new: str, method: str = "rapidfuzz") -> None:
        self.old = old
        self.new = new
        self.os, self.oe, old_words = tokens(old)
        self.ns, self.ne, new_words = tokens(new)
        self.is_word = [w[0].isalnum() or w[0] == "_" for w in old_words]
        self.new_is_word = [w[0].isalnum() or w[0] == "_" for w in new_words]
        n = len(old_words)
        # per old token: the new token it equals (or -1) and the opcode block it belongs to
        self.match = [-1] * n
        self.block_of = [0] * n
        self.blocks = token_opcodes(old_words, new_words, method)
        for b, (tag, i1, i2, j1, _j2) in enumerate(self.blocks):
            for i in range(i1, i2):
                self.block_of[i] = b
                if tag == "equal":
                    self.match[i] = j1 + (i - i1)

    # --- one span ---------------------------------------------------------------

    def carry(self, start: int, end: int) -> Carried:
        found = self._carry(start, end)
        if found.outcome != "same":
            return self._relocated(start, end) or found
        return found

    def _relocated(self, start: int, end: int) -> Carried | None:
        """A span whose exact words stand once in each text (a moved turn): *same*, at its new place.

        An edit distance sees a moved passage as a deletion here and an
        insertion there; a quote found exactly once in the old text and once in
        the new one can only be that passage.
        """
        quote = self.old[start:end]
        if len(self.is_word) == 0 or not any(ch.isalnum() for ch in quote):
            return None
        at = self.new.find(quote)
        if at < 0 or self.new.find(quote, at + 1) >= 0 or self.old.find(quote, start + 1) >= 0:
            return None
        if self.old.find(quote) != start:
            return None
        if not (_edge(self.new, at, at + len(quote)) and _edge(self.old, start, end)):
            return None
        return Carried("same", at, at + len(quote))

    def _carry(self, start: int, end: int) -> Carried:
        # rapidfuzz is a compiled library; --help does not load it
        from rapidfuzz import fuzz

        a = bisect_right(self.oe, start)  # first token ending after start
        b = bisect_left(self.os, end) - 1  # last token starting before end
        if a > b:
            return self._carry_gap(start, end)
        # counted in words: a dropped comma edits a passage, it does not cut it short
        kept = deleted = replaced = 0
        words = 0
        for i in range(a, b + 1):
            tag = self.blocks[self.block_of[i]][0]
            is_word = self.is_word[i]
            words += is_word
            if tag == "equal":
                kept += is_word
            elif tag == "delete":
                deleted += is_word
            else:
                replaced += is_word
        if words and kept == 0 and replaced == 0:
            return Carried("lost")
        if not words and all(self.blocks[self.block_of[i]][0] == "delete" for i in range(a, b + 1)):
            return Carried("lost")
        first = next(i for i in range(a, b + 1) if self.blocks[self.block_of[i]][0] != "delete")
        last = next(i for i in range(b, a - 1, -1) if self.blocks[self.block_of[i]][0] != "delete")
        new_start = self._map_start(first, start if first == a else self.os[first], a)
        new_end = self._map_end(last, end if last == b else self.oe[last], b)
        if new_start is None or new_end is None or new_start >= new_end:
            return Carried("lost")
        old_quote = self.old[start:end]
        new_quote = self.new[new_start:new_end]
        if kept * 2 < self._words_in(new_start, new_end):
            # most of what the span would cover now is new words: unless it reads much the same
            # (a corrected name), the old words were struck and the span would land on others

            if fuzz.ratio(old_quote, new_quote) < OTHER_WORDS_BELOW:
                return Carried("lost")
        if deleted:
            return Carried("partial", new_start, new_end)
        if new_quote == old_quote:
            return Carried("same", new_start, new_end)
        return Carried("edited", new_start, new_end)

    def _words_in(self, start: int, end: int) -> int:
        a = bisect_left(self.ns, start)
        b = bisect_left(self.ns, end)
        return sum(1 for j in range(a, b) if self.new_is_word[j])

    def _map_start(self, t: int, pos: int, a: int) -> int | None:
        """Where old position ``pos`` (at or before the start of token ``t``'s end) lands."""
        tag, i1, _i2, j1, j2 = self.blocks[self.block_of[t]]
        if tag == "equal":
            nt = self.match[t]
            if pos >= self.os[t]:
                return self.ns[nt] + (pos - self.os[t])
            lead = self.old[pos : self.os[t]]  # the span began in the space before its first word
            ns = self.ns[nt]
            return ns - len(lead) if self.new[max(0, ns - len(lead)) : ns] == lead else ns
        if i1 >= a:  # the whole replaced stretch lies inside the span
            return self.ns[j1]
        mapped = self._map_in_block(t, pos)
        return _snap_left(self.new, mapped, self.ns[j1], self.ne[j2 - 1])

    def _map_end(self, t: int, pos: int, b: int) -> int | None:
        tag, _i1, i2, _j1, j2 = self.blocks[self.block_of[t]]
        if tag == "equal":
            nt = self.match[t]
            if pos <= self.oe[t]:
                return self.ne[nt] - (self.oe[t] - pos)
            trail = self.old[self.oe[t] : pos]
            ne = self.ne[nt]
            return ne + len(trail) if self.new[ne : ne + len(trail)] == trail else ne
        if i2 - 1 <= b:
            return self.ne[j2 - 1]
        mapped = self._map_in_block(t, pos)
        return _snap_right(
            self.new, mapped, self.ns[self.blocks[self.block_of[t]][3]], self.ne[j2 - 1]
        )

    def _map_in_block(self, t: int, pos: int) -> int:
        """A character position inside a replaced stretch, by aligning just that stretch's characters."""
        # rapidfuzz is a compiled library; --help does not load it
        from rapidfuzz.distance import Levenshtein

        _tag, i1, i2, j1, j2 = self.blocks[self.block_of[t]]
        o0, o1 = self.os[i1], self.oe[i2 - 1]
        n0, n1 = self.ns[j1], self.ne[j2 - 1]
        rel = pos - o0
        for op in Levenshtein.opcodes(self.old[o0:o1], self.new[n0:n1]):
            if op.src_start <= rel < op.src_end or (rel == op.src_end == o1 - o0):
                if op.tag == "equal":
                    return n0 + op.dest_start + (rel - op.src_start)
                span = max(1, op.src_end - op.src_start)
                frac = (rel - op.src_start) / span
                return n0 + op.dest_start + round(frac * (op.dest_end - op.dest_start))
        return n1

    def _carry_gap(self, start: int, end: int) -> Carried:
        """A span of whitespace only: it survives if the same whitespace sits between the same tokens."""
        before = bisect_right(self.oe, start) - 1
        if before >= 0 and self.match[before] >= 0:
            offset = start - self.oe[before]
            ns = self.ne[self.match[before]] + offset
            if self.new[ns : ns + (end - start)] == self.old[start:end]:
                return Carried("same", ns, ns + (end - start))
        return Carried("lost")


def _edge(text: str, start: int, end: int) -> bool:
    """The span neither starts nor ends inside a word (so 'rooster' is not found inside 'roosters')."""
    return not (_is_word(text, start) and _is_word(text, start - 1)) and not (
        _is_word(text, end) and _is_word(text, end - 1)
    )


def _snap_left(text: str, pos: int, lo: int, hi: int) -> int:
    pos = max(lo, min(pos, hi))
    while pos > lo and _is_word(text, pos) and _is_word(text, pos - 1):
        pos -= 1
    while pos < hi and text[pos].isspace():
        pos += 1
    return pos


def _snap_right(text: str, pos: int, lo: int, hi: int) -> int:
    pos = max(lo, min(pos, hi))
    while pos < hi and _is_word(text, pos) and _is_word(text, pos - 1):
        pos += 1
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    return pos


def _is_word(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and (text[pos].isalnum() or text[pos] == "_")
