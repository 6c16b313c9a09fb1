"""Tables: where a page holds a ruled table, and its rows in place of its lines.

pdfplumber's table finder costs about as much as reading the page with
pdfplumber (a tenth of a second or more), so by default (``tables="auto"``) it
runs only where a cheap PDFium signal says a ruled table is likely: one pass
over the page objects (``Drawing``, about a millisecond per page) collects thin
lines and the sides of stroked boxes, and a table is sought when such vertical
rules cut at least two rows of text into two or more cells. Filled boxes do not
count (shading, highlighted code), nor do lone frames around text. The grid is
first read from PDFium alone (``grid``); pages where that finds nothing go to
pdfplumber. A table found either way, with at least two rows of two or more
cells whose words match the page's text, replaces its lines; each row becomes a
``table_row`` block, cells joined by " | ".
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casebook.importers.pdf import grid
from casebook.importers.pdf.geometry import Box, Line, Page
from casebook.importers.pdf.hyphenation import LIGATURES, join_lines

FPDF_PAGEOBJ_TEXT = 1
FPDF_PAGEOBJ_PATH = 2
_WORDS = re.compile(r"\w+")


def looks_tabular(lines: list[Line]) -> bool:
    """Cheap text signal for a table: spread-out lines, or short pieces side by side."""
    spread = 0
    for ln in lines:
        n = len(ln.text)
        if n >= 5 and ln.text.count(" ") >= 2 and ln.x1 - ln.x0 > 0.9 * n * ln.h:
            spread += 1
            if spread >= 2:
                return True
    by_y = sorted(lines, key=lambda ln: -ln.yc)
    side_rows = short_rows = 0
    for i, ln in enumerate(by_y):
        row = [ln]
        for other in by_y[i + 1 :]:
            if ln.yc - other.yc > 0.4 * ln.h:
                break
            if other.x0 > ln.x1 or other.x1 < ln.x0:
                row.append(other)
        if len(row) > 1:
            side_rows += 1
            short_rows += any(len(x.text.split()) <= 4 for x in row)
    return side_rows >= 2 and short_rows >= max(2, side_rows / 2)


class Drawing:
    """What a page draws besides text, from PDFium page objects: one pass, bounds of shapes only.

    Thin shapes and rectangle sides are kept as ruling edges; the largest image
    tells a scan from a page with a photo.
    """

    def __init__(self, page: Any) -> None:
        import pypdfium2.raw as raw  # PDFium is a native library; loaded only when a PDF is read

        self.drawn = False
        self.image_share = 0.0
        self.vertical: list[tuple[float, float, float]] = []  # x, y0, y1
        self.horizontal: list[float] = []  # y
        self.grid_paths = False  # one path holding many segments: a table drawn in one go
        self.rules = grid.Rules()  # segments with their extents, for reading the grid itself
        box = [ctypes.c_float() for _ in range(4)]
        refs = [ctypes.byref(v) for v in box]
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        fill_ref, stroke_ref = ctypes.byref(fill), ctypes.byref(stroke)
        get_object, get_type, bounds = (
            raw.FPDFPage_GetObject,
            raw.FPDFPageObj_GetType,
            raw.FPDFPageObj_GetBounds,
        )
        handle = page.raw
        image_area = 0.0
        for i in range(raw.FPDFPage_CountObjects(handle)):
            obj = get_object(handle, i)
            kind = get_type(obj)
            if kind == FPDF_PAGEOBJ_TEXT or not bounds(obj, *refs):
                continue
            self.drawn = True
            x0, y0, x1, y1 = (v.value for v in box)
            w, h = x1 - x0, y1 - y0
            if kind != FPDF_PAGEOBJ_PATH:
                image_area = max(image_area, w * h)
                continue
            if w <= 3 and h >= 6:
                self.vertical.append(((x0 + x1) / 2, y0, y1))
                self.rules.vertical.append(((x0 + x1) / 2, y0, y1))
            elif h <= 3 and w >= 6:
                self.horizontal.append((y0 + y1) / 2)
                self.rules.horizontal.append(((y0 + y1) / 2, x0, x1))
            elif (
                w >= 6
                and h >= 6
                and raw.FPDFPath_GetDrawMode(obj, fill_ref, stroke_ref)
                and stroke.value
            ):
                # stroked boxes only: filled ones are shading and highlights behind text
                self.vertical += [(x0, y0, y1), (x1, y0, y1)]
                self.horizontal += [y0, y1]
                if raw.FPDFPath_CountSegments(obj) > 5:
                    self.rules.add_path_segments(obj)  # a grid drawn as one path, or several lines
                else:
                    self.rules.add_box(x0, y0, x1, y1)
                if raw.FPDFPath_CountSegments(obj) > 12:
                    self.grid_paths = True
            elif w >= 6 and h >= 6 and raw.FPDFPath_CountSegments(obj) <= 5:
                # a filled box: not a rule for the cheap signal above, but the edge of a
                # shaded cell (a header row without inner borders) when reading the grid
                self.rules.add_box(x0, y0, x1, y1)
        px0, py0, px1, py1 = page.get_bbox()
        area = (px1 - px0) * (py1 - py0)
        self.image_share = image_area / area if area > 0 else 0.0

    def ruled_table(self, lines: list[Line]) -> bool:
        """Do vertical rules cut at least two rows of text into two or more cells?"""
        if self.grid_paths and looks_tabular(lines):
            return True
        if not self.vertical or len(self.horizontal) < 2:
            return False
        rules = _merge_rules(self.vertical)
        rows: dict[int, set[int]] = {}
        for ln in lines:
            yc = ln.yc
            cross = [x for x, y0, y1 in rules if y0 <= yc <= y1]
            if not cross:
                continue
            before = sum(1 for x in cross if x <= ln.x0 + 2)
            inner = sum(1 for x in cross if ln.x0 + 2 < x < ln.x1 - 2)
            if not inner and before in (0, len(cross)):
                continue  # beside the rules, not between them
            cells = rows.setdefault(round(yc / 2), set())
            cells.update(range(before, before + inner + 1))
        return sum(1 for c in rows.values() if len(c) >= 2) >= 2


def _merge_rules(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Vertical edges at one x that touch become one rule (Word draws a border per cell)."""
    by_x: dict[int, list[tuple[float, float]]] = {}
    for x, y0, y1 in edges:
        by_x.setdefault(round(x), []).append((y0, y1))
    out = []
    for x, spans in by_x.items():
        spans.sort()
        lo, hi = spans[0]
        for y0, y1 in spans[1:]:
            if y0 <= hi + 2:
                hi = max(hi, y1)
            else:
                out.append((float(x), lo - 1, hi + 1))
                lo, hi = y0, y1
        out.append((float(x), lo - 1, hi + 1))
    return out


