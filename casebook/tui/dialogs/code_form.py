"""Add or edit a code: name (new codes only), label, definition, colour, shortcut, collaboration role.

Every validation error, the form's own (colour) and the codebook's (name or
shortcut taken), is shown inside the form, which stays open with what the
user typed (issue 17): the caller passes ``submit``, which saves and returns
an error message or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from casebook.codes.collaboration import check_kind, check_partner_types
from casebook.errors import CasebookError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CodeForm(ModalScreen[dict[str, Any] | None]):
    """Dismisses with the changed fields (``name`` too when adding), or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        code: dict[str, Any] | None = None,
        *,
        parent: str | None = None,
        submit: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.submit = submit
        self.title_text = title
        self.code = code or {}
        self.adding = code is None
        self.parent_path = parent

    def compose(self) -> ComposeResult:
        c = self.code
        with VerticalScroll(classes="dialog code-form"):
            yield Label(self.title_text, classes="dialog-question")
            if self.adding:
                where = f"under {self.parent_path}" if self.parent_path else "at the top level"
                yield Label(f"Name ({where}; letters, digits, _ or -)")
                yield Input(placeholder="TIJD", id="name")
            yield Label("Label")
            yield Input(c.get("label") or "", id="label")
            yield Label("Definition")
            yield TextArea(
                c.get("definition") or "", id="definition", soft_wrap=True, tab_behavior="focus"
            )
            yield Label("Colour (#rrggbb)")
            yield Input(c.get("colour") or "", placeholder="#4e79a7", id="colour")
            yield Label("Shortcut (one key, e.g. 3)")
            yield Input(c.get("shortcut") or "", max_length=1, id="shortcut")
            yield Label("Collaboration: dyad, form or none (empty: as the parent code)")
            yield Input(c.get("collaboration") or "", placeholder="dyad", id="collaboration")
            yield Label(
                "Partner types it is about (comma-separated, e.g. vmbo,mbo; empty: inherited)"
            )
            yield Input(c.get("partner_types") or "", placeholder="vmbo,mbo", id="partner_types")
            yield Label("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name" if self.adding else "#label", Input).focus()

    def _error(self, message: str, field: str | None = None) -> None:
        self.query_one("#form-error", Label).update(f"[b red]{escape(message)}[/]")
        if field:
            self.query_one(f"#{field}").focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values: dict[str, Any] = {}
        if self.adding:
            name = self.query_one("#name", Input).value.strip()
            if not name:
                self._error("a code needs a name", "name")
                return
            values["name"] = name
        colour = self.query_one("#colour", Input).value.strip()
        if colour and not _COLOUR.match(colour):
            self._error(f"colour '{colour}' is not #rrggbb", "colour")
            return
        try:
            collaboration = check_kind(
                self.query_one("#collaboration", Input).value.strip() or None
            )
            partner_types = check_partner_types(
                self.query_one("#partner_types", Input).value.strip() or None
            )
        except CasebookError as exc:
            self._error(str(exc))
            return
        fields = {
            "collaboration": collaboration,
            "partner_types": partner_types,
            "label": self.query_one("#label", Input).value.strip() or None,
            "definition": self.query_one("#definition", TextArea).text.strip() or None,
            "colour": colour or None,
            "shortcut": self.query_one("#shortcut", Input).value.strip() or None,
        }
        for key, value in fields.items():
            if self.adding or value != (self.code.get(key) or None):
                values[key] = value
        if self.submit is not None and values:
            problem = self.submit(dict(values))
            if problem:
                field = next(
                    (f for f in ("shortcut", "colour", "name", "label") if f in problem.lower()),
                    None,
                )
                self._error(problem, field if field and (field != "name" or self.adding) else None)
                return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
