"""Command palette (ctrl+p) providers: documents, codes, cases and actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from casebook.tui.screens.coding import CodingScreen


def _coding_screen(provider: Provider) -> CodingScreen | None:
    from casebook.tui.screens.coding import CodingScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, CodingScreen):
            return screen
    return None


class _ListProvider(Provider):
    """Entries (text, help, callback) matched with the palette's fuzzy matcher."""

    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        raise NotImplementedError

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
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)


class DocumentCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for d in screen.documents:
            help_text = " · ".join(
                x for x in (d.get("case_name"), d.get("role"), d.get("round"), d.get("status")) if x
            )
            yield f"Open {d['name']}", help_text, partial(screen.jump_to_document, d["id"])


class CodeCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for c in screen.codes:
            label = f" {c['label']}" if c.get("label") else ""
            yield (
                f"Apply {c['path']}{label}",
                "code the selection",
                partial(screen.apply_code, c["id"]),
            )
        for c in screen.codes:
            label = f" {c['label']}" if c.get("label") else ""
            yield (
                f"Segments of {c['path']}{label}",
                f"{c['count']} codings with its children",
                partial(screen.show_segments, c["id"]),
            )


class CaseCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for case in screen.cases:
            attrs = ", ".join(f"{k} {v}" for k, v in (case.get("attributes") or {}).items())
            yield (
                f"Case {case['name']}",
                f"{case['documents']} documents, {case['codings']} codings"
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
    ("Coded segments", "passages of the code under the cursor", "segments"),
    ("Review suggestions", "accept or reject autocoding suggestions one by one", "review_suggestions"),
    ("Import files", "import transcripts or reports", "import_files"),
    ("Import a new version…", "a corrected file for the open document; codings come along", "revise_document"),
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
    ("Mark contrast", "this coding contradicts (or differs in perspective from) another", "contrast"),
    ("Add code", "new child of the highlighted code", "add_code"),
    ("Edit code", "label, definition, colour, shortcut", "edit_code"),
    ("Rename code", "rename the highlighted code", "rename_code"),
    ("Move code", "move the highlighted code", "move_code"),
    ("Merge code", "merge the highlighted code into another", "merge_code"),
]


class ActionCommands(_ListProvider):
    def entries(self, screen: CodingScreen) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        for text, help_text, action in ACTIONS:
            yield text, help_text, partial(screen.perform, action)
        yield "Help: every key", "the key map", partial(self.app.run_action, "help")
