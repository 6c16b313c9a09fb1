"""Running headers and footers, page numbers and transcript line numbers: found and removed.

Lines in the top or bottom margin whose text, with digits ignored, recurs there
on several pages go, and so do bare page numbers ("3", "- 3 -", "Pagina 3 van
12", "Page 3"), as long as they stand apart from the body. Columns of
transcript line numbers go too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from casebook.importers.pdf.geometry import Line, Page

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|·•(\[]*(?:(?:pagina|page|pag\.?|blz\.?|bladzijde|p\.|seite)\s*)?"
    r"(?:\d{1,5}|[ivxlc]{1,6})(?:\s*(?:/|van|of|de|von|sur)\s*\d{1,5})?[\s\-–—|·•)\]]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_LINE_NUMBER = re.compile(r"^\d{1,3}$")
_MARGIN = 0.15  # share of the page height that counts as top or bottom margin


@dataclass(frozen=True, slots=True)
class _MarginLine:
    """A line near a page edge: its digit-free key, whether it is outermost, and
    which margin holds it (1 top, -1 bottom, 0 the side)."""

    line: Line
    key: str
    edge: bool
    side: int


def drop_running_lines(pages: list[Page]) -> None:
    """Remove lines repeating in the page margins (digits ignored) and bare page numbers.

    A candidate must also stand apart from the body: a line set at normal leading
    above or below body text is the body's own first or last line, even if its
    wording recurs (a repeated table header, a stock phrase at a column top).
    """
    if not pages:
        return
    seen: Counter[str] = Counter()
    zones: list[list[_MarginLine]] = []
    for p in pages:
        zone = _margin_lines(p)
        zones.append(zone)
        seen.update({m.key for m in zone})
    need = 2 if len(pages) <= 3 else 3  # page 1 of a short report often has no header
    for p, zone in zip(pages, zones, strict=True):
        candidates = {
            id(m.line): m.side
            for m in zone
            if (len(pages) >= 2 and seen[m.key] >= need)
            or (m.edge and _PAGE_NUMBER.match(m.line.text) and len(p.lines) > 1)
        }
        if not candidates:
            continue
        drop = {key for key, side in candidates.items() if side == 0}
        by_id = {id(ln): ln for ln in p.lines}
        memo: dict[int, bool] = {}
        for key, side in candidates.items():
            if side and _apart(by_id[key], side, p.lines, candidates, memo):
                drop.add(key)
        if drop:
            p.lines = [ln for ln in p.lines if id(ln) not in drop]
            p.margin = [ln for ln in p.margin if id(ln) not in drop]


def _apart(
    ln: Line, side: int, lines: list[Line], candidates: dict[int, int], memo: dict[int, bool]
) -> bool:
    """Does more than normal leading separate a top (side 1) or bottom (-1) line from the body?

    Whitespace to the next line towards the body decides; a line set close to it
    only goes if that line is a candidate too and stands apart (a two-line header).
    """
    if id(ln) in memo:
        return memo[id(ln)]
    memo[id(ln)] = False
    nearest: Line | None = None
    gap = 0.0
    for other in lines:
        if other is ln or other.x0 >= ln.x1 or other.x1 <= ln.x0:
            continue
        if side == 1 and other.yc < ln.yc:
            d = ln.y0 - other.y1
        elif side == -1 and other.yc > ln.yc:
            d = other.y0 - ln.y1
        else:
            continue
        if nearest is None or d < gap:
            nearest, gap = other, d
    if nearest is None or gap >= 0.6 * ln.h:
        result = True
    elif candidates.get(id(nearest)) == side:
        result = _apart(nearest, side, lines, candidates, memo)
    else:
        result = False
    memo[id(ln)] = result
    return result


def _margin_lines(p: Page) -> list[_MarginLine]:
    """Lines near the top (1) or bottom (-1) edge or in the side margin (0), with their
    digit-free key and whether they are outermost."""
    height = p.top - p.bottom
    lines = [ln for ln in p.lines if ln.rows is None]
    if height <= 0 or not lines:
        return []
    top_cut = p.top - _MARGIN * height
    bottom_cut = p.bottom + _MARGIN * height
    by_top = sorted(lines, key=lambda ln: -ln.y1)
    out: list[_MarginLine] = []
    picked: set[int] = set()
    for rank, ln in enumerate(by_top[:4]):
        if ln.yc >= top_cut:
            out.append(_MarginLine(ln, _key(ln.text), rank < 2, 1))
            picked.add(id(ln))
    for rank, ln in enumerate(sorted(lines, key=lambda ln: ln.y0)[:4]):
        if ln.yc <= bottom_cut and id(ln) not in picked:
            out.append(_MarginLine(ln, _key(ln.text), rank < 2, -1))
    out += [_MarginLine(ln, _key(ln.text), False, 0) for ln in p.margin]
    return out


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def drop_line_numbers(p: Page) -> None:
    """Transcripts number their lines in the margin: five or more numbers stacked in one
    column left of all other text, alone on a line or set apart before the line's text."""
    spans: list[tuple[float, float, Line]] = []
    for ln in p.lines:
        if ln.number is not None:
            spans.append((ln.x0, ln.number[1], ln))
        elif len(ln.text) <= 3 and _LINE_NUMBER.match(ln.text):
            spans.append((ln.x0, ln.x1, ln))
    if len(spans) < 5:
        return
    spans.sort(key=lambda s: s[0])
    clusters: list[list[tuple[float, float, Line]]] = []
    for span in spans:
        if clusters and span[0] <= max(s[1] for s in clusters[-1]) + 1:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    for cluster in clusters:
        if len(cluster) < 5:
            continue
        members = {id(s[2]) for s in cluster}
        right = max(s[1] for s in cluster)
        text_left = [ln.number[2] for ln in p.lines if id(ln) in members and ln.number]
        text_left += [ln.x0 for ln in p.lines if id(ln) not in members]
        values = [int(s[2].text.split()[0]) for s in sorted(cluster, key=lambda s: -s[2].yc)]
        rising = sum(b > a for a, b in zip(values, values[1:], strict=False)) >= 0.8 * (
            len(values) - 1
        )
        if not rising or (text_left and min(text_left) <= right + 1):
            continue
        kept = []
        for ln in p.lines:
            if id(ln) not in members:
                kept.append(ln)
            elif ln.number is not None:
                ln.text = ln.text[ln.number[0] :]
                ln.x0 = ln.left = ln.number[2]
                ln.number = None
                kept.append(ln)
        p.lines = kept
