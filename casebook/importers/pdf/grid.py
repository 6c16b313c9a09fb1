"""Ruled tables read from PDFium alone: rules from path objects, cell text from the text page.

pdfplumber's table finder parses the whole page with pdfminer first, which
costs a tenth of a second or more per page; a report with budget tables on
most pages spent nine tenths of its import there. A ruled table is a grid of
horizontal and vertical segments that PDFium already hands us as path
objects, and PDFium can give the text inside any rectangle. So: collect the
axis-aligned segments of every stroked path (lines, box sides, and the
segments of one path that draws a whole grid), group those that touch, and
read a table from each group with at least three horizontal and three
vertical rules. Each row uses only the vertical rules that cross it, so a
cell spanning two columns stays one cell. Pages where this finds nothing
still go to pdfplumber.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

SNAP = 2.0  # points: rules this close are one rule
FPDF_SEGMENT_LINETO = 0
FPDF_SEGMENT_BEZIERTO = 1
FPDF_SEGMENT_MOVETO = 2


@dataclass
class Rules:
    """Axis-aligned segments of a page: (y, x0, x1) horizontal, (x, y0, y1) vertical."""

    horizontal: list[tuple[float, float, float]] = field(default_factory=list)
    vertical: list[tuple[float, float, float]] = field(default_factory=list)

    def add_box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.horizontal += [(y0, x0, x1), (y1, x0, x1)]
        self.vertical += [(x0, y0, y1), (x1, y0, y1)]

    def add_line(self, ax: float, ay: float, bx: float, by: float) -> None:
        if abs(ay - by) <= 0.5 and abs(ax - bx) >= 3:
            self.horizontal.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 0.5 and abs(ay - by) >= 3:
            self.vertical.append(((ax + bx) / 2, min(ay, by), max(ay, by)))

    def add_path_segments(self, obj: Any) -> None:
        """Every straight segment of a path object, in page coordinates."""
        import pypdfium2.raw as raw  # PDFium is a native library; loaded only when a PDF is read

        matrix = raw.FS_MATRIX()
        if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            return
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        px, py = ctypes.c_float(), ctypes.c_float()
        start: tuple[float, float] | None = None
        prev: tuple[float, float] | None = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            if not seg or not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
                continue
            x, y = px.value, py.value
            point = (a * x + c * y + e, b * x + d * y + f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == FPDF_SEGMENT_MOVETO:
                start = point
            elif kind == FPDF_SEGMENT_LINETO and prev is not None:
                self.add_line(*prev, *point)
            prev = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                self.add_line(*point, *start)
                prev = start


@dataclass
class Grid:
    x0: float
    y0: float
    x1: float
    y1: float
    rows: list[
        list[tuple[float, float, float, float]]
    ]  # cells (x0, y0, x1, y1), rows top to bottom


def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear segments that touch become one (Word draws a border per cell)."""
    out: list[tuple[float, float, float]] = []
    for pos, lo, hi in sorted(segments):
        if out and abs(out[-1][0] - pos) <= SNAP and lo <= out[-1][2] + SNAP:
            p, a, b = out[-1]
            out[-1] = (p, a, max(b, hi))
        else:
            out.append((pos, lo, hi))
    return out


def _levels(values: list[float]) -> list[float]:
    levels: list[float] = []
    for v in sorted(values):
        if not levels or v - levels[-1] > SNAP:
            levels.append(v)
    return levels


def grids(rules: Rules) -> list[Grid]:
    """Tables from touching rules: at least three horizontal and three vertical ones."""
    hs = _merge(rules.horizontal)
    vs = _merge(rules.vertical)
    if len(hs) < 3 or len(vs) < 3:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - SNAP <= x <= hx1 + SNAP and vy0 - SNAP <= y <= vy1 + SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[
        int, tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]
    ] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = []
    for group_h, group_v in groups.values():
        ys = _levels([y for y, _a, _b in group_h])
        xs = _levels([x for x, _a, _b in group_v])
        if len(ys) < 3 or len(xs) < 3:
            continue
        rows = []
        for top, bottom in zip(reversed(ys), list(reversed(ys))[1:], strict=False):
            mid = (top + bottom) / 2
            cuts = [x for x, a, b in group_v if a - SNAP <= mid <= b + SNAP]
            # The rules above and below the row end where the table ends, also when the
            # outer border is not drawn (reportlab's INNERGRID, Word's "no outer border").
            for y, a, b in group_h:
                if abs(y - top) <= SNAP or abs(y - bottom) <= SNAP:
                    cuts += [a, b]
            cuts = _levels(cuts)
            cells = [
                (left, bottom, right, top) for left, right in zip(cuts, cuts[1:], strict=False)
            ]
            if cells:
                rows.append(cells)
        if len(rows) >= 2:
            out.append(Grid(xs[0], ys[0], xs[-1], ys[-1], rows))
    return out


