"""Codebook editing from the workbench: add, edit, rename, move and merge codes.

Each edit is one transaction in ``casebook.codes.codebook``; afterwards the
tree is refilled keeping what was expanded, and the edited code revealed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from casebook.codes import codebook
from casebook.codes.collaboration import set_collaboration
from casebook.errors import CasebookError
from casebook.tui.controllers.workbench import WorkbenchState
from casebook.tui.dialogs.code_form import CodeForm
from casebook.tui.dialogs.code_palette import TOP_LEVEL
from casebook.tui.dialogs.simple import ConfirmDialog, PromptDialog


class CodebookActions(WorkbenchState):
    """Changes to the codebook tree, each one action."""

    def _highlighted_code(self) -> dict[str, Any] | None:
        cid = self.codebook_tree.highlighted_id()
        code = self.codes_by_id.get(cid) if cid else None
        if code is None:
            self.notify("highlight a code in the codebook first", severity="warning")
        return code

    def _after_codebook_edit(self, reveal: str | None = None, colours: bool = False) -> None:
        self.load_codes()
        if self.document:
            self.codebook_tree.set_counts(codebook.code_tree(self.project, self.document["id"]))
        if colours:
            self._reload_codings()
        if reveal:
            self.codebook_tree.reveal(reveal)
        # the detail pane shows what the code is called now (a cursor that stays on
        # the same line sends no new highlight event)
        shown = self.codes_by_id.get(reveal or "") or self.codes_by_id.get(
            self.codebook_tree.highlighted_id() or ""
        )
        if shown:
            self._show_definition(shown)

    def _saving(self, fn: Callable[[], Any]) -> str | None:
        """Run a save from a form; a refusal comes back as the form's inline error."""
        try:
            fn()
        except (CasebookError, sqlite3.Error) as exc:
            return str(exc)
        return None

    def action_add_code(self, top_level: bool = False) -> None:
        parent = None if top_level else self.codebook_tree.highlighted_id()
        parent_code = self.codes_by_id.get(parent) if parent else None

        def submit(values: dict[str, Any]) -> str | None:
            def run() -> None:
                name = values.pop("name")
                role = {k: values.pop(k, None) for k in ("collaboration", "partner_types")}
                with self.project.transaction():  # one action: the code and its collaboration role
                    code_id = codebook.add_code(
                        self.project,
                        name,
                        parent=parent_code["path"] if parent_code else None,
                        **values,
                    )
                    if any(role.values()):
                        set_collaboration(
                            self.project,
                            code_id,
                            role["collaboration"] or "inherit",
                            role["partner_types"] or [],
                        )
                self._after_codebook_edit(reveal=code_id)
                self.notify(f"added {self.codes_by_id[code_id]['path']}")

            return self._saving(run)

        title = f"New code under {parent_code['path']}" if parent_code else "New top-level code"
        self.app.push_screen(
            CodeForm(title, parent=parent_code["path"] if parent_code else None, submit=submit)
        )

    def action_edit_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return

        def submit(values: dict[str, Any]) -> str | None:
            def run() -> None:
                with self.project.transaction():  # one action: fields and collaboration role
                    if "collaboration" in values or "partner_types" in values:
                        kind = (
                            (values.pop("collaboration") or "inherit")
                            if "collaboration" in values
                            else None
                        )
                        types = (
                            (values.pop("partner_types") or [])
                            if "partner_types" in values
                            else None
                        )
                        set_collaboration(self.project, code["id"], kind, types)
                    codebook.update_code(self.project, code["id"], **values)
                self._after_codebook_edit(reveal=code["id"], colours="colour" in values)
                self.notify(f"{code['path']} updated")

            return self._saving(run)

        self.app.push_screen(CodeForm(f"Edit {code['path']}", code, submit=submit))

    def action_rename_code(self) -> None:
        code = self._highlighted_code()
        if code is None:
            return

        def submit(name: str) -> str | None:
            if name == code["name"]:
                return None

            def run() -> None:
                new_path = codebook.rename_code(self.project, code["id"], name)
                self._after_codebook_edit(reveal=code["id"], colours=True)
                self.notify(f"{code['path']} is now {new_path}")

            return self._saving(run)

        self.app.push_screen(PromptDialog(f"Rename {code['path']} to", code["name"], submit=submit))

    def _choose_target(
        self,
        title: str,
        then: Callable[[dict[str, Any], str], None],
        *,
        offer_top_level: bool = False,
    ) -> None:
        """Ask for the code to move or merge the highlighted one into, never one below it.

        ``title`` names the highlighted code as ``{path}``.
        """
        code = self._highlighted_code()
        if code is None:
            return
        below = set(codebook.descendants(self.project, code["id"]))

        def chosen(target: str | None) -> None:
            if target:
                then(code, target)

        self._palette(
            title.format(path=code["path"]),
            chosen,
            exclude=below,
            offer_top_level=offer_top_level,
        )

    def action_move_code(self) -> None:
        def move(code: dict[str, Any], target: str) -> None:
            def run() -> None:
                parent = None if target == TOP_LEVEL else self.codes_by_id[target]["path"]
                new_path = codebook.move_code(self.project, code["id"], parent)
                self._after_codebook_edit(reveal=code["id"], colours=True)
                self.notify(f"moved to {new_path} (a backup was taken first)")

            self.safely(run)

        self._choose_target("Move {path} under…", move, offer_top_level=True)

    def action_merge_code(self) -> None:
        def merge(code: dict[str, Any], target: str) -> None:
            dest = self.codes_by_id[target]

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    self.notify(f"not merged: {code['path']} and {dest['path']} are unchanged")
                    return

                def run() -> None:
                    moved = codebook.merge_codes(self.project, code["id"], dest["id"])
                    self._after_codebook_edit(reveal=dest["id"], colours=True)
                    self.notify(
                        f"merged {code['path']} into {dest['path']} ({moved} codings moved)"
                    )

                self.safely(run)

            question = (
                f"Merge {code['path']} ({code['count']} codings) into {dest['path']}? "
                f"{code['path']} disappears; a backup is taken first."
            )
            self.app.push_screen(ConfirmDialog(question, "Merge"), confirmed)

        self._choose_target("Merge {path} into…", merge)
