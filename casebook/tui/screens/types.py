"""Organisation types in the workbench: labels, other spellings and the roles detection reasons with.

A team with its own types (say 'werkgever', 'onderwijs-vo') gets the partner
rules that hang on roles only when its types carry them: a family name alone
stands for a company, 'de scholen' covers every school, a town's name stands
for its municipality. Until now only the CLI (`casebook partners types`)
could say so. ``r`` switches one role on or off for the highlighted type,
``s`` adds another spelling, ``l`` relabels it, ``n`` adds a type. The types
belong to the project, so a change reaches every case; each case detects
again the next time it is read (its fingerprint holds its types' roles).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable

from casebook.orgtypes import ROLES
from casebook.store.orgtypes import add_synonym, add_type, set_label, set_roles, type_rows
from casebook.store.project import Project
from casebook.tui.dialogs.simple import ChooseDialog, PromptDialog
from casebook.tui.screens.decisions import DecisionScreen


class TypesScreen(DecisionScreen):
    """The project's organisation types; dismisses with whether anything changed."""

    PREFIX = "types"
    CAPTION = "[b]Organisation types[/b] — r role on/off, s another spelling, l label, n new type"
    COLUMNS = ("Type", "Label", "Roles", "Other spellings", "Organisations", "Codes")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("r", "role", "Role"),
        Binding("s", "synonym", "Spelling"),
        Binding("l", "label", "Label"),
        Binding("n", "new", "New type"),
    ]

    def load_rows(self, project: Project, *, first: bool = False) -> list[dict[str, Any]]:
        return type_rows(project)

    def add_rows(self, table: DataTable[Any]) -> None:
        for i, r in enumerate(self.rows):
            table.add_row(
                r["key"],
                r["label"],
                ", ".join(r["roles"]) or "—",
                _short(", ".join(r["synonyms"]), 44),
                r["organisations"],
                r["codes"],
                key=str(i),
            )

    def empty_text(self) -> str:
        return "no organisation types"

    def action_role(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        have = set(row["roles"])
        choices = [(r, f"{r} ({'on' if r in have else 'off'})") for r in ROLES]

        def chosen(role: str | None) -> None:
            if not role:
                return
            roles = [r for r in ROLES if (r in have) != (r == role)]

            def run(project: Project) -> str:
                now = set_roles(project, row["key"], roles)
                return f"{row['key']}: roles {', '.join(now) or 'none'}"

            self._decide(run)

        self.app.push_screen(ChooseDialog(f"Switch a role of '{row['key']}'", choices), chosen)

    def action_synonym(self) -> None:
        row = self._highlighted()
        if row is None:
            return

        def got(text: str | None) -> None:
            if text and text.strip():

                def run(project: Project) -> str:
                    add_synonym(project, row["key"], text)
                    return f"{row['key']} is also written '{' '.join(text.split())}'"

                self._decide(run)

        self.app.push_screen(
            PromptDialog(f"Another spelling of '{row['key']}'", placeholder="werkgever"), got
        )

    def action_label(self) -> None:
        row = self._highlighted()
        if row is None:
            return

        def got(text: str | None) -> None:
            if text is not None:

                def run(project: Project) -> str:
                    set_label(project, row["key"], text)
                    return f"{row['key']} is labelled '{' '.join(text.split())}'"

                self._decide(run)

        self.app.push_screen(PromptDialog(f"Label of '{row['key']}'", value=row["label"]), got)

    def action_new(self) -> None:
        if self.busy:
            return

        def got(text: str | None) -> None:
            if text and text.strip():

                def run(project: Project) -> str:
                    key = add_type(project, text)
                    return f"added the type '{key}'; r gives it a role"

                self._decide(run)

        self.app.push_screen(PromptDialog("New organisation type", placeholder="werkgever"), got)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
