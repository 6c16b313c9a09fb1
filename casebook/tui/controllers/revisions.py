"""Revising the open document from the workbench: "Import a new version…" and its review.

The revision runs in a worker (``casebook.versions.revise``); codings it
could not carry unchanged are listed in ``RevisionReview``. Undo of a
revision changes the text itself, so the document is opened afresh.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work

from casebook.core import history
from casebook.core.documents import document_text
from casebook.errors import CasebookError
from casebook.tui.controllers.workbench import WorkbenchState
from casebook.tui.dialogs.simple import PromptDialog
from casebook.tui.screens.revisions import RevisionReview
from casebook.tui.workers import worker_project
from casebook.versions.revise import revise_document


class RevisionActions(WorkbenchState):
    """Workbench actions for revising the open document (mixed into the coding screen)."""

    def action_revise_document(self) -> None:
        if self.document is None:
            self.notify("open a document first", severity="warning")
            return
        doc = self.document
        self.app.push_screen(
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
        self.show_progress(f"reading {file.name}…")
        self.run_revision(document_id, file)

    @work(thread=True, exclusive=True, group="revise", exit_on_error=False, description="revise")
    def run_revision(self, document_id: str, path: Path) -> None:
        try:
            with worker_project(self.project.path, self.project.coder) as project:
                report = revise_document(project, document_id, path)
        except CasebookError as exc:
            self.app.call_from_thread(self._revision_failed, exc)
            return
        self.app.call_from_thread(self._revision_done, report)

    def _revision_failed(self, exc: CasebookError) -> None:
        self.hide_progress()
        self.report(exc)

    def _revision_done(self, report: Any) -> None:
        self.hide_progress()
        self.load_documents()
        self.open_document(report.document_id)
        c = report.counts
        self.notify(
            f"{report.document}: version {report.to_version}. Codings: "
            + ", ".join(f"{c[o]} {o}" for o in ("same", "edited", "partial", "lost")),
            title="New version",
            severity="warning" if report.flagged else "information",
        )
        if report.flagged:
            self.action_review_revision()

    def action_review_revision(self) -> None:
        if self.document is None:
            self.notify("open a document first", severity="warning")
            return
        doc_id = self.document["id"]

        def closed(changed: bool | None) -> None:
            if changed:
                self.open_document(doc_id)

        self.app.push_screen(RevisionReview(self.project, doc_id), closed)

    def reopen_if_revised(self, step: history.Step) -> None:
        """Undo or redo of a revision changes the text itself: open the document afresh."""
        if self.document is not None and self.document["id"] in step.document_ids:
            text = document_text(self.project, self.document["id"])
            if getattr(self.reader.model, "text", text) != text:
                self.open_document(self.document["id"])
