"""Framework matrices over the hand-built project of test_matrix (see its docstring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_matrix import build_hand_project

from casebook.core.codings import code_quote, remove_coding
from casebook.errors import CasebookError, NotFound
from casebook.store.project import Project, open_project
from casebook.synthesis.framework import (
    create_framework,
    edit_cell,
    framework_grid,
    get_cell,
    get_framework,
    list_frameworks,
)


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def names(ids: dict[str, str], passages) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[p["coding_id"]] for p in passages]


def test_a_new_cell_is_a_draft_listing_its_evidence(hand) -> None:
    project, ids = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD", "BEV.VISIE"])
    grid = framework_grid(project, "Knelpunten")
    assert [c.label for c in grid.cases] == ["Aland", "Bland", "Cland"]
    assert [t.path for t in grid.themes] == ["BEL.TIJD", "BEV.VISIE"]
    cell = grid.cell(ids["Aland"], grid.themes[0].code_id)
    assert not cell.stored
    assert sorted(names(ids, cell.passages)) == ["c1", "c12", "c2", "c3", "c7"]
    lines = cell.summary.splitlines()
    assert lines[0] == "Evidence (5 passages):"
    assert "- mbo, aland-mbo-2021.txt: “Er is weinig tijd.”" in lines
    assert (
        "- no role, aland-vgr-2022.txt: “Door personeelstekort is de planning vertraagd.”" in lines
    )
    visie = grid.cell(ids["Aland"], grid.themes[1].code_id)
    assert (
        "- interviewer, aland-mbo-2021.txt: “En de visie van de regio?”"
        in visie.summary.splitlines()
    )
    assert grid.cell(ids["Cland"], grid.themes[0].code_id).summary == ""


def test_editing_stores_the_cell_with_its_links(hand, tmp_path: Path) -> None:
    project, ids = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD", "BEV.VISIE"])
    cell = edit_cell(
        project, "Knelpunten", "Aland", "BEL.TIJD", summary="Tijd is in Aland het knelpunt."
    )
    assert cell.stored and cell.summary == "Tijd is in Aland het knelpunt."
    assert sorted(names(ids, cell.links)) == ["c1", "c12", "c2", "c3", "c7"]
    cell = edit_cell(
        project, "Knelpunten", "Aland", "BEL.TIJD", unlink=[ids["c12"][:8]], link=[ids["c13"]]
    )
    assert sorted(names(ids, cell.links)) == ["c1", "c13", "c2", "c3", "c7"]
    assert names(ids, cell.unlinked) == ["c12"]
    assert cell.summary == "Tijd is in Aland het knelpunt."
    # A passage coded later is live in the cell but not linked until the analyst links it.
    later = code_quote(
        project, ids["D2"], "BEL.TIJD", "Het vmbo komt nu elke week langs.", coder="anouk"
    )
    cell = get_cell(project, "Knelpunten", "Aland", "BEL.TIJD")
    assert later in [p["coding_id"] for p in cell.unlinked]
    # Removing a coding removes its link.
    remove_coding(project, ids["c1"])
    assert "c1" not in names(ids, get_cell(project, "Knelpunten", "Aland", "BEL.TIJD").links)
    audit = project.query("SELECT action, after FROM audit_log WHERE entity = 'framework_cell'")
    assert [a["action"] for a in audit] == ["edit", "edit"]
    assert json.loads(audit[0]["after"])["summary"] == "Tijd is in Aland het knelpunt."
    # Stored in the project file: a fresh connection sees it.
    again = open_project(project.path)
    try:
        assert (
            get_cell(again, "Knelpunten", "Aland", "BEL.TIJD").summary
            == "Tijd is in Aland het knelpunt."
        )
    finally:
        again.close()


def test_the_first_edit_without_text_keeps_the_evidence_draft(hand) -> None:
    project, ids = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD"])
    cell = edit_cell(project, "Knelpunten", "Bland", "BEL.TIJD", unlink=[ids["c15"]])
    assert cell.stored and cell.summary.startswith("Evidence (2 passages):")
    assert names(ids, cell.links) == ["c13"]


def test_filters_and_theme_children(hand) -> None:
    project, ids = hand
    create_framework(project, "Nieuw", ["BEL.TIJD"], filters=["round=2022"])
    cell = get_cell(project, "Nieuw", "Aland", "BEL.TIJD")
    assert sorted(names(ids, cell.passages)) == ["c12", "c7"]
    create_framework(project, "Eigen", ["BEL"], children=False)
    assert names(ids, get_cell(project, "Eigen", "Bland", "BEL").passages) == ["c17"]
    create_framework(project, "Krimp", ["BEL"], filters=["krimp=nee"])
    with pytest.raises(NotFound, match="outside"):
        get_cell(project, "Krimp", "Aland", "BEL")
    assert [c.label for c in framework_grid(project, "Krimp").cases] == ["Bland"]


def test_errors(hand) -> None:
    project, _ = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD"])
    with pytest.raises(CasebookError, match="already exists"):
        create_framework(project, "knelpunten", ["BEV"])
    with pytest.raises(NotFound, match="not a theme"):
        get_cell(project, "Knelpunten", "Aland", "BEV")
    with pytest.raises(NotFound, match="no framework"):
        get_framework(project, "Bestaat niet")
    with pytest.raises(NotFound):
        edit_cell(project, "Knelpunten", "Aland", "BEL.TIJD", link=["ffffffff"])


def test_merging_a_theme_code_away_does_not_break_the_framework(hand) -> None:
    from casebook.codes.codebook import merge_codes

    project, _ = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD.RUIMTE", "BEV.VISIE"])
    edit_cell(project, "Knelpunten", "Aland", "BEV.VISIE", summary="Visie is helder.")
    merge_codes(project, "BEL.TIJD.RUIMTE", "BEL.TIJD")
    fw = get_framework(project, "Knelpunten")
    assert "BEV.VISIE" in [t.path for t in fw.themes]
    assert get_cell(project, fw, "Aland", "BEV.VISIE").summary == "Visie is helder."


def test_exports_reopen(hand, tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    from casebook.synthesis.export_docx import write_framework_docx
    from casebook.synthesis.export_xlsx import framework_sheets, write_workbook

    project, ids = hand
    create_framework(
        project, "Knelpunten", ["BEL.TIJD", "BEV.VISIE"], description="Ronde 2 synthese"
    )
    edit_cell(project, "Knelpunten", "Aland", "BEL.TIJD", summary="Tijd is krap.")
    grid = framework_grid(project, "Knelpunten")

    by_theme = write_framework_docx(
        tmp_path / "thema.docx", grid, by="theme", language="en", ids=True
    )
    doc = docx.Document(str(by_theme))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads == ["Knelpunten", "BEL.TIJD — Tijd", "BEV.VISIE — Visie"]
    t = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert t[0] == ["case", "summary", "supporting passages"]
    assert t[1][:2] == ["Aland", "Tijd is krap."]
    assert "mbo, aland-mbo-2021.txt: “Er is weinig tijd.”" in t[1][2].splitlines()
    assert t[2][0] == "Bland" and t[2][1] == ""  # not written yet: no summary, evidence listed
    assert "bedrijfsleven, bland-bedrijf-2022.txt: “We hebben geen tijd voor stages.”" in t[2][2]

    by_case = write_framework_docx(
        tmp_path / "casus.docx", grid, by="case", language="en", ids=True
    )
    doc = docx.Document(str(by_case))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads == ["Knelpunten", "Aland", "Bland", "Cland"]
    assert [c.text for c in doc.tables[0].rows[1].cells][:2] == ["BEL.TIJD", "Tijd is krap."]

    xl = write_workbook(tmp_path / "kader.xlsx", framework_sheets(grid, language="en", ids=True))
    wb = load_workbook(xl)
    assert wb.sheetnames == ["Knelpunten", "Passages"]
    sheet = list(wb["Knelpunten"].iter_rows(values_only=True))
    assert sheet[0] == ("case", "BEL.TIJD", "BEV.VISIE")
    assert sheet[1][:2] == ("Aland", "Tijd is krap.")
    assert sheet[2] == ("Bland", None, None)
    passages = list(wb["Passages"].iter_rows(values_only=True))
    n_links = sum(len(grid.cell(c.key, t.code_id).links) for c in grid.cases for t in grid.themes)
    assert (
        len(passages) == 1 + n_links == 1 + 5 + 3 + 2 + 1
    )  # c1-3,c7,c12 | c4,c6,c11 | c13,c15 | c14


def test_cli_round_trip(hand, tmp_path: Path) -> None:
    from casebook.cli import cli

    project, _ = hand
    base = ["--project", str(project.path), "--coder", "anouk", "framework"]
    runner = CliRunner()
    out = runner.invoke(
        cli, [*base, "create", "Knelpunten", "--theme", "BEL.TIJD", "--theme", "BEV.VISIE"]
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        cli, [*base, "edit", "Knelpunten", "Aland", "BEL.TIJD", "--summary", "Krap."]
    )
    assert out.exit_code == 0 and "5 linked passages" in out.output
    out = runner.invoke(
        cli, [*base, "show", "Knelpunten", "--case", "Aland", "--theme", "BEL.TIJD", "--json"]
    )
    data = json.loads(out.output)
    assert data["summary"] == "Krap." and data["stored"] and len(data["links"]) == 5
    out = runner.invoke(cli, [*base, "show", "Knelpunten"])
    assert out.exit_code == 0 and "written (5 linked)" in out.output
    out = runner.invoke(
        cli, [*base, "export", "Knelpunten", "--docx", str(tmp_path / "k.docx"), "--by", "case"]
    )
    assert out.exit_code == 0 and (tmp_path / "k.docx").exists()
    out = runner.invoke(
        cli, [*base, "export", "Knelpunten", "--xlsx", str(tmp_path / "nope" / "k.xlsx")]
    )
    assert out.exit_code != 0 and "does not exist" in out.output and "Traceback" not in out.output
    assert list_frameworks(project)[0]["written"] == 1
    who = project.query_one(
        "SELECT o.name FROM framework_cells c JOIN coders o ON o.id = c.coder_id"
    )
    assert who == {"name": "anouk"}


# --- TUI: the framework editor --------------------------------------------------


async def test_framework_screen_edits_a_cell(hand, tmp_path: Path) -> None:
    from test_matrix import _Host, _settle
    from textual.widgets import DataTable, TextArea

    from casebook.tui.screens.framework import FrameworkCellEditor, FrameworkScreen

    project, ids = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD", "BEV.VISIE"])
    app = _Host.make(lambda: FrameworkScreen(project.path, coder="anouk"))
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#framework-table", DataTable)
        assert [str(table.get_cell_at((0, i))) for i in range(3)] == [
            "Aland",
            "· 5 passages",
            "· 3 passages",
        ]
        assert str(table.get_cell_at((2, 1))) == ""  # Cland: nothing to summarise

        table.focus()
        table.move_cursor(row=0, column=1)
        await pilot.press("enter")
        await _settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, FrameworkCellEditor)
        area = editor.query_one(TextArea)
        assert area.text.startswith("Evidence (5 passages):")
        area.load_text("Tijd is in Aland het knelpunt.")
        links = editor.query_one("#cell-links", DataTable)
        links.focus()
        links.move_cursor(row=0)
        first = editor.passages[0]["coding_id"]
        await pilot.press("space")
        assert first not in editor.linked
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        await pilot.press("escape")
        await _settle(app, pilot)
        assert app.screen is screen
        assert str(table.get_cell_at((0, 1))) == "✎ Tijd is in Aland het knelpunt. +1 unlinked"

    cell = get_cell(project, "Knelpunten", "Aland", "BEL.TIJD")
    assert cell.stored and cell.summary == "Tijd is in Aland het knelpunt."
    assert len(cell.links) == 4 and first not in {p["coding_id"] for p in cell.links}
    who = project.query_one(
        "SELECT o.name FROM framework_cells c JOIN coders o ON o.id = c.coder_id"
    )
    assert who == {"name": "anouk"}


async def test_framework_editor_asks_before_discarding(hand) -> None:
    from test_matrix import _Host, _settle
    from textual.widgets import TextArea

    from casebook.tui.dialogs.simple import ConfirmDialog
    from casebook.tui.screens.framework import FrameworkCellEditor

    project, _ = hand
    create_framework(project, "Knelpunten", ["BEL.TIJD"])
    cell = get_cell(project, "Knelpunten", "Bland", "BEL.TIJD")
    fw = get_framework(project, "Knelpunten")
    app = _Host.make(lambda: FrameworkCellEditor(project.path, fw.id, fw.name, cell, "anouk"))
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one(TextArea).load_text("Half geschreven")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await _settle(app, pilot)
        assert app.result is None
    assert not get_cell(project, "Knelpunten", "Bland", "BEL.TIJD").stored
