"""A table of a case's review items where each keystroke is one decision that applies case-wide.

The name forms and the candidates screens share it: a row is highlighted, a
decision runs in its own short-lived project connection and transaction,
the table is read again, and the decision's one-line outcome goes to the
status line and a notification. The screen dismisses with whether anything
was decided, so the screen below knows to reload.

Reading the rows can mean running detection over the whole case, and a
decision runs it again, which takes seconds on a large case: both happen
in a thread worker while the status line says so, and keys that decide are
ignored until the table is back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from casebook.errors import CasebookError
from casebook.store.project import Project
from casebook.tui.workers import worker_project


class DecisionScreen(Screen[bool]):
    PREFIX = "decision"  # ids: PREFIX-title, PREFIX-table, PREFIX-status
    CAPTION = ""  # markup for the title line: what the screen is and its keys
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, project_path: Path, case_id: str, *, coder: str | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.case_id = case_id
        self.coder = coder
        self.rows: list[dict[str, Any]] = []
        self.changed = False
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.CAPTION, id=f"{self.PREFIX}-title")
            yield DataTable(id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id=f"{self.PREFIX}-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.COLUMNS)
        self.query_one(DataTable).focus()
        self.busy = True
        self._status("reading the case …")
        self.run_worker(self._first_load, thread=True, exclusive=True, group="decisions")

    def load_rows(self, project: Project, *, first: bool = False) -> list[dict[str, Any]]:
        """The rows to show, read in a worker thread (``first``: when the screen opens)."""
        raise NotImplementedError

    def add_rows(self, table: DataTable[Any]) -> None:
        """Fill the emptied table from ``self.rows`` (on the UI thread)."""
        raise NotImplementedError

    def outcome(self, message: str) -> str:
        """The line shown after a decision; a subclass may add what is left."""
        return message

    def refresh_rows(self) -> None:
        """Read the rows again in a worker, without a decision (a filter changed)."""
        self.busy = True
        self.run_worker(
            lambda: self._in_worker(lambda p: None), thread=True, exclusive=True, group="decisions"
        )

    def _first_load(self) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                rows = self.load_rows(project, first=True)
        except CasebookError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, rows, None)

    def _in_worker(self, run: Callable[[Project], str | None]) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                message = run(project)
                rows = self.load_rows(project)
        except CasebookError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, rows, message)

    def _show(self, rows: list[dict[str, Any]], message: str | None) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        self.add_rows(table)
        if rows and at:
            table.move_cursor(row=min(at, len(rows) - 1))  # the highlight stays where it was
        self.busy = False
        if message is not None:
            self.changed = True
            message = self.outcome(message)
            self._status(message)
            self.notify(message)
        else:
            self._status(self.empty_text() if not rows else "")

    def empty_text(self) -> str:
        return "nothing to review"

    def _failed(self, exc: CasebookError) -> None:
        self.busy = False
        self._status("")
        self.notify(str(exc), severity="error", title=exc.title)

    def _status(self, text: str) -> None:
        self.query_one(f"#{self.PREFIX}-status", Label).update(text)

    def _highlighted(self) -> dict[str, Any] | None:
        if self.busy:
            return None  # a decision or a reading is under way: the rows may be about to change
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _decide(self, run: Callable[[Project], str]) -> None:
        self.busy = True
        self._status("working …")
        self.run_worker(
            lambda: self._in_worker(run), thread=True, exclusive=True, group="decisions"
        )

    def action_close(self) -> None:
        self.dismiss(self.changed)
