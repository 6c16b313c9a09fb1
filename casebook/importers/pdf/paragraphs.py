"""Paragraphs and headings from ordered lines.

Paragraphs break on a vertical gap larger than the document's usual line gap,
on first-line indentation or outdenting, on a short last line (shorter than
the next line's first word would need), on list markers, speaker labels
("JUSTICE BREYER:", "I:") and font-size changes. Lines clearly larger than body
text, and single bold lines without closing punctuation, become headings. A
paragraph never spans two pages, so page segments stay exact; a table stands
for its rows, one ``table_row`` block each.
"""

from __future__ import annotations

import re
from collections import Counter

from casebook.importers.base import Block
from casebook.importers.pdf.geometry import Line, Page
from casebook.importers.pdf.hyphenation import join_lines
from casebook.text import speakers

_BULLET = re.compile(r"^[•◦▪▫●○■□►▶➢➤✓✔\uf0b7\uf0a7*·]\s?|^[-–—]\s")
_ENUMERATOR = re.compile(r"^(?:(?:\d{1,2}|[a-zA-Z])[.)]|\((?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\))\s")
_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|\. \. \. )\s*\d{1,4}$")
_CAPS_LABEL = re.compile(r"^[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}\s*:")


class Paragraphs:
    """Ordered lines of all pages to blocks."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        lines = [ln for p in pages for ln in p.lines if ln.rows is None]
        sizes: Counter[float] = Counter()
        for ln in lines:
            sizes[_size(ln)] += len(ln.text)
        self.body = _weighted_median(sizes) if sizes else 10.0
        # a size is a heading size when it is clearly larger than body text and rare: in a
        # specification full of 9pt code listings the 11pt prose is not a heading
        total = sum(sizes.values()) or 1
        heading_sizes = sorted(
            (s for s, n in sizes.items() if s >= 1.15 * self.body and n < 0.1 * total), reverse=True
        )
        self.levels = {s: min(i + 1, 6) for i, s in enumerate(heading_sizes)}
        self._line_habits()
        label_lines = [ln.text for ln in lines if ":" in ln.text[:60]]
        self.trusted = speakers.trusted_labels(label_lines)

    def _line_habits(self) -> None:
        """The document's usual gap between lines of a paragraph, and whether an indented
        line usually follows a short one (first-line indents) or a full one (hanging indents)."""
        gaps: list[float] = []
        indented = after_short = 0
        for p in self.pages:
            prev: Line | None = None
            for ln in p.lines:
                if (
                    prev is not None
                    and ln.col == prev.col
                    and ln.rows is None
                    and prev.rows is None
                ):
                    if abs(ln.h - prev.h) <= 0.15 * prev.h and ln.y1 < prev.yc:
                        gaps.append((prev.y0 - ln.y1) / prev.h)
                        if ln.x0 > prev.x0 + max(1.5, 0.4 * ln.h):
                            indented += 1
                            after_short += self._short(prev, ln)
                prev = ln
        gaps.sort()
        self.usual_gap = gaps[len(gaps) // 2] if gaps else 0.2
        self.first_line_indents = indented > 0 and after_short * 2 >= indented

    def _big(self, ln: Line) -> bool:
        return len(ln.text) <= 150 and _size(ln) in self.levels

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        for p in self.pages:
            para: list[Line] = []
            lines = p.lines
            for i, ln in enumerate(lines):
                if ln.rows is not None:
                    self._flush(para, p.number, out)
                    para = []
                    out += [Block(r, kind="table_row", page=p.number) for r in ln.rows]
                    continue
                if para and self._breaks(para, ln, lines[i + 1] if i + 1 < len(lines) else None):
                    self._flush(para, p.number, out)
                    para = []
                para.append(ln)
            self._flush(para, p.number, out)
            for ln in p.margin:
                out.append(Block(ln.text, page=p.number))
        return out

    def _flush(self, para: list[Line], page: int, out: list[Block]) -> None:
        if not para:
            return
        text = join_lines([ln.text for ln in para])
        first = para[0]
        if all(self._big(ln) for ln in para) and len(text) <= 200 and text[-1] not in ".,;":
            out.append(Block(text, kind="heading", level=self.levels[_size(first)], page=page))
        elif (
            len(para) == 1
            and first.bold
            and len(text) <= 120
            and text[-1] not in ".,;:!?"
            and any(c.isalpha() for c in text)
            and first.h >= 0.85 * self.body
        ):
            out.append(Block(text, kind="heading", level=min(len(self.levels) + 1, 6), page=page))
        else:
            out.append(Block(text, page=page))

    def _breaks(self, para: list[Line], ln: Line, nxt: Line | None) -> bool:
        prev = para[-1]
        big = self._big(ln)
        if big != self._big(prev) or abs(ln.h - prev.h) > 0.15 * max(ln.h, prev.h):
            return True
        if _BULLET.match(ln.text) or self._label(ln.text) or _TOC_ENTRY.search(prev.text):
            return True
        ind = max(1.5, 0.4 * ln.h)
        if ln.col != prev.col:
            if big:
                return False
            return (
                ln.x0 - ln.left > ind or self._short(prev, ln) or bool(_ENUMERATOR.match(ln.text))
            )
        if ln.y1 >= prev.yc:  # beside or above the previous line: same visual row
            return False
        if (prev.y0 - ln.y1) / prev.h > self.usual_gap + 0.45:
            return True
        if big:
            return False
        if _ENUMERATOR.match(ln.text) and abs(ln.x0 - prev.x0) > ind:
            return True
        if prev.text.endswith("-") and ln.text[:1].islower():
            return False
        if ln.x0 > prev.x0 + ind:
            if len(para) >= 2:
                return True
            # after a single line: a hanging indent goes on at this depth, a first-line
            # indent returns to the left edge on the next line
            hanging = nxt is not None and nxt.col == ln.col and abs(nxt.x0 - ln.x0) <= ind
            listed = _BULLET.match(prev.text) or _ENUMERATOR.match(prev.text)
            if self.first_line_indents and not (hanging or listed):
                return True
        elif len(para) >= 2 and ln.x0 < min(x.x0 for x in para[1:]) - ind:
            return True
        return self._short(prev, ln)

    def _short(self, prev: Line, ln: Line) -> bool:
        """Did the previous line stop early, although the next line's first word would have fit?"""
        room = prev.right - prev.x1
        ind = max(1.5, 0.4 * prev.h)
        if (
            prev.x0 - prev.left > ind
            and ln.x0 - ln.left > ind
            and abs(prev.x0 + prev.x1 - ln.x0 - ln.x1) < 2 * ind
        ):
            # centred lines: the free space lies on both sides
            room = (prev.right - prev.left) - (prev.x1 - prev.x0)
        cw = (prev.x1 - prev.x0) / max(len(prev.text), 1)
        word = ln.text.split(maxsplit=1)[0] if ln.text else ""
        return room > (len(word) + 2) * cw + 0.3 * prev.h

    def _label(self, text: str) -> bool:
        if _CAPS_LABEL.match(text):
            return True
        if ":" not in text[:60]:
            return False
        m = speakers.match_label(text)
        return bool(m and m.label and speakers.label_key(m.label) in self.trusted)


def _size(ln: Line) -> float:
    return round(ln.h * 2) / 2


def _weighted_median(counts: Counter[float]) -> float:
    total = sum(counts.values())
    acc = 0
    for size in sorted(counts):
        acc += counts[size]
        if acc * 2 >= total:
            return size
    return max(counts)
