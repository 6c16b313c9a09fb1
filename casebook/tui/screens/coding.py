"""The main screen: documents, the reader and the codebook, and every coding action.

Each action calls one domain function inside ``history.step`` — one
committed transaction, one undo step — and then updates only what it
changed: the reader rows of the passage, one codebook node's counts, one
document node's label. There is no save command.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar, Static, Tree
from textual.worker import get_current_worker

from casebook.codes import codebook
from casebook.codes.collaboration import set_collaboration
from casebook.codes.invivo import add_invivo_code
from casebook.core import history, retrieval
from casebook.core.cases import list_cases
from casebook.core.codings import apply_coding, recode, remove_coding, set_coding_memo
from casebook.core.documents import (
    document_text,
    import_summary,
    list_documents,
    segments_of,
    set_status,
)
from casebook.core.memos import get_memo, set_memo
from casebook.errors import CasebookError
from casebook.tui.dialogs.code_form import CodeForm
from casebook.tui.dialogs.code_palette import TOP_LEVEL, CodePalette
from casebook.tui.dialogs.import_dialog import ImportDialog
from casebook.tui.dialogs.simple import ChooseDialog, ConfirmDialog, MemoEditor, PromptDialog
from casebook.tui.messages import ImportRequest, Jump, SearchOutcome
from casebook.tui.reader_model import Coding, DocumentModel
from casebook.tui.screens.revisions import RevisionActions
from casebook.tui.screens.search import SearchScreen
from casebook.tui.screens.segments import SegmentsScreen
from casebook.tui.timing import timed
from casebook.tui.widgets.footer import KeyFooter
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.status import StatusLine
from casebook.tui.widgets.trees import CodebookTree, DocumentTree
from casebook.tui.workers import worker_project

if TYPE_CHECKING:
    from casebook.store.project import Project
    from casebook.tui.app import CasebookApp


class CodingScreen(RevisionActions, Screen[None]):  # RevisionActions: issue 10
    BINDINGS = [
        Binding("c,enter", "apply_palette", "Code"),
        Binding("full_stop", "apply_last", "Again", show=False),
        Binding("r", "apply_recent", "Recent", show=False),
        Binding("i", "in_vivo", "In-vivo"),
        Binding("d,delete", "remove_coding", "Remove"),
        Binding("e", "recode", "Recode", show=False),
        Binding("m", "memo_coding", "Memo"),
        Binding("M", "memo_document", "Doc memo", show=False),
        Binding("D", "toggle_done", "Done"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo", show=False),
        Binding("slash", "search", "Search"),
        Binding("n", "next_hit(1)", "Next hit", show=False),
        Binding("N", "next_hit(-1)", "Previous hit", show=False),
        Binding("o", "segments", "Segments"),
        Binding("C", "compare", "Compare", show=False),
        Binding("I", "import_files", "Import", show=False),
        Binding("b", "toggle_panels", "Panels", show=False),
        Binding("K", "contrast", "Contrast", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

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

    # --- plumbing ------------------------------------------------------------

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

    # --- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="panels"):
            yield DocumentTree(id="documents")
            with Vertical(id="centre"):
                yield Static("", id="doc-title")
                yield DocumentReader(id="reader")
                yield StatusLine(id="status")
            with Vertical(id="right"):
                yield CodebookTree(id="codebook")
                yield Static("[dim]Highlight a code to read its definition.[/]", id="definition")
        with Horizontal(id="progress"):
            yield Label("", id="progress-label")
            yield ProgressBar(id="progress-bar", show_eta=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = f"casebook · {self.project.get_meta('name') or self.project.path.stem}"
        self.sub_title = f"coder {self.project.coder}"
        self.load_documents()
        self.load_codes(expanded=None)
        first = next((d for d in self.documents if d["status"] != "done"), None) or (
            self.documents[0] if self.documents else None
        )
        if first:
            self.open_document(first["id"])
        self.reader.focus()

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

    # --- documents -----------------------------------------------------------

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

    @on(Tree.NodeSelected, "#documents")
    def _document_chosen(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and data.get("node") == "document":
            self.safely(lambda: self.open_document(data["id"]))
            self.reader.focus()
            # the tree may take focus back while it finishes the click or key (issue 17)
            self.call_after_refresh(self.reader.focus)

    # --- status and definitions ---------------------------------------------------

    @on(DocumentReader.CursorMoved)
    def _cursor_moved(self) -> None:
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

    @on(Tree.NodeHighlighted, "#codebook")
    def _code_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self._show_definition(event.node.data)

    def _show_definition(self, data: dict[str, Any]) -> None:
        text = Text.assemble((data["path"], "bold"), f"  {data.get('label') or ''}\n")
        text.append(
            data.get("definition") or "(no definition yet — press e to write one)",
            "italic" if not data.get("definition") else "",
        )
        if data.get("when_to_use"):
            text.append(f"\nUse: {data['when_to_use']}", "dim")
        self.query_one("#definition", Static).update(text)

    @on(Tree.NodeSelected, "#codebook")
    def _code_chosen(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and self.reader.selection:
            self.apply_code(data["id"])

    # --- applying codes ---------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Codebook shortcuts; keys the workbench binds itself keep their meaning."""
        char = event.character
        if not char or char not in self.shortcuts or self.focused is None:
            return
        if event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        self.apply_code(self.shortcuts[char])

    def apply_code(
        self,
        code_id: str,
        *,
        create: Callable[[], str] | None = None,
        label: str | None = None,
        say_where: bool = False,
    ) -> str | None:
        """Code the selection (or the sentence under the cursor) with ``code_id`` as one undo step.

        ``create`` makes the code first, inside the same step (in-vivo coding),
        so one undo takes away both the coding and the code it created.
        Already covered by this coder's coding of the code: says so and adds no
        undo step. Overlapping or touching pieces merge into one coding.
        ``say_where`` (the command palette) names what was coded in a toast.
        """
        reader = self.reader
        target = reader.target_range()
        if self.document is None or target is None:
            self.notify("open a document and select a passage first", severity="warning")
            return None
        code = self.codes_by_id.get(code_id)
        if code is None and create is None:
            return None
        unit = "the selection" if reader.selection else "the sentence under the cursor"
        start, end = target
        doc_id = self.document["id"]
        with timed(self.app, "apply"):
            try:
                with history.step(self.project, label or f"apply {code['path']}"):
                    if create is not None:
                        code_id = create()
                    applied = apply_coding(self.project, doc_id, code_id, start, end)
            except (CasebookError, sqlite3.Error) as exc:
                self.report(exc)
                return None
            if create is not None:
                self.load_codes()
                code = self.codes_by_id[code_id]
            self.last_code_id = code_id
            model = reader.model
            assert model is not None
            if applied.status == "exists":
                self.notify(f"already coded with {code['path']}", timeout=2.5)
                return applied.id
            for old in applied.merged:
                if old["id"] in model.codings:
                    reader.invalidate_range(
                        old["start"], old["end"], model.remove_coding(old["id"])
                    )
            changed = model.add_coding(
                {
                    "id": applied.id,
                    "code_id": code_id,
                    "code": code["path"],
                    "code_label": code.get("label"),
                    "colour": code.get("colour"),
                    "start": applied.start,
                    "end": applied.end,
                    "coder": self.project.coder,
                }
            )
            reader.invalidate_range(applied.start, applied.end, changed)
            self.codebook_tree.bump(code_id, 1 - len(applied.merged))
            self._document_changed(codings=len(model.codings), status_from_new="in_progress")
            if applied.merged:
                n = len(applied.merged)
                self.notify(
                    f"merged with {n} touching {code['path']} coding{'s' if n != 1 else ''}",
                    timeout=2.5,
                )
            elif say_where:
                self.notify(f"coded {unit} with {code['path']}", timeout=2.5)
            self._cursor_moved()
        return applied.id

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

    def action_apply_palette(self) -> None:
        if self.reader.target_range() is None:
            self.notify("open a document first", severity="warning")
            return
        self._palette("Apply code", lambda cid: cid and self.apply_code(cid))

    def action_apply_recent(self) -> None:
        recent = retrieval.recent_codes(self.project)
        if not recent:
            self.notify("no recent codes yet", severity="warning")
            return
        codes = [self.codes_by_id[c] for c in recent if c in self.codes_by_id]
        self.app.push_screen(
            CodePalette(codes, title="Recent codes"), lambda cid: cid and self.apply_code(cid)
        )

    def action_apply_last(self) -> None:
        if self.last_code_id:
            self.apply_code(self.last_code_id)
        else:
            self.notify("no code applied yet in this session", severity="warning")

    def action_in_vivo(self) -> None:
        reader = self.reader
        target = reader.target_range()
        model = reader.model
        if target is None or model is None:
            return
        quote = model.text[target[0] : target[1]]

        made: list[str] = []

        def create() -> str:
            code = add_invivo_code(self.project, quote)
            made.append(code.path)
            return code.id

        def make() -> None:
            code_id = self.apply_code("", create=create, label="in-vivo code")
            if code_id is None or not made:
                return
            self.codebook_tree.reveal(code_id and self.last_code_id or "")
            self.notify(f"new code {made[-1]}", title="In-vivo")

        self.safely(make)

    # --- codings under the cursor ----------------------------------------------------

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

    def _with_coding(self, verb: str, then: Callable[[Coding], None]) -> None:
        model = self.reader.model
        here = self.codings_here()
        if not here:
            self.notify(f"no coding under the cursor to {verb}", severity="warning")
            return
        if len(here) == 1:
            then(here[0])
            return
        by_id = {c.id: c for c in here}
        choices = [
            (
                c.id,
                f"{c.code}  “{model.text[c.start : c.end][:50]}”"
                + (f"  coded by {c.coder}" if c.coder else ""),
            )
            for c in here
        ]
        self.app.push_screen(
            ChooseDialog(f"Which coding to {verb}?", choices), lambda cid: cid and then(by_id[cid])
        )

    def _if_theirs_ask(self, c: Coding, question: str, then: Callable[[Coding], None]) -> None:
        """Another coder's coding is changed only after a yes that names them (issue 17)."""
        if not c.coder or c.coder == self.project.coder:
            then(c)
            return
        self.app.push_screen(
            ConfirmDialog(question.format(coder=c.coder, code=c.code), yes="Yes, theirs"),
            lambda yes: yes and then(c),
        )

    def action_remove_coding(self) -> None:
        def remove(c: Coding) -> None:
            def run() -> None:
                with history.step(self.project, f"remove {c.code}"):
                    remove_coding(self.project, c.id)
                self._forget_coding(c)

            self.safely(run)

        self._with_coding(
            "remove",
            lambda c: self._if_theirs_ask(
                c, "This {code} coding is {coder}'s, not yours. Remove {coder}'s coding?", remove
            ),
        )

    def _forget_coding(self, c: Coding) -> None:
        model = self.reader.model
        assert model is not None
        changed = model.remove_coding(c.id)
        self.reader.invalidate_range(c.start, c.end, changed)
        self.codebook_tree.bump(c.code_id, -1)
        self._document_changed(codings=len(model.codings))
        self._cursor_moved()

    def action_recode(self) -> None:
        def pick(c: Coding) -> None:
            def chosen(code_id: str | None) -> None:
                if not code_id or code_id == c.code_id:
                    return

                def run() -> None:
                    code = self.codes_by_id[code_id]
                    with history.step(self.project, f"recode {c.code} → {code['path']}"):
                        recode(self.project, c.id, code_id)
                    self._reload_codings()
                    self.codebook_tree.bump(c.code_id, -1)
                    self.codebook_tree.bump(code_id, 1)

                self.safely(run)

            self._palette(f"Change {c.code} to…", chosen, exclude={c.code_id})

        self._with_coding(
            "change",
            lambda c: self._if_theirs_ask(
                c,
                "This {code} coding is {coder}'s, not yours. Change the code of {coder}'s coding?",
                pick,
            ),
        )

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
        self._cursor_moved()

    # --- memos ---------------------------------------------------------------------

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

    def action_memo_coding(self) -> None:
        self._with_coding(
            "write a memo on",
            lambda c: self._edit_memo(f"Memo on coding {c.code}", "coding", c.id, c.code),
        )

    def action_memo_document(self) -> None:
        if self.document:
            self._edit_memo(
                f"Memo on {self.document['name']}",
                "document",
                self.document["id"],
                self.document["name"],
            )

    def action_memo_tree_item(self) -> None:
        focused = self.focused
        if isinstance(focused, CodebookTree):
            node = focused.cursor_node
            if node and node.data:
                self._edit_memo(
                    f"Memo on code {node.data['path']}", "code", node.data["id"], node.data["path"]
                )
        elif isinstance(focused, DocumentTree):
            node = focused.cursor_node
            if node and node.data:
                kind = node.data["node"]
                name = node.data["name"] or "(no case)"
                if node.data["id"]:
                    self._edit_memo(f"Memo on {kind} {name}", kind, node.data["id"], name)

    # --- document status, undo -------------------------------------------------------

    def action_toggle_done(self) -> None:
        doc = self.document
        if doc is None:
            return
        new = "in_progress" if doc.get("status") == "done" else "done"

        def run() -> None:
            with history.step(self.project, f"mark {doc['name']} {new.replace('_', ' ')}"):
                set_status(self.project, doc["id"], new)
            doc["status"] = new
            self.document_tree.update_document(doc["id"], status=new)
            self._update_doc_title()
            self.notify(f"{doc['name']}: {'done' if new == 'done' else 'back in progress'}")

        self.safely(run)

    def action_undo(self) -> None:
        self._history(history.undo, "Undone", "nothing to undo")

    def action_redo(self) -> None:
        self._history(history.redo, "Redone", "nothing to redo")

    def _history(self, fn: Callable[[Project], history.Step | None], verb: str, empty: str) -> None:
        def run() -> None:
            step = fn(self.project)
            if step is None:
                self.notify(empty, severity="warning")
                return
            self.after_history(step)
            self.notify(f"{verb}: {step.label}")

        self.safely(run)

    def after_history(self, step: history.Step) -> None:
        self.documents = list_documents(self.project)
        for d in self.documents:
            self.document_tree.update_document(d["id"], status=d["status"], codings=d["codings"])
        if self.document:
            fresh = next((d for d in self.documents if d["id"] == self.document["id"]), None)
            if fresh:
                self.document = fresh
                self._update_doc_title()
            if self.document["id"] in step.document_ids or step.coding_ids:
                self._reload_codings()
        if step.code_ids:
            self.load_codes()  # an in-vivo code went away (undo) or came back (redo)
        self.codebook_tree.set_counts(
            codebook.code_tree(self.project, self.document["id"] if self.document else None)
        )
        self.reopen_if_revised(step)

    # --- jumping, search, segments ------------------------------------------------------

    def jump(self, target: Jump | None) -> None:
        if target is None:
            return
        if self.document is None or self.document["id"] != target.document_id:
            self.safely(
                lambda: self.open_document(target.document_id, select=(target.start, target.end))
            )
        else:
            self.reader.set_selection(target.start, target.end)
            self.reader.scroll_cursor_into_view(centre=True)
        self.reader.focus()

    def action_search(self) -> None:
        doc_id = self.document["id"] if self.document else None
        query = self.search.query if self.search else ""
        self.app.push_screen(SearchScreen(self.project.path, doc_id, query), self._searched)

    def _searched(self, outcome: SearchOutcome | None) -> None:
        if outcome is None or not outcome.hits:
            return
        self.search = outcome
        self._go_to_hit()

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

    def _go_to_hit(self) -> None:
        assert self.search is not None
        hit = self.search.hits[self.search.index]
        if self.document is None or self.document["id"] != hit["document_id"]:
            self.safely(lambda: self.open_document(hit["document_id"]))
        self.reader.set_hits(*self.search_hits_for_document())
        self.reader.move_to(hit["start"], centre=True)
        self.reader.focus()
        self.notify(f"hit {self.search.index + 1} of {len(self.search.hits)}", timeout=1.5)

    def action_next_hit(self, step: int) -> None:
        if not self.search or not self.search.hits:
            self.notify("no search yet; press / to search", severity="warning")
            return
        self.search.index = (self.search.index + step) % len(self.search.hits)
        self._go_to_hit()

    def _code_in_focus(self) -> dict[str, Any] | None:
        if isinstance(self.focused, CodebookTree):
            cid = self.codebook_tree.highlighted_id()
            return self.codes_by_id.get(cid) if cid else None
        here = self.codings_here()
        if here:
            return self.codes_by_id.get(here[0].code_id)
        cid = self.codebook_tree.highlighted_id()
        return self.codes_by_id.get(cid) if cid else None

    def action_segments(self) -> None:
        code = self._code_in_focus()
        if code is None:
            self.notify(
                "put the cursor on a coding or highlight a code in the codebook", severity="warning"
            )
            return
        self.show_segments(code["id"])

    def show_segments(self, code_id: str, filters: dict[str, str] | None = None) -> None:
        code = self.codes_by_id[code_id]
        self.app.push_screen(SegmentsScreen(self.project.path, code, filters), self.jump)

    # --- codebook editing -----------------------------------------------------------------

    def _highlighted_code(self) -> dict[str, Any] | None:
        cid = self.codebook_tree.highlighted_id()
        code = self.codes_by_id.get(cid) if cid else None
        if code is None:
            self.notify("highlight a code in the codebook first", severity="warning")
        return code

    def _after_codebook_edit(self, reveal: str | None = None, colours: bool = False) -> None:
        self.load_codes()
        if self.document:
            self.codebook_tree.set_counts(codebook.code_tree(self.project, self.document["id"]))
        if colours:
            self._reload_codings()
        if reveal:
            self.codebook_tree.reveal(reveal)
        # the detail pane shows what the code is called now (a cursor that stays on
        # the same line sends no new highlight event)
        shown = self.codes_by_id.get(reveal or "") or self.codes_by_id.get(
            self.codebook_tree.highlighted_id() or ""
        )
        if shown:
            self._show_definition(shown)

    def _saving(self, fn: Callable[[], Any]) -> str | None:
        """Run a save from a form; a refusal comes back as the form's inline error."""
        try:
            fn()
        except (CasebookError, sqlite3.Error) as exc:
            return str(exc)
        return None

    def action_add_code(self, top_level: bool = False) -> None:
        parent = None if top_level else self.codebook_tree.highlighted_id()
        parent_code = self.codes_by_id.get(parent) if parent else None

        def submit(values: dict[str, Any]) -> str | None:
            def run() -> None:
                name = values.pop("name")
                role = {k: values.pop(k, None) for k in ("collaboration", "partner_types")}
                with self.project.transaction():  # one action: the code and its collaboration role
                    code_id = codebook.add_code(
                        self.project,
                        name,
                        parent=parent_code["path"] if parent_code else None,
                        **values,
                    )
                    if any(role.values()):
                        set_collaboration(
                            self.project,
                            code_id,
                            role["collaboration"] or "inherit",
                            role["partner_types"] or [],
                        )
                self._after_codebook_edit(reveal=code_id)
                self.notify(f"added {self.codes_by_id[code_id]['path']}")

            return self._saving(run)

        title = f"New code under {parent_code['path']}" if parent_code else "New top-level code"
        self.app.push_screen(
            CodeForm(title, parent=parent_code["path"] if parent_code else None, submit=submit)
        )

    def action_edit_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            def run() -> None:
                with self.project.transaction():  # one action: fields and collaboration role
                    if "collaboration" in values or "partner_types" in values:
                        kind = (
                            (values.pop("collaboration") or "inherit")
                            if "collaboration" in values
                            else None
                        )
                        types = (
                            (values.pop("partner_types") or [])
                            if "partner_types" in values
                            else None
                        )
                        set_collaboration(self.project, code["id"], kind, types)
                    codebook.update_code(self.project, code["id"], **values)
                self._after_codebook_edit(reveal=code["id"], colours="colour" in values)
                self.notify(f"{code['path']} updated")

            return self._saving(run)

        self.app.push_screen(CodeForm(f"Edit {code['path']}", code, submit=submit))

    def action_rename_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return

        def submit(name: str) -> str | None:
            if name == code["name"]:
                return None

            def run() -> None:
                new_path = codebook.rename_code(self.project, code["id"], name)
                self._after_codebook_edit(reveal=code["id"], colours=True)
                self.notify(f"{code['path']} is now {new_path}")

            return self._saving(run)

        self.app.push_screen(PromptDialog(f"Rename {code['path']} to", code["name"], submit=submit))

    def action_move_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return
        below = set(codebook.descendants(self.project, code["id"]))

        def chosen(target: str | None) -> None:
            if not target:
                return

            def run() -> None:
                parent = None if target == TOP_LEVEL else self.codes_by_id[target]["path"]
                new_path = codebook.move_code(self.project, code["id"], parent)
                self._after_codebook_edit(reveal=code["id"], colours=True)
                self.notify(f"moved to {new_path} (a backup was taken first)")

            self.safely(run)

        self._palette(f"Move {code['path']} under…", chosen, offer_top_level=True, exclude=below)

    def action_merge_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return
        below = set(codebook.descendants(self.project, code["id"]))

        def chosen(target: str | None) -> None:
            if not target:
                return
            dest = self.codes_by_id[target]

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    self.notify(f"not merged: {code['path']} and {dest['path']} are unchanged")
                    return

                def run() -> None:
                    moved = codebook.merge_codes(self.project, code["id"], dest["id"])
                    self._after_codebook_edit(reveal=dest["id"], colours=True)
                    self.notify(
                        f"merged {code['path']} into {dest['path']} ({moved} codings moved)"
                    )

                self.safely(run)

            question = (
                f"Merge {code['path']} ({code['count']} codings) into {dest['path']}? "
                f"{code['path']} disappears; a backup is taken first."
            )
            self.app.push_screen(ConfirmDialog(question, "Merge"), confirmed)

        self._palette(f"Merge {code['path']} into…", chosen, exclude=below)

    # --- imports ------------------------------------------------------------------------

    def action_import_files(self) -> None:
        case = self.document.get("case_name") or "" if self.document else ""
        self.app.push_screen(ImportDialog(self.project.path.parent, case), self._import_requested)

    def _import_requested(self, request: ImportRequest | None) -> None:
        if request is None:
            return
        self.show_progress(f"importing {len(request.paths)} file(s)…", total=len(request.paths))
        self.run_import(request)

    def show_progress(self, label: str, total: int | None = None) -> None:
        box = self.query_one("#progress")
        box.display = True
        self.query_one("#progress-label", Label).update(label)
        self.query_one("#progress-bar", ProgressBar).update(total=total, progress=0)

    def hide_progress(self) -> None:
        self.query_one("#progress").display = False

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="import")
    def run_import(self, request: ImportRequest) -> None:
        from casebook.core.documents import DocumentMeta, ImportOutcome, import_batch

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

    def action_toggle_panels(self) -> None:
        """Hide or show both side panels: the reader gets the whole width on a small terminal."""
        left, right = self.query_one("#documents"), self.query_one("#right")
        show = not left.display
        left.display = right.display = show
        if not show:
            self.reader.focus()

    # --- the synthesis views (their screens dismiss with a Jump, like segments) ---------------

    def action_open_matrix(self) -> None:
        self._open_view("matrix")

    def action_open_frameworks(self) -> None:
        self._open_view("framework")

    def action_open_partners(self) -> None:
        self._open_view("partners")

    def action_open_summary(self) -> None:
        self._open_view("summary")

    def action_contrast(self) -> None:
        """K on a coding starts a contrast; K on another passage (any document) completes it."""

        def mark(c: Coding) -> None:
            if any(p.id == c.id for p in self.contrast_pending):
                self.notify(f"{c.code} is already part of the contrast", severity="warning")
                return
            self.contrast_pending.append(c)
            if len(self.contrast_pending) == 1:
                self.notify(
                    f"{c.code} marked for a contrast; press K on the passage it contrasts with",
                    title="Contrast",
                )
                return
            from casebook.tui.dialogs.simple import PromptDialog

            self.app.push_screen(
                PromptDialog("What contradicts what? (a note; esc cancels)"), self._save_contrast
            )

        self._with_coding("contrast", mark)

    def _save_contrast(self, note: str | None) -> None:
        from casebook.synthesis.contrasts import add_contrast

        pending, self.contrast_pending = self.contrast_pending, []
        if note is None:
            self.notify("contrast not saved", severity="warning", title="Contrast")
            return

        def run() -> None:
            add_contrast(self.project, [c.id for c in pending], note=note)
            self.notify(
                f"contrast of {len(pending)} passages saved ({', '.join(c.code for c in pending)})",
                title="Contrast",
            )

        self.safely(run)

    def action_compare(self) -> None:
        """Two coders side by side on the open document (docs/agreement-method.md)."""
        if self.document is None:
            self.notify("open a document first", severity="warning")
            return
        doc = self.document
        coders = retrieval.document_coders(self.project, doc["id"])
        if len(coders) < 2:
            who = coders[0]["name"] if coders else "nobody"
            self.notify(
                f"comparing needs two coders on {doc['name']}; it is coded by {who} only"
                if coders
                else f"comparing needs two coders on {doc['name']}; nobody coded it yet",
                severity="warning",
            )
            return
        names = [c["name"] for c in coders]
        if self.project.coder in names:  # your own codings on the left
            names.remove(self.project.coder)
            names.insert(0, self.project.coder)
        if len(names) == 2:
            self._compare(doc["id"], names[0], names[1])
            return
        counts = {c["name"]: c["codings"] for c in coders}
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
        self.app.push_screen(
            ChooseDialog(
                f"Compare which two coders on {doc['name']}?",
                [(f"{a}\t{b}", f"{a} ({counts[a]}) | {b} ({counts[b]})") for a, b in pairs],
            ),
            lambda pair: pair and self._compare(doc["id"], *pair.split("\t")),
        )

    def _compare(self, document_id: str, coder_a: str, coder_b: str) -> None:
        from casebook.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.project.path, document_id, coder_a, coder_b))

    def _open_view(self, view: str) -> None:
        path, coder = self.project.path, self.project.coder
        try:
            if view == "matrix":
                from casebook.tui.screens.matrix import MatrixScreen

                screen: Screen[Any] = MatrixScreen(path)
            elif view == "framework":
                from casebook.tui.screens.framework import FrameworkScreen

                screen = FrameworkScreen(path, coder=coder)
            elif view == "summary":
                from casebook.tui.screens.summary import SummaryScreen

                case_id = self._case_of_document()
                if case_id is None:
                    self.notify("open a document of a case first", severity="warning")
                    return
                screen = SummaryScreen(path, case_id, coder=coder)
            else:
                from casebook.tui.screens.partners import PartnersScreen

                case_id = self.document.get("case_id") if self.document else None
                if case_id is None and self.document:
                    case_id = next(
                        (
                            c["id"]
                            for c in self.cases
                            if c["name"] == self.document.get("case_name")
                        ),
                        None,
                    )
                screen = PartnersScreen(path, case_id, coder=coder)
        except ImportError as exc:
            self.notify(
                f"the {view} view is not available in this installation ({exc})", severity="error"
            )
            return
        self.app.push_screen(screen, self.jump)

    def _case_of_document(self) -> str | None:
        if not self.document:
            return None
        return self.document.get("case_id") or next(
            (c["id"] for c in self.cases if c["name"] == self.document.get("case_name")), None
        )

    def action_review_suggestions(self) -> None:
        """Autocoding suggestions, one by one (casebook.tui.screens.review)."""
        from casebook.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.codes), self._reviewed)

    def _reviewed(self, target: Jump | None) -> None:
        if self.document:
            self.safely(lambda: self.open_document(self.document["id"]))
        self.jump(target)

    # --- entry points for the command palette ------------------------------------------

    def perform(self, action: str) -> None:
        getattr(self, f"action_{action}")()

    def jump_to_document(self, document_id: str) -> None:
        self.safely(lambda: self.open_document(document_id))
        self.reader.focus()

    def jump_to_case(self, case_id: str) -> None:
        node = self.document_tree.case_nodes.get(case_id)
        if node is not None:
            node.expand()
            self.document_tree.move_cursor(node)
            self.document_tree.focus()

    def edit_case_memo(self, case_id: str, name: str) -> None:
        self._edit_memo(f"Memo on case {name}", "case", case_id, name)
