"""Reading one page's text layer with PDFium: lines with boxes, two box calls per line.

We take PDFium's text with its own line breaks and ask for two character boxes
per line (first and last character, font-bound "loose" boxes), never one call
per character, which would cost more than the extraction. Lines are split again
where PDFium marks an end-of-line hyphen (it sometimes glues the next line, or
a footer, onto the hyphenated one). Vertical text on an upright page is kept
apart as margin text; pages whose text mostly runs vertically are turned.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

from casebook.importers.pdf.geometry import Box, Line, Page, turn
from casebook.importers.pdf.hyphenation import LIGATURES

_PIECE = re.compile(r"[^\r\n\ufffe\x02]+[\ufffe\x02]?")
_MARKS = "\ufffe\x02"
_NUMBERED = re.compile(r"^(\d{1,3})\s+(?=\S)")


@dataclass(frozen=True, slots=True)
class _Glyphs:
    """Characters gathered into one visual line while splitting a PDFium line."""

    text: str
    box: Box
    h: float

    def joins(self, box: Box) -> bool:
        """Does a character at ``box`` continue this line (same height, not far back left)?"""
        return abs(box.yc - self.box.yc) <= 0.5 * self.h and box.x0 >= self.box.x0 - self.h

    def add(self, ch: str, box: Box) -> _Glyphs:
        return _Glyphs(self.text + ch, self.box.union(box), max(self.h, box.y1 - box.y0))


class Extractor:
    """Lines with boxes from one PDFium text page; two box calls per line."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw  # PDFium is a native library; loaded only when a PDF is read

        self.raw = raw
        self.rect = raw.FS_RECTF()
        self.ref = ctypes.byref(self.rect)

    def page(self, page: Any, number: int, textpage: Any = None) -> Page:
        """The page's lines; ``textpage``, if given, is the page's open text page (left open)."""
        out = Page(number)
        left, bottom, right, top = page.get_bbox()
        tp = textpage if textpage is not None else page.get_textpage()
        try:
            n = tp.count_chars()
            text = tp.get_text_range() if n > 0 else ""
            lines, counts = self._lines(tp.raw, text, n)
        finally:
            if textpage is None:
                tp.close()
        if not lines:
            return out
        direction = max(counts, key=lambda k: counts[k])
        if counts[direction] == 0:
            direction = 0
        body: list[Line] = []
        for ln, orient in lines.items():
            if direction:
                turn(ln, direction)
            (body if orient == direction else out.margin).append(ln)
        box = Line.around(Box(left, bottom, right, top))
        if direction:
            turn(box, direction)
        out.top, out.bottom = box.y1, box.y0
        out.lines = body
        return out

    def _lines(self, tp: Any, text: str, n: int) -> tuple[dict[Line, int], dict[int, int]]:
        raw = self.raw
        rect = self.rect
        ref = self.ref
        getbox = raw.FPDFText_GetLooseCharBox
        weight = raw.FPDFText_GetFontWeight
        mapped = len(text) != n
        to_char = raw.FPDFText_GetCharIndexFromTextIndex
        out: dict[Line, int] = {}
        counts = {0: 0, 1: 0, -1: 0}
        for m in _PIECE.finditer(text):
            piece = m.group()
            soft = piece[-1] in _MARKS
            core = piece[:-1] if soft else piece
            stripped = core.strip()
            if not stripped:
                continue
            a = m.start() + len(core) - len(core.lstrip())
            b = a + len(stripped) - 1
            ia, ib = (to_char(tp, a), to_char(tp, b)) if mapped else (a, b)
            if ia < 0 or ib < 0:
                continue
            getbox(tp, ia, ref)
            l1, b1, r1, t1 = rect.left, rect.bottom, rect.right, rect.top
            if ib != ia:
                getbox(tp, ib, ref)
                l2, b2, r2, t2 = rect.left, rect.bottom, rect.right, rect.top
            else:
                l2, b2, r2, t2 = l1, b1, r1, t1
            h = max(t1 - b1, t2 - b2)
            dy = (b2 + t2 - b1 - t1) / 2
            orient = 0
            if ib != ia and abs(dy) > 0.5 * h:
                if abs(dy) > abs(l2 - l1):
                    orient = 1 if dy > 0 else -1
                    h = max(r1 - l1, r2 - l2)
                else:
                    for ln in self._split(tp, text, a, b, mapped, soft):
                        out[ln] = 0
                        counts[0] += len(ln.text)
                    continue
            if soft:
                stripped += "-"
            number = _NUMBERED.match(stripped) if orient == 0 else None
            numbered = None
            if number:
                # maybe a transcript line number on its line's baseline; decided per page later
                k = number.end()
                getbox(
                    tp,
                    ia + number.end(1) - 1 if not mapped else to_char(tp, a + number.end(1) - 1),
                    ref,
                )
                digit_right = rect.right
                getbox(tp, ia + k if not mapped else to_char(tp, a + k), ref)
                if rect.left - digit_right > 1.5 * h:
                    numbered = (k, digit_right, rect.left)
            bold = (  # only a candidate heading needs its weight
                len(stripped) <= 120
                and stripped[-1] not in ".,;:!?"
                and weight(tp, ia) >= 600
                and weight(tp, ib) >= 600
            )
            ln = Line(
                stripped.translate(LIGATURES),
                min(l1, l2),
                min(b1, b2),
                max(r1, r2),
                max(t1, t2),
                h,
                soft,
                bold,
            )
            ln.number = numbered
            out[ln] = orient
            counts[orient] += len(stripped)
        return out, counts

    def _split(self, tp: Any, text: str, a: int, b: int, mapped: bool, soft: bool) -> list[Line]:
        """The rare PDFium line that holds several visual lines: split it per character."""
        raw = self.raw
        rect = self.rect
        to_char = raw.FPDFText_GetCharIndexFromTextIndex
        groups: list[_Glyphs] = []
        for i in range(a, b + 1):
            ch = text[i]
            if ch.isspace():
                if groups:
                    groups[-1] = _Glyphs(groups[-1].text + " ", groups[-1].box, groups[-1].h)
                continue
            raw.FPDFText_GetLooseCharBox(tp, to_char(tp, i) if mapped else i, self.ref)
            box = Box(rect.left, rect.bottom, rect.right, rect.top)
            if groups and groups[-1].joins(box):
                groups[-1] = groups[-1].add(ch, box)
            else:
                groups.append(_Glyphs(ch, box, box.y1 - box.y0))
        lines = [
            Line(g.text.strip().translate(LIGATURES), g.box.x0, g.box.y0, g.box.x1, g.box.y1, g.h)
            for g in groups
        ]
        lines = [ln for ln in lines if ln.text]
        if lines and soft:
            lines[-1].text += "-"
            lines[-1].soft = True
        return lines
