"""Pilot tests of the region summary screen and the contrast key (K)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.store.project import open_project
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.summary import SummaryScreen
from casebook.tui.widgets.reader import DocumentReader
from tests.tui.fixtures import SIZE


def _code_two_passages(path: Path) -> list[str]:
    p = open_project(path, create=False, coder="tester")
    try:
        doc = p.query_one(
            "SELECT d.id FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.name = 'Lindeveen'"
        )
        code = resolve_code(p, "BEL.TIJD")["id"]
        return [add_coding(p, doc["id"], code, 100, 160), add_coding(p, doc["id"], code, 400, 470)]
    finally:
        p.close()


def _stored(path: Path, sql: str) -> list[dict]:
    p = open_project(path, create=False)
    try:
        return p.query(sql)
    finally:
        p.close()


async def test_summary_screen_prefills_cites_and_saves(make, project_path: Path) -> None:
    ids = _code_two_passages(project_path)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        screen.perform("open_summary")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        area = summary.query_one(TextArea)
        assert area.text.startswith("# Regiosamenvatting Lindeveen")
        # the prefill is stored at once: nothing the analyst sees exists only on screen
        assert _stored(project_path, "SELECT count(*) AS n FROM case_summaries")[0]["n"] == 1
        area.text = "De docenten hebben te weinig tijd."
        area.move_cursor(area.document.end)
        table = summary.query_one(DataTable)
        table.focus()
        row = next(i for i, p in enumerate(summary.passages) if p["coding_id"] == ids[1])
        table.move_cursor(row=row)
        await pilot.press("r")
        assert f"[#{ids[1][:8]}]" in area.text
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        links = _stored(project_path, "SELECT coding_id FROM case_summary_links")
        assert [r["coding_id"] for r in links] == [ids[1]]
        text = _stored(project_path, "SELECT text FROM case_summaries")[0]["text"]
        assert text == f"De docenten hebben te weinig tijd. [#{ids[1][:8]}]"
        # leaving with unsaved text saves it
        area.text = text + "\nNog een zin."
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert _stored(project_path, "SELECT text FROM case_summaries")[0]["text"].endswith(
            "Nog een zin."
        )


async def test_contrast_key_marks_two_passages(make, project_path: Path) -> None:
    ids = _code_two_passages(project_path)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        reader = screen.query_one(DocumentReader)
        assert reader.model is not None and reader.document_id
        reader.move_to(110)
        await pilot.press("K")
        await pilot.pause()
        assert [c.id for c in screen.contrast_pending] == [ids[0]]
        reader.move_to(420)
        await pilot.press("K")
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        prompt.value = "de een zegt ja, de ander nee"
        await pilot.press("enter")
        await pilot.pause()
        rows = _stored(
            project_path,
            "SELECT c.note, count(*) AS n FROM contrasts c"
            " JOIN contrast_codings cc ON cc.contrast_id = c.id GROUP BY c.id",
        )
        assert rows == [{"note": "de een zegt ja, de ander nee", "n": 2}]
        assert screen.contrast_pending == []
