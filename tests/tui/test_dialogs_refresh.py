"""Dialogs that say what they do, panes that follow edits, in-vivo undo (issue 15, point 4)."""

from __future__ import annotations

from textual.widgets import Button, Input

from casebook.tui.dialogs.simple import ConfirmDialog, PromptDialog
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.trees import CodebookTree
from tests.tui.fixtures import SIZE
from tests.tui.test_codebook_palette_help import _code, _highlight
from tests.tui.test_coding_flow import codings


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_merge_default_button_is_merge_and_escape_says_not_merged(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1")
        await _highlight(pilot, "BEL.TIJD")
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"GELD", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        focused = dialog.focused
        assert isinstance(focused, Button) and focused.id == "yes"
        assert "Merge" in str(focused.label)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert any(m.startswith("not merged") for m in _messages(app)), _messages(app)
        assert _code(project_path, "BEL.TIJD") is not None

        await _highlight(pilot, "BEL.TIJD")
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"GELD", "enter")
        await pilot.pause()
        await pilot.press("enter")  # the default button merges
        await pilot.pause()
        assert _code(project_path, "BEL.TIJD") is None
        assert [r["path"] for r in codings(project_path)] == ["BEL.GELD"]
        # the panes follow: the tree has no TIJD, the detail pane shows the code merged into
        tree = app.screen.query_one(CodebookTree)
        assert "BEL.TIJD" not in {n.data["path"] for n in tree.code_nodes.values()}
        assert "BEL.GELD" in str(app.screen.query_one("#definition").render())


async def test_detail_pane_shows_the_new_name_after_rename(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _highlight(pilot, "BEL.GELD")
        assert "BEL.GELD" in str(app.screen.query_one("#definition").render())
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = "FINANCIEN"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        shown = str(app.screen.query_one("#definition").render())
        assert "BEL.FINANCIEN" in shown and "BEL.GELD" not in shown


async def test_undo_of_in_vivo_coding_removes_the_code_it_created(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_curly_bracket", "w", "w", "i")
        await pilot.pause()
        rows = codings(project_path)
        assert len(rows) == 1 and rows[0]["path"].startswith("INVIVO.")
        path = rows[0]["path"]
        tree = app.screen.query_one(CodebookTree)
        assert path in {n.data["path"] for n in tree.code_nodes.values()}

        await pilot.press("u")
        await pilot.pause()
        assert codings(project_path) == []
        assert _code(project_path, path) is None
        assert _code(project_path, "INVIVO") is None  # the group it made is unused too
        assert path not in {n.data["path"] for n in tree.code_nodes.values()}
        assert app.screen.query_one(DocumentReader).model.codings == {}

        await pilot.press("U")  # redo brings both back, the coding on the same code
        await pilot.pause()
        rows = codings(project_path)
        assert [r["path"] for r in rows] == [path]
        assert path in {
            n.data["path"] for n in app.screen.query_one(CodebookTree).code_nodes.values()
        }


async def test_import_dialog_decides_the_kind_and_says_so(make, project_path, tmp_path) -> None:
    from tests.tui.test_coding_flow import committed

    report = tmp_path / "Zuidrand_voortgangsrapportage_2023.txt"
    report.write_text("Stand van zaken\nHet techlab is open.\n", encoding="utf-8")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = str(report)
        app.screen.query_one("#import-case", Input).value = "Zuidrand"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        kinds = committed(project_path, "SELECT kind FROM documents WHERE name LIKE 'Zuidrand%'")
        assert kinds == [{"kind": "progress_report"}]
        assert any(
            "imported as progress report: name says voortgangsrapportage" in m
            for m in _messages(app)
        ), _messages(app)
