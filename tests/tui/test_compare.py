"""The side-by-side comparison of two coders on a real project, driven with the Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Static

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.core.documents import document_text, list_documents, segments_of
from casebook.store.project import open_project
from casebook.tui.screens.compare import CompareScreen, CompareView, wrap
from tests.tui.fixtures import SIZE


class Host(App[None]):
    """A bare app that only shows the screen under test (the real app is not needed)."""

    def __init__(self, screen: CompareScreen) -> None:
        super().__init__()
        self.compare = screen

    def on_mount(self) -> None:
        self.push_screen(self.compare)


def seed(project_path: Path) -> dict:
    """Anouk and Bram code the Lindeveen transcript: one shared passage, two disagreements."""
    p = open_project(project_path, coder="tester")
    try:
        doc = next(d for d in list_documents(p) if d["case_name"] == "Lindeveen")["id"]
        text = document_text(p, doc)
        turns = segments_of(p, doc, "turn")
        tijd = resolve_code(p, "BEL.TIJD")["id"]
        visie = resolve_code(p, "BEV.VISIE")["id"]
        first, later = turns[1], turns[5]
        shared = (first["start"], first["start"] + 40)
        add_coding(p, doc, tijd, *shared, coder="anouk")
        add_coding(p, doc, tijd, *shared, coder="bram")
        only_a = (later["start"], later["start"] + 30)
        add_coding(p, doc, visie, *only_a, coder="anouk")
        only_b = (turns[-1]["start"], turns[-1]["start"] + 25)
        add_coding(p, doc, tijd, *only_b, coder="bram")
        return {"doc": doc, "text": text, "only_a": only_a, "only_b": only_b, "shared": shared}
    finally:
        p.close()


def test_wrap_keeps_offsets() -> None:
    text = "Een twee drie vier vijf zes zeven acht.\n\nLangwoordzonderspaties hier."
    lines = wrap(text, 10)
    assert all(len(text[ln.start : ln.end].rstrip()) <= 10 for ln in lines)
    assert "".join(text[ln.start : ln.end] for ln in lines) == text.replace("\n", "")
    assert [text[ln.start : ln.end] for ln in lines][:2] == ["Een twee ", "drie vier "]


async def test_two_coders_side_by_side_and_stepping(project_path: Path) -> None:
    s = seed(project_path)
    app = Host(CompareScreen(project_path, s["doc"], "anouk", "bram"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        view = screen.query_one(CompareView)
        cmp = screen.comparison
        assert [c["path"] for c in cmp.codes] == ["BEL.TIJD", "BEV.VISIE"]
        assert [(d.code, d.coded_by) for d in cmp.disagreements] == [
            ("BEV.VISIE", ("anouk",)),
            ("BEL.TIJD", ("bram",)),
        ]
        assert "2 disagreements" in str(screen.query_one("#compare-status", Static).render())

        # the shared passage: both gutters show a quiet stripe in the BEL.TIJD column
        row = view.row_of(s["shared"][0])
        cells_a = view.gutter_cells(row, "anouk")
        cells_b = view.gutter_cells(row, "bram")
        assert cells_a[0][0] == cells_b[0][0] == "▌"
        drawn = view.row_text(row)
        # columns: BEL.TIJD, BEV.VISIE on each side of the text
        assert drawn.startswith("▌  │ ") and drawn.rstrip().endswith(" │ ▌")
        assert s["text"][s["shared"][0] : s["shared"][0] + 10] in drawn

        await pilot.press("n")
        await pilot.pause()
        assert view.current == 0
        first = cmp.disagreements[0]
        row = view.row_of(first.start)
        top = round(view.scroll_offset.y)
        assert top <= row < top + view.scrollable_content_region.height
        # Anouk coded BEV.VISIE here and Bram did not: loud block left, dot right
        assert view.gutter_cells(row, "anouk")[1][0] == "█"
        assert view.gutter_cells(row, "bram")[1][0] == "·"
        status = str(screen.query_one("#compare-status", Static).render())
        assert "1/2" in status and "BEV.VISIE" in status and "not by bram" in status

        await pilot.press("n")
        await pilot.pause()
        assert view.current == 1
        row = view.row_of(s["only_b"][0])
        assert view.gutter_cells(row, "anouk")[0][0] == "·"
        assert view.gutter_cells(row, "bram")[0][0] == "█"
        top = round(view.scroll_offset.y)
        assert top <= row < top + view.scrollable_content_region.height

        await pilot.press("n")  # past the last one: stays
        await pilot.pause()
        assert view.current == 1
        await pilot.press("p")
        await pilot.pause()
        assert view.current == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_unknown_coder_is_a_message_not_a_crash(project_path: Path) -> None:
    s = seed(project_path)
    app = Host(CompareScreen(project_path, s["doc"], "anouk", "nobody"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.comparison is None
        assert "no coder 'nobody'" in str(screen.query_one("#compare-status", Static).render())
        await pilot.press("n")  # nothing to step through, nothing breaks
        await pilot.pause()
        assert app.is_running
