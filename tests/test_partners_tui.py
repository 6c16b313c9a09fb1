"""The partners view and the partner picker, driven with Textual's pilot on a real project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, SelectionList

from casebook.partners.links import linked_partners
from casebook.store.project import Project, open_project
from casebook.tui.dialogs.simple import PromptDialog
from casebook.tui.messages import Jump
from casebook.tui.screens.partners import PartnerPicker, PartnersScreen, PassageList
from tests.test_partners_graph import DOC3, Net

SIZE = (150, 40)
UNSET = object()


class Host(App[None]):
    """A bare app that shows one screen and keeps what it was dismissed with."""

    def __init__(self, make_screen: Any) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.result: Any = UNSET

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self._done)

    def _done(self, result: Any) -> None:
        self.result = result


@pytest.fixture
def net(project: Project, tmp_path: Path) -> Net:
    return Net(project, tmp_path)


async def settle(app: App, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_tables_show_degrees_and_links(net: Net) -> None:
    app = Host(lambda: PartnersScreen(net.project.path, net.case))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PartnersScreen)
        orgs = screen.query_one("#partners-orgs", DataTable)
        edges = screen.query_one("#partners-edges", DataTable)
        assert orgs.row_count == 6 and edges.row_count == 5
        assert orgs.get_row_at(0)[:3] == ["Het Windhoek College", "vmbo-penvoerder", 4]
        first = edges.get_row_at(0)
        assert {first[0], first[1]} == {"Het Windhoek College", "Hekkert Metaal"} and first[2] == 2
        assert "−1" in first[3]


async def test_enter_on_an_edge_opens_its_passages_and_jumps(net: Net) -> None:
    app = Host(lambda: PartnersScreen(net.project.path, net.case))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PassageList)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert {table.get_row_at(i)[0] for i in range(2)} == {"pm.txt", "bedrijf.txt"}
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.result, Jump)
    assert app.result.document_id in (net.doc1, net.doc2) and app.result.start < app.result.end


async def test_rename_and_proposals_from_the_view(net: Net) -> None:
    app = Host(lambda: PartnersScreen(net.project.path, net.case))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#partners-orgs", DataTable).focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = "Windhoek Vakcollege"
        await pilot.press("enter")
        await settle(app, pilot)
        orgs = app.screen.query_one("#partners-orgs", DataTable)
        assert orgs.get_row_at(0)[0] == "Windhoek Vakcollege"
        await pilot.press("p")
        await settle(app, pilot)
        assert app.screen.proposed is True
    check = open_project(net.project.path, create=False)
    try:
        aliases = [r["alias"] for r in check.query("SELECT alias FROM organisation_aliases")]
    finally:
        check.close()
    assert aliases == ["Het Windhoek College"]


async def test_partner_picker_preselects_proposals_and_saves(net: Net, tmp_path: Path) -> None:
    from casebook.core.documents import DocumentMeta, import_file

    path = tmp_path / "mbo.txt"
    path.write_text(DOC3, encoding="utf-8")
    doc = import_file(net.project, path, DocumentMeta(case="Kraaienburg", role="mbo")).document_id
    coding = net.code(doc, "SAM.VMBO_MBO", "Met Het Windhoek College maken we één afspraak")
    app = Host(lambda: PartnerPicker(net.project.path, coding))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = app.screen.query_one(SelectionList)
        assert set(picker.selected) == {net.org["P"], net.org["M"]}
        picker.select(net.org["B1"])
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert set(app.result) == {net.org["P"], net.org["M"], net.org["B1"]}
    assert {p["name"] for p in linked_partners(net.project, coding)} == {
        "Het Windhoek College",
        "ROC Maasdelta",
        "Hekkert Metaal",
    }


async def test_partner_picker_refuses_other_codes(net: Net) -> None:
    bel = net.code(net.doc1, "BEL.TIJD", "kost veel")
    app = Host(lambda: PartnerPicker(net.project.path, bel))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.result is None


async def test_name_forms_screen_switches_a_form_off_for_the_whole_case(
    net: Net, tmp_path: Path
) -> None:
    from casebook.partners.storage import list_mentions
    from casebook.tui.screens.partners import VariantScreen

    path = tmp_path / "roc.txt"
    path.write_text(
        "Het RM doet mee. Met het RM en met Maasdelta gaat het goed.\n", encoding="utf-8"
    )
    from casebook.core.documents import DocumentMeta, import_file

    import_file(net.project, path, DocumentMeta(case="Kraaienburg"))
    app = Host(lambda: VariantScreen(net.project.path, net.case, net.org["M"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        forms = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert "Maasdelta" in forms and "RM" in forms
        table.move_cursor(row=forms.index("RM"))
        await pilot.press("o")
        await settle(app, pilot)
        assert "2 mention(s) removed" in str(screen.query_one("#variants-status").render())
        row = [
            table.get_row_at(i) for i in range(table.row_count) if table.get_row_at(i)[1] == "RM"
        ][0]
        assert row[4] == "off"
        await pilot.press("escape")
        await settle(app, pilot)
    assert app.result is True
    check = open_project(net.project.path, create=False)
    try:
        assert not [m for m in list_mentions(check, case_id=net.case) if m["surface"] == "RM"]
    finally:
        check.close()


async def test_candidate_screen_makes_a_name_a_form_and_rejects_another(
    net: Net, tmp_path: Path
) -> None:
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.partners.storage import list_mentions
    from casebook.tui.dialogs.simple import ChooseDialog
    from casebook.tui.screens.candidates import CandidateScreen

    path = tmp_path / "cand.txt"
    path.write_text(
        "We werken vooral met de Smeltkroes. Bij de Smeltkroes lopen zes leerlingen stage.\n"
        "Verder praten we met Bouwfirma Lindhout BV over een project.\n",
        encoding="utf-8",
    )
    import_file(net.project, path, DocumentMeta(case="Kraaienburg"))
    app = Host(lambda: CandidateScreen(net.project.path, net.case))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert "Smeltkroes" in names and "Bouwfirma Lindhout BV" in names
        table.move_cursor(row=names.index("Smeltkroes"))
        await pilot.press("a")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog)
        dialog.dismiss(net.org["M"])
        await settle(app, pilot)
        status = str(screen.query_one("#candidates-status").render())
        assert "2 mention(s)" in status, status
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert "Smeltkroes" not in names
        table.move_cursor(row=names.index("Bouwfirma Lindhout BV"))
        await pilot.press("x")
        await settle(app, pilot)
        assert "rejected" in str(screen.query_one("#candidates-status").render())
        await pilot.press("escape")
        await settle(app, pilot)
    assert app.result is True
    check = open_project(net.project.path, create=False)
    try:
        smelt = [m for m in list_mentions(check, case_id=net.case) if m["surface"] == "Smeltkroes"]
        assert len(smelt) == 2 and {m["organisation_id"] for m in smelt} == {net.org["M"]}
        rejected = check.query("SELECT name FROM organisation_candidates WHERE status = 'rejected'")
        assert [r["name"] for r in rejected] == ["Bouwfirma Lindhout BV"]
    finally:
        check.close()


async def test_types_screen_gives_a_teams_own_type_a_role_and_a_spelling(net: Net) -> None:
    from casebook.store.orgtypes import project_types
    from casebook.tui.dialogs.simple import ChooseDialog
    from casebook.tui.screens.types import TypesScreen

    app = Host(lambda: TypesScreen(net.project.path, net.case))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.dismiss("werkgever")
        await settle(app, pilot)
        assert "added the type 'werkgever'" in str(screen.query_one("#types-status").render())
        table = screen.query_one(DataTable)
        keys = [table.get_row_at(i)[0] for i in range(table.row_count)]
        table.move_cursor(row=keys.index("werkgever"))
        await pilot.press("r")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, ChooseDialog)
        chooser.dismiss("company")
        await settle(app, pilot)
        row = table.get_row_at(keys.index("werkgever"))
        assert row[2] == "company"
        await pilot.press("s")
        await pilot.pause()
        app.screen.dismiss("werkgevers")
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is True
    check = open_project(net.project.path, create=False)
    try:
        t = project_types(check).get("werkgever")
        assert t is not None and t.roles == ("company",) and "werkgevers" in t.synonyms
    finally:
        check.close()
