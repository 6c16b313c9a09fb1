"""Candidates: names found in a case's texts that no registered organisation answers to.

The review list of `casebook partners review`, in the workbench: one row per
name with how often it was seen and where. ``a`` says the name is another
form of a registered organisation (every mention of it in the case then
resolves to that one), ``n`` registers it as a new organisation, ``x``
rejects it for the case. Each decision is one transaction, runs detection of
the case again and says how many mentions it resolved.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import DataTable

from casebook.partners.queries import case_organisations
from casebook.partners.review import accept_and_detect, list_candidates, reject_candidate
from casebook.partners.storage import detect_case
from casebook.store.orgtypes import project_types
from casebook.store.project import Project
from casebook.tui.dialogs.simple import ChooseDialog
from casebook.tui.screens.decisions import DecisionScreen
from casebook.tui.workers import worker_project


class CandidateScreen(DecisionScreen):
    """The case's pending candidates; dismisses with whether anything was decided."""

    PREFIX = "candidates"
    CAPTION = "[b]Candidates[/b] — a another form of an organisation, n new organisation, x reject"
    COLUMNS = ("Candidate", "Seen", "Type?", "Where")
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("a", "alias", "Form of…"),
        Binding("n", "new", "New org"),
        Binding("x", "reject", "Reject"),
    ]

    def load_rows(self, project: Project, *, first: bool = False) -> list[dict[str, Any]]:
        if first:
            detect_case(project, self.case_id)
        return list_candidates(project, self.case_id)

    def add_rows(self, table: DataTable[Any]) -> None:
        for i, r in enumerate(self.rows):
            context = " ".join((r["example"] or "").split())
            table.add_row(r["name"], r["count"], r["suggested_type"] or "", context, key=str(i))

    def empty_text(self) -> str:
        return "no candidates to review"

    def outcome(self, message: str) -> str:
        return message if self.rows else message + "; no candidates left"

    def action_alias(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        with worker_project(self.project_path, self.coder) as project:
            orgs = case_organisations(project, self.case_id)

        def chosen(org_id: str | None) -> None:
            if not org_id:
                return
            org = next(o for o in orgs if o["id"] == org_id)

            def run(project: Project) -> str:
                _, found = accept_and_detect(project, row["id"], alias_of=org["name"])
                return f"'{row['name']}' is {org['name']}: {found} mention(s) in the case"

            self._decide(run)

        self.app.push_screen(
            ChooseDialog(
                f"'{row['name']}' is another form of …", [(o["id"], o["name"]) for o in orgs]
            ),
            chosen,
        )

    def action_new(self) -> None:
        row = self._highlighted()
        if row is None:
            return
        with worker_project(self.project_path, self.coder) as project:
            types = project_types(project)
        choices = [(t.key, t.label()) for t in types]
        if row["suggested_type"] in types:  # the suggested type first
            choices.sort(key=lambda c: c[0] != row["suggested_type"])

        def chosen(type_: str | None) -> None:
            if not type_:
                return

            def run(project: Project) -> str:
                _, found = accept_and_detect(project, row["id"], type_=type_)
                return f"registered {row['name']} ({type_}): {found} mention(s) in the case"

            self._decide(run)

        self.app.push_screen(ChooseDialog(f"Register '{row['name']}' as …", choices), chosen)

    def action_reject(self) -> None:
        row = self._highlighted()
        if row is None:
            return

        def run(project: Project) -> str:
            reject_candidate(project, row["id"])
            return f"rejected '{row['name']}' for this case; it is not offered again"

        self._decide(run)
