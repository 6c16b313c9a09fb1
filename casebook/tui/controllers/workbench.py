"""The coding screen's state and the updates every action shares.

``WorkbenchState`` holds what the screen knows (the open document, the
codebook, the last code, the search) and the small updates actions make
after a change: reopen a document, reread codings, refresh the status
line, one document's label. The actions themselves live beside it
(``coding``, ``codebook``, ``navigation``, ``imports``, ``revisions``); the screen in
``casebook.tui.screens.coding`` keeps the layout, the bindings and the
event handlers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Label, ProgressBar, Static

from casebook.codes import codebook
from casebook.core import history, retrieval
from casebook.core.cases import list_cases
from casebook.core.codings import set_coding_memo
from casebook.core.documents import document_text, list_documents, segments_of
from casebook.core.memos import get_memo, set_memo
from casebook.errors import CasebookError
from casebook.tui.dialogs.code_palette import CodePalette
from casebook.tui.dialogs.simple import ChooseDialog, MemoEditor
from casebook.tui.messages import SearchOutcome
from casebook.tui.reader_model import Coding, DocumentModel
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.status import StatusLine
from casebook.tui.widgets.trees import CodebookTree, DocumentTree

if TYPE_CHECKING:
    from casebook.store.project import Project
    from casebook.tui.app import CasebookApp


class WorkbenchState(Screen[None]):
    """What the coding screen knows and the updates its actions share."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: list[dict[str, Any]] = []
        self.codes_by_id: dict[str, dict[str, Any]] = {}
        self.shortcuts: dict[str, str] = {}
        self.documents: list[dict[str, Any]] = []
        self.cases: list[dict[str, Any]] = []
        self.document: dict[str, Any] | None = None
        self.last_code_id: str | None = None
        self.search: SearchOutcome | None = None
        self.contrast_pending: list[Coding] = []

    @property
    def cb_app(self) -> CasebookApp:
        return self.app  # type: ignore[return-value]

    @property
    def project(self) -> Project:
        return self.cb_app.project

    @property
    def reader(self) -> DocumentReader:
        return self.query_one(DocumentReader)

    @property
    def codebook_tree(self) -> CodebookTree:
        return self.query_one(CodebookTree)

    @property
    def document_tree(self) -> DocumentTree:
        return self.query_one(DocumentTree)

    def report(self, exc: BaseException) -> None:
        """Show a failure as one line; the workbench keeps running."""
        if isinstance(exc, CasebookError):
            self.notify(str(exc), title=exc.title, severity="error")
        elif isinstance(exc, sqlite3.OperationalError) and (
            "locked" in str(exc) or "busy" in str(exc)
        ):
            self.notify(
                "the project is locked by another program; close it there and try again",
                title="Project",
                severity="error",
            )
        else:
            self.notify(
                f"the project database refused the action ({exc})",
                title="Project",
                severity="error",
            )

    def safely(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except (CasebookError, sqlite3.Error) as exc:
            self.report(exc)
            return None

    def load_documents(self) -> None:
        self.documents = list_documents(self.project)
        self.cases = list_cases(self.project)
        self.document_tree.fill(self.cases, self.documents)
        if self.document:
            self.document_tree.select_document(self.document["id"])

    def load_codes(self, expanded: set[str] | None | bool = True) -> None:
        doc_id = self.document["id"] if self.document else None
        self.codes = codebook.code_tree(self.project, doc_id)
        self.codes_by_id = {c["id"]: c for c in self.codes}
        self.shortcuts = {c["shortcut"]: c["id"] for c in self.codes if c.get("shortcut")}
        tree = self.codebook_tree
        keep = tree.expanded_ids() if expanded is True else expanded
        tree.fill(self.codes, keep if isinstance(keep, set) else None)

    def open_document(self, document_id: str, *, select: tuple[int, int] | None = None) -> None:
        project = self.project
        doc = next((d for d in self.documents if d["id"] == document_id), None)
        if doc is None:
            self.load_documents()
            doc = next((d for d in self.documents if d["id"] == document_id), None)
            if doc is None:
                self.notify("that document is no longer in the project", severity="error")
                return
        text = document_text(project, document_id)
        model = DocumentModel.build(
            text,
            segments_of(project, document_id),
            retrieval.document_codings(project, document_id),
        )
        self.document = doc
        self.reader.load(document_id, model, cursor=select[0] if select else 0)
        if select:
            self.reader.set_selection(*select)
            self.reader.scroll_cursor_into_view(centre=True)
        self.reader.set_hits(*self.search_hits_for_document())
        self.sub_title = f"{doc['name']} · coder {project.coder}"
        self._update_doc_title()
        self.codebook_tree.set_counts(codebook.code_tree(project, document_id))
        self.document_tree.select_document(document_id)

    def show_status(self) -> None:
        """The status line: speaker, page, the codes under the cursor, the selection."""
        model = self.reader.model
        status = self.query_one("#status", StatusLine)
        if model is None:
            status.show("no document — import one with I, or pick one on the left")
            return
        cursor = self.reader.cursor
        here = self.codings_here()
        parts: list[Any] = []
        turn = model.turn_at(cursor)
        if turn:
            parts.append((f"{turn.get('label') or '?'} ", "bold"))
        page = model.page_at(cursor)
        if page:
            parts.append((f"p.{page.get('label')} ", "dim"))
        if here:
            parts.append("codes: ")
            for c in here[:6]:
                parts.append((f"{c.code} ", c.colour))
        else:
            parts.append(("no codes here ", "dim"))
        sel = self.reader.selection
        if sel:
            parts.append((f"· selected {sel[1] - sel[0]} chars", "bold"))
        if self.reader.select_mode:
            parts.append((" · selection mode (esc ends)", "reverse"))
        status.show(Text.assemble(*parts, no_wrap=True, overflow="ellipsis"))

    def _update_doc_title(self) -> None:
        doc = self.document
        if doc is None:
            return
        bits = [doc.get("case_name") or "no case", doc.get("role") or "", doc.get("round") or ""]
        if doc.get("kind") and doc["kind"] != "interview":
            bits.insert(1, doc["kind"].replace("_", " "))
        status = {"done": "done ✓", "in_progress": "in progress", "new": "new"}.get(
            doc.get("status") or "new", ""
        )
        self.query_one("#doc-title", Static).update(
            Text.assemble(
                (doc["name"], "bold"),
                "  ",
                (" · ".join(b for b in bits if b), "dim"),
                "  ",
                (status, "italic"),
            )
        )

    def _show_definition(self, data: dict[str, Any]) -> None:
        text = Text.assemble((data["path"], "bold"), f"  {data.get('label') or ''}\n")
        text.append(
            data.get("definition") or "(no definition yet — press e to write one)",
            "italic" if not data.get("definition") else "",
        )
        if data.get("when_to_use"):
            text.append(f"\nUse: {data['when_to_use']}", "dim")
        self.query_one("#definition", Static).update(text)

    def codings_here(self) -> list[Coding]:
        """The codings an action on "the coding under the cursor" means.

        With a selection: the codings exactly on it, else those overlapping it.
        Without: those at the cursor, or just before it (the cursor rests after a selection).
        """
        reader = self.reader
        model = reader.model
        if model is None:
            return []
        sel = reader.selection
        if sel:
            inside = model.codings_in(*sel)
            exact = sorted((c for c in inside if (c.start, c.end) == sel), key=lambda c: c.code)
            return exact or sorted(
                inside, key=lambda c: abs(c.start - sel[0]) + abs(c.end - sel[1])
            )
        return model.codings_at(reader.cursor) or (
            model.codings_at(reader.cursor - 1) if reader.cursor else []
        )

    def _document_changed(
        self, *, codings: int | None = None, status_from_new: str | None = None
    ) -> None:
        doc = self.document
        if doc is None:
            return
        changes: dict[str, Any] = {}
        if codings is not None:
            changes["codings"] = codings
        if status_from_new and doc.get("status") == "new":
            changes["status"] = status_from_new
        doc.update(changes)
        self.document_tree.update_document(doc["id"], **changes)
        if "status" in changes:
            self._update_doc_title()

    def _reload_codings(self) -> None:
        """Re-read this document's codings (after undo, recode, colour edits)."""
        reader = self.reader
        if self.document is None or reader.model is None:
            return
        model = reader.model
        for cid in list(model.codings):
            model.remove_coding(cid)
        for row in retrieval.document_codings(self.project, self.document["id"]):
            model.add_coding(row, relane=False)
        model.assign_lanes()
        reader.invalidate_all()
        self._document_changed(codings=len(model.codings))
        self.show_status()

    def _palette(self, title: str, callback: Callable[[str | None], None], **kwargs: Any) -> None:
        recent = retrieval.recent_codes(self.project)
        last = self.codes_by_id.get(self.last_code_id or (recent[0] if recent else ""))
        self.app.push_screen(
            CodePalette(
                self.codes,
                title=title,
                recent=recent,
                last_group=last["path"].split(".", 1)[0] if last else None,
                **kwargs,
            ),
            callback,
        )

    def _with_coding(self, verb: str, then: Callable[[Coding], None]) -> None:
        model = self.reader.model
        here = self.codings_here()
        if not here:
            self.notify(f"no coding under the cursor to {verb}", severity="warning")
            return
        if len(here) == 1:
            then(here[0])
            return
        assert model is not None  # codings were found, so a document is open
        by_id = {c.id: c for c in here}
        choices = [
            (
                c.id,
                f"{c.code}  “{model.text[c.start : c.end][:50]}”"
                + (f"  coded by {c.coder}" if c.coder else ""),
            )
            for c in here
        ]

        def chosen(cid: str | None) -> None:
            if cid:
                then(by_id[cid])

        self.app.push_screen(ChooseDialog(f"Which coding to {verb}?", choices), chosen)

    def search_hits_for_document(self) -> tuple[list[tuple[int, int]], int | None]:
        if not self.search or not self.document:
            return [], None
        doc_id = self.document["id"]
        spans = [(h["start"], h["end"]) for h in self.search.hits if h["document_id"] == doc_id]
        current = self.search.hits[self.search.index]
        index = None
        if current["document_id"] == doc_id:
            index = sorted(spans).index((current["start"], current["end"]))
        return spans, index

    def show_progress(self, label: str, total: int | None = None) -> None:
        box = self.query_one("#progress")
        box.display = True
        self.query_one("#progress-label", Label).update(label)
        self.query_one("#progress-bar", ProgressBar).update(total=total, progress=0)

    def hide_progress(self) -> None:
        self.query_one("#progress").display = False

    def _case_of_document(self) -> str | None:
        if not self.document:
            return None
        return self.document.get("case_id") or next(
            (c["id"] for c in self.cases if c["name"] == self.document.get("case_name")), None
        )

    def _edit_memo(self, title: str, kind: str, target_id: str | None, label: str) -> None:
        body = get_memo(self.project, kind, target_id)

        def save(text: str | None) -> None:
            if text is None or text == body:
                return

            def run() -> None:
                with history.step(self.project, f"memo on {label}"):
                    if kind == "coding":
                        set_coding_memo(self.project, target_id or "", text)
                    else:
                        set_memo(self.project, kind, target_id, text)
                if (
                    kind == "coding"
                    and self.reader.model
                    and target_id in self.reader.model.codings
                ):
                    self.reader.model.codings[target_id].memo = text or None
                self.notify(f"memo saved on {label}")

            self.safely(run)

        self.app.push_screen(MemoEditor(title, body), save)

    def reopen_if_revised(self, step: history.Step) -> None:
        """After undo or redo; a screen that revises documents reopens one whose text changed."""
