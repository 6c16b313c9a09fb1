"""The casebook workbench (TUI): composition, command palette and start-up.

The CLI's ``casebook tui`` (and bare ``casebook``) calls ``run``; tests and
the benchmark build the app with ``make_app``.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from casebook.store.project import Project, open_project
from casebook.tui.commands import ActionCommands, CaseCommands, CodeCommands, DocumentCommands
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.help import HelpScreen
from casebook.tui.timing import Stopwatch

# A locked project should fail fast with a message, not hold the UI for the store's default 5 s.
UI_BUSY_TIMEOUT_MS = 700


class CasebookApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "casebook"
    COMMANDS = App.COMMANDS | {DocumentCommands, CodeCommands, CaseCommands, ActionCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(self, project_path: Path, coder: str) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.project: Project = open_project(self.project_path, create=False, coder=coder)
        self.project.conn.execute(f"PRAGMA busy_timeout = {UI_BUSY_TIMEOUT_MS}")
        self.stopwatch: Stopwatch | None = None

    def on_mount(self) -> None:
        self.push_screen(CodingScreen())
        for notice in self.project.notices:
            self.notify(notice, title="Privacy", severity="warning", timeout=15)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any worker that fails unexpectedly ends as one line, never a crash."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            title = getattr(error, "title", "Error")
            self.notify(
                f"{event.worker.description or 'background work'} failed: {error}",
                title=title,
                severity="error",
            )
            for screen in self.screen_stack:
                hide = getattr(screen, "hide_progress", None)
                if hide is not None:
                    hide()

    def on_unmount(self) -> None:
        self.project.close()


def make_app(project_path: Path, coder: str) -> CasebookApp:
    return CasebookApp(project_path, coder)


def run(project_path: Path, coder: str) -> None:
    make_app(project_path, coder).run()
