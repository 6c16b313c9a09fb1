"""SVG snapshots of the main screens (pytest-textual-snapshot).

The project is rebuilt the same way every time (fixed texts, codebook,
coder, offsets), and nothing with an id or a clock reaches the screen, so the
snapshots only change when the workbench's look does. Update them with
``python -m pytest tests/tui/test_snapshots.py --snapshot-update`` after
looking at the SVGs under ``tests/tui/__snapshots__``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.core.documents import list_documents
from casebook.store.project import open_project
from casebook.tui.app import make_app
from casebook.tui.screens.segments import SegmentsScreen
from tests.tui.fixtures import build_project

SIZE = (140, 40)


@pytest.fixture
def snap_project(tmp_path: Path) -> Path:
    path = build_project(
        tmp_path / "snap",
        words=900,
        documents=(("Lindeveen", "mbo", "2022"), ("Maasdelta", "vmbo", "2023")),
    )
    p = open_project(path, coder="tester")
    try:
        doc = next(d for d in list_documents(p) if d["case_name"] == "Lindeveen")["id"]
        turns = p.query(
            "SELECT * FROM segments WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
            (doc,),
        )
        first, second, third = turns[1], turns[2], turns[4]
        add_coding(p, doc, resolve_code(p, "BEL.TIJD")["id"], first["start"], second["end"])
        add_coding(p, doc, resolve_code(p, "BEV.VISIE")["id"], second["start"], third["end"])
        add_coding(
            p,
            doc,
            resolve_code(p, "SAM.VMBO_MBO")["id"],
            second["start"],
            second["end"],
            coder="bram",
        )
    finally:
        p.close()
    return path


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


def test_main_screen(snap_compare, snap_project) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("down", "down", "down", "down", "right_parenthesis", "s")
        await pilot.pause()

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)


def test_code_palette(snap_compare, snap_project) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("x", "c", *"vis")
        await _settle(pilot)

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)


def test_coded_segments(snap_compare, snap_project) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        screen = pilot.app.screen
        screen.show_segments(next(c["id"] for c in screen.codes if c["path"] == "BEL"))
        # The pushed screen starts its worker on mount, which may come after the first
        # settle; wait until its rows are in, then let the table size its columns.
        for _ in range(200):
            await _settle(pilot)
            if isinstance(pilot.app.screen, SegmentsScreen) and pilot.app.screen.rows:
                break
        await _settle(pilot)

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)


def test_search_results(snap_compare, snap_project) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"technieklokaal", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, snap_project) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)


def test_suggestion_review(snap_compare, snap_project) -> None:
    from casebook.autocode.rules import make_rule, run_rule

    p = open_project(snap_project, coder="tester")
    try:
        run_rule(p, make_rule(p, "BEL.TIJD", "words", "technieklokaal", name="lokaal"))
    finally:
        p.close()

    async def run_before(pilot) -> None:
        await _settle(pilot)
        pilot.app.screen.action_review_suggestions()
        await _settle(pilot)
        await pilot.press("right", "plus")
        await pilot.pause()

    assert snap_compare(make_app(snap_project, "tester"), terminal_size=SIZE, run_before=run_before)
