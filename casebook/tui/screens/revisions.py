"""Revising a document from the workbench: "Import a new version…" and the review list.

The review list shows every coding a revision did not carry across
unchanged — old quote, new quote, outcome — and takes one key per decision:
``a`` accept as carried, ``m`` move to where the old words stand now, ``d``
delete. Everything goes through ``casebook.versions.revise``; undo (``u`` in
the workbench) takes back a whole revision in one step.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from casebook.errors import CasebookError
from casebook.tui.workers import worker_project

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
        from casebook.versions.revise import document_version, list_revisions, review_items

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
        from casebook.versions.revise import accept_item

        self._do(lambda i: accept_item(self.project, i), "accepted")

    def action_move(self) -> None:
        from casebook.versions.revise import move_item

        self._do(lambda i: move_item(self.project, i), "moved")

    def action_delete(self) -> None:
        from casebook.versions.revise import delete_item

        self._do(lambda i: delete_item(self.project, i), "deleted")

    def action_close(self) -> None:
        self.dismiss(self.changed)


class RevisionActions:
    """Workbench actions for revising the open document (mixed into the coding screen)."""

    project: Project
    document: dict[str, Any] | None

    def action_revise_document(self) -> None:
        from casebook.tui.dialogs.simple import PromptDialog

        if self.document is None:
            self.notify("open a document first", severity="warning")  # type: ignore[attr-defined]
            return
        doc = self.document
        self.app.push_screen(  # type: ignore[attr-defined]
            PromptDialog(
                f"New version of {doc['name']}: the corrected file",
                "",
                "path, absolute or from the project's folder",
            ),
            lambda path: self._revise_requested(doc["id"], path),
        )

    def _revise_requested(self, document_id: str, path: str | None) -> None:
        if not path:
            return
        file = Path(path).expanduser()
        if not file.is_absolute():
            file = self.project.path.parent / file
        self.show_progress(f"reading {file.name}…")  # type: ignore[attr-defined]
        self.run_revision(document_id, file)

    @work(thread=True, exclusive=True, group="revise", exit_on_error=False, description="revise")
    def run_revision(self, document_id: str, path: Path) -> None:
        from casebook.versions.revise import revise_document

        try:
            with worker_project(self.project.path, self.project.coder) as project:
                report = revise_document(project, document_id, path)
        except CasebookError as exc:
            self.app.call_from_thread(self._revision_failed, exc)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._revision_done, report)  # type: ignore[attr-defined]

    def _revision_failed(self, exc: CasebookError) -> None:
        self.hide_progress()  # type: ignore[attr-defined]
        self.report(exc)  # type: ignore[attr-defined]

    def _revision_done(self, report: Any) -> None:
        self.hide_progress()  # type: ignore[attr-defined]
        self.load_documents()  # type: ignore[attr-defined]
        self.open_document(report.document_id)  # type: ignore[attr-defined]
        c = report.counts
        self.notify(  # type: ignore[attr-defined]
            f"{report.document}: version {report.to_version}. Codings: "
            + ", ".join(f"{c[o]} {o}" for o in ("same", "edited", "partial", "lost")),
            title="New version",
            severity="warning" if report.flagged else "information",
        )
        if report.flagged:
            self.action_review_revision()

    def action_review_revision(self) -> None:
        if self.document is None:
            self.notify("open a document first", severity="warning")  # type: ignore[attr-defined]
            return
        doc_id = self.document["id"]

        def closed(changed: bool | None) -> None:
            if changed:
                self.open_document(doc_id)  # type: ignore[attr-defined]

        self.app.push_screen(RevisionReview(self.project, doc_id), closed)  # type: ignore[attr-defined]

    def reopen_if_revised(self, step: Any) -> None:
        """Undo or redo of a revision changes the text itself: open the document afresh."""
        if self.document is not None and self.document["id"] in step.document_ids:
            from casebook.core.documents import document_text

            text = document_text(self.project, self.document["id"])
            if getattr(self.reader.model, "text", text) != text:  # type: ignore[attr-defined]
                self.open_document(self.document["id"])  # type: ignore[attr-defined]
