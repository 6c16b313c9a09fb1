"""Pilot tests of the coding flow: layout, cursor, selection, codes, memos, done, undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from casebook.store.project import connect, open_project
from casebook.tui.dialogs.code_palette import CodePalette
from casebook.tui.dialogs.simple import ChooseDialog, MemoEditor
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.trees import CodebookTree, DocumentTree
from tests.tui.fixtures import SIZE


def committed(path: Path, sql: str, params: tuple = ()) -> list[dict]:
    """Read through a separate connection: only committed data is visible."""
    p = open_project(path, create=False)
    try:
        return p.query(sql, params)
    finally:
        p.close()


def codings(path: Path) -> list[dict]:
    return committed(
        path,
        "SELECT k.start, k.end, x.path, k.memo, k.quote FROM codings k JOIN codes x ON x.id = k.code_id "
        "ORDER BY k.start, x.path",
    )


async def test_layout_shows_cases_reader_codebook_and_bindings(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        tree = screen.query_one(DocumentTree)
        assert {n.data["name"] for n in tree.case_nodes.values()} == {"Lindeveen", "Maasdelta"}
        assert len(tree.doc_nodes) == 2
        reader = screen.query_one(DocumentReader)
        assert reader.has_focus and reader.model is not None
        kinds = [r.kind for r in reader.model.rows]
        assert "turn" in kinds and "text" in kinds
        turn_rows = [r for r in reader.model.rows if r.kind == "turn"]
        assert {r.info["label"] for r in turn_rows} == {"Interviewer", "Marieke"}
        codebook = screen.query_one(CodebookTree)
        assert {"BEL.TIJD", "BEV.VISIE"} <= {n.data["path"] for n in codebook.code_nodes.values()}
        assert "lindeveen-mbo-2022.txt" in screen.sub_title and "tester" in screen.sub_title
        assert "test project" in screen.title
        keys = {b.binding.key for b in app.active_bindings.values()}
        assert {"c", "i", "u", "slash"} <= keys


async def test_cursor_moves_by_word_sentence_turn_and_page(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        model = reader.model
        assert reader.cursor == 0
        await pilot.press("ctrl+right")
        assert reader.cursor == model.next_word(0) > 0
        await pilot.press("right_curly_bracket")
        second_turn = model.turns[1]["start"]
        assert reader.cursor == second_turn
        await pilot.press("right_parenthesis")
        assert reader.cursor == model.next_unit("sentence", second_turn)
        await pilot.press("left_curly_bracket")
        assert reader.cursor == second_turn
        await pilot.press("down")
        row, _ = model.rowcol(reader.cursor)
        assert model.rows[row].kind == "text" and row > model.row_of(second_turn)
        await pilot.press("G")
        assert reader.cursor == len(model.text) - 1
        await pilot.press("g")
        assert reader.cursor == 0
        await pilot.press("pagedown")
        assert model.row_of(reader.cursor) >= reader.size.height - 3


async def test_selection_extends_by_word_sentence_and_turn(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        model = reader.model
        await pilot.press("w")
        assert reader.selection == model.word_at(0)
        await pilot.press("w")
        first, second = model.word_at(0), model.word_at(model.next_word(0))
        assert reader.selection == (first[0], second[1])
        await pilot.press("W")
        assert reader.selection == first
        await pilot.press("escape")
        assert reader.selection is None
        await pilot.press("right_curly_bracket", "s")
        sentence = model.unit_at("sentence", reader.selection[0])
        assert reader.selection == sentence
        await pilot.press("s")
        assert reader.selection[1] == model.unit_end_after("sentence", sentence[1])
        await pilot.press("S")
        assert reader.selection == sentence
        await pilot.press("escape", "t")
        assert reader.selection == (model.turns[1]["start"], model.turns[1]["end"])
        await pilot.press("t")
        assert reader.selection == (model.turns[1]["start"], model.turns[2]["end"])
        await pilot.press("escape", "shift+right", "shift+right")
        assert reader.selection[1] - reader.selection[0] == 2
        await pilot.press("escape", "v", "right", "right", "right")
        assert reader.selection[1] - reader.selection[0] == 3
        await pilot.press("escape", "right")
        assert reader.selection is None


async def test_mouse_drag_selects(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        model = reader.model
        row = model.row_of(model.turns[1]["start"]) - round(reader.scroll_offset.y)
        await pilot.mouse_down(reader, offset=(8, row))
        await pilot.hover(reader, offset=(20, row + 1))
        await pilot.mouse_up(reader, offset=(20, row + 1))
        await pilot.pause()
        start, end = reader.selection
        assert start == model.turns[1]["start"] + 2
        assert model.row_of(end - 1) == model.row_of(start) + 1


async def test_apply_from_palette_with_fuzzy_filter(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        await pilot.press("right_curly_bracket", "s", "c")
        await pilot.pause()
        assert isinstance(app.screen, CodePalette)
        await pilot.press(*"visei")  # a typo still finds VISIE
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = codings(project_path)
        assert [(r["path"], r["start"], r["end"]) for r in rows] == [
            ("BEV.VISIE", *reader.selection)
        ]
        node = app.screen.query_one(CodebookTree).code_nodes
        visie = next(n for n in node.values() if n.data["path"] == "BEV.VISIE")
        assert (visie.data["doc_count"], visie.data["count"]) == (1, 1)
        doc_node = next(iter(app.screen.query_one(DocumentTree).doc_nodes.values()))
        assert doc_node.data["codings"] == 1 and doc_node.data["status"] == "in_progress"
        assert len(reader.model.codings) == 1


async def test_shortcut_recent_and_repeat(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1")  # sentence under the cursor, BEL.TIJD by its shortcut
        await pilot.press("right_curly_bracket", "x", "full_stop")  # again: the last code
        await pilot.press("right_curly_bracket", "x", "r")
        await pilot.pause()
        assert isinstance(app.screen, CodePalette)
        assert app.screen.codes[0]["path"] == "BEL.TIJD"
        await pilot.press("enter")
        await pilot.pause()
        assert [r["path"] for r in codings(project_path)] == ["BEL.TIJD"] * 3


async def test_apply_without_selection_codes_the_sentence(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        sentence = reader.model.unit_at("sentence", 0)
        await pilot.press("2")
        await pilot.pause()
        assert [(r["start"], r["end"]) for r in codings(project_path)] == [sentence]


async def test_in_vivo_code(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_curly_bracket", "w", "w", "i")
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        quote = reader.model.text[slice(*reader.selection)]
        rows = codings(project_path)
        assert len(rows) == 1 and rows[0]["path"].startswith("INVIVO.")
        assert rows[0]["quote"] == quote
        code = committed(project_path, "SELECT label FROM codes WHERE path = ?", (rows[0]["path"],))
        assert code[0]["label"] == quote
        assert rows[0]["path"] in {
            n.data["path"] for n in app.screen.query_one(CodebookTree).code_nodes.values()
        }


async def test_remove_and_recode_under_cursor(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1", "2")  # two codes on one sentence
        await pilot.press("escape", "left", "d")
        await pilot.pause()
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert len(codings(project_path)) == 1
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CodePalette)
        await pilot.press(*"SAM.VMBO", "enter")
        await pilot.pause()
        assert [r["path"] for r in codings(project_path)] == ["SAM.VMBO_MBO"]
        reader = app.screen.query_one(DocumentReader)
        assert [c.code for c in reader.model.codings_at(0)] == ["SAM.VMBO_MBO"]
        await pilot.press("delete")
        await pilot.pause()
        assert codings(project_path) == []
        assert reader.model.codings == {}


async def _write_memo(pilot, text: str) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, MemoEditor)
    pilot.app.screen.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_memos_on_coding_document_code_and_case(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1", "m")
        await _write_memo(pilot, "tijd is het knelpunt")
        assert codings(project_path)[0]["memo"] == "tijd is het knelpunt"
        await pilot.press("M")
        await _write_memo(pilot, "goed gesprek")
        await pilot.press("tab")  # the codebook
        await pilot.pause()
        assert isinstance(app.focused, CodebookTree)
        await pilot.press("m")
        await _write_memo(pilot, "definitie aanscherpen")
        app.screen.query_one(DocumentTree).focus()
        await pilot.pause()
        app.screen.query_one(DocumentTree).move_cursor_to_line(0)
        await pilot.press("m")
        await _write_memo(pilot, "regio met veel bedrijven")
        memos = committed(project_path, "SELECT target_kind, body FROM memos ORDER BY target_kind")
        assert [(m["target_kind"], m["body"]) for m in memos] == [
            ("case", "regio met veel bedrijven"),
            ("code", "definitie aanscherpen"),
            ("document", "goed gesprek"),
        ]


async def test_mark_done_and_back(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        statuses = committed(project_path, "SELECT name, status FROM documents ORDER BY name")
        assert statuses[0]["status"] == "done"
        node = app.screen.query_one(DocumentTree).doc_nodes
        assert any(n.data["status"] == "done" and "✓" in str(n.label) for n in node.values())
        await pilot.press("D")
        await pilot.pause()
        assert (
            committed(project_path, "SELECT status FROM documents ORDER BY name")[0]["status"]
            == "in_progress"
        )


async def test_undo_redo_several_steps_and_across_restart(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1", "2", "m")
        await pilot.pause()
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("enter")  # BEL.TIJD, the first in path order
        await _write_memo(pilot, "notitie")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"GELD", "enter")
        await pilot.pause()
        assert sorted(r["path"] for r in codings(project_path)) == ["BEL.GELD", "BEV.VISIE"]
        await pilot.press("u")  # recode
        await pilot.pause()
        assert sorted(r["path"] for r in codings(project_path)) == ["BEL.TIJD", "BEV.VISIE"]
        await pilot.press("u", "u")  # memo, second apply
        await pilot.pause()
        rows = codings(project_path)
        assert [r["path"] for r in rows] == ["BEL.TIJD"] and rows[0]["memo"] is None
        reader = app.screen.query_one(DocumentReader)
        assert [c.code for c in reader.model.codings.values()] == ["BEL.TIJD"]
        await pilot.press("U")
        await pilot.pause()
        assert len(codings(project_path)) == 2
    again = make()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("U")  # the memo, redone after a restart
        await pilot.pause()
        assert {r["memo"] for r in codings(project_path)} == {None, "notitie"}
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert codings(project_path) == []
        await pilot.press("u")
        await pilot.pause()
        assert any("nothing to undo" in n.message for n in again._notifications)


async def test_locked_database_is_a_notification(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        blocker = connect(project_path)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("x", "1")
            await pilot.pause()
        finally:
            blocker.rollback()
            blocker.close()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "locked" in errors[0].message and "\n" not in errors[0].message
        assert app.is_running and app.screen.query_one(DocumentReader).model.codings == {}
        await pilot.press("1")
        await pilot.pause()
        assert len(codings(project_path)) == 1


async def test_open_other_document_from_tree(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(DocumentTree)
        other = next(i for i, n in tree.doc_nodes.items() if n.data["case_name"] == "Maasdelta")
        tree.focus()
        tree.move_cursor(tree.doc_nodes[other])
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == other and reader.has_focus
        assert "maasdelta" in app.screen.sub_title


async def test_clicking_a_document_moves_focus_to_the_reader(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(DocumentTree)
        other = next(i for i, n in tree.doc_nodes.items() if n.data["case_name"] == "Maasdelta")
        tree.focus()
        await pilot.pause()
        await pilot.click(DocumentTree, offset=(4, tree.doc_nodes[other].line))
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == other and app.focused is reader
        await pilot.press("x")  # keys now reach the text: x selects the first sentence
        assert reader.selection is not None


async def test_import_dialog_runs_in_a_worker_and_reports_failures(
    make, project_path, tmp_path
) -> None:
    good = tmp_path / "nieuw.txt"
    good.write_text(
        "Interviewer: Vraag?\nJan: Antwoord.\nInterviewer: Nog een?\nJan: Ja.\n", encoding="utf-8"
    )
    bad = tmp_path / "kapot.txt"
    bad.write_bytes(b"")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#import-paths", Input).value = f"{good} {bad}"
        screen.query_one("#import-case", Input).value = "Zuidrand"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        names = [r["name"] for r in committed(project_path, "SELECT name FROM documents")]
        assert "nieuw.txt" in names and "kapot.txt" not in names
        messages = [n.message for n in app._notifications]
        assert any("kapot.txt" in m and "empty" in m for m in messages)
        assert any("1 imported" in m and "1 failed" in m for m in messages)
        tree = app.screen.query_one(DocumentTree)
        assert any(n.data["name"] == "Zuidrand" for n in tree.case_nodes.values())


async def test_side_panels_hide_for_small_terminals(make) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        narrow = reader.model.width
        await pilot.press("b")
        await pilot.pause()
        assert not app.screen.query_one("#documents").display
        assert reader.model.width > narrow + 20
        await pilot.press("b")
        await pilot.pause()
        assert reader.model.width == narrow


async def test_reapplying_a_code_says_so_and_adds_no_undo_step(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        await pilot.press("x", "2")  # BEV.VISIE on the first sentence: an undo step
        await pilot.pause()
        await pilot.press("1")  # BEL.TIJD on the same sentence (the selection stays)
        await pilot.press("1")  # again: nothing new
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("already coded with BEL.TIJD" in m for m in messages)
        assert [r["path"] for r in codings(project_path)] == ["BEL.TIJD", "BEV.VISIE"]
        await pilot.press("u")  # undoes the BEL.TIJD coding, not an older step
        await pilot.pause()
        assert [r["path"] for r in codings(project_path)] == ["BEV.VISIE"]
        assert [c.code for c in reader.model.codings.values()] == ["BEV.VISIE"]


async def test_removing_another_coders_coding_asks_and_names_them(make, project_path) -> None:
    from casebook.codes.codebook import resolve_code
    from casebook.core.codings import add_coding
    from casebook.tui.dialogs.simple import ConfirmDialog

    p = open_project(project_path, create=False)
    try:
        doc = p.scalar("SELECT id FROM documents ORDER BY name LIMIT 1")
        add_coding(p, doc, resolve_code(p, "BEL.GELD")["id"], 0, 10, coder="bram")
    finally:
        p.close()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == doc
        reader.move_to(3)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "bram" in dialog.question
        await pilot.press("n")
        await pilot.pause()
        assert len(codings(project_path)) == 1
        await pilot.press("e")  # changing the code asks too
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "bram's" in app.screen.question
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert codings(project_path) == []


async def test_status_line_names_selection_mode_until_escape(make) -> None:
    from casebook.tui.widgets.status import StatusLine

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        assert "selection mode" not in status.text.plain
        await pilot.press("v", "right", "right")
        await pilot.pause()
        assert "selection mode (esc ends)" in status.text.plain
        assert "selected 2 chars" in status.text.plain
        await pilot.press("escape")
        await pilot.pause()
        assert "selection mode" not in status.text.plain
