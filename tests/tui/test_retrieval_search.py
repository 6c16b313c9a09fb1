"""Coded segments (domain query and screen) and search with next / previous hit."""

from __future__ import annotations

from textual.widgets import Checkbox, DataTable, Input, Select

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.core.documents import list_documents
from casebook.core.retrieval import coded_segments, context_line, filter_values, recent_codes
from casebook.store.project import open_project
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.search import SearchScreen
from casebook.tui.screens.segments import SegmentsScreen
from casebook.tui.widgets.reader import DocumentReader
from tests.tui.fixtures import SIZE


def _seed(project_path, coder_b: str = "bram") -> dict[str, str]:
    """Codings in both documents, by two coders, in respondent and interviewer turns."""
    p = open_project(project_path, coder="tester")
    try:
        docs = {d["case_name"]: d for d in list_documents(p)}
        tijd = resolve_code(p, "BEL.TIJD")["id"]
        geld = resolve_code(p, "BEL.GELD")["id"]
        visie = resolve_code(p, "BEV.VISIE")["id"]
        turns = {
            name: p.query(
                "SELECT * FROM segments WHERE document_id = ? AND kind = 'turn' ORDER BY start",
                (d["id"],),
            )
            for name, d in docs.items()
        }
        lin, maas = turns["Lindeveen"], turns["Maasdelta"]
        add_coding(
            p, docs["Lindeveen"]["id"], tijd, lin[1]["start"], lin[1]["start"] + 30
        )  # respondent mbo
        add_coding(
            p, docs["Lindeveen"]["id"], geld, lin[0]["start"], lin[0]["start"] + 10
        )  # interviewer
        add_coding(
            p, docs["Maasdelta"]["id"], tijd, maas[1]["start"], maas[1]["start"] + 25, coder=coder_b
        )
        add_coding(p, docs["Maasdelta"]["id"], visie, maas[3]["start"], maas[3]["start"] + 12)
        return {"BEL": resolve_code(p, "BEL")["id"], "TIJD": tijd}
    finally:
        p.close()


def test_coded_segments_filters_and_children(project_path) -> None:
    ids = _seed(project_path)
    p = open_project(project_path)
    try:
        rows = coded_segments(p, ids["BEL"])
        assert sorted(r["code"] for r in rows) == ["BEL.GELD", "BEL.TIJD", "BEL.TIJD"]
        assert [r["case_name"] for r in rows] == ["Lindeveen", "Lindeveen", "Maasdelta"]
        assert len(coded_segments(p, ids["BEL"], include_children=False)) == 0
        roles = {r["code"] + ":" + r["case_name"]: r["role"] for r in rows}
        assert roles["BEL.GELD:Lindeveen"] == "interviewer"
        assert roles["BEL.TIJD:Lindeveen"] == "mbo" and roles["BEL.TIJD:Maasdelta"] == "vmbo"
        assert [r["case_name"] for r in coded_segments(p, ids["BEL"], role="vmbo")] == ["Maasdelta"]
        assert [r["coder"] for r in coded_segments(p, ids["BEL"], coder="bram")] == ["bram"]
        assert {r["round"] for r in coded_segments(p, ids["BEL"], round="2022")} == {"2022"}
        assert [r["case_name"] for r in coded_segments(p, ids["BEL"], case="maasdelta")] == [
            "Maasdelta"
        ]
        for r in rows:
            assert f"«{r['quote']}»" in r["context"] and "\n" not in r["context"]
            assert r["speaker"] in ("Interviewer", "Marieke")
        values = filter_values(rows)
        assert values["case"] == ["Lindeveen", "Maasdelta"] and values["coder"] == [
            "bram",
            "tester",
        ]
        visie = resolve_code(p, "BEV.VISIE")["id"]
        assert recent_codes(p, "tester") == [visie, resolve_code(p, "BEL.GELD")["id"], ids["TIJD"]]
    finally:
        p.close()


def test_context_line_stays_in_its_paragraph() -> None:
    line = context_line("vorige alinea\nbegin van de zin ", "het citaat", " en verder\nvolgende")
    assert line == "begin van de zin «het citaat» en verder"


async def test_segments_screen_filters_and_jumps(make, project_path) -> None:
    _seed(project_path)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        screen.show_segments(
            screen.codes_by_id[next(c["id"] for c in screen.codes if c["path"] == "BEL")]["id"]
        )
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        seg = app.screen
        assert isinstance(seg, SegmentsScreen)
        table = seg.query_one(DataTable)
        assert table.row_count == 3
        seg.query_one("#filter-role", Select).value = "vmbo"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1
        target = seg.rows[0]
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == target["document_id"]
        assert reader.selection == (target["start"], target["end"])


async def test_segments_key_uses_code_under_cursor(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "2", "o")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SegmentsScreen)
        assert app.screen.code["path"] == "BEV.VISIE"
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)


async def _search(pilot, query: str, mode: str = "fts", whole: bool = False) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    screen.query_one("#search-mode", Select).value = mode
    screen.query_one("#search-project", Checkbox).value = whole
    screen.query_one("#search-query", Input).value = query
    screen.query_one("#search-query", Input).focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_search_in_document_with_next_and_previous(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        text = reader.model.text
        search = await _search(pilot, "technieklokaal")
        hits = search.hits
        assert len(hits) >= 2 and all(h["document_id"] == reader.document_id for h in hits)
        await pilot.press("enter")
        await pilot.pause()
        assert "technieklokaal" in text[hits[0]["start"] : hits[0]["end"]]
        assert reader.cursor == hits[0]["start"] and len(reader.hits) == len(hits)
        await pilot.press("n")
        assert reader.cursor == hits[1]["start"] and reader.current_hit == 1
        await pilot.press("N", "N")
        assert reader.cursor == hits[-1]["start"]


async def test_search_project_fuzzy_and_lemma(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        search = await _search(pilot, "techniklokaal", mode="fuzzy", whole=True)
        assert len({h["document_id"] for h in search.hits}) == 2
        await pilot.press("escape")
        await pilot.pause()
        search = await _search(pilot, "organiseerde", mode="lemma", whole=True)
        lemma_hits = search.hits
        await pilot.press("escape")
        await pilot.pause()
        search = await _search(pilot, "organiseerde", mode="fts", whole=True)
        assert search.hits == [] and lemma_hits  # only the lemma finds "organiseren"
        assert all("organiseren" in h["text"] for h in lemma_hits)
        other = next(
            h
            for h in (await _search(pilot, "apparatuur", whole=True)).hits
            if h["case_name"] == "Maasdelta"
        )
        screen = app.screen
        index = screen.hits.index(other)
        screen.dismiss(screen_outcome(screen, index))
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == other["document_id"] and reader.cursor == other["start"]


def screen_outcome(screen: SearchScreen, index: int):
    from casebook.tui.messages import SearchOutcome

    return SearchOutcome("apparatuur", screen.hits, index)
