"""Importing files from the workbench: a dialog, a worker, a progress bar, one summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.widgets import ProgressBar
from textual.worker import get_current_worker

from casebook.core.documents import DocumentMeta, ImportOutcome, import_batch, import_summary
from casebook.errors import CasebookError
from casebook.tui.controllers.workbench import WorkbenchState
from casebook.tui.dialogs.import_dialog import ImportDialog
from casebook.tui.messages import ImportRequest
from casebook.tui.workers import worker_project


class ImportActions(WorkbenchState):
    """Import files in a worker; the reader stays usable meanwhile."""

    def action_import_files(self) -> None:
        case = self.document.get("case_name") or "" if self.document else ""
        self.app.push_screen(ImportDialog(self.project.path.parent, case), self._import_requested)

    def _import_requested(self, request: ImportRequest | None) -> None:
        if request is None:
            return
        self.show_progress(f"importing {len(request.paths)} file(s)…", total=len(request.paths))
        self.run_import(request)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="import")
    def run_import(self, request: ImportRequest) -> None:
        worker = get_current_worker()
        meta = DocumentMeta(
            case=request.case, kind=request.kind, role=request.role, round=request.round
        )

        def progress(outcome: ImportOutcome) -> None:
            self.app.call_from_thread(self._import_progress, outcome)

        try:
            with worker_project(self.project.path, self.project.coder) as project:
                items = ((p, meta) for p in request.paths if not worker.is_cancelled)
                outcomes = import_batch(project, items, on_progress=progress)
        except CasebookError as exc:
            self.app.call_from_thread(self._import_failed, exc)
            return
        self.app.call_from_thread(self._import_done, outcomes)

    def _import_progress(self, outcome: Any) -> None:
        self.query_one("#progress-bar", ProgressBar).advance(1)
        if outcome.status == "failed":
            self.notify(f"{outcome.path}: {outcome.message}", title="Import", severity="error")

    def _import_failed(self, exc: CasebookError) -> None:
        self.hide_progress()
        self.report(exc)

    def _import_done(self, outcomes: list[Any]) -> None:
        self.hide_progress()
        imported = [o for o in outcomes if o.status == "imported"]
        failed = any(o.status == "failed" for o in outcomes)
        self.load_documents()
        self.notify(
            import_summary(outcomes, zeros=False),
            title="Import",
            severity="warning" if failed else "information",
        )
        decided = [f"{Path(o.path).name}: {o.message}" for o in imported if o.message]
        if decided:
            # the kind was decided, not given: say how, so a wrong guess is seen
            self.notify("\n".join(decided[:6]) + ("\n…" if len(decided) > 6 else ""), title="Kind")
        if imported and self.document is None and imported[0].document_id:
            self.open_document(imported[0].document_id)
