"""Search the document or the project (full text, lemma or fuzzy) in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from casebook.core.search import search
from casebook.errors import CasebookError
from casebook.tui.messages import SearchOutcome
from casebook.tui.ranking import plural
from casebook.tui.workers import worker_project

MODES = [("full text", "fts"), ("lemma (werkte → werken)", "lemma"), ("fuzzy (typos)", "fuzzy")]


class SearchScreen(ModalScreen[SearchOutcome | None]):
    BINDINGS = [Binding("escape", "cancel", "Close")]

    def __init__(
        self, project_path: Path, document_id: str | None, query: str = "", mode: str = "fts"
    ) -> None:
        super().__init__()
        self.project_path = project_path
        self.document_id = document_id
        self.initial_query = query
        self.mode = mode
        self.hits: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog search-dialog"):
            yield Label("Search", classes="dialog-question")
            yield Input(
                self.initial_query, placeholder="words to find, enter to search", id="search-query"
            )
            with Horizontal(id="search-options"):
                yield Select(MODES, value=self.mode, allow_blank=False, id="search-mode")
                yield Checkbox("whole project", value=self.document_id is None, id="search-project")
            yield Label("", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

    @on(Input.Submitted, "#search-query")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        mode = str(self.query_one("#search-mode", Select).value)
        whole = self.query_one("#search-project", Checkbox).value
        self.query_one("#search-status", Label).update("searching…")
        self.run_search(event.value, mode, None if whole else self.document_id)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="search")
    def run_search(self, query: str, mode: str, document_id: str | None) -> None:
        worker = get_current_worker()
        try:
            with worker_project(self.project_path) as project:
                hits = search(project, query, mode=mode, document_id=document_id)
        except CasebookError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, hits)

    def _failed(self, message: str) -> None:
        self.query_one("#search-status", Label).update(f"[b red]{message}[/]")

    def _show(self, hits: list[dict[str, Any]]) -> None:
        self.hits = hits
        status = self.query_one("#search-status", Label)
        status.update(
            plural(len(hits), "hit")
            + ("  (enter opens one; n / N walk them in the reader)" if hits else "")
        )
        options = self.query_one("#search-results", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Text.assemble(
                        (f"{h.get('case_name') or '-'} › {h['document']}  ", "dim"),
                        h["text"].replace("\n", " ")[:160],
                    ),
                    id=str(i),
                )
                for i, h in enumerate(hits)
            ]
        )
        if hits:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        query = self.query_one("#search-query", Input).value
        self.dismiss(SearchOutcome(query, self.hits, int(event.option.id or 0)))

    def action_cancel(self) -> None:
        self.dismiss(None)
