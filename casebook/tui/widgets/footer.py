"""The workbench footer: Help and Quit first, so an 80-column terminal keeps them.

Textual's footer lists the focused widget's keys before the screen's, and
cuts what does not fit on the right; at 80×24 that dropped Quit and Help,
the two keys a new user needs most.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

FIRST_ACTIONS = ("help", "app.help", "quit", "app.quit")


def _action(widget: Widget) -> str:
    """The action a footer key runs ("" for other widgets): Textual does not export its key class."""
    return str(getattr(widget, "action", ""))


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        rank = {a: i for i, a in enumerate(FIRST_ACTIONS)}
        first = sorted((w for w in widgets if _action(w) in rank), key=lambda w: rank[_action(w)])
        yield from first
        yield from (w for w in widgets if w not in first)
