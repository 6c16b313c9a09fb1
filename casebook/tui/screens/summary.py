"""The region summary editor: the case's summary on top, the passages it cites below.

A case without a summary starts from the prefill (sources and strongest
quotes per theme, each with a ``[#id]`` reference). ctrl+s saves and turns
the references into links; ``r`` on a passage inserts its reference at the
cursor of the text; Enter opens the passage in the reader. Leaving saves
what was typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, TextArea

from casebook.core.query import Sql, fetch_passages
from casebook.errors import CasebookError
from casebook.synthesis.passages import short_quote
from casebook.synthesis.summaries import ref, save_summary, summary_or_prefill
from casebook.tui.messages import Jump
from casebook.tui.workers import worker_project


class SummaryScreen(Screen[Jump | None]):
    """Constructor: ``SummaryScreen(project_path, case_ref, coder=None)``; dismisses with a Jump or None."""

    DEFAULT_CSS = """
    SummaryScreen #summary { padding: 0 1; }
    SummaryScreen #summary-title { margin: 1 0 0 0; }
    SummaryScreen #summary-text { height: 2fr; }
    SummaryScreen #summary-evidence { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "close", "Back"),
        Binding("r", "insert_ref", "Cite passage", show=True),
    ]

    def __init__(self, project_path: Path, case_ref: str, coder: str | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.case_ref = case_ref
        self.coder = coder
        self.saved_text: str | None = None
        self.passages: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Label("[b]Region summary[/b]", id="summary-title")
            yield TextArea("", id="summary-text", soft_wrap=True, tab_behavior="focus")
            yield Label("loading…", id="summary-status")
            yield DataTable(id="summary-evidence", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        if self.coder is None:
            self.coder = getattr(getattr(self.app, "project", None), "coder", None)
        self.query_one(DataTable).add_columns("Cited", "Role", "Document", "Code", "Passage")
        self.load()

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False, description="summary")
    def load(self) -> None:
        try:
            with worker_project(self.project_path, self.coder) as project:
                summary, made = summary_or_prefill(project, self.case_ref)
                passages = self._case_passages(project, summary.case_id)
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Summary")
            return
        self.app.call_from_thread(self._show, summary, made, passages)

    @staticmethod
    def _case_passages(project: Any, case_id: str) -> list[dict[str, Any]]:
        return fetch_passages(project, Sql(where=[("d.case_id = ?", [case_id])]))

    def _show(self, summary: Any, made: bool, passages: list[dict[str, Any]]) -> None:
        self.case_ref = summary.case_id
        self.saved_text = summary.text
        area = self.query_one(TextArea)
        area.text = summary.text
        self.query_one("#summary-title", Label).update(
            f"[b]Region summary — {summary.case}[/b]"
            + ("  (new: prefilled from its passages)" if made else "")
        )
        cited = {p["coding_id"] for p in summary.links}
        self.passages = sorted(
            passages, key=lambda p: (p["coding_id"] not in cited, p["document"], p["start"])
        )
        table = self.query_one(DataTable)
        table.clear()
        for p in self.passages:
            table.add_row(
                "✓" if p["coding_id"] in cited else "",
                p.get("role") or p.get("kind") or "-",
                p["document"],
                p["code"],
                short_quote(p["quote"], 90),
                key=p["coding_id"],
            )
        broken = f"; {len(summary.broken)} references match no coding" if summary.broken else ""
        self.query_one("#summary-status", Label).update(
            f"{len(cited)} of {len(self.passages)} passages cited{broken}"
            "  — r cites the highlighted passage, enter opens it, ctrl+s saves"
        )
        area.focus()

    @property
    def dirty(self) -> bool:
        return self.saved_text is not None and self.query_one(TextArea).text != self.saved_text

    def action_insert_ref(self) -> None:
        table = self.query_one(DataTable)
        if not self.passages:
            return
        cid = self.passages[table.cursor_row]["coding_id"]
        area = self.query_one(TextArea)
        area.insert(f" {ref(cid)}")
        area.focus()

    def action_save(self) -> None:
        self.save(self.query_one(TextArea).text)

    @work(
        thread=True,
        exclusive=True,
        group="summary-save",
        exit_on_error=False,
        description="save summary",
    )
    def save(self, text: str, then: Jump | str = "stay") -> None:
        """Save in a worker; ``then`` is "stay", "close" or a passage to open afterwards."""
        try:
            with worker_project(self.project_path, self.coder) as project:
                summary = save_summary(project, self.case_ref, text)
                passages = self._case_passages(project, summary.case_id)
        except CasebookError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", title="Summary")
            return
        self.app.call_from_thread(self._saved, summary, passages, then)

    def _saved(self, summary: Any, passages: list[dict[str, Any]], then: Jump | str) -> None:
        n = len(summary.links)
        self.notify(
            f"saved the summary of {summary.case}: {n} passage{'' if n == 1 else 's'} cited",
            title="Summary",
        )
        if then != "stay":
            self.dismiss(then if isinstance(then, Jump) else None)
            return
        self._show(summary, False, passages)

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        p = next(p for p in self.passages if p["coding_id"] == event.row_key.value)
        jump = Jump(p["document_id"], p["start"], p["end"])
        if not self.dirty:
            self.dismiss(jump)
            return
        self.save(self.query_one(TextArea).text, jump)

    def action_close(self) -> None:
        """Leaving saves: a summary is the analyst's writing, and nothing typed is thrown away."""
        if self.dirty:
            self.save(self.query_one(TextArea).text, "close")
        else:
            self.dismiss(None)
