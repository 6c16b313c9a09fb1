"""A table of a case's review items where each keystroke is one decision that applies case-wide.

The name forms and the candidates screens share it: a row is highlighted, a
decision runs in its own short-lived project connection and transaction,
the table is read again, and the decision's one-line outcome goes to the
status line and a notification. The screen dismisses with whether anything
was decided, so the screen below knows to reload.
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.CAPTION, id=f"{self.PREFIX}-title")
            yield DataTable(id=f"{self.PREFIX}-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id=f"{self.PREFIX}-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.COLUMNS)
        self.first_rows()
        self.query_one(DataTable).focus()

    def first_rows(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        raise NotImplementedError

    def outcome(self, message: str) -> str:
        """The line shown after a decision; a subclass may add what is left."""
        return message

    def _highlighted(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _decide(self, run: Callable[[Project], str]) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                message = run(project)
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            return
        self.changed = True
        self.refresh_rows()
        message = self.outcome(message)
        self.query_one(f"#{self.PREFIX}-status", Label).update(message)
        self.notify(message)

    def action_close(self) -> None:
        self.dismiss(self.changed)
