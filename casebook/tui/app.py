"""The casebook workbench (TUI): composition, command palette and start-up.

The CLI's ``casebook tui`` (and bare ``casebook``) calls ``run``; tests and
the benchmark build the app with ``make_app``.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState, get_current_worker

from casebook.core import language
from casebook.store.project import Project, open_project
from casebook.tui.commands import ActionCommands, CaseCommands, CodeCommands, DocumentCommands
from casebook.tui.screens.coding import CodingScreen
from casebook.tui.screens.help import HelpScreen
from casebook.tui.screens.preparing import PreparingScreen
from casebook.tui.timing import Stopwatch
from casebook.tui.workers import worker_project

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
        waiting = language.waiting(self.project)
        if waiting:
            # documents imported by `casebook import` get their sentences before any screen reads them
            self.push_screen(PreparingScreen(waiting))
            self.run_worker(
                self._complete_language,
                thread=True,
                exclusive=True,
                group="language",
                description="preparing sentences and search index",
            )
        else:
            self.push_screen(CodingScreen())
        for notice in self.project.notices:
            self.notify(notice, title="Privacy", severity="warning", timeout=15)

    def _complete_language(self) -> None:
        """In a thread with its own connection; the coding screen opens however it ends."""
        worker = get_current_worker()

        def progress(done: int, _total: int, name: str) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(self._language_progress, done, name)

        try:
            with worker_project(self.project_path, self.project.coder) as project:
                language.complete(project, progress)
        finally:
            if not worker.is_cancelled:
                self.call_from_thread(self._language_ready)

    def _language_progress(self, done: int, name: str) -> None:
        if isinstance(self.screen, PreparingScreen):
            self.screen.show_progress(done, name)

    def _language_ready(self) -> None:
        if isinstance(self.screen, PreparingScreen):
            self.switch_screen(CodingScreen())

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
