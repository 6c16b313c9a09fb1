"""A waiting screen while documents get their sentences and search index.

``casebook import`` leaves that language layer for later (see
``casebook.core.language``); the workbench builds it before any screen reads
segments, and says so instead of looking frozen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static


class PreparingScreen(Screen[None]):
    def __init__(self, waiting: int) -> None:
        super().__init__()
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.message(0), id="preparing")

    def message(self, done: int, name: str = "") -> str:
        last = f"  ({name} ready)" if name else ""
        return (
            f"Preparing sentences and search index for {self.waiting} document(s)… "
            f"{done}/{self.waiting}{last}"
        )

    def show_progress(self, done: int, name: str) -> None:
        self.query_one("#preparing", Static).update(self.message(done, name))
