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

from textual.screen import Screen
from textual.widgets import DataTable, Label

from casebook.errors import CasebookError
from casebook.store.project import Project
from casebook.tui.workers import worker_project


class DecisionScreen(Screen[bool]):
    STATUS = "#decision-status"  # the Label a subclass composes for outcomes

    def __init__(self, project_path: Path, case_id: str, *, coder: str | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.case_id = case_id
        self.coder = coder
        self.rows: list[dict[str, Any]] = []
        self.changed = False

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
        self.query_one(self.STATUS, Label).update(message)
        self.notify(message)

    def action_close(self) -> None:
        self.dismiss(self.changed)
