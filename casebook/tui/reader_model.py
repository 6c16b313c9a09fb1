"""What the document reader shows, without Textual: rows, offsets and codings.

The canonical text is laid out once per width into display rows (speaker
headers, page markers, headings, wrapped text). Every text offset belongs to
exactly one text row, so the cursor and the selection live in text offsets
and map to (row, column) by bisection. Codings are kept in buckets over the
text so a row finds the few codings it shows without scanning them all;
gutter lanes are assigned greedily so overlapping codings never share a
stripe. Nothing here is computed for all rows on a keypress.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

BUCKET = 512
GUTTER_LANES = 5
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s|$)")


def code_colour(colour: str | None, path: str) -> str:
    """The code's own colour, or a stable one from the palette."""
    if colour:
        return colour
    return PALETTE[zlib.crc32(path.split(".")[0].encode()) % len(PALETTE)]


@dataclass(frozen=True)
class Row:
    kind: str  # text | turn | page | blank
    start: int  # first text offset (for non-text rows: the offset they introduce)
    end: int  # text rows: one past the last offset they own
    heading: int = 0  # heading level for text rows of a heading paragraph
    info: Any = None  # the turn or page segment for header rows


@dataclass
class Coding:
    id: str
    code_id: str
    code: str
    start: int
    end: int
    colour: str
    label: str | None = None
    memo: str | None = None
    coder: str | None = None
    lane: int = 0


@dataclass
class Span:
    start: int
    end: int
    codings: tuple[Coding, ...] = ()


