"""80×24: distinctive document names, Quit and Help in the footer, margin labels (issue 15, 5 and 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casebook.codes.codebook import resolve_code
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, import_file, list_documents
from casebook.store.project import open_project
from casebook.tui.app import make_app
from casebook.tui.reader_model import margin_labels
from casebook.tui.widgets.reader import DocumentReader
from casebook.tui.widgets.trees import DocumentTree, distinctive_names
from tests.tui.fixtures import build_project, make_transcript

SMALL = (80, 24)
NAMES = (
    "2022-03-14 interview Lindeveen programmamanager.txt",
    "2022-03-15 interview Lindeveen mbo Veenpoort.txt",
    "2022-04-02 interview Lindeveen vmbo Esdal.txt",
)


@pytest.fixture
def dated_project(tmp_path: Path) -> Path:
    folder = tmp_path / "small"
    path = build_project(folder, words=300, documents=())
    p = open_project(path, coder="tester")
    try:
        for i, name in enumerate(NAMES):
            src = folder / name
            src.write_text(make_transcript(260, seed=20 + i), encoding="utf-8")
            import_file(p, src, DocumentMeta(case="Lindeveen", kind="interview"))
        doc = next(d for d in list_documents(p) if d["name"] == NAMES[0])["id"]
        sentences = p.query(
            "SELECT start, end FROM segments WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
            (doc,),
        )
        add_coding(
            p, doc, resolve_code(p, "BEL.TIJD")["id"], sentences[1]["start"], sentences[2]["end"]
        )
        add_coding(
            p, doc, resolve_code(p, "BEV.VISIE")["id"], sentences[2]["start"], sentences[2]["end"]
        )
    finally:
        p.close()
    return path


def test_distinctive_names_drop_shared_words_and_move_dates() -> None:
    got = distinctive_names(list(NAMES), "Lindeveen")
    assert got[NAMES[0]] == ("programmamanager.txt", "2022-03-14 interview Lindeveen")
    assert got[NAMES[1]] == ("mbo Veenpoort.txt", "2022-03-15 interview Lindeveen")
    demo = distinctive_names(
        ["LIN_2021_vmbo_Esdal.txt", "LIN_2022_programmamanager.vtt"], "Lindeveen"
    )
    assert demo["LIN_2021_vmbo_Esdal.txt"] == ("2021_vmbo_Esdal.txt", "LIN")
    # a lone document keeps its name; a name made only of shared words stays whole
    assert distinctive_names(["2022-03-14.txt"], None) == {"2022-03-14.txt": ("2022-03-14.txt", "")}
    assert distinctive_names(["a b.txt", "a b.docx"], None)["a b.txt"] == ("a b.txt", "")


async def test_80x24_tree_names_and_footer(dated_project: Path) -> None:
    app = make_app(dated_project, "tester")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(DocumentTree)
        width = tree.size.width
        labels = [str(n.label) for n in tree.doc_nodes.values()]
        # what fits in the panel tells the documents apart
        visible = [label[: width - 4] for label in labels]
        assert len(set(visible)) == len(visible), visible
        assert any(v[2:].startswith("programmam") for v in visible), visible

        def footer_key(action: str) -> Any:
            keys = {k.action: k for k in app.screen.query("FooterKey")}  # Textual's type name
            return next((k for a, k in keys.items() if a.endswith(action.split(".")[1])), None)

        for _ in range(50):  # the footer composes and lays out its keys some refreshes later
            shown = [footer_key(a) for a in ("app.help", "app.quit")]
            if all(k is not None and k.region.width for k in shown):
                break
            await pilot.pause()
        for action in ("app.help", "app.quit"):
            key = footer_key(action)
            assert key is not None, sorted(k.action for k in app.screen.query("FooterKey"))
            region = key.region
            assert region.width > 0 and region.right <= SMALL[0], (action, region)


async def test_margin_labels_toggle(dated_project: Path) -> None:
    app = make_app(dated_project, "tester")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        app.screen.open_document(
            next(d["id"] for d in app.screen.documents if d["name"] == NAMES[0])
        )
        await pilot.pause()
        reader = app.screen.query_one(DocumentReader)
        plain_width = reader._laid_out_width
        assert reader.label_width == 0
        await pilot.press("L")
        await pilot.pause()
        assert reader.show_labels and reader.label_width > 0
        assert reader._laid_out_width == plain_width - reader.label_width
        rows = [i for i, r in enumerate(reader.model.rows) if margin_labels(reader.model, i)]
        assert rows
        first = reader.model.rows[rows[0]]
        names = [n for n, _c, _s in margin_labels(reader.model, rows[0])]
        assert names[0] == "TIJD"
        line = "".join(seg.text for seg in reader._render_row(rows[0], False))
        assert line.startswith("TIJD")
        coloured = [
            seg for seg in reader._render_row(rows[0], False) if seg.text.startswith("TIJD")
        ]
        tijd = next(c for c in reader.model.codings.values() if c.code == "BEL.TIJD")
        assert coloured[0].style.color.name.lower() == tijd.colour.lower()
        assert first.kind == "text"
        await pilot.press("L")
        await pilot.pause()
        assert reader.label_width == 0 and reader._laid_out_width == plain_width


def test_main_screen_80x24(snap_compare, dated_project: Path) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        make_app(dated_project, "tester"), terminal_size=SMALL, run_before=run_before
    )


def test_margin_labels_80x24(snap_compare, dated_project: Path) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        screen = pilot.app.screen
        screen.open_document(next(d["id"] for d in screen.documents if d["name"] == NAMES[0]))
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()

    assert snap_compare(
        make_app(dated_project, "tester"), terminal_size=SMALL, run_before=run_before
    )


async def test_help_explains_the_panel_counts(dated_project: Path) -> None:
    from casebook.tui.screens.help import HelpScreen

    app = make_app(dated_project, "tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        notes = app.screen.query_one(".help-notes").content
        means = " ".join(str(c) for c in notes.columns[1]._cells)
        assert "in this document" in means and "in the whole project" in means
