"""The help screen: every key, from ``casebook.tui.keymap``."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from casebook.tui.keymap import KEYMAP, PANEL_NOTES


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(
                "[b]casebook keys[/b]  (esc closes; every action is saved at once)", id="help-title"
            )
            for section, rows in KEYMAP:
                table = Table(
                    title=section, title_justify="left", show_header=False, expand=True, box=None
                )
                table.add_column("keys", style="bold", ratio=2)
                table.add_column("does", ratio=5)
                for keys, what in rows:
                    table.add_row(keys, what)
                yield Static(table, classes="help-section")
            notes = Table(
                title="Reading the panels",
                title_justify="left",
                show_header=False,
                expand=True,
                box=None,
            )
            notes.add_column("what", style="bold", ratio=2)
            notes.add_column("means", ratio=5)
            for what, means in PANEL_NOTES:
                notes.add_row(what, means)
            yield Static(notes, classes="help-notes")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
