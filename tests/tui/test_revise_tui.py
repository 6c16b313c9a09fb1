"""The workbench side of revisions: "Import a new version…", the review list, undo in one step."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from casebook.core.codings import code_quote
from casebook.core.documents import DocumentMeta, document_text, import_file
from casebook.store.project import open_project
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.revisions import RevisionReview
from casebook.tui.widgets.reader import DocumentReader
from tests.test_revise import V1, V2
from tests.tui.fixtures import CODER, SIZE


async def _palette(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_new_version_review_and_undo(make, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = project_path.parent
    (folder / "v1").mkdir()
    (folder / "v2").mkdir()
    (folder / "v1" / "maasdelta-mbo.txt").write_text(V1, encoding="utf-8")
    (folder / "v2" / "maasdelta-mbo.txt").write_text(V2, encoding="utf-8")
    with open_project(project_path, coder=CODER) as p:
        doc_id = import_file(
            p, folder / "v1" / "maasdelta-mbo.txt", DocumentMeta(case="Maasdelta")
        ).document_id
        edited = code_quote(p, doc_id, "BEV.VISIE", "samenwerking met Zandrijck")
        lost = code_quote(p, doc_id, "BEL.GELD", "De docenten hebben geen ruimte.")
        code_quote(p, doc_id, "BEL.TIJD", "Eerlijk gezegd kost het veel tijd.")
        old_text = document_text(p, doc_id)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, "Open maasdelta-mbo.txt")
        reader = app.screen.query_one(DocumentReader)
        assert reader.document_id == doc_id
        await _palette(pilot, "Import a new version")
        await pilot.press(*"v2/maasdelta-mbo.txt")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        for _ in range(100):
            await pilot.pause(0.1)
            if isinstance(app.screen, RevisionReview):
                break
        review = app.screen
        assert isinstance(review, RevisionReview), [str(n.message) for n in app._notifications]
        table = review.query_one(DataTable)
        assert table.row_count == 2
        rows = {r["target_id"]: n for n, r in enumerate(review.items)}
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Zandrijck" in shown and "Zandrijk" in shown and "lost" in shown
        table.move_cursor(row=rows[edited])
        await pilot.press("a")
        await pilot.pause()
        table.move_cursor(row=rows[lost])
        await pilot.press("d")
        await pilot.pause()
        assert [i["review"] for i in review.items] == ["accepted", "deleted"] or sorted(
            i["review"] for i in review.items
        ) == ["accepted", "deleted"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
        assert "Zandrijk?" in app.screen.query_one(DocumentReader).model.text
        # undo: the whole revision in one step, the dismissed lost coding included
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.query_one(DocumentReader).model.text == old_text
    with open_project(project_path, coder=CODER) as p:
        assert document_text(p, doc_id) == old_text
        assert p.scalar("SELECT version FROM documents WHERE id = ?", (doc_id,)) == 1
        assert (
            p.scalar("SELECT quote FROM codings WHERE id = ?", (lost,))
            == "De docenten hebben geen ruimte."
        )


async def test_new_version_bad_file_is_one_line(make, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, "Open lindeveen")
        await _palette(pilot, "Import a new version")
        await pilot.press(*"nothing-here.txt")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.1)
            if any("no such file" in str(n.message) for n in app._notifications):
                break
        assert any("no such file" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, CodingScreen)
