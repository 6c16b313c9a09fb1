"""Reviewing autocoding suggestions one by one: accept, reject, resize or recode.

The screen walks the pending suggestions (of one code, or all) in document
order and shows each with the text around it. ``a`` accepts (a normal coding
by the current coder, the rule kept in its history), ``x`` rejects, ``+`` /
``-`` widen or narrow the passage by a sentence before accepting, ``c``
accepts it under another code. Everything goes through
:mod:`casebook.autocode.queue`, the same functions the CLI uses.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from casebook.autocode import queue
from casebook.autocode.queue import context, list_suggestions, resize, sentence_spans
from casebook.core.documents import document_text
from casebook.errors import CasebookError
from casebook.tui.dialogs.code_palette import CodePalette
from casebook.tui.messages import Jump


class ReviewScreen(Screen[Jump | None]):
    DEFAULT_CSS = """
    ReviewScreen #review { padding: 1 2; }
    ReviewScreen #review-where { margin-bottom: 1; }
    ReviewScreen #review-scroll { height: 1fr; border: round $primary; padding: 0 1; }
    ReviewScreen #review-status { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("right,j", "move(1)", "Next"),
        Binding("left,k", "move(-1)", "Previous"),
        Binding("a", "accept", "Accept"),
        Binding("x", "reject", "Reject"),
        Binding("plus", "resize('widen')", "Widen"),
        Binding("minus", "resize('narrow')", "Narrow"),
        Binding("greater_than_sign", "resize('widen_start')", "Widen start", show=False),
        Binding("less_than_sign", "resize('narrow_start')", "Narrow start", show=False),
        Binding("c", "other_code", "Other code"),
        Binding("o", "open", "Open"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, codes: list[dict[str, Any]], *, code_id: str | None = None) -> None:
        super().__init__()
        self.codes = codes
        self.code_id = code_id
        self.items: list[dict[str, Any]] = []
        self.index = 0
        self.span: tuple[int, int] | None = None
        self.decided = {"accepted": 0, "rejected": 0}
        self._texts: dict[str, str] = {}
        self._sentences: dict[str, list[tuple[int, int]]] = {}

    @property
    def project(self):
        return self.app.project  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Label("", id="review-title")
            yield Label("", id="review-where")
            with VerticalScroll(id="review-scroll"):
                yield Static("", id="review-context")
            yield Label("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # --- data -----------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        code = None
        if self.code_id:
            code = next((c["path"] for c in self.codes if c["id"] == self.code_id), None)
        try:
            self.items = list_suggestions(self.project, code=code)
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            self.items = []
        self.index = min(keep if keep is not None else 0, max(len(self.items) - 1, 0))
        self.span = None
        self.show()

    def current(self) -> dict[str, Any] | None:
        return self.items[self.index] if self.items else None

    def _text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = document_text(self.project, doc_id)
        return self._texts[doc_id]

    def _sentence_spans(self, doc_id: str) -> list[tuple[int, int]]:
        if doc_id not in self._sentences:
            self._sentences[doc_id] = sentence_spans(self.project, doc_id)
        return self._sentences[doc_id]

    # --- drawing --------------------------------------------------------------------

    def show(self) -> None:
        item = self.current()
        title = self.query_one("#review-title", Label)
        where = self.query_one("#review-where", Label)
        body = self.query_one("#review-context", Static)
        status = self.query_one("#review-status", Label)
        done = f"accepted {self.decided['accepted']}, rejected {self.decided['rejected']}"
        if item is None:
            title.update(Text("No pending suggestions", style="bold"))
            where.update(Text("run a rule with `casebook autocode`, then review here", style="dim"))
            body.update("")
            status.update(done)
            return
        start, end = self.span or (item["start"], item["end"])
        rule = (
            f"{item['rule_kind'].replace('_', ' ')} {item['rule_query']!r}"
            if item["rule_query"]
            else item["rule_kind"]
        )
        score = f" · score {item['score']:g}" if item["score"] is not None else ""
        title.update(
            Text.assemble(
                (f"Suggestion {self.index + 1} of {len(self.items)}  ", "bold"),
                (item["code"], "bold reverse"),
                f"  rule {item['rule']} ({rule}){score}",
            )
        )
        changed = "  (resized)" if self.span and self.span != (item["start"], item["end"]) else ""
        where.update(
            Text.assemble(
                (item["case_name"] or "no case", "bold"),
                " · ",
                item["document"],
                (f" · {start}–{end}{changed}", "dim"),
            )
        )
        before, passage, after = context(self._text(item["document_id"]), start, end)
        body.update(Text.assemble((before, "dim"), (passage, "bold reverse"), (after, "dim")))
        status.update(
            f"{done}  ·  a accept  x reject  +/- widen/narrow  c other code  o open  esc back"
        )

    # --- actions --------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if not self.items:
            return
        self.index = (self.index + step) % len(self.items)
        self.span = None
        self.show()

    def action_resize(self, how: str) -> None:
        item = self.current()
        if item is None:
            return
        span = self.span or (item["start"], item["end"])
        new = resize(self._sentence_spans(item["document_id"]), span, how)
        if new == span:
            self.notify("cannot change the passage further that way", timeout=1.5)
        self.span = new
        self.show()

    def _decide(self, verb: str, code_id: str | None = None) -> None:
        item = self.current()
        if item is None:
            return
        try:
            if verb == "accept":
                code = (
                    next((c["path"] for c in self.codes if c["id"] == code_id), None)
                    if code_id
                    else None
                )
                span = (
                    self.span if self.span and self.span != (item["start"], item["end"]) else None
                )
                queue.accept(self.project, [item["id"]], code=code, span=span)
                self.decided["accepted"] += 1
            else:
                queue.reject(self.project, [item["id"]])
                self.decided["rejected"] += 1
        except CasebookError as exc:
            self.notify(str(exc), severity="error", title=exc.title)
            return
        self.reload(keep=self.index)

    def action_accept(self) -> None:
        self._decide("accept")

    def action_reject(self) -> None:
        self._decide("reject")

    def action_other_code(self) -> None:
        if self.current() is None:
            return
        self.app.push_screen(
            CodePalette(self.codes, title="Accept under which code?"),
            self._accept_under,
        )

    def _accept_under(self, code_id: str | None) -> None:
        if code_id:
            self._decide("accept", code_id)

    def action_open(self) -> None:
        item = self.current()
        if item is None:
            return
        start, end = self.span or (item["start"], item["end"])
        self.dismiss(Jump(item["document_id"], start, end))

    def action_close(self) -> None:
        self.dismiss(None)
