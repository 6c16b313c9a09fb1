"""Coded segments: every passage of a code and its children, filterable, Enter to jump."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select

from casebook.core.retrieval import coded_segments, filter_values
from casebook.errors import CasebookError
from casebook.tui.messages import Jump
from casebook.tui.workers import worker_project

FILTERS = ("case", "role", "round", "coder")


COLUMNS = (
    ("Case", 12),
    ("Document", 26),
    ("Role", 12),
    ("Code", 14),
    ("Coder", 8),
    ("Passage", 240),
)


class SegmentsScreen(Screen[Jump | None]):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("f", "focus_filters", "Filters"),
    ]

    def __init__(
        self, project_path: Path, code: dict[str, Any], filters: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.project_path = project_path
        self.code = code
        self.filters: dict[str, Any] = dict(filters or {})
        self.rows: list[dict[str, Any]] = []
        self._options_filled = False

    def compose(self) -> ComposeResult:
        with Vertical(id="segments"):
            title = f"Coded segments: {self.code['path']}"
            if self.code.get("label"):
                title += f" — {self.code['label']}"
            yield Label(f"[b]{title}[/b] (and its children)", id="segments-title")
            with Horizontal(id="segments-filters"):
                for name in FILTERS:
                    yield Select([], prompt=f"any {name}", id=f"filter-{name}")
            yield Label("loading…", id="segments-status")
            table: DataTable[Any] = DataTable(
                id="segments-table", cursor_type="row", zebra_stripes=True
            )
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Fixed widths: the table is laid out once, not again when it is next idle (a frame
        # painted in between showed every column at the width of its label).
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.focus()
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="segments",
        exit_on_error=False,
        description="coded segments",
    )
    def load(self) -> None:
        try:
            with worker_project(self.project_path) as project:
                rows = coded_segments(project, self.code["id"], **self.filters)
                options = None
                if not self._options_filled:
                    options = filter_values(coded_segments(project, self.code["id"]))
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title=exc.title)
            return
        self.app.call_from_thread(self._show, rows, options)

    def _show(self, rows: list[dict[str, Any]], options: dict[str, list[str]] | None) -> None:
        if options is not None:
            self._options_filled = True
            with self.prevent(Select.Changed):
                for name in FILTERS:
                    select = self.query_one(f"#filter-{name}", Select)
                    select.set_options([(v, v) for v in options[name]])
                    if self.filters.get(name) in options[name]:
                        select.value = self.filters[name]
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for i, r in enumerate(rows):
            table.add_row(
                r["case_name"] or "-",
                r["document"],
                r["role"] or "-",
                r["code"],
                r["coder"],
                r["context"],
                key=str(i),
            )
        active = ", ".join(f"{k} {v}" for k, v in self.filters.items())
        self.query_one("#segments-status", Label).update(
            f"{len(rows)} passage{'' if len(rows) == 1 else 's'}"
            + (f" ({active})" if active else "")
            + "  — enter opens the passage"
        )

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        if name not in FILTERS:
            return
        before = dict(self.filters)
        if event.value is Select.BLANK or event.value is None:
            self.filters.pop(name, None)
        else:
            self.filters[name] = str(event.value)
        if self.filters != before:  # filling the options posts a change that changes nothing
            self.load()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        row = self.rows[int(event.row_key.value or 0)]
        self.dismiss(Jump(row["document_id"], row["start"], row["end"]))

    def action_focus_filters(self) -> None:
        self.query_one("#filter-case", Select).focus()

    def action_close(self) -> None:
        self.dismiss(None)
