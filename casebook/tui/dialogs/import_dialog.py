"""Ask which files to import and with what case and attributes."""

from __future__ import annotations

import glob
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from casebook.tui.messages import ImportRequest
from casebook.tui.served import on_server

AUTO_KIND = "auto"  # no --kind: decided from the file name and content, and reported
KINDS = [
    ("interview", "interview"),
    ("progress report", "progress_report"),
    ("plan", "plan"),
    ("other", "other"),
]


def expand_paths(text: str, base: Path) -> list[Path]:
    """Paths separated by spaces or commas, with shell-style wildcards."""
    out: list[Path] = []
    for part in text.replace(",", " ").split():
        path = Path(part).expanduser()
        if not path.is_absolute():
            path = base / path
        matches = sorted(glob.glob(str(path)))
        out += [Path(m) for m in matches] if matches else [path]
    return out


class ImportDialog(ModalScreen[ImportRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Import")]

    def __init__(self, base: Path, case: str = "") -> None:
        super().__init__()
        self.base = base
        self.case = case

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog import-dialog"):
            yield Label("Import files", classes="dialog-question")
            yield Label(on_server("Files (spaces between; wildcards allowed)"))
            yield Input(placeholder="interviews/lindeveen-*.docx", id="import-paths")
            yield Label("Case (region)")
            yield Input(self.case, id="import-case")
            yield Label("Kind")
            yield Select(
                [("decide from name and content", AUTO_KIND), *KINDS],
                value=AUTO_KIND,
                allow_blank=False,
                id="import-kind",
            )
            yield Label("Role of the respondent (e.g. mbo, vmbo, bedrijf)")
            yield Input(id="import-role")
            yield Label("Round or year")
            yield Input(id="import-round")
            yield Label("", id="import-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import  ctrl+s", variant="primary", id="import-go")
                yield Button("Cancel  esc", id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-paths", Input).focus()

    @on(Button.Pressed, "#import-go")
    def action_submit(self) -> None:
        paths = expand_paths(self.query_one("#import-paths", Input).value, self.base)
        case = self.query_one("#import-case", Input).value.strip()
        if not paths:
            self.query_one("#import-error", Label).update("[b red]give at least one file[/]")
            return
        if not case:
            self.query_one("#import-error", Label).update(
                "[b red]give the case (region) the files belong to[/]"
            )
            return
        self.dismiss(
            ImportRequest(
                paths=paths,
                case=case,
                kind=None
                if self.query_one("#import-kind", Select).value == AUTO_KIND
                else str(self.query_one("#import-kind", Select).value),
                role=self.query_one("#import-role", Input).value.strip() or None,
                round=self.query_one("#import-round", Input).value.strip() or None,
            )
        )

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
