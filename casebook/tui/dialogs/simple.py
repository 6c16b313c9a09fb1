"""Small modal dialogs: confirm, choose one of a few, ask for one line, edit a memo."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something that cannot simply be undone.

    The focused default button names the action ("Merge", "Discard"), so
    Enter does what the question asks and the button says what it will do;
    Esc (or n, or Cancel) declines, and the caller says what did not happen.
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes}  ⏎", variant="warning", id="yes")
                yield Button("Cancel  esc", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChooseDialog(ModalScreen[str | None]):
    """Pick one of a few labelled choices (e.g. which coding under the cursor)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-question")
            yield OptionList(*[Option(label, id=key) for key, label in self.choices], id="choices")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line of text (a new name)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        *,
        submit: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.submit = submit  # saves; returns an error to show inline (the text stays), or None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-question")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt")
            yield Label("", id="prompt-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip() or None
        if value is not None and self.submit is not None:
            problem = self.submit(value)
            if problem:
                self.query_one("#prompt-error", Label).update(f"[b red]{escape(problem)}[/]")
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(ModalScreen[str | None]):
    """A small editor for one memo; ctrl+s saves (one transaction), escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save memo"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-dialog"):
            yield Label(self.title_text, classes="dialog-question")
            yield TextArea(self.body, id="memo-text", soft_wrap=True, tab_behavior="focus")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
