"""Revising a document from the workbench: "Import a new version…" and the review list.

The review list shows every coding a revision did not carry across
unchanged — old quote, new quote, outcome — and takes one key per decision:
``a`` accept as carried, ``m`` move to where the old words stand now, ``d``
delete. Everything goes through ``casebook.versions.revise``; undo (``u`` in
the workbench) takes back a whole revision in one step. The workbench's
actions that start a revision are in ``casebook.tui.controllers.revisions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from casebook.errors import CasebookError
from casebook.versions.revise import (
    accept_item,
    delete_item,
    document_version,
    list_revisions,
    move_item,
    review_items,
)

if TYPE_CHECKING:
    from casebook.store.project import Project


def _one_line(text: str | None, width: int = 52) -> str:
    if text is None:
        return "—"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class RevisionReview(ModalScreen[bool]):
    """The flagged codings of a document's revisions; dismisses True when anything changed."""

    DEFAULT_CSS = """
    RevisionReview { align: center middle; }
    RevisionReview > Vertical { width: 96%; height: 90%; border: round $accent; background: $surface; }
    RevisionReview #rev-title { padding: 0 1; text-style: bold; }
    RevisionReview DataTable { height: 1fr; }
    RevisionReview #rev-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $panel; }
    """
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("m", "move", "Move"),
        Binding("d", "delete", "Delete"),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, project: Project, document_id: str) -> None:
        super().__init__()
        self.project = project
        self.document_id = document_id
        self.items: list[dict[str, Any]] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="rev-title")
            yield DataTable(id="rev-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="rev-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("outcome", "review", "code", "coder", "old quote", "new quote")
        self.refresh_items()
        table.focus()

    def refresh_items(self) -> None:
        doc = document_version(self.project, self.document_id)
        revs = [r for r in list_revisions(self.project, self.document_id) if not r["undone"]]
        self.items = review_items(self.project, self.document_id)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for i in self.items:
            table.add_row(
                i["outcome"],
                i["review"],
                i["code"],
                i["coder"],
                _one_line(i["old_quote"]),
                _one_line(i["new_quote"]),
                key=str(i["id"]),
            )
        if self.items:
            table.move_cursor(row=min(keep, len(self.items) - 1))
        open_n = sum(1 for i in self.items if i["review"] == "open")
        name = doc["name"] if doc else "?"
        version = doc["version"] if doc else "?"
        self.query_one("#rev-title", Label).update(
            f"{name} · version {version} · {len(revs)} revision(s) · {len(self.items)} flagged, {open_n} open"
            if self.items
            else f"{name} · version {version} · nothing to review"
        )
        self._show_detail()

    def _current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row < 0 or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        item = self._current()
        detail = self.query_one("#rev-detail", Static)
        if item is None:
            detail.update("")
            return
        detail.update(
            f"[b]{item['outcome']}[/b] in v{item['to_version']} ({item['via']})\n"
            f"old: “{_one_line(item['old_quote'], 400)}”\nnew: “{_one_line(item['new_quote'], 400)}”"
        )

    def _do(self, fn: Any, verb: str) -> None:
        item = self._current()
        if item is None:
            return
        try:
            fn(item["id"])
        except CasebookError as exc:
            self.notify(str(exc), title=exc.title, severity="error")
            return
        self.changed = True
        self.notify(f"{verb}: {item['code']} “{_one_line(item['old_quote'], 40)}”")
        self.refresh_items()

    def action_accept(self) -> None:
        self._do(lambda i: accept_item(self.project, i), "accepted")

    def action_move(self) -> None:
        self._do(lambda i: move_item(self.project, i), "moved")

    def action_delete(self) -> None:
        self._do(lambda i: delete_item(self.project, i), "deleted")

    def action_close(self) -> None:
        self.dismiss(self.changed)
