"""A workbench started by `casebook serve` says that paths are on the server machine."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from textual.widgets import Label

from casebook.synthesis.matrix import MatrixSpec
from casebook.tui.app import make_app
from casebook.tui.dialogs.import_dialog import ImportDialog
from casebook.tui.screens.matrix import MatrixScreen
from casebook.tui.served import SERVED_ENV, on_server, written_where
from tests.tui.fixtures import CODER, SIZE


def test_paths_name_the_server_only_when_served(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(SERVED_ENV, raising=False)
    assert written_where(tmp_path / "a.xlsx") == str(tmp_path / "a.xlsx")
    assert on_server("Export to") == "Export to"
    monkeypatch.setenv(SERVED_ENV, "1")
    assert (
        written_where(tmp_path / "a.xlsx")
        == f"{tmp_path / 'a.xlsx'} on the server machine ({socket.gethostname()})"
    )
    assert on_server("Export to") == "Export to (a path on the server machine)"


async def test_served_export_and_import_say_the_server(
    project_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SERVED_ENV, "1")
    target = tmp_path / "out" / "matrix.csv"
    target.parent.mkdir()
    app = make_app(project_path, CODER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("I")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        labels = [str(label.render()) for label in dialog.query(Label)]
        assert any("a path on the server machine" in text for text in labels)
        await pilot.press("escape")
        await pilot.pause()

        screen = MatrixScreen(project_path, MatrixSpec("case", "code", "segments"))
        await app.push_screen(screen)
        for _ in range(50):
            await pilot.pause(0.05)
            if screen.matrix is not None:
                break
        screen.export("csv", target)
        wrote = f"wrote {target} on the server machine ({socket.gethostname()})"
        for _ in range(100):
            await pilot.pause(0.05)
            if any(n.message == wrote for n in app._notifications):
                break
        assert target.exists()
        assert [n.message for n in app._notifications if n.message.startswith("wrote")] == [wrote]