def grid_cells(textpage: Any, found: list[Grid]) -> list[list[list[str]]]:
    """The text of every cell: each character goes to the cell holding its centre.

    Characters PDFium generates (spaces and line breaks it infers) follow the
    character before them, so words and lines inside a cell keep their breaks.
    A character on a rule two cells share goes to the first of them (grid, row,
    cell order). PDFium calls per character are the cost of this loop, so it
    makes the fewest: a character outside every cell, after none, costs one call
    (its box); whether it was generated and what it is are asked only when that
    can change the cells.
    """
    import pypdfium2.raw as raw  # PDFium is a native library; loaded only when a PDF is read

    handle = textpage.raw
    texts: list[list[list[list[str]]]] = [[[[] for _c in row] for row in g.rows] for g in found]
    index = CellIndex(found, texts)
    at = index.at
    # below the lowest cell or above the highest a character holds nothing: no lookup
    low, high = (index.bounds[0], index.bounds[-1]) if index.bounds else (1.0, 0.0)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    unicode, generated, char_box = (
        raw.FPDFText_GetUnicode,
        raw.FPDFText_IsGenerated,
        raw.FPDFText_GetCharBox,
    )
    last: list[str] | None = None
    for i in range(raw.FPDFText_CountChars(handle)):
        boxed = char_box(handle, i, *refs)
        cell: list[str] | None = None
        if boxed:
            y = (bottom.value + top.value) / 2
            if low <= y <= high:
                cell = at((left.value + right.value) / 2, y)
        if cell is None and last is None:
            continue  # outside every cell and after no cell: generated or not, nothing to do
        if generated(handle, i) == 1 or not boxed:
            if last is not None:
                ch = chr(unicode(handle, i) or 32)
                if ch in " \r\n":
                    last.append("\n" if ch in "\r\n" else " ")
            continue
        last = cell
        if cell is not None:
            cell.append(chr(unicode(handle, i) or 32))
    return [[["".join(cell) for cell in row] for row in g] for g in texts]


_Candidate = tuple[float, float, float, float, list[str]]


class CellIndex:
    """Which cell holds a point: the first, in grid, row, cell order, whose box holds it.

    Asked once per character of a page with a table, so the cells a point may
    fall in are found by bisecting its height: ``bounds`` are the sorted bottoms
    and tops of all cells; for y equal to ``bounds[k]`` the candidates are
    ``on_bound[k]``, for y strictly between ``bounds[k - 1]`` and ``bounds[k]``
    (or outside all) ``between[k]``. Each list keeps the cells in order, so a
    point on a rule two cells share still goes to the first of them, and each
    candidate's whole box is checked. A cell whose grid or row extent is not a
    number (NaN) can hold no point and is left out.
    """

    def __init__(self, found: list[Grid], texts: list[list[list[list[str]]]]) -> None:
        cells: list[_Candidate] = []
        for gi, g in enumerate(found):
            flat = [c for row in g.rows for c in row]
            if not flat or not _numbers(
                min(c[0] for c in flat),
                min(c[1] for c in flat),
                max(c[2] for c in flat),
                max(c[3] for c in flat),
            ):
                continue
            for ri, row in enumerate(g.rows):
                if not row or not _numbers(min(c[1] for c in row), max(c[3] for c in row)):
                    continue
                for ci, (x0, y0, x1, y1) in enumerate(row):
                    if y0 <= y1:  # also False for NaN: such a cell holds nothing
                        cells.append((x0, y0, x1, y1, texts[gi][ri][ci]))
        self.bounds = sorted({v for c in cells for v in (c[1], c[3])})
        self.on_bound: list[list[_Candidate]] = [[] for _ in self.bounds]
        self.between: list[list[_Candidate]] = [[] for _ in range(len(self.bounds) + 1)]
        for c in cells:
            lo, hi = bisect_left(self.bounds, c[1]), bisect_left(self.bounds, c[3])
            for k in range(lo, hi + 1):
                self.on_bound[k].append(c)
            for k in range(lo + 1, hi + 1):
                self.between[k].append(c)

    def at(self, x: float, y: float) -> list[str] | None:
        """The text list of the cell holding (x, y), or None."""
        bounds = self.bounds
        k = bisect_left(bounds, y)
        for x0, y0, x1, y1, text in (
            self.on_bound[k] if k < len(bounds) and bounds[k] == y else self.between[k]
        ):
            if x0 <= x <= x1 and y0 <= y <= y1:
                return text
        return None


def _numbers(*values: float) -> bool:
    return all(v == v for v in values)
