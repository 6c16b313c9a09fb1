"""Two coders side by side on one document: stripes left and right, disagreements lit.

The left gutter is coder A, the right gutter coder B, with one column per
code either of them applied (the same column on both sides, in the code's
colour). A stripe ``▌`` means the coder applied that code somewhere on the
row; on rows where the two coders differ for a code the cells turn loud: a
full block ``█`` for the coder who applied it, a dot ``·`` for the one who
did not. The disagreement runs themselves are tinted in the text; ``n`` and
``p`` step through them (the current one is lit brighter). The numbers come
from ``casebook.agreement.compute.compare_document``, the same character-level
comparison the ``casebook agreement`` report uses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static

from casebook.agreement.compute import DocumentComparison, compare_document
from casebook.agreement.units import merge_ranges
from casebook.errors import CasebookError
from casebook.tui.reader_model import code_colour
from casebook.tui.workers import worker_project

_CHUNK = re.compile(r"\S+\s*|\s+")
MIN_TEXT = 24


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, without the paragraph's newline


def wrap(text: str, width: int) -> list[Line]:
    """Greedy word wrap that keeps text offsets (a word wider than the line is cut).

    Spaces after a word stay on its line even past the width; the view does
    not draw them, so a line never starts with the space that broke it.
    """
    lines: list[Line] = []
    pos = 0
    for para in text.split("\n"):
        end_para = pos + len(para)
        start, used = pos, 0
        for m in _CHUNK.finditer(para):
            a, b = pos + m.start(), pos + m.end()
            visible = len(m.group().rstrip()) or (b - a)
            if used and used + visible > width:
                lines.append(Line(start, a))
                start, used = a, 0
            while used == 0 and visible > width:
                lines.append(Line(a, a + width))
                a += width
                visible -= width
                start = a
            used += b - a
        lines.append(Line(start, end_para))
        pos = end_para + 1
    return lines


def _covers(ranges: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether disjoint sorted ``ranges`` touch ``[a, b)``."""
    i = bisect_left(starts, b) - 1
    return i >= 0 and ranges[i][1] > a


