"""Carrying selection offsets from a QDA source text to casebook's canonical text.

Importing a text makes it canonical: NFC, single spaces, no blank lines, and
speaker labels at the start of a line moved out of the text. Every change is
inside one line or drops a whole line, so lines are paired in order and
characters are matched within each pair; a selection keeps the characters
that survived.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from casebook.importers.assemble import normalise

_LINE = re.compile(r"[^\r\n\u2028\u2029\x0b\f]*(?:\r\n|[\r\n\u2028\u2029\x0b\f]|$)")
LOOKAHEAD = 6


def _src_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.start() == m.end():
            break
        line = m.group(0).rstrip("\r\n\u2028\u2029\x0b\f")
        out.append((m.start(), line))
    return out


def _canon_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _pairs(norm: str, canon: str) -> bool:
    return bool(canon) and (norm == canon or norm.endswith(canon))


class OffsetMap:
    """Source code-point offsets -> canonical offsets."""

    def __init__(self, source: str, canonical: str) -> None:
        self.identity = source == canonical
        self.to_canon: dict[int, int] = {}
        if not self.identity:
            self._build(source, canonical)

    def _build(self, source: str, canonical: str) -> None:
        src = _src_lines(source)
        canon = _canon_lines(canonical)
        k = 0
        for i, (s_start, s_line) in enumerate(src):
            if k >= len(canon):
                break
            norm = normalise(s_line)
            if not norm:
                continue
            c_start, c_line = canon[k]
            if not _pairs(norm, c_line):
                ahead = [normalise(line) for _s, line in src[i + 1 : i + 1 + LOOKAHEAD]]
                if any(_pairs(a, c_line) for a in ahead):
                    continue  # this source line was dropped (e.g. a bare speaker label)
                if SequenceMatcher(None, norm, c_line, autojunk=False).ratio() < 0.6:
                    continue
            matcher = SequenceMatcher(None, s_line, c_line, autojunk=False)
            for a, b, size in matcher.get_matching_blocks():
                for j in range(size):
                    self.to_canon[s_start + a + j] = c_start + b + j
            k += 1

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The canonical span of what survives of ``[start, end)``, or None if nothing does."""
        if self.identity:
            return start, end
        hits = [self.to_canon[i] for i in range(start, end) if i in self.to_canon]
        if not hits:
            return None
        return min(hits), max(hits) + 1
