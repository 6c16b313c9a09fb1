"""Pilot tests of the suggestion review screen: move, accept, reject, resize, recode, open."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from casebook.autocode.rules import make_rule, run_rule
from casebook.store.project import open_project
from casebook.tui.dialogs.code_palette import CodePalette
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.review import ReviewScreen
from casebook.tui.widgets.reader import DocumentReader
from tests.tui.fixtures import CODER, SIZE


def _query(path: Path, sql: str, params: tuple = ()) -> list[dict]:
    p = open_project(path, create=False)
    try:
        return p.query(sql, params)
    finally:
        p.close()


def _queue(path: Path) -> list[int]:
    p = open_project(path, create=False, coder="robot")
    try:
        result = run_rule(p, make_rule(p, "BEL.TIJD", "words", "planning"))
        assert result.added >= 5
        return [r["id"] for r in p.query("SELECT id FROM suggestions ORDER BY id")]
    finally:
        p.close()


async def _open_review(pilot) -> ReviewScreen:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*"Review suggestions")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def test_review_accept_reject_resize_and_recode(make, project_path: Path) -> None:
    _queue(project_path)
    pending = _query(
        project_path,
        "SELECT s.*, t.text FROM suggestions s JOIN document_texts t"
        " ON t.document_id = s.document_id JOIN documents d ON d.id = s.document_id"
        " JOIN cases c ON c.id = d.case_id ORDER BY c.name, d.name, s.start",
    )
    assert _query(project_path, "SELECT * FROM codings") == []
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_review(pilot)
        shown = str(screen.query_one("#review-title").render())
        assert f"Suggestion 1 of {len(pending)}" in shown and "BEL.TIJD" in shown
        passage = pending[0]["text"][pending[0]["start"] : pending[0]["end"]]
        assert passage in str(screen.query_one("#review-context").render())

        await pilot.press("right")
        assert screen.index == 1
        await pilot.press("left")
        assert screen.index == 0

        await pilot.press("a")  # accept the first as it is
        await pilot.pause()
        rows = _query(
            project_path,
            "SELECT k.start, k.end, x.path, o.name FROM codings k JOIN codes x"
            " ON x.id = k.code_id JOIN coders o ON o.id = k.coder_id",
        )
        assert rows == [
            {
                "start": pending[0]["start"],
                "end": pending[0]["end"],
                "path": "BEL.TIJD",
                "name": CODER,
            }
        ]

        await pilot.press("x")  # reject the second
        await pilot.pause()
        status = {
            r["id"]: r["status"] for r in _query(project_path, "SELECT id, status FROM suggestions")
        }
        assert status[pending[0]["id"]] == "accepted" and status[pending[1]["id"]] == "rejected"
        assert len(_query(project_path, "SELECT * FROM codings")) == 1

        third = pending[2]
        await pilot.press("plus")  # widen by a sentence, then accept
        await pilot.pause()
        wider = screen.span
        assert wider is not None and wider[0] == third["start"] and wider[1] > third["end"]
        await pilot.press("minus", "plus")
        assert screen.span == wider
        await pilot.press("a")
        await pilot.pause()
        assert {(r["start"], r["end"]) for r in _query(project_path, "SELECT * FROM codings")} >= {
            wider
        }

        await pilot.press("c")  # accept the next one under another code
        await pilot.pause()
        assert isinstance(app.screen, CodePalette)
        await pilot.press(*"VISIE")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        fourth = pending[3]
        recoded = _query(
            project_path,
            "SELECT x.path FROM codings k JOIN codes x ON x.id = k.code_id"
            " WHERE k.document_id = ? AND k.start = ?",
            (fourth["document_id"], fourth["start"]),
        )
        assert recoded == [{"path": "BEV.VISIE"}]

        await pilot.press("o")  # open the next in the reader
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        reader = app.screen.query_one(DocumentReader)
        fifth = pending[4]
        assert reader.document_id == fifth["document_id"]
        assert reader.selection == (fifth["start"], fifth["end"])
    left = _query(project_path, "SELECT count(*) AS n FROM suggestions WHERE status = 'pending'")[
        0
    ]["n"]
    assert left == len(pending) - 4


async def test_review_with_an_empty_queue(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_review(pilot)
        assert "No pending suggestions" in str(screen.query_one("#review-title").render())
        await pilot.press("a", "x", "plus", "right")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
