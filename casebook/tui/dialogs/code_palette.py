"""The quick code palette: type to filter the codebook, Enter to choose.

Recent codes come first while the query is empty; typing ranks every code by
rapidfuzz over its path, label and shortcut, with prefix matches first, so
"tij" finds BEL.TIJD before anything that merely contains those letters.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from casebook.tui.ranking import code_bonus, code_caption
from casebook.tui.reader_model import code_colour

TOP_LEVEL = "__top__"


def rank_codes(
    query: str,
    codes: list[dict[str, Any]],
    limit: int = 60,
    *,
    recent: list[str] | None = None,
    last_group: str | None = None,
) -> list[dict[str, Any]]:
    """Codes ordered by how well they match ``query`` (best first).

    Among equally good matches, codes used lately and codes in the group of the
    last code applied come first (CTX.CORONA vs BEL.CORONA while coding BEL).
    """
    # rapidfuzz is a native library; only fuzzy matching needs it
    from rapidfuzz import fuzz, process, utils

    recent = recent or []
    q = query.strip().lower()
    if not q:
        return codes[:limit]

    def lift(c: dict[str, Any]) -> float:
        return code_bonus(c, recent, last_group)

    prefix = [
        c
        for c in codes
        if c["name"].lower().startswith(q)
        or c["path"].lower().startswith(q)
        or (c.get("label") or "").lower().startswith(q)
        or (c.get("shortcut") or "") == q
    ]
    choices = {i: f"{c['path']} {c.get('label') or ''}" for i, c in enumerate(codes)}
    scored = process.extract(
        q,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=55,
    )
    prefix.sort(key=lift, reverse=True)  # stable: tree order among equals
    seen = {id(c) for c in prefix}
    rest = sorted(
        (
            (score + 200 * lift(codes[i]), codes[i])
            for _s, score, i in scored
            if id(codes[i]) not in seen
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    return (prefix + [c for _score, c in rest])[:limit]


class CodePalette(ModalScreen[str | None]):
    """Choose a code; dismisses with its id (or ``TOP_LEVEL`` when offered), or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
    ]

    def __init__(
        self,
        codes: list[dict[str, Any]],
        *,
        title: str = "Apply code",
        recent: list[str] | None = None,
        offer_top_level: bool = False,
        exclude: set[str] | None = None,
        query: str = "",
        last_group: str | None = None,
    ) -> None:
        super().__init__()
        self.recent_ids = list(recent or [])
        self.last_group = last_group
        exclude = exclude or set()
        self.codes = [c for c in codes if c["id"] not in exclude]
        by_id = {c["id"]: c for c in self.codes}
        self.recent = [by_id[i] for i in (recent or []) if i in by_id]
        self.title_text = title
        self.offer_top_level = offer_top_level
        self.initial_query = query

    def compose(self) -> ComposeResult:
        with Vertical(id="palette"):
            yield Label(self.title_text, id="palette-title")
            yield Input(
                value=self.initial_query, placeholder="type to filter codes…", id="palette-input"
            )
            yield OptionList(id="palette-options")

    def on_mount(self) -> None:
        self._fill(self.initial_query)
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        items: list[Option] = []
        if not query.strip():
            if self.offer_top_level:
                items.append(Option(Text("(top level)", style="italic"), id=TOP_LEVEL))
            seen: set[str] = set()
            for c in self.recent:
                items.append(Option(self._prompt(c, recent=True), id=c["id"]))
                seen.add(c["id"])
            ranked = [c for c in self.codes if c["id"] not in seen]
        else:
            ranked = rank_codes(
                query, self.codes, recent=self.recent_ids, last_group=self.last_group
            )
        items += [Option(self._prompt(c), id=c["id"]) for c in ranked]
        options.add_options(items)
        if items:
            options.highlighted = 0

    @staticmethod
    def _prompt(c: dict[str, Any], recent: bool = False) -> Text:
        text = Text.assemble(("■ ", code_colour(c.get("colour"), c["path"])))
        if c.get("shortcut"):
            text.append(f"{c['shortcut']} ", "bold reverse")
        text.append(c["path"], "bold")
        text.append(f"  {code_caption(c)}")
        if recent:
            text.append("  recent", "italic dim")
        return text

    @on(Input.Changed, "#palette-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#palette-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
