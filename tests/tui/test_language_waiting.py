"""The workbench builds the sentences `casebook import` left for later before the coding screen reads them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Static

from casebook.core import language
from casebook.core.documents import DocumentMeta, import_file
from casebook.store.project import open_project
from casebook.tui.app import make_app
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.preparing import PreparingScreen
from casebook.tui.widgets.reader import DocumentReader
from tests.tui.fixtures import CODER, SIZE, make_transcript


async def test_waiting_documents_are_completed_behind_a_message(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with open_project(path, coder=CODER) as project:
        for i, case in enumerate(("Lindeveen", "Maasdelta")):
            src = tmp_path / f"{case.lower()}.txt"
            src.write_text(make_transcript(400, seed=i + 1), encoding="utf-8")
            import_file(project, src, DocumentMeta(case=case, role="mbo"), language="later")
        assert language.waiting(project) == 2
    app = make_app(path, CODER)
    # another program holds the write lock, so the message is still up when the test looks
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PreparingScreen)
            message = str(app.screen.query_one("#preparing", Static).render())
            assert "Preparing sentences and search index for 2 document(s)" in message
            blocker.execute("ROLLBACK")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
            reader = app.screen.query_one(DocumentReader)
            model = reader.model
            assert model is not None
            assert len(model.sentences) > len(model.paragraphs)  # the stored sentences, not a guess
    finally:
        blocker.close()
    with open_project(path, create=False) as project:
        assert language.waiting(project) == 0
        assert project.scalar("SELECT count(*) FROM segments_fts") > 0