@dataclass
class DocumentModel:
    text: str
    paragraphs: list[tuple[int, int, int]]  # start, end, heading level (0 = body)
    turns: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    codings: dict[str, Coding] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._buckets: dict[int, set[str]] = {}
        self.rows: list[Row] = []
        self._text_rows: list[int] = []
        self._text_starts: list[int] = []
        self.width = 0
        self._turn_starts = [t["start"] for t in self.turns]
        self._page_starts = [p["start"] for p in self.pages]
        self._unit_cache: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
        for c in self.codings.values():
            self._index(c)
        self.assign_lanes()

    # --- building -------------------------------------------------------

    @classmethod
    def build(
        cls,
        text: str,
        segments: Iterable[dict[str, Any]],
        codings: Iterable[dict[str, Any]] = (),
    ) -> DocumentModel:
        paras: list[tuple[int, int, int]] = []
        turns: list[dict[str, Any]] = []
        pages: list[dict[str, Any]] = []
        sentences: list[tuple[int, int]] = []
        for s in segments:
            kind = s["kind"]
            if kind in ("paragraph", "table_row"):
                paras.append((s["start"], s["end"], int(s.get("level") or 0)))
            elif kind == "turn":
                turns.append(s)
            elif kind == "page":
                pages.append(s)
            elif kind == "sentence":
                sentences.append((s["start"], s["end"]))
        if not paras:
            pos = 0
            for line in text.split("\n"):
                paras.append((pos, pos + len(line), 0))
                pos += len(line) + 1
        paras.sort()
        turns.sort(key=lambda t: t["start"])
        pages.sort(key=lambda p: p["start"])
        sentences.sort()
        model = cls(text, paras, turns, pages, sentences)
        for row in codings:
            model.add_coding(row, relane=False)
        model.assign_lanes()
        return model

    def layout(self, width: int) -> None:
        """Wrap the text to ``width`` cells; the only pass over the whole document."""
        width = max(width, 8)
        self.width = width
        rows: list[Row] = []
        text = self.text
        turn_at = {t["start"]: t for t in self.turns}
        page_at: dict[int, dict[str, Any]] = {}
        for p in self.pages:
            page_at.setdefault(p["start"], p)
        has_turns = bool(self.turns)
        pages_done = 0
        page_starts = self._page_starts
        for i, (start, end, level) in enumerate(self.paragraphs):
            while pages_done < len(page_starts) and page_starts[pages_done] <= start:
                page = self.pages[pages_done]
                if i or pages_done:
                    rows.append(Row("blank", start, start))
                rows.append(Row("page", start, start, info=page))
                pages_done += 1
            turn = turn_at.get(start)
            if turn is not None:
                if rows:
                    rows.append(Row("blank", start, start))
                rows.append(Row("turn", start, start, info=turn))
            elif level or (not has_turns and i and rows and rows[-1].kind == "text"):
                rows.append(Row("blank", start, start))
            next_start = (
                self.paragraphs[i + 1][0] if i + 1 < len(self.paragraphs) else len(text) + 1
            )
            pos = start
            while end - pos > width - 1:
                limit = pos + width - 1
                cut = text.rfind(" ", pos, limit + 1)
                cut = limit if cut <= pos else cut + 1
                rows.append(Row("text", pos, cut, level))
                pos = cut
            rows.append(Row("text", pos, max(next_start, end + 1), level))
        self.rows = rows
        self._text_rows = [i for i, r in enumerate(rows) if r.kind == "text"]
        self._text_starts = [rows[i].start for i in self._text_rows]

    # --- offsets and rows --------------------------------------------------

    def row_of(self, offset: int) -> int:
        """The text row that owns ``offset``."""
        k = bisect_right(self._text_starts, offset) - 1
        return self._text_rows[max(k, 0)] if self._text_rows else 0

    def rowcol(self, offset: int) -> tuple[int, int]:
        row = self.row_of(offset)
        return row, offset - self.rows[row].start

    def offset_at(self, row: int, col: int) -> int:
        """The offset shown at a cell; header rows snap to the text below them."""
        if not self.rows:
            return 0
        row = min(max(row, 0), len(self.rows) - 1)
        r = self.rows[row]
        if r.kind != "text":
            k = bisect_left(self._text_rows, row)
            if k >= len(self._text_rows):
                k = len(self._text_rows) - 1
            r = self.rows[self._text_rows[k]]
            col = 0
        last = min(r.end, len(self.text)) - 1 if r.end > r.start else r.start
        return min(r.start + max(col, 0), max(last, r.start))

    def row_text(self, row: int) -> str:
        r = self.rows[row]
        return self.text[r.start : r.end].rstrip("\n").replace("\t", " ")

    def text_rows_between(self, a: int, b: int) -> range:
        lo, hi = sorted((self.row_of(a), self.row_of(b)))
        return range(lo, hi + 1)

    # --- navigation -------------------------------------------------------

    def clamp(self, offset: int) -> int:
        return min(max(offset, 0), max(len(self.text) - 1, 0))

    def next_word(self, offset: int) -> int:
        """Start of the next word after the one at ``offset``."""
        m = _WORD.search(self.text, offset)
        if m and m.start() <= offset:
            m = _WORD.search(self.text, m.end())
        return self.clamp(m.start() if m else len(self.text))

    def prev_word(self, offset: int) -> int:
        lo = max(0, offset - 200)
        starts = [m.start() for m in _WORD.finditer(self.text, lo, offset)]
        starts = [s for s in starts if s < offset]
        if starts:
            return starts[-1]
        return 0 if lo == 0 else self.prev_word(lo)

    def word_at(self, offset: int) -> tuple[int, int]:
        lo = max(0, offset - 100)
        for m in _WORD.finditer(self.text, lo, min(len(self.text), offset + 100)):
            if m.start() <= offset < m.end():
                return m.start(), m.end()
        after = _WORD.search(self.text, offset)
        return (after.start(), after.end()) if after else (offset, min(offset + 1, len(self.text)))

    def word_end_after(self, offset: int) -> int:
        """End of the word at or after ``offset`` (for growing a selection)."""
        m = _WORD.search(self.text, offset)
        return m.end() if m else len(self.text)

    def _units(self, kind: str) -> tuple[list[tuple[int, int]], list[int]]:
        """A unit kind's spans and their starts, computed once per document."""
        if kind == "turn" and not self.turns:
            kind = "paragraph"
        cached = self._unit_cache.get(kind)
        if cached is None:
            if kind == "sentence":
                units = self.sentences or self._regex_sentences()
            elif kind == "turn":
                units = [(t["start"], t["end"]) for t in self.turns]
            elif kind == "page":
                units = [(p["start"], p["end"]) for p in self.pages]
            else:
                units = [(s, e) for s, e, _l in self.paragraphs]
            cached = self._unit_cache[kind] = (units, [u[0] for u in units])
        return cached

    def _regex_sentences(self) -> list[tuple[int, int]]:
        out = []
        for s, e, _l in self.paragraphs:
            pos = s
            for m in _SENTENCE_END.finditer(self.text, s, e):
                if m.end() > pos:
                    out.append((pos, m.end()))
                pos = m.end()
                while pos < e and self.text[pos] == " ":
                    pos += 1
            if pos < e:
                out.append((pos, e))
        return out

    def unit_at(self, kind: str, offset: int) -> tuple[int, int]:
        """The unit containing ``offset`` (or the next one, between units)."""
        units, starts = self._units(kind)
        if not units:
            return 0, len(self.text)
        k = max(bisect_right(starts, offset) - 1, 0)
        start, end = units[k]
        if offset >= end and k + 1 < len(units):
            start, end = units[k + 1]
        return start, end

    def next_unit(self, kind: str, offset: int) -> int:
        """Start of the next sentence/paragraph/turn/page after ``offset``."""
        _units, starts = self._units(kind)
        k = bisect_right(starts, offset)
        return self.clamp(starts[k]) if k < len(starts) else self.clamp(len(self.text))

    def prev_unit(self, kind: str, offset: int) -> int:
        """Start of the unit before ``offset`` (or of the one containing it)."""
        _units, starts = self._units(kind)
        k = bisect_left(starts, offset) - 1
        return starts[k] if k >= 0 else 0

    def unit_end_after(self, kind: str, offset: int) -> int:
        """End of the unit containing ``offset``, or of the next one if already at an end."""
        units, starts = self._units(kind)
        for _start, end in units[max(bisect_right(starts, offset) - 1, 0) :]:
            if end > offset:
                return end
        return len(self.text)

    def unit_end_before(self, kind: str, offset: int) -> int | None:
        """The last end of a unit strictly before ``offset`` (for shrinking a selection)."""
        units, starts = self._units(kind)
        k = bisect_left(starts, offset) - 1
        while k >= 0:
            if units[k][1] < offset:
                return units[k][1]
            k -= 1
        return None

    def word_end_before(self, offset: int) -> int | None:
        lo = max(0, offset - 200)
        ends = [m.end() for m in _WORD.finditer(self.text, lo, offset) if m.end() < offset]
        if ends:
            return ends[-1]
        return None if lo == 0 else self.word_end_before(lo)

    def turn_at(self, offset: int) -> dict[str, Any] | None:
        k = bisect_right(self._turn_starts, offset) - 1
        if k >= 0 and offset < self.turns[k]["end"] + 1:
            return self.turns[k]
        return None

    def page_at(self, offset: int) -> dict[str, Any] | None:
        k = bisect_right(self._page_starts, offset) - 1
        return self.pages[k] if k >= 0 else None

    # --- codings ----------------------------------------------------------

    def _index(self, c: Coding) -> None:
        for b in range(c.start // BUCKET, (c.end - 1) // BUCKET + 1):
            self._buckets.setdefault(b, set()).add(c.id)

    def _unindex(self, c: Coding) -> None:
        for b in range(c.start // BUCKET, (c.end - 1) // BUCKET + 1):
            self._buckets.get(b, set()).discard(c.id)

    def add_coding(self, row: dict[str, Any], *, relane: bool = True) -> set[str]:
        c = Coding(
            id=row["id"],
            code_id=row["code_id"],
            code=row["code"],
            start=row["start"],
            end=row["end"],
            colour=code_colour(row.get("colour"), row["code"]),
            label=row.get("code_label"),
            memo=row.get("memo"),
            coder=row.get("coder"),
        )
        self.codings[c.id] = c
        self._index(c)
        if relane:
            # The lowest lane free along the new coding; the others keep theirs, so only
            # this coding's rows change.
            busy = {o.lane for o in self.codings_in(c.start, c.end) if o.id != c.id}
            c.lane = next(i for i in range(len(busy) + 1) if i not in busy)
        return {c.id}

    def remove_coding(self, coding_id: str) -> set[str]:
        c = self.codings.pop(coding_id, None)
        if c is None:
            return set()
        self._unindex(c)
        return {c.id}

    def codings_in(self, start: int, end: int) -> list[Coding]:
        ids: set[str] = set()
        for b in range(start // BUCKET, max(end - 1, start) // BUCKET + 1):
            ids |= self._buckets.get(b, set())
        found = [self.codings[i] for i in ids]
        return sorted(
            (c for c in found if c.start < end and c.end > start),
            key=lambda c: (c.start, c.end, c.id),
        )

    def codings_at(self, offset: int) -> list[Coding]:
        """Codings covering one offset, shortest first."""
        return sorted(self.codings_in(offset, offset + 1), key=lambda c: (c.end - c.start, c.code))

    def assign_lanes(self) -> set[str]:
        """Greedy interval colouring; returns the codings whose lane changed."""
        lane_ends: list[int] = []
        changed: set[str] = set()
        for c in sorted(self.codings.values(), key=lambda c: (c.start, -c.end, c.id)):
            lane = next((i for i, busy in enumerate(lane_ends) if busy <= c.start), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(0)
            lane_ends[lane] = c.end
            if c.lane != lane:
                changed.add(c.id)
                c.lane = lane
        return changed

    def rows_of(self, start: int, end: int) -> range:
        """Display rows showing any of ``[start, end)``."""
        if not self.rows:
            return range(0)
        return range(self.row_of(start), self.row_of(max(end - 1, start)) + 1)

    def spans(self, row: int, marks: Iterable[int] = ()) -> list[Span]:
        """The row's text cut where the set of covering codings (or a mark) changes."""
        r = self.rows[row]
        lo, hi = r.start, min(r.end, len(self.text) + 1)
        here = self.codings_in(lo, hi)
        cuts = {lo, hi}
        for c in here:
            if lo < c.start < hi:
                cuts.add(c.start)
            if lo < c.end < hi:
                cuts.add(c.end)
        for m in marks:
            if lo < m < hi:
                cuts.add(m)
        points = sorted(cuts)
        out = []
        for a, b in zip(points, points[1:], strict=False):
            cover = tuple(c for c in here if c.start <= a and c.end >= b)
            out.append(Span(a, b, cover))
        return out

    def gutter(self, row: int) -> list[tuple[str, str] | None]:
        """One cell per lane: (glyph, colour) of the coding in that lane on this row."""
        r = self.rows[row]
        cells: list[tuple[str, str] | None] = [None] * GUTTER_LANES
        if r.kind != "text":
            return cells
        lo, hi = r.start, r.end
        for c in self.codings_in(lo, hi):
            first = c.start >= lo
            last = c.end <= hi
            glyph = "▐" if first and last else "╻" if first else "╹" if last else "┃"
            lane = c.lane
            if lane >= GUTTER_LANES:
                cells[-1] = ("+", c.colour)
            elif cells[lane] is None:
                cells[lane] = (glyph, c.colour)
        return cells


def short_code_name(path: str) -> str:
    """The last part of a code path (``BEL.TIJD`` -> ``TIJD``), as margin labels show it."""
    return path.rsplit(".", 1)[-1]


def margin_labels(model: DocumentModel, row: int) -> list[tuple[str, str, bool]]:
    """(code name, colour, starts on this row) for the codings on a text row, in lane order.

    Codings that start on the row come first (they are what the eye looks
    for); the ones running on from above follow.
    """
    r = model.rows[row]
    if r.kind != "text":
        return []
    here = model.codings_in(r.start, r.end)
    out = [(short_code_name(c.code), c.colour, c.start >= r.start, c.lane) for c in here]
    out.sort(key=lambda x: (not x[2], x[3]))
    seen: set[str] = set()
    labels = []
    for name, colour, starts, _lane in out:
        if name in seen:
            continue
        seen.add(name)
        labels.append((name, colour, starts))
    return labels
