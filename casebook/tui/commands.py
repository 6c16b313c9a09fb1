"""Command palette (ctrl+p) providers: documents, codes, cases and actions.

Ranking (issue 17): a word that names a screen or action ("partners",
"compare", "matrix") puts that entry above every code, so Enter opens the
screen instead of coding the sentence under the cursor. Codes rank by the
match, then by recent use and by sharing the group (top-level code) of the
last code applied, so of two codes labelled "Corona" the one from the group
you are working in comes first; each code shows its group beside it
("BEL · Corona").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from casebook.core import retrieval
from casebook.tui.ranking import (
    OTHER,
    action_score,
    code_bonus,
    code_caption,
    group_of,
    names_it,
    plural,
)
from casebook.tui.screens.coding import CodingScreen


def _coding_screen(provider: Provider) -> CodingScreen | None:
    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, CodingScreen):
            return screen
    return None


class _ListProvider(Provider):
    """Entries (text, help, callback) matched with the palette's fuzzy matcher."""

    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        raise NotImplementedError

    def score(self, screen: CodingScreen, query: str, text: str, match: float) -> float:
        return OTHER * match

    async def discover(self) -> Hits:
        screen = _coding_screen(self)
        if screen is None:
            return
        for text, help_text, callback in list(self.entries(screen))[:30]:
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = _coding_screen(self)
        if screen is None:
            return
        matcher = self.matcher(query)
        for text, help_text, callback in self.entries(screen):
            match = matcher.match(text)
            if match > 0 or names_it(query, text):
                score = self.score(screen, query, text, match)
                yield Hit(score, matcher.highlight(text), callback, help=help_text)


class DocumentCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for d in screen.documents:
            help_text = " · ".join(
                x for x in (d.get("case_name"), d.get("role"), d.get("round"), d.get("status")) if x
            )
            yield f"Open {d['name']}", help_text, partial(screen.jump_to_document, d["id"])


class CodeCommands(_ListProvider):
    """Apply a code or list its segments; applying always says what it coded."""

    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        return (entry for entry, _code in self._entries(screen))

    def _entries(
        self, screen: CodingScreen
    ) -> Iterator[tuple[tuple[str, str, Callable[[], Any]], dict[str, Any]]]:
        target = "the selection" if screen.reader.selection else "the sentence under the cursor"
        for c in screen.codes:
            yield (
                (
                    f"Apply {c['path']}  {code_caption(c)}",
                    f"code {target}",
                    partial(screen.apply_code, c["id"], say_where=True),
                ),
                c,
            )
        for c in screen.codes:
            yield (
                (
                    f"Segments of {c['path']}  {code_caption(c)}",
                    f"{plural(c['count'], 'coding')} with its children",
                    partial(screen.show_segments, c["id"]),
                ),
                c,
            )

    async def search(self, query: str) -> Hits:
        screen = _coding_screen(self)
        if screen is None:
            return
        recent = retrieval.recent_codes(screen.project)
        last = screen.codes_by_id.get(screen.last_code_id or (recent[0] if recent else ""))
        last_group = group_of(last) if last else None
        matcher = self.matcher(query)
        for (text, help_text, callback), code in self._entries(screen):
            match = matcher.match(text)
            if match > 0:
                score = OTHER * match * 0.9 + code_bonus(code, recent, last_group)
                yield Hit(score, matcher.highlight(text), callback, help=help_text)


class CaseCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for case in screen.cases:
            attrs = ", ".join(f"{k} {v}" for k, v in (case.get("attributes") or {}).items())
            yield (
                f"Case {case['name']}",
                f"{plural(case['documents'], 'document')}, {plural(case['codings'], 'coding')}"
                + (f" · {attrs}" if attrs else ""),
                partial(screen.jump_to_case, case["id"]),
            )
            yield (
                f"Memo on case {case['name']}",
                "write or edit the case memo",
                partial(screen.edit_case_memo, case["id"], case["name"]),
            )


ACTIONS: list[tuple[str, str, str]] = [
    ("Apply code…", "open the quick code palette", "apply_palette"),
    ("Recent codes", "apply one of the codes used lately", "apply_recent"),
    ("In-vivo code", "new code named from the selection", "in_vivo"),
    ("Remove coding", "remove the coding under the cursor", "remove_coding"),
    ("Change coding's code", "recode the coding under the cursor", "recode"),
    ("Memo on coding", "memo on the coding under the cursor", "memo_coding"),
    ("Memo on document", "memo on the open document", "memo_document"),
    ("Mark document done", "or back in progress", "toggle_done"),
    ("Undo", "undo the last coding action", "undo"),
    ("Redo", "redo what was undone", "redo"),
    ("Search", "full text, lemma or fuzzy", "search"),
    (
        "Compare coders",
        "two coders side by side on this document, disagreements lit (C)",
        "compare",
    ),
    ("Coded segments", "passages of the code under the cursor", "segments"),
    (
        "Review suggestions",
        "accept or reject autocoding suggestions one by one",
        "review_suggestions",
    ),
    ("Import files", "import transcripts or reports", "import_files"),
    (
        "Import a new version…",
        "a corrected file for the open document; codings come along",
        "revise_document",
    ),
    ("Review revision", "codings a new version did not carry unchanged", "review_revision"),
    ("Hide or show side panels", "give the reader the whole width", "toggle_panels"),
    (
        "Matrix",
        "cases × codes (or any two attributes), with the passages behind each cell",
        "open_matrix",
    ),
    ("Framework matrices", "case × theme summaries", "open_frameworks"),
    (
        "Partners of this case",
        "the collaboration network of the open document's case",
        "open_partners",
    ),
    ("Region summary", "the open document's case: summary with cited passages", "open_summary"),
    (
        "Mark contrast",
        "this coding contradicts (or differs in perspective from) another",
        "contrast",
    ),
    ("Add code", "new child of the highlighted code", "add_code"),
    ("Edit code", "label, definition, colour, shortcut", "edit_code"),
    ("Rename code", "rename the highlighted code", "rename_code"),
    ("Move code", "move the highlighted code", "move_code"),
    ("Merge code", "merge the highlighted code into another", "merge_code"),
]


class ActionCommands(_ListProvider):
    """Screens and actions: a word naming one ranks it above every code."""

    def score(self, screen: CodingScreen, query: str, text: str, match: float) -> float:
        return action_score(query, text, match)

    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for text, help_text, action in ACTIONS:
            yield text, help_text, partial(screen.perform, action)
        yield "Help: every key", "the key map", partial(self.app.run_action, "help")