class CompareView(ScrollView, can_focus=True):
    """The text between two stripe gutters."""

    COMPONENT_CLASSES = {"compare--disagreement", "compare--current", "compare--divider"}
    DEFAULT_CSS = """
    CompareView {
        background: $surface;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    CompareView > .compare--disagreement { background: $warning 25%; }
    CompareView > .compare--current { background: $warning 70%; text-style: bold; }
    CompareView > .compare--divider { color: $text-disabled; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison: DocumentComparison | None = None
        self.current: int | None = None
        self.lines: list[Line] = []
        self._width = 0
        self._spans: dict[str, dict[str, tuple[list[tuple[int, int]], list[int]]]] = {}
        self._runs: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
        self._lit: list[tuple[int, int]] = []
        self._lit_starts: list[int] = []

    def load(self, comparison: DocumentComparison) -> None:
        self.comparison = comparison
        self.current = None
        ranges = comparison.ranges
        self._spans = {
            c["id"]: {
                coder: (rs, [s for s, _ in rs])
                for coder in (comparison.coder_a, comparison.coder_b)
                for rs in [ranges.get(c["id"], {}).get(coder, [])]
            }
            for c in comparison.codes
        }
        runs: dict[str, list[tuple[int, int]]] = {}
        for d in comparison.disagreements:
            runs.setdefault(d.code, []).append((d.start, d.end))
        self._runs = {code: (rs, [s for s, _ in rs]) for code, rs in runs.items()}
        self._lit = merge_ranges([(d.start, d.end) for d in comparison.disagreements])
        self._lit_starts = [s for s, _ in self._lit]
        self._width = 0
        self._layout()
        self.refresh()
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        self._layout()
        self.refresh()

    @property
    def code_columns(self) -> int:
        return len(self.comparison.codes) if self.comparison else 0

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - 2 * self.code_columns - 6, MIN_TEXT)

    def _layout(self) -> None:
        if self.comparison is None or self.scrollable_content_region.width == 0:
            return
        width = self._text_width()
        if width == self._width:
            return
        self._width = width
        self.lines = wrap(self.comparison.text, width)
        self.virtual_size = Size(width + 2 * self.code_columns + 6, len(self.lines))

    def on_resize(self) -> None:
        self._relayout()

    def row_of(self, offset: int) -> int:
        starts = [line.start for line in self.lines]
        return max(bisect_left(starts, offset + 1) - 1, 0)

    def show(self, index: int) -> None:
        """Make disagreement ``index`` current and scroll it into view."""
        assert self.comparison is not None
        self.current = index
        d = self.comparison.disagreements[index]
        row = self.row_of(d.start)
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_offset.y)
        if not top <= row < top + height - 1:
            self.scroll_to(y=max(row - height // 3, 0), animate=False, immediate=True)
        self.refresh()

    # --- painting --------------------------------------------------------

    def gutter_cells(self, row: int, coder: str) -> list[tuple[str, str | None]]:
        """(glyph, colour) per code column for one coder on one row."""
        assert self.comparison is not None
        line = self.lines[row]
        a, b = line.start, max(line.end, line.start + 1)
        out: list[tuple[str, str | None]] = []
        for c in self.comparison.codes:
            ranges, starts = self._spans[c["id"]][coder]
            mine = _covers(ranges, starts, a, b)
            runs = self._runs.get(c["path"])
            split = runs is not None and _covers(runs[0], runs[1], a, b)
            colour = code_colour(c["colour"], c["path"])
            if split:
                out.append(("█" if mine else "·", colour))
            else:
                out.append(("▌" if mine else " ", colour if mine else None))
        return out

    def row_text(self, row: int) -> str:
        """The plain characters of a row as drawn (for tests and screen readers)."""
        return "".join(seg.text for seg in self._render_row(row))

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_offset.y) + y
        width = self.size.width
        base = self.rich_style
        if self.comparison is None or not self._width or row >= len(self.lines):
            return Strip.blank(width, base)
        return self._render_row(row).crop_extend(0, width, base)

    def _render_row(self, row: int) -> Strip:
        assert self.comparison is not None
        base = self.rich_style
        cmp = self.comparison
        lit = self.get_component_rich_style("compare--disagreement", partial=True)
        now = self.get_component_rich_style("compare--current", partial=True)
        divider = base + self.get_component_rich_style("compare--divider", partial=True)
        segments: list[Segment] = []

        def stripes(coder: str) -> None:
            for glyph, colour in self.gutter_cells(row, coder):
                style = base + Style(color=colour, bold=True) if colour else base
                segments.append(Segment(glyph, style))

        stripes(cmp.coder_a)
        segments.append(Segment(" │ ", divider))
        line = self.lines[row]
        end = min(line.end, line.start + self._width)
        current = None
        if self.current is not None:
            d = cmp.disagreements[self.current]
            current = (d.start, d.end)
        marks = {line.start, end}
        i = max(bisect_left(self._lit_starts, line.start) - 1, 0)
        while i < len(self._lit) and self._lit[i][0] < end:
            marks.update(p for p in self._lit[i] if line.start < p < end)
            i += 1
        if current:
            marks.update(p for p in current if line.start < p < end)
        points = sorted(marks)
        for a, b in zip(points, points[1:], strict=False):
            style = base
            if current and current[0] <= a and b <= current[1]:
                style = base + now
            elif _covers(self._lit, self._lit_starts, a, b):
                style = base + lit
            segments.append(Segment(cmp.text[a:b].replace("\t", " "), style))
        segments.append(Segment(" " * (self._width - (end - line.start)), base))
        segments.append(Segment(" │ ", divider))
        stripes(cmp.coder_b)
        return Strip(segments)


class CompareScreen(Screen[None]):
    """Coder A's stripes | text | coder B's stripes for one document."""

    BINDINGS = [
        Binding("n,right_square_bracket", "step(1)", "Next disagreement"),
        Binding("p,left_square_bracket", "step(-1)", "Previous"),
        Binding("escape,q", "close", "Back"),
    ]
    DEFAULT_CSS = """
    CompareScreen #compare-title { padding: 0 1; background: $panel; text-style: bold; }
    CompareScreen #compare-status { padding: 0 1; height: 2; }
    CompareScreen #compare-legend { padding: 0 1; height: auto; max-height: 4; color: $text-muted; }
    CompareScreen CompareView { height: 1fr; }
    """

    def __init__(self, project_path: Path, document_id: str, coder_a: str, coder_b: str) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.document_id = document_id
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.comparison: DocumentComparison | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Compare {self.coder_a} | {self.coder_b}", id="compare-title", markup=False)
        yield Static("loading…", id="compare-status")
        yield CompareView(id="compare-view")
        yield Static("", id="compare-legend")
        yield Footer()

    def on_mount(self) -> None:

        view = self.query_one(CompareView)
        view.focus()
        try:
            with worker_project(self.project_path) as project:
                self.comparison = compare_document(
                    project, self.document_id, self.coder_a, self.coder_b
                )
        except CasebookError as exc:
            self.query_one("#compare-status", Static).update(
                f"[b]{exc.title}:[/b] {escape(str(exc))}"
            )
            self.notify(str(exc), title=exc.title, severity="error")
            return
        cmp = self.comparison
        self.query_one("#compare-title", Static).update(
            f"{cmp.name}: {cmp.coder_a} (left) | {cmp.coder_b} (right)"
        )
        legend = "  ".join(
            f"{i}[{code_colour(c['colour'], c['path'])}]▌[/]{escape(c['path'])}"
            for i, c in enumerate(cmp.codes, 1)
        )
        self.query_one("#compare-legend", Static).update(
            f"columns: {legend}" if legend else "neither coder coded this document"
        )
        view.load(cmp)
        self._status()

    def _status(self) -> None:
        cmp = self.comparison
        status = self.query_one("#compare-status", Static)
        if cmp is None:
            return
        total = len(cmp.disagreements)
        view = self.query_one(CompareView)
        if not total:
            status.update(
                escape(
                    f"{cmp.coder_a} and {cmp.coder_b} agree on every character of this document."
                )
            )
            return
        if view.current is None:
            status.update(
                f"{total} disagreement{'s' if total != 1 else ''}; n / p to step through them"
            )
            return
        d = cmp.disagreements[view.current]
        status.update(
            f"{view.current + 1}/{total}  [b]{escape(d.code)}[/b]  coded by {escape(', '.join(d.coded_by))}, "
            f"not by {escape(', '.join(d.not_coded_by))}  ({d.start}–{d.end})\n“{escape(d.passage)}”"
        )

    def action_step(self, direction: int) -> None:
        cmp = self.comparison
        if cmp is None or not cmp.disagreements:
            return
        view = self.query_one(CompareView)
        last = len(cmp.disagreements) - 1
        if view.current is None:
            index = 0 if direction > 0 else last
        else:
            index = view.current + direction
            if not 0 <= index <= last:
                self.notify("no more disagreements that way", timeout=2)
                return
        view.show(index)
        self._status()

    def action_close(self) -> None:
        self.dismiss(None)
