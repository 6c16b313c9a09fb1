"""The main screen: documents, the reader and the codebook, and every coding action.

This module holds the layout, the key bindings and the event handlers. What
the actions do lives in ``casebook.tui.controllers``: the screen's state and
shared updates (``workbench``), coding (``coding``), codebook edits
(``codebook``), jumps and views (``navigation``), imports (``imports``) and
revisions (``revisions``). Each action calls one domain function inside
``history.step`` — one committed transaction, one undo step — and then
updates only what it changed. There is no save command.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Label, ProgressBar, Static, Tree

from casebook.tui.controllers.codebook import CodebookActions
from casebook.tui.controllers.coding import CodingActions
from casebook.tui.controllers.imports import ImportActions
from casebook.tui.controllers.navigation import NavigationActions
from casebook.tui.controllers.revisions import RevisionActions  # issue 10
from casebook.tui.widgets.footer import KeyFooter
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.status import StatusLine
from casebook.tui.widgets.trees import CodebookTree, DocumentTree


class CodingScreen(
    CodingActions, CodebookActions, NavigationActions, ImportActions, RevisionActions
):
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

    @on(Tree.NodeSelected, "#documents")
    def _document_chosen(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and data.get("node") == "document":
            self.safely(lambda: self.open_document(data["id"]))
            self.reader.focus()
            # the tree may take focus back while it finishes the click or key (issue 17)
            self.call_after_refresh(self.reader.focus)

    @on(DocumentReader.CursorMoved)
    def _cursor_moved(self) -> None:
        self.show_status()

    @on(Tree.NodeHighlighted, "#codebook")
    def _code_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self._show_definition(event.node.data)

    @on(Tree.NodeSelected, "#codebook")
    def _code_chosen(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and self.reader.selection:
            self.apply_code(data["id"])

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
