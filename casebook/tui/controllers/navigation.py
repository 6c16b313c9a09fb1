"""Moving around the workbench: jumps, search hits, segments, and the synthesis views.

Views that show passages (segments, matrix, frameworks, partners, summary,
review) dismiss with a ``Jump``; ``jump`` opens the passage in the reader.
The command palette reaches the screen through ``perform`` and the
``jump_to_*`` entry points.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from casebook.core import retrieval
from casebook.tui.controllers.workbench import WorkbenchState
from casebook.tui.dialogs.simple import ChooseDialog
from casebook.tui.messages import Jump, SearchOutcome
from casebook.tui.screens.compare import CompareScreen
from casebook.tui.screens.framework import FrameworkScreen
from casebook.tui.screens.matrix import MatrixScreen
from casebook.tui.screens.partners import PartnersScreen
from casebook.tui.screens.review import ReviewScreen
from casebook.tui.screens.search import SearchScreen
from casebook.tui.screens.segments import SegmentsScreen
from casebook.tui.screens.summary import SummaryScreen
from casebook.tui.widgets.trees import CodebookTree


class NavigationActions(WorkbenchState):
    """Where the reader goes next, and the screens that send it there."""

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

    def action_toggle_panels(self) -> None:
        """Hide or show both side panels: the reader gets the whole width on a small terminal."""
        left, right = self.query_one("#documents"), self.query_one("#right")
        show = not left.display
        left.display = right.display = show
        if not show:
            self.reader.focus()

    def action_open_matrix(self) -> None:
        self._open_view("matrix")

    def action_open_frameworks(self) -> None:
        self._open_view("framework")

    def action_open_partners(self) -> None:
        self._open_view("partners")

    def action_open_summary(self) -> None:
        self._open_view("summary")

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

        def chosen(pair: str | None) -> None:
            if pair:
                self._compare(doc["id"], *pair.split("\t"))

        self.app.push_screen(
            ChooseDialog(
                f"Compare which two coders on {doc['name']}?",
                [(f"{a}\t{b}", f"{a} ({counts[a]}) | {b} ({counts[b]})") for a, b in pairs],
            ),
            chosen,
        )

    def _compare(self, document_id: str, coder_a: str, coder_b: str) -> None:
        self.app.push_screen(CompareScreen(self.project.path, document_id, coder_a, coder_b))

    def _open_view(self, view: str) -> None:
        path, coder = self.project.path, self.project.coder
        try:
            if view == "matrix":
                screen: Screen[Any] = MatrixScreen(path)
            elif view == "framework":
                screen = FrameworkScreen(path, coder=coder)
            elif view == "summary":
                case_id = self._case_of_document()
                if case_id is None:
                    self.notify("open a document of a case first", severity="warning")
                    return
                screen = SummaryScreen(path, case_id, coder=coder)
            else:
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

    def action_review_suggestions(self) -> None:
        """Autocoding suggestions, one by one (casebook.tui.screens.review)."""
        self.app.push_screen(ReviewScreen(self.codes), self._reviewed)

    def _reviewed(self, target: Jump | None) -> None:
        doc = self.document
        if doc:
            self.safely(lambda: self.open_document(doc["id"]))
        self.jump(target)

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
