"""Command palette ranking (issue 17 point 3, issue 15's palette point).

A word that names a screen must open the screen, never code the sentence under
the cursor; equal-looking codes are told apart by their group and ranked by
the group being worked in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.store.project import open_project
from casebook.tui.commands import action_score, code_bonus, code_caption, names_it, plural
from casebook.tui.dialogs.code_palette import rank_codes
from casebook.tui.screens.coding import CodingScreen
from tests.tui.fixtures import SIZE, SMALL_CODEBOOK, build_project

CODEBOOK = (
    SMALL_CODEBOOK
    + """\
      - name: PARTNERWIJZIGING
        label: Partnerwijziging
        definition: Een partner stapt in of uit.
  - name: CTX
    label: Context
    children:
      - name: CORONA
        label: Corona
      - name: PARTNERS
        label: Wijzigingen in partners
        definition: Wie er als partner bij komt of afhaakt.
"""
).replace(
    """      - name: GELD
        label: Geld""",
    """      - name: CORONA
        label: Corona
      - name: GELD
        label: Geld""",
)


@pytest.fixture
def palette_project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "p", words=300, codebook_text=CODEBOOK)


def codings(path: Path) -> list[str]:
    p = open_project(path, create=False)
    try:
        return [
            r["path"]
            for r in p.query("SELECT x.path FROM codings k JOIN codes x ON x.id = k.code_id")
        ]
    finally:
        p.close()


def test_words_naming_an_action_beat_any_code_match() -> None:
    assert names_it("partners", "Partners of this case")
    assert names_it("partn case", "Partners of this case")
    assert not names_it("partners", "Apply SAM.PARTNERWIJZIGING  SAM · Partnerwijziging")
    best_code = 0.55 * 1.0 * 0.9 + code_bonus({"id": "x", "path": "SAM.X"}, ["x"], "SAM")
    assert action_score("partners", "Partners of this case", 0.3) > best_code
    assert action_score("compare", "Compare coders", 0.2) > best_code
    assert (
        plural(1, "hit") == "1 hit"
        and plural(2, "hit") == "2 hits"
        and plural(0, "coding") == "0 codings"
    )


def test_codes_show_their_group_and_rank_by_the_group_in_use() -> None:
    codes = [
        {"id": "ctx", "path": "CTX.CORONA", "name": "CORONA", "label": "Corona"},
        {"id": "bel", "path": "BEL.CORONA", "name": "CORONA", "label": "Corona"},
        {"id": "tijd", "path": "BEL.TIJD", "name": "TIJD", "label": "Tijd"},
    ]
    assert code_caption(codes[1]) == "BEL · Corona" and code_caption(codes[0]) == "CTX · Corona"
    assert [c["id"] for c in rank_codes("corona", codes)][:2] == ["ctx", "bel"]  # tree order
    assert [c["id"] for c in rank_codes("corona", codes, last_group="BEL")][:2] == ["bel", "ctx"]
    assert [c["id"] for c in rank_codes("corona", codes, recent=["ctx"], last_group=None)][
        0
    ] == "ctx"
    assert [c["id"] for c in rank_codes("coron", codes, last_group="BEL")][0] == "bel"


async def _type(pilot, query: str) -> CommandList:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.6)
    return pilot.app.screen.query_one(CommandList)


def _first(options: CommandList) -> str:
    return str(options.get_option_at_index(0).prompt)


async def test_partners_opens_the_screen_and_codes_nothing(palette_project: Path) -> None:
    from casebook.tui.app import make_app

    app = make_app(palette_project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = await _type(pilot, "partners")
        assert _first(options).startswith("Partners of this case")
        assert any(
            "PARTNERWIJZIGING" in str(options.get_option_at_index(i).prompt)
            for i in range(options.option_count)
        )
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CodingScreen | CommandPalette)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert codings(palette_project) == []


async def test_palette_codes_say_what_they_coded_and_prefer_the_group_in_use(
    palette_project: Path,
) -> None:
    from casebook.tui.app import make_app

    app = make_app(palette_project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1")  # BEL.TIJD by shortcut: BEL is the group in use
        await pilot.pause()
        options = await _type(pilot, "corona")
        assert "BEL.CORONA" in _first(options) and "BEL · Corona" in _first(options)
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "coded the selection with BEL.CORONA" in messages
        assert sorted(codings(palette_project)) == ["BEL.CORONA", "BEL.TIJD"]


async def test_compare_from_the_palette_and_on_C(palette_project: Path) -> None:
    from casebook.tui.app import make_app
    from casebook.tui.screens.compare import CompareScreen

    app = make_app(palette_project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert any("two coders" in n.message for n in app._notifications)
    p = open_project(palette_project, create=False)
    try:
        doc = p.scalar("SELECT id FROM documents")
        add_coding(p, doc, resolve_code(p, "BEL.TIJD")["id"], 0, 30, coder="anouk")
        add_coding(p, doc, resolve_code(p, "BEL.TIJD")["id"], 10, 40, coder="bram")
    finally:
        p.close()
    app = make_app(palette_project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = await _type(pilot, "compare")
        assert _first(options).startswith("Compare coders")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert {app.screen.coder_a, app.screen.coder_b} == {"anouk", "bram"}
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
