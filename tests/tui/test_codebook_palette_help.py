"""Codebook editing in the TUI, the command palette and the help screen."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from casebook.tui.dialogs.code_form import CodeForm
from casebook.tui.dialogs.code_palette import CodePalette, rank_codes
from casebook.tui.dialogs.simple import ConfirmDialog, PromptDialog
from casebook.tui.keymap import KEYMAP
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.help import HelpScreen
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.trees import CodebookTree
from tests.tui.fixtures import SIZE
from tests.tui.test_coding_flow import codings, committed


async def _highlight(pilot, path: str) -> CodebookTree:
    screen = pilot.app.screen
    tree = screen.query_one(CodebookTree)
    code_id = next(c["id"] for c in screen.codes if c["path"] == path)
    tree.focus()
    tree.reveal(code_id)
    await pilot.pause()
    await pilot.pause()
    assert tree.highlighted_id() == code_id
    return tree


def _code(project_path, path: str) -> dict | None:
    rows = committed(project_path, "SELECT * FROM codes WHERE path = ?", (path,))
    return rows[0] if rows else None


async def test_add_edit_rename_move_merge(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "1")  # a BEL.TIJD coding, so the merge has something to move
        await _highlight(pilot, "BEL.TIJD")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeForm)
        form.query_one("#name", Input).value = "ROOSTER"
        form.query_one("#label", Input).value = "Rooster"
        form.query_one("#definition", TextArea).text = "Geen ruimte in het lesrooster."
        form.query_one("#colour", Input).value = "#112233"
        form.query_one("#shortcut", Input).value = "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        new = _code(project_path, "BEL.TIJD.ROOSTER")
        assert (
            new
            and new["label"] == "Rooster"
            and new["shortcut"] == "7"
            and new["colour"] == "#112233"
        )
        assert new["definition"] == "Geen ruimte in het lesrooster."

        await _highlight(pilot, "BEL.TIJD")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#definition", TextArea).text = "Te weinig tijd."
        form.query_one("#colour", Input).value = "#445566"
        await pilot.press("ctrl+s")
        await pilot.pause()
        tijd = _code(project_path, "BEL.TIJD")
        assert tijd["definition"] == "Te weinig tijd." and tijd["colour"] == "#445566"
        reader = app.screen.query_one(DocumentReader)
        assert {c.colour for c in reader.model.codings.values()} == {"#445566"}

        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = "TIJDGEBREK"
        await pilot.press("enter")
        await pilot.pause()
        assert _code(project_path, "BEL.TIJDGEBREK.ROOSTER") is not None

        await _highlight(pilot, "BEL.TIJDGEBREK.ROOSTER")
        await pilot.press("V")
        await pilot.pause()
        assert isinstance(app.screen, CodePalette)
        await pilot.press(*"BEV", "enter")
        await pilot.pause()
        assert _code(project_path, "BEV.ROOSTER") is not None

        await _highlight(pilot, "BEL.TIJDGEBREK")
        await pilot.press("J")
        await pilot.pause()
        await pilot.press(*"GELD", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert _code(project_path, "BEL.TIJDGEBREK") is None
        assert [r["path"] for r in codings(project_path)] == ["BEL.GELD"]
        assert [c.code for c in reader.model.codings.values()] == ["BEL.GELD"]
        paths = {n.data["path"] for n in app.screen.query_one(CodebookTree).code_nodes.values()}
        assert "BEL.TIJDGEBREK" not in paths and "BEV.ROOSTER" in paths


async def test_codebook_errors_stay_in_the_form_with_the_input(make, project_path) -> None:
    """Issue 17 point 5: a refused save shows inline and keeps everything typed."""
    from textual.widgets import Label, TextArea

    from casebook.tui.dialogs.simple import PromptDialog

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _highlight(pilot, "BEL.GELD")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#label", Input).value = "Geld en middelen"
        form.query_one("#definition", TextArea).text = "Nieuwe definitie."
        form.query_one("#shortcut", Input).value = "1"  # taken by BEL.TIJD
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "already used by BEL.TIJD" in str(form.query_one("#form-error", Label).render())
        assert form.query_one("#label", Input).value == "Geld en middelen"
        assert form.query_one("#definition", TextArea).text == "Nieuwe definitie."
        assert form.focused is form.query_one("#shortcut", Input)
        assert _code(project_path, "BEL.GELD")["shortcut"] == "3"
        form.query_one("#colour", Input).value = "red"  # the form's own check, same place
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "not #rrggbb" in str(
            form.query_one("#form-error", Label).render()
        )
        form.query_one("#colour", Input).value = "#123456"
        form.query_one("#shortcut", Input).value = "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        saved = _code(project_path, "BEL.GELD")
        assert (saved["shortcut"], saved["label"], saved["colour"]) == (
            "8",
            "Geld en middelen",
            "#123456",
        )

        await pilot.press("R")  # rename to a name that exists: inline too
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptDialog)
        prompt.query_one(Input).value = "TIJD"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt and prompt.query_one(Input).value == "TIJD"
        assert "already exists" in str(prompt.query_one("#prompt-error", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        assert _code(project_path, "BEL.GELD") is not None


async def test_enter_in_codebook_applies_to_selection(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await _highlight(pilot, "SAM.VMBO_MBO")
        await pilot.press("enter")
        await pilot.pause()
        assert [r["path"] for r in codings(project_path)] == ["SAM.VMBO_MBO"]
        definition = str(app.screen.query_one("#definition").render())
        assert "Samenwerking tussen vmbo-scholen" in definition


def test_rank_codes_prefers_prefixes() -> None:
    codes = [
        {"id": "1", "path": "BEL.TIJD", "name": "TIJD", "label": "Tijd", "shortcut": "1"},
        {
            "id": "2",
            "path": "SAM.TIJDELIJK",
            "name": "TIJDELIJK",
            "label": "Tijdelijk",
            "shortcut": None,
        },
        {"id": "3", "path": "BEV.VISIE", "name": "VISIE", "label": "Visie", "shortcut": "2"},
    ]
    assert [c["id"] for c in rank_codes("tij", codes)][:2] == ["1", "2"]
    assert rank_codes("visei", codes)[0]["id"] == "3"
    assert rank_codes("2", codes)[0]["id"] == "3"


async def _palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_command_palette_documents_codes_cases_actions(make, project_path) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, "Open maasdelta")
        reader = app.screen.query_one(DocumentReader)
        assert "maasdelta" in app.screen.sub_title
        await _palette(pilot, "Apply BEV.VISIE")
        assert [r["path"] for r in codings(project_path)] == ["BEV.VISIE"]
        await _palette(pilot, "Undo")
        assert codings(project_path) == []
        await _palette(pilot, "Case Lindeveen")
        assert app.screen.focused.id == "documents"
        await _palette(pilot, "Help: every key")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert reader.document_id is not None


def _bound_keys() -> set[str]:
    from casebook.tui.app import CasebookApp
    from casebook.tui.widgets.trees import DocumentTree

    keys: set[str] = set()
    for cls in (CasebookApp, CodingScreen, DocumentReader, CodebookTree, DocumentTree):
        for b in cls.BINDINGS:
            keys.update(k.strip() for k in b.key.split(","))
    return keys


NAMES = {
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "full_stop": ".",
    "slash": "/",
    "question_mark": "?",
    "escape": "esc",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
}


def _as_written(key: str) -> str:
    for name, shown in NAMES.items():
        if key == name or key.endswith("+" + name):
            return key[: len(key) - len(name)] + shown
    return key


def test_help_lists_every_bound_key() -> None:
    written = " ".join(keys for _section, rows in KEYMAP for keys, _what in rows)
    tokens = set(written.replace("/", " / ").split()) | set(written.split())
    missing = sorted(
        k for k in _bound_keys() if _as_written(k) not in tokens and _as_written(k) not in written
    )
    assert missing == []


async def test_help_screen_shows_the_key_map(make) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "previous / next sentence" in shown and "Coding (no selection" in shown
        tables = [s.content for s in app.screen.query(".help-section")]
        rows = [cell for t in tables for cell in t.columns[1]._cells]
        assert len(rows) == sum(len(r) for _s, r in KEYMAP)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)


async def test_palette_opens_the_synthesis_views(make) -> None:
    import importlib

    views = {
        "Matrix": "casebook.tui.screens.matrix",
        "Framework matrices": "casebook.tui.screens.framework",
        "Partners of this case": "casebook.tui.screens.partners",
    }
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for title, module in views.items():
            try:
                importlib.import_module(module)
            except ImportError:
                continue
            await _palette(pilot, title)
            await pilot.pause()
            assert type(app.screen).__module__ == module
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)


async def test_code_form_sets_the_collaboration_role(make, project_path) -> None:
    from casebook.codes.collaboration import code_roles
    from casebook.store.project import open_project

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _highlight(pilot, "BEL.TIJD")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CodeForm)
        form.query_one("#collaboration", Input).value = "samen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused with a message, nothing saved
        form.query_one("#collaboration", Input).value = "dyad"
        form.query_one("#partner_types", Input).value = "vmbo, mbo"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    project = open_project(project_path, create=False)
    try:
        role = code_roles(project)["BEL.TIJD"]
        assert role.kind == "dyad" and role.partner_types == {"vmbo", "mbo"}
    finally:
        project.close()
