"""Reading order: a recursive XY cut that prefers vertical cuts.

A page is split into columns where a vertical strip holds no text, and into
bands where a horizontal strip holds none; consecutive bands that share a
column gap are read column by column. Full-width titles stay where they are.
Each line is tagged with its column number and the column's edges, which the
paragraph rules use for indentation and short last lines.
"""

from __future__ import annotations

from casebook.importers.pdf.geometry import Line


def reading_order(lines: list[Line]) -> list[Line]:
    if not lines:
        return []
    hs = sorted(ln.h for ln in lines)
    h = hs[len(hs) // 2]
    out: list[Line] = []
    _order(lines, min(ln.x0 for ln in lines), _right_edge(lines), 0, out, [0], max(3.0, 0.5 * h), h)
    return out


def _right_edge(lines: list[Line]) -> float:
    """Right edge of a column, robust against one overlong line (a URL in the margin)."""
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    return ends[min(len(ends) - 1, len(ends) // 10)]


def _order(
    items: list[Line],
    left: float,
    right: float,
    col: int,
    out: list[Line],
    ids: list[int],
    gap: float,
    h: float,
) -> None:
    """Recursive XY cut: columns first; else bands, read column by column where they share a gutter."""
    cols = _vertical_split(items, gap)
    if len(cols) > 1:
        for c in cols:
            ids[0] += 1
            _order(c, min(ln.x0 for ln in c), _right_edge(c), ids[0], out, ids, gap, h)
        return
    bands = _bands(items)
    if len(bands) == 1:
        _emit(items, left, right, col, out)
        return
    covs = [_coverage(band, gap) for band in bands]
    groups: list[tuple[list[Line], list[list[float]]]] = []
    cur, cov = list(bands[0]), covs[0]
    low = min(ln.y0 for ln in bands[0])
    for band, band_cov in zip(bands[1:], covs[1:], strict=True):
        if len(cov) == 1 and len(band_cov) == 1:
            (a0, a1), (b0, b1) = cov[0], band_cov[0]
            merged = cov + band_cov if b0 >= a1 + gap or a0 >= b1 + gap else None
        else:
            merged = _merge(cov, band_cov, gap)
        # a band joins the bands above if they keep a common gutter and no wide empty strip
        # separates them (a date under a title, or a figure between two blocks of columns)
        if merged is not None and len(merged) > 1 and low - max(ln.y1 for ln in band) <= 2 * h:
            cur += band
            cov = merged
        else:
            groups.append((cur, cov))
            cur, cov = list(band), band_cov
        low = min(low, min(ln.y0 for ln in band))
    groups.append((cur, cov))
    plain: list[Line] = []  # consecutive groups without a gutter are read top to bottom at once
    for g, g_cov in groups:
        if len(g_cov) > 1:
            _emit(plain, left, right, col, out)
            plain = []
            _order(g, left, right, col, out, ids, gap, h)
        else:
            plain += g
    _emit(plain, left, right, col, out)


def _emit(items: list[Line], left: float, right: float, col: int, out: list[Line]) -> None:
    """Top to bottom; pieces on one visual row left to right."""
    items = sorted(items, key=lambda ln: -ln.yc)
    row: list[Line] = []
    for ln in items:
        if row and row[0].yc - ln.yc > 0.5 * min(row[0].h, ln.h):
            _flush_row(row, left, right, col, out)
            row = []
        row.append(ln)
    _flush_row(row, left, right, col, out)


def _flush_row(row: list[Line], left: float, right: float, col: int, out: list[Line]) -> None:
    for ln in sorted(row, key=lambda ln: ln.x0):
        ln.col, ln.left, ln.right = col, left, right
        out.append(ln)


def _coverage(items: list[Line], gap: float) -> list[list[float]]:
    if len(items) == 1:
        return [[items[0].x0, items[0].x1]]
    spans = sorted([ln.x0, ln.x1] for ln in items)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a < merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _merge(a: list[list[float]], b: list[list[float]], gap: float) -> list[list[float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(a + b):
        if merged and x0 < merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _vertical_split(items: list[Line], gap: float) -> list[list[Line]]:
    cov = _coverage(items, gap)
    if len(cov) < 2:
        return [items]
    cols: list[list[Line]] = [[] for _ in cov]
    for ln in items:
        for i, (_a, b) in enumerate(cov):
            if ln.x0 <= b:
                cols[i].append(ln)
                break
    return [c for c in cols if c]


def _bands(items: list[Line]) -> list[list[Line]]:
    """Groups of lines whose cores (middle 60% of the box height) overlap vertically."""
    ordered = sorted(items, key=lambda ln: -(ln.yc + 0.3 * ln.h))
    bands: list[list[Line]] = []
    low = 0.0
    for ln in ordered:
        top = ln.yc + 0.3 * ln.h
        if bands and top > low:
            bands[-1].append(ln)
            low = min(low, ln.yc - 0.3 * ln.h)
        else:
            bands.append([ln])
            low = ln.yc - 0.3 * ln.h
    return bands