class Plumber:
    """pdfplumber, opened only when a page needs its table finder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None
        self.failed = False
        self.warnings: list[str] = []

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()

    def tables(self, page: Page, index: int) -> None:
        if self.failed:
            return
        try:
            if self.pdf is None:
                import pdfplumber  # pdfplumber (pdfminer) is slow to load; only PDF tables need it

                self.pdf = pdfplumber.open(self.path)
            pp = self.pdf.pages[index]
            found = pp.find_tables()
            if not found:
                return
            x_off, y_top = float(pp.mediabox[0]), float(pp.mediabox[3])
            tables = [(t.bbox, t.extract()) for t in found]
        except Exception:  # noqa: BLE001 - pdfminer fails in many ways; the text is still there
            self.failed = True
            self.warnings.append("table detection failed; tables are kept as plain lines")
            return
        for (x0, top, x1, bottom), cells in tables:
            place_table(page, Box(x_off + x0, y_top - bottom, x_off + x1, y_top - top), cells)


def place_table(page: Page, bbox: Box, cells: Sequence[Sequence[str | None]]) -> bool:
    """Replace the page's lines inside ``bbox`` (PDF coordinates) by the table's rows, if they agree."""
    rows = [r for r in (_row_text(row) for row in cells) if r]
    if sum(1 for r in rows if " | " in r) < 2:
        return False  # a framed paragraph or a one-column box, not a table
    box = Line.around(bbox)
    inside = [
        ln
        for ln in page.lines
        if box.x0 - 1 <= (ln.x0 + ln.x1) / 2 <= box.x1 + 1 and box.y0 - 1 <= ln.yc <= box.y1 + 1
    ]
    found_words = set(_WORDS.findall(" ".join(rows).lower()))
    line_words = _WORDS.findall(" ".join(ln.text for ln in inside).lower())
    if not line_words or sum(w in found_words for w in line_words) < 0.6 * len(line_words):
        return False  # the table finder saw another page geometry (rotation, odd boxes): keep the lines
    box.h = sorted(ln.h for ln in inside)[len(inside) // 2]
    box.rows = rows
    keep = set(map(id, inside))
    page.lines = [ln for ln in page.lines if id(ln) not in keep]
    page.lines.append(box)
    return True


def pdfium_tables(page: Any, p: Page, drawing: Drawing, textpage: Any = None) -> bool:
    """Tables read from the page's own rules and text (see ``grid``); False when none is found.

    ``textpage``, if given, is the page's open text page, used and left open.
    """
    found = grid.grids(drawing.rules)
    if not found:
        return False
    tp = textpage if textpage is not None else page.get_textpage()
    try:
        placed = False
        for g, cells in zip(found, grid.grid_cells(tp, found), strict=True):
            placed |= place_table(p, Box(g.x0, g.y0, g.x1, g.y1), cells)
        return placed
    finally:
        if textpage is None:
            tp.close()


def _row_text(row: Sequence[str | None]) -> str:
    cells = []
    for cell in row:
        if cell is None:
            continue
        text = join_lines([c.strip() for c in cell.translate(LIGATURES).split("\n") if c.strip()])
        if text:
            cells.append(text)
    return " | ".join(cells)
