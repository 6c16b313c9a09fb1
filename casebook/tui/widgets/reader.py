"""The document reader: a Line API view over ``DocumentModel``.

One widget: rendering, cursor, selection and scrolling all read the same row cache.

Only visible rows are rendered. A row's styled Strip is cached until
something on that row changes (a coding, the lane of a stripe, the theme);
rows under the cursor or the selection are drawn fresh, and a keypress
refreshes just the rows whose look changed, so moving or growing a selection
costs the same in a 500-word note and a 25,000-word transcript.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from casebook.tui.reader_model import GUTTER_LANES, DocumentModel, margin_labels
from casebook.tui.timing import timed

GUTTER = GUTTER_LANES + 1
ROLE_COLOURS = ("#e8a33d", "#5fb3a1", "#c678dd", "#d19a66", "#56b6c2", "#98c379", "#e06c75")


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class DocumentReader(ScrollView, can_focus=True):
    """Canonical text with turns, pages, headings, coding highlights and a stripe gutter."""

    COMPONENT_CLASSES = {
        "reader--cursor",
        "reader--selection",
        "reader--turn",
        "reader--interviewer",
        "reader--page",
        "reader--heading",
        "reader--hit",
        "reader--current-hit",
    }

    DEFAULT_CSS = """
    DocumentReader {
        background: $surface;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    DocumentReader > .reader--cursor { background: $accent; color: $text; text-style: bold; }
    DocumentReader:blur > .reader--cursor { background: $accent 40%; }
    DocumentReader > .reader--selection { background: $primary 60%; }
    DocumentReader > .reader--turn { color: $text-muted; }
    DocumentReader > .reader--interviewer { color: $secondary; text-style: bold; }
    DocumentReader > .reader--page { color: $text-disabled; }
    DocumentReader > .reader--heading { color: $text; text-style: bold underline; }
    DocumentReader > .reader--hit { color: $warning; text-style: bold underline; }
    DocumentReader > .reader--current-hit { background: $warning; color: $background; text-style: bold; }
    """

    BINDINGS = [
        Binding("left", "move('char', -1)", "Char", show=False),
        Binding("right", "move('char', 1)", "Char", show=False),
        Binding("up", "move('line', -1)", "Line", show=False),
        Binding("down", "move('line', 1)", "Line", show=False),
        Binding("ctrl+left", "move('word', -1)", "Word", show=False),
        Binding("ctrl+right", "move('word', 1)", "Word", show=False),
        Binding("left_parenthesis", "move('sentence', -1)", "Sentence", show=False),
        Binding("right_parenthesis", "move('sentence', 1)", "Sentence", show=False),
        Binding("left_curly_bracket", "move('turn', -1)", "Turn", show=False),
        Binding("right_curly_bracket", "move('turn', 1)", "Turn", show=False),
        Binding("left_square_bracket", "move('page', -1)", "Page", show=False),
        Binding("right_square_bracket", "move('page', 1)", "Page", show=False),
        Binding("pageup", "move('screen', -1)", "Screen", show=False),
        Binding("pagedown", "move('screen', 1)", "Screen", show=False),
        Binding("home", "move('home', -1)", "Line start", show=False),
        Binding("end", "move('end', 1)", "Line end", show=False),
        Binding("ctrl+home,g", "move('doc', -1)", "Top", show=False),
        Binding("ctrl+end,G", "move('doc', 1)", "Bottom", show=False),
        Binding("shift+left", "extend('char', -1)", "Extend", show=False),
        Binding("shift+right", "extend('char', 1)", "Extend", show=False),
        Binding("shift+up", "extend('line', -1)", "Extend", show=False),
        Binding("shift+down", "extend('line', 1)", "Extend", show=False),
        Binding("W,ctrl+shift+left", "extend('word', -1)", "Word back", show=False),
        Binding("w,ctrl+shift+right", "extend('word', 1)", "+word"),
        Binding("s", "extend('sentence', 1)", "+sentence"),
        Binding("S", "extend('sentence', -1)", "Sentence back", show=False),
        Binding("t", "extend('turn', 1)", "+turn"),
        Binding("T", "extend('turn', -1)", "Turn back", show=False),
        Binding("shift+pageup", "extend('screen', -1)", "Extend", show=False),
        Binding("shift+pagedown", "extend('screen', 1)", "Extend", show=False),
        Binding("shift+home", "extend('home', -1)", "Extend", show=False),
        Binding("shift+end", "extend('end', 1)", "Extend", show=False),
        Binding("v", "toggle_select", "Select mode", show=False),
        Binding("x", "select_unit('sentence')", "Select sentence", show=False),
        Binding("X", "select_unit('turn')", "Select turn", show=False),
        Binding("escape", "clear_selection", "Clear", show=False),
        Binding("L", "toggle_labels", "Labels", show=False),
    ]

    class CursorMoved(Message):
        """The cursor or the selection changed (the status line follows it)."""

        def __init__(self, reader: DocumentReader) -> None:
            super().__init__()
            self.reader = reader

        @property
        def control(self) -> DocumentReader:
            return self.reader

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: DocumentModel | None = None
        self.document_id: str | None = None
        self.cursor = 0
        self.selection_anchor: int | None = None
        self.select_mode = False
        self.hits: list[tuple[int, int]] = []
        self.current_hit: int | None = None
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._highlight_styles: dict[str, Style] = {}
        self._dragging = False
        self._warm_timer: Timer | None = None
        self._laid_out_width = 0
        self.show_labels = False  # code names in the left margin (L)

    # --- loading ---------------------------------------------------------

    def load(self, document_id: str | None, model: DocumentModel | None, cursor: int = 0) -> None:
        self.document_id = document_id
        self.model = model
        self.cursor = model.clamp(cursor) if model else 0
        self.selection_anchor = None
        self.select_mode = False
        self.hits = []
        self.current_hit = None
        self._cache.clear()
        self._laid_out_width = 0
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.scroll_cursor_into_view(centre=True)
        self.refresh()
        self._schedule_warm()
        self.post_message(self.CursorMoved(self))

    @property
    def label_width(self) -> int:
        """Columns of the code-name margin (0 when margin labels are off)."""
        if not self.show_labels:
            return 0
        return min(16, max(8, self.scrollable_content_region.width // 6))

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER - self.label_width - 1, 20)

    def action_toggle_labels(self) -> None:
        """Show or hide the code names of each line's codings in the left margin."""
        self.show_labels = not self.show_labels
        self._laid_out_width = 0
        self._cache.clear()
        self._relayout()
        self.scroll_cursor_into_view(centre=True)
        self.refresh()
        self.post_message(self.CursorMoved(self))

    def _label_segments(self, row: int) -> list[Segment]:
        """The margin cell of one row: code names, truncated, coloured like their stripes."""
        width = self.label_width
        base = self.rich_style
        assert self.model is not None
        out: list[Segment] = []
        used = 0
        for name, colour, starts in margin_labels(self.model, row):
            room = width - 1 - used - (1 if out else 0)
            if room <= 0:
                break
            if out:
                out.append(Segment(" ", base))
                used += 1
            shown = name if len(name) <= room else name[: max(room - 1, 0)] + "…"
            out.append(Segment(shown, base + Style(color=colour, bold=starts, dim=not starts)))
            used += len(shown)
        out.append(Segment(" " * (width - used), base))
        return out

    def _relayout(self) -> None:
        if self.model is None:
            self.virtual_size = Size(0, 0)
            return
        if self.scrollable_content_region.width == 0:
            return  # not laid out yet: on_resize does the first wrap
        width = self._text_width()
        if width == self._laid_out_width and self.model.rows:
            return
        self.model.layout(width)
        self._laid_out_width = width
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER + self.label_width, len(self.model.rows))

    def on_resize(self, event: events.Resize) -> None:
        if self.model is not None and self._text_width() != self._laid_out_width:
            self._relayout()
            self.scroll_cursor_into_view(centre=True)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._highlight_styles.clear()
        self._cache.clear()

    # --- state -----------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return (min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor))

    def target_range(self) -> tuple[int, int] | None:
        """What an "apply code" acts on: the selection, else the sentence at the cursor."""
        if self.model is None or not self.model.text:
            return None
        sel = self.selection
        if sel:
            return sel
        start, end = self.model.unit_at("sentence", self.cursor)
        return (start, end) if end > start else None

    def set_selection(self, start: int, end: int, *, cursor_at_end: bool = True) -> None:
        if self.model is None:
            return
        old = self._marked_rows()
        end = min(end, len(self.model.text))
        self.selection_anchor, self.cursor = (start, end) if cursor_at_end else (end, start)
        self._after_change(old)

    def move_to(self, offset: int, *, centre: bool = False) -> None:
        if self.model is None:
            return
        old = self._marked_rows()
        self.selection_anchor = None
        self.select_mode = False
        self.cursor = self.model.clamp(offset)
        self._after_change(old, centre=centre)

    # --- painting ----------------------------------------------------------

    def _marked_rows(self) -> set[int]:
        """Rows that look different because of the cursor or the selection."""
        if self.model is None or not self.model.rows:
            return set()
        rows = {self.model.row_of(self.cursor)}
        sel = self.selection
        if sel:
            rows.update(self.model.rows_of(*sel))
        return rows

    def _after_change(self, old_rows: set[int], *, centre: bool = False) -> None:
        new_rows = self._marked_rows()
        scrolled = self.scroll_cursor_into_view(centre=centre)
        if not scrolled:
            self.refresh_rows(
                old_rows ^ new_rows | {r for r in old_rows & new_rows if self._edge_row(r)}
            )
        self.post_message(self.CursorMoved(self))

    def _edge_row(self, row: int) -> bool:
        """Rows holding the cursor or a selection end are redrawn even if marked before and after."""
        assert self.model is not None
        sel = self.selection or (self.cursor, self.cursor)
        return row in (
            self.model.row_of(self.cursor),
            self.model.row_of(sel[0]),
            self.model.row_of(sel[1]),
        )

    def refresh_rows(self, rows: Iterable[int]) -> None:
        top = round(self.scroll_offset.y)
        height = self.size.height
        for row in sorted(set(rows)):
            if top <= row < top + height:
                self.refresh_line(row)

    def invalidate_range(self, start: int, end: int, coding_ids: Iterable[str] = ()) -> None:
        """Forget cached rows showing ``[start, end)`` and the rows of the given codings."""
        if self.model is None or not self.model.rows:
            return
        rows = set(self.model.rows_of(start, end))
        for cid in coding_ids:
            c = self.model.codings.get(cid)
            if c is not None:
                rows.update(self.model.rows_of(c.start, c.end))
        for row in rows:
            self._cache.pop(row, None)
        self.refresh_rows(rows)

    def invalidate_all(self) -> None:
        self._cache.clear()
        self.refresh()

    def scroll_cursor_into_view(self, *, centre: bool = False) -> bool:
        if self.model is None or not self.model.rows or self.size.height == 0:
            return False
        row = self.model.row_of(self.cursor)
        top = round(self.scroll_offset.y)
        height = max(self.scrollable_content_region.height, 1)
        if top <= row < top + height:
            return False
        # Jump so the cursor lands a third of the way in (reading on): one repaint per
        # screenful instead of a scroll, and a full repaint, on every line.
        if centre or row >= top + height:
            target = max(row - height // 3, 0)
        else:
            target = max(row - (2 * height) // 3, 0)
        self.scroll_to(y=target, animate=False, immediate=True)
        self.refresh()
        return True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_warm()

    def _schedule_warm(self) -> None:
        if self._warm_timer is None and self.model is not None:
            self._warm_timer = self.set_timer(0.05, self._warm)

    def _warm(self) -> None:
        """Style a few rows around the viewport while idle, so the next scroll finds them cached."""
        self._warm_timer = None
        model = self.model
        if model is None or not self._laid_out_width:
            return
        top, height = round(self.scroll_offset.y), max(self.size.height, 1)
        done = 0
        for row in range(max(0, top - height), min(len(model.rows), top + 2 * height)):
            if row in self._cache or self._is_marked(row):
                continue
            self._cache[row] = self._render_row(row, False)
            done += 1
            if done == 12:  # a slice at a time: a keypress never waits long behind this
                self._warm_timer = self.set_timer(0.01, self._warm)
                return

    def _style_map(self) -> dict[str, Style]:
        if self._styles is None:
            self._styles = {
                name.removeprefix("reader--"): self.get_component_rich_style(name, partial=True)
                for name in self.COMPONENT_CLASSES
            }
        return self._styles

    def _highlight(self, colour: str) -> Style:
        style = self._highlight_styles.get(colour)
        if style is None:
            base = self.background_colors[1]
            tint = base.blend(Color.parse(colour), 0.38)
            style = Style(bgcolor=tint.rich_color)
            self._highlight_styles[colour] = style
        return style

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_offset.y) + y
        width = self.size.width
        base = self.rich_style
        if self.model is None or row >= len(self.model.rows) or not self._laid_out_width:
            return Strip.blank(width, base)
        marked = self._is_marked(row)
        strip = None if marked else self._cache.get(row)
        if strip is None:
            strip = self._render_row(row, marked)
            if not marked:
                self._cache[row] = strip
        return strip.crop_extend(0, width, base)

    def _is_marked(self, row: int) -> bool:
        assert self.model is not None
        r = self.model.rows[row]
        if r.kind != "text":
            return False
        if r.start <= self.cursor < r.end:
            return True
        sel = self.selection
        if sel and sel[0] < r.end and sel[1] > r.start:
            return True
        return False

    def _render_row(self, row: int, marked: bool) -> Strip:
        model = self.model
        assert model is not None
        r = model.rows[row]
        styles = self._style_map()
        base = self.rich_style
        segments: list[Segment] = self._label_segments(row) if self.show_labels else []
        for cell in model.gutter(row):
            if cell is None:
                segments.append(Segment(" ", base))
            else:
                segments.append(Segment(cell[0], base + Style(color=cell[1], bold=True)))
        segments.append(Segment(" ", base))
        if r.kind == "text":
            segments += self._text_segments(row, marked, styles)
        elif r.kind == "turn":
            segments += self._turn_segments(r.info, styles)
        elif r.kind == "page":
            label = f"── page {r.info.get('label') or ''} "
            segments.append(
                Segment(
                    label + "─" * max(self._laid_out_width - len(label), 0), base + styles["page"]
                )
            )
        return Strip(segments)

    def _turn_segments(self, turn: dict, styles: dict[str, Style]) -> list[Segment]:
        base = self.rich_style
        who = turn.get("label") or "?"
        if turn.get("speaker_kind") == "interviewer":
            name_style = base + styles["interviewer"]
        else:
            key = (turn.get("role") or turn.get("organisation") or who).lower()
            colour = ROLE_COLOURS[sum(map(ord, key)) % len(ROLE_COLOURS)]
            name_style = base + Style(color=colour, bold=True)
        extra = [
            x for x in (turn.get("speaker_kind"), turn.get("role"), turn.get("organisation")) if x
        ]
        extra = [x for x in extra if x.lower() != who.lower()]
        out = [Segment(who, name_style)]
        if extra:
            out.append(Segment("  " + " · ".join(extra), base + styles["turn"]))
        if turn.get("time") is not None:
            out.append(Segment("  " + _clock(turn["time"]), base + styles["turn"]))
        return out

    def _text_segments(self, row: int, marked: bool, styles: dict[str, Style]) -> list[Segment]:
        model = self.model
        assert model is not None
        r = model.rows[row]
        text = model.text
        base = self.rich_style
        if r.heading:
            base = base + styles["heading"]
        sel = self.selection if marked else None
        cursor = self.cursor if marked else -1
        hits = [h for h in self.hits if h[0] < r.end and h[1] > r.start]
        marks: list[int] = []
        if sel:
            marks += sel
        if cursor >= 0:
            marks += [cursor, cursor + 1]
        for h in hits:
            marks += h
        current = (
            self.hits[self.current_hit] if self.current_hit is not None and self.hits else None
        )
        visible_end = min(r.end, len(text))
        out: list[Segment] = []
        for span in model.spans(row, marks):
            a, b = span.start, min(span.end, visible_end)
            if b <= a:
                continue
            style = base
            if span.codings:
                inner = min(span.codings, key=lambda c: (c.end - c.start, c.code))
                style = style + self._highlight(inner.colour)
            for h in hits:
                if h[0] <= a and h[1] >= b:
                    style = style + (styles["current-hit"] if h == current else styles["hit"])
                    break
            if sel and sel[0] <= a and b <= sel[1]:
                style = style + styles["selection"]
            if a == cursor:
                style = style + styles["cursor"]
            chunk = text[a:b].replace("\n", " ").replace("\t", " ")
            out.append(Segment(chunk, style))
        if cursor >= visible_end and cursor < r.end or (cursor == len(text) and r.end >= len(text)):
            out.append(Segment(" ", base + styles["cursor"]))
        return out

    # --- keys and mouse --------------------------------------------------------

    def _step(self, unit: str, direction: int, offset: int, extending: bool) -> int:
        model = self.model
        assert model is not None
        if unit == "char":
            return model.clamp(offset + direction)
        if unit in ("line", "screen"):
            row, col = model.rowcol(offset)
            lines = 1 if unit == "line" else max(self.scrollable_content_region.height - 2, 1)
            target = row + direction * lines
            while 0 <= target < len(model.rows) and model.rows[target].kind != "text":
                target += direction
            if not 0 <= target < len(model.rows):
                return model.clamp(0 if direction < 0 else len(model.text))
            return model.offset_at(target, col)
        if unit == "home":
            return model.rows[model.row_of(offset)].start
        if unit == "end":
            r = model.rows[model.row_of(offset)]
            return model.clamp(min(r.end, len(model.text)) - 1)
        if unit == "doc":
            return 0 if direction < 0 else model.clamp(len(model.text))
        if (
            extending
            and direction < 0
            and self.selection_anchor is not None
            and offset > self.selection_anchor
        ):
            # shrink: back to the end of the previous word / sentence / turn, not its start
            end = (
                model.word_end_before(offset)
                if unit == "word"
                else model.unit_end_before(unit, offset)
            )
            if end is not None and end > self.selection_anchor:
                return end
            return self.selection_anchor
        if unit == "word":
            if extending:
                return model.word_end_after(offset) if direction > 0 else model.prev_word(offset)
            return model.next_word(offset) if direction > 0 else model.prev_word(offset)
        if extending:
            if direction > 0:
                return model.unit_end_after(unit, offset)
            return model.prev_unit(unit, offset)
        return model.next_unit(unit, offset) if direction > 0 else model.prev_unit(unit, offset)

    def action_move(self, unit: str, direction: int) -> None:
        if self.model is None:
            return
        if self.select_mode:
            self.action_extend(unit, direction)
            return
        with timed(self.app, "move"):
            old = self._marked_rows()
            self.cursor = self._step(unit, direction, self.cursor, False)
            self.selection_anchor = None
            self._after_change(old)

    def action_extend(self, unit: str, direction: int) -> None:
        model = self.model
        if model is None or not model.text:
            return
        with timed(self.app, "extend"):
            old = self._marked_rows()
            if (
                self.selection_anchor is None
                and unit in ("word", "sentence", "turn")
                and direction > 0
            ):
                start, end = (
                    model.word_at(self.cursor)
                    if unit == "word"
                    else model.unit_at(unit, self.cursor)
                )
                self.selection_anchor, self.cursor = start, end
            else:
                if self.selection_anchor is None:
                    self.selection_anchor = self.cursor
                self.cursor = min(self._step(unit, direction, self.cursor, True), len(model.text))
            self._after_change(old)

    def action_select_unit(self, unit: str) -> None:
        if self.model is None or not self.model.text:
            return
        start, end = self.model.unit_at(unit, self.cursor)
        self.set_selection(start, end)

    def action_toggle_select(self) -> None:
        self.select_mode = not self.select_mode
        if self.select_mode and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        self.post_message(self.CursorMoved(self))

    def action_clear_selection(self) -> None:
        if self.selection_anchor is None and not self.select_mode:
            return
        old = self._marked_rows()
        self.selection_anchor = None
        self.select_mode = False
        self._after_change(old)

    def _offset_from_mouse(self, event: events.MouseEvent) -> int | None:
        if self.model is None or not self.model.rows:
            return None
        row = event.y + round(self.scroll_offset.y)
        col = event.x - GUTTER - self.label_width
        return self.model.offset_at(row, col)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_from_mouse(event)
        if offset is None or event.button != 1:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        old = self._marked_rows()
        if event.shift and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        elif not event.shift:
            self.selection_anchor = offset
        self.cursor = offset
        self._after_change(old)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_from_mouse(event)
        if offset is None or offset == self.cursor:
            return
        old = self._marked_rows()
        if self.selection_anchor is None:
            self.selection_anchor = self.cursor
        model = self.model
        assert model is not None
        self.cursor = min(
            offset + (1 if offset >= (self.selection_anchor or 0) else 0), len(model.text)
        )
        self._after_change(old)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.selection_anchor == self.cursor:
                self.selection_anchor = None

    def on_click(self, event: events.Click) -> None:
        if self.model is None or event.chain < 2:
            return
        unit = "word" if event.chain == 2 else "sentence"
        if unit == "word":
            start, end = self.model.word_at(self.cursor)
        else:
            start, end = self.model.unit_at("sentence", self.cursor)
        self.set_selection(start, end)

    # --- search hits -----------------------------------------------------------

    def set_hits(self, hits: list[tuple[int, int]], current: int | None = None) -> None:
        old = {row for h in self.hits for row in self._rows_for(h)}
        self.hits = sorted(hits)
        self.current_hit = current
        new = {row for h in self.hits for row in self._rows_for(h)}
        for row in old | new:
            self._cache.pop(row, None)
        self.refresh_rows(old | new)

    def _rows_for(self, span: tuple[int, int]) -> range:
        return self.model.rows_of(*span) if self.model and self.model.rows else range(0)
