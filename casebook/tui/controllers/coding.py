"""Coding actions: apply, in-vivo, remove, recode, memos, done, undo and redo, contrasts.

Each action calls one domain function inside ``history.step`` — one
committed transaction, one undo step — and then updates only what it
changed: the reader rows of the passage, one codebook node's counts, one
document node's label. There is no save command.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from casebook.codes import codebook
from casebook.codes.invivo import add_invivo_code
from casebook.core import history, retrieval
from casebook.core.codings import apply_coding, recode, remove_coding
from casebook.core.documents import list_documents, set_status
from casebook.errors import CasebookError
from casebook.tui.dialogs.code_palette import CodePalette
from casebook.tui.dialogs.simple import ConfirmDialog, PromptDialog
from casebook.tui.reader_model import Coding
from casebook.tui.timing import timed
from casebook.tui.widgets.trees import CodebookTree, DocumentTree

if TYPE_CHECKING:
    from casebook.store.project import Project


from casebook.synthesis.contrasts import add_contrast
from casebook.tui.controllers.workbench import WorkbenchState


class CodingActions(WorkbenchState):
    """Everything that changes codings, memos or a document's status."""

    def apply_code(
        self,
        code_id: str,
        *,
        create: Callable[[], str] | None = None,
        label: str | None = None,
        say_where: bool = False,
    ) -> str | None:
        """Code the selection (or the sentence under the cursor) with ``code_id`` as one undo step.

        ``create`` makes the code first, inside the same step (in-vivo coding),
        so one undo takes away both the coding and the code it created.
        Already covered by this coder's coding of the code: says so and adds no
        undo step. Overlapping or touching pieces merge into one coding.
        ``say_where`` (the command palette) names what was coded in a toast.
        """
        reader = self.reader
        target = reader.target_range()
        if self.document is None or target is None:
            self.notify("open a document and select a passage first", severity="warning")
            return None
        code = self.codes_by_id.get(code_id)
        if code is None and create is None:
            return None
        unit = "the selection" if reader.selection else "the sentence under the cursor"
        start, end = target
        doc_id = self.document["id"]
        if label is None:
            assert code is not None  # without ``create`` the code exists (checked above)
            label = f"apply {code['path']}"
        with timed(self.app, "apply"):
            try:
                with history.step(self.project, label):
                    if create is not None:
                        code_id = create()
                    applied = apply_coding(self.project, doc_id, code_id, start, end)
            except (CasebookError, sqlite3.Error) as exc:
                self.report(exc)
                return None
            if create is not None:
                self.load_codes()
                code = self.codes_by_id[code_id]
            assert code is not None
            self.last_code_id = code_id
            model = reader.model
            assert model is not None
            if applied.status == "exists":
                self.notify(f"already coded with {code['path']}", timeout=2.5)
                return applied.id
            for old in applied.merged:
                if old["id"] in model.codings:
                    reader.invalidate_range(
                        old["start"], old["end"], model.remove_coding(old["id"])
                    )
            changed = model.add_coding(
                {
                    "id": applied.id,
                    "code_id": code_id,
                    "code": code["path"],
                    "code_label": code.get("label"),
                    "colour": code.get("colour"),
                    "start": applied.start,
                    "end": applied.end,
                    "coder": self.project.coder,
                }
            )
            reader.invalidate_range(applied.start, applied.end, changed)
            self.codebook_tree.bump(code_id, 1 - len(applied.merged))
            self._document_changed(codings=len(model.codings), status_from_new="in_progress")
            if applied.merged:
                n = len(applied.merged)
                self.notify(
                    f"merged with {n} touching {code['path']} coding{'s' if n != 1 else ''}",
                    timeout=2.5,
                )
            elif say_where:
                self.notify(f"coded {unit} with {code['path']}", timeout=2.5)
            self.show_status()
        return applied.id

    def action_apply_palette(self) -> None:
        if self.reader.target_range() is None:
            self.notify("open a document first", severity="warning")
            return
        self._palette("Apply code", self._apply_chosen)

    def _apply_chosen(self, code_id: str | None) -> None:
        """A code picked in a palette (None: the palette was closed)."""
        if code_id:
            self.apply_code(code_id)

    def action_apply_recent(self) -> None:
        recent = retrieval.recent_codes(self.project)
        if not recent:
            self.notify("no recent codes yet", severity="warning")
            return
        codes = [self.codes_by_id[c] for c in recent if c in self.codes_by_id]
        self.app.push_screen(CodePalette(codes, title="Recent codes"), self._apply_chosen)

    def action_apply_last(self) -> None:
        if self.last_code_id:
            self.apply_code(self.last_code_id)
        else:
            self.notify("no code applied yet in this session", severity="warning")

    def action_in_vivo(self) -> None:
        reader = self.reader
        target = reader.target_range()
        model = reader.model
        if target is None or model is None:
            return
        quote = model.text[target[0] : target[1]]

        made: list[str] = []

        def create() -> str:
            code = add_invivo_code(self.project, quote)
            made.append(code.path)
            return code.id

        def make() -> None:
            code_id = self.apply_code("", create=create, label="in-vivo code")
            if code_id is None or not made:
                return
            self.codebook_tree.reveal(code_id and self.last_code_id or "")
            self.notify(f"new code {made[-1]}", title="In-vivo")

        self.safely(make)

    def _if_theirs_ask(self, c: Coding, question: str, then: Callable[[Coding], None]) -> None:
        """Another coder's coding is changed only after a yes that names them (issue 17)."""
        if not c.coder or c.coder == self.project.coder:
            then(c)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then(c)

        self.app.push_screen(
            ConfirmDialog(question.format(coder=c.coder, code=c.code), yes="Yes, theirs"), answered
        )

    def action_remove_coding(self) -> None:
        def remove(c: Coding) -> None:
            def run() -> None:
                with history.step(self.project, f"remove {c.code}"):
                    remove_coding(self.project, c.id)
                self._forget_coding(c)

            self.safely(run)

        self._with_coding(
            "remove",
            lambda c: self._if_theirs_ask(
                c, "This {code} coding is {coder}'s, not yours. Remove {coder}'s coding?", remove
            ),
        )

    def _forget_coding(self, c: Coding) -> None:
        model = self.reader.model
        assert model is not None
        changed = model.remove_coding(c.id)
        self.reader.invalidate_range(c.start, c.end, changed)
        self.codebook_tree.bump(c.code_id, -1)
        self._document_changed(codings=len(model.codings))
        self.show_status()

    def action_recode(self) -> None:
        def pick(c: Coding) -> None:
            def chosen(code_id: str | None) -> None:
                if not code_id or code_id == c.code_id:
                    return

                def run() -> None:
                    code = self.codes_by_id[code_id]
                    with history.step(self.project, f"recode {c.code} → {code['path']}"):
                        recode(self.project, c.id, code_id)
                    self._reload_codings()
                    self.codebook_tree.bump(c.code_id, -1)
                    self.codebook_tree.bump(code_id, 1)

                self.safely(run)

            self._palette(f"Change {c.code} to…", chosen, exclude={c.code_id})

        self._with_coding(
            "change",
            lambda c: self._if_theirs_ask(
                c,
                "This {code} coding is {coder}'s, not yours. Change the code of {coder}'s coding?",
                pick,
            ),
        )

    def action_memo_coding(self) -> None:
        self._with_coding(
            "write a memo on",
            lambda c: self._edit_memo(f"Memo on coding {c.code}", "coding", c.id, c.code),
        )

    def action_memo_document(self) -> None:
        if self.document:
            self._edit_memo(
                f"Memo on {self.document['name']}",
                "document",
                self.document["id"],
                self.document["name"],
            )

    def action_memo_tree_item(self) -> None:
        focused = self.focused
        if isinstance(focused, CodebookTree):
            node = focused.cursor_node
            if node and node.data:
                self._edit_memo(
                    f"Memo on code {node.data['path']}", "code", node.data["id"], node.data["path"]
                )
        elif isinstance(focused, DocumentTree):
            node = focused.cursor_node
            if node and node.data:
                kind = node.data["node"]
                name = node.data["name"] or "(no case)"
                if node.data["id"]:
                    self._edit_memo(f"Memo on {kind} {name}", kind, node.data["id"], name)

    def edit_case_memo(self, case_id: str, name: str) -> None:
        self._edit_memo(f"Memo on case {name}", "case", case_id, name)

    def action_toggle_done(self) -> None:
        doc = self.document
        if doc is None:
            return
        new = "in_progress" if doc.get("status") == "done" else "done"

        def run() -> None:
            with history.step(self.project, f"mark {doc['name']} {new.replace('_', ' ')}"):
                set_status(self.project, doc["id"], new)
            doc["status"] = new
            self.document_tree.update_document(doc["id"], status=new)
            self._update_doc_title()
            self.notify(f"{doc['name']}: {'done' if new == 'done' else 'back in progress'}")

        self.safely(run)

    def action_undo(self) -> None:
        self._history(history.undo, "Undone", "nothing to undo")

    def action_redo(self) -> None:
        self._history(history.redo, "Redone", "nothing to redo")

    def _history(self, fn: Callable[[Project], history.Step | None], verb: str, empty: str) -> None:
        def run() -> None:
            step = fn(self.project)
            if step is None:
                self.notify(empty, severity="warning")
                return
            self.after_history(step)
            self.notify(f"{verb}: {step.label}")

        self.safely(run)

    def after_history(self, step: history.Step) -> None:
        self.documents = list_documents(self.project)
        for d in self.documents:
            self.document_tree.update_document(d["id"], status=d["status"], codings=d["codings"])
        if self.document:
            fresh = next((d for d in self.documents if d["id"] == self.document["id"]), None)
            if fresh:
                self.document = fresh
                self._update_doc_title()
            if self.document["id"] in step.document_ids or step.coding_ids:
                self._reload_codings()
        if step.code_ids:
            self.load_codes()  # an in-vivo code went away (undo) or came back (redo)
        self.codebook_tree.set_counts(
            codebook.code_tree(self.project, self.document["id"] if self.document else None)
        )
        self.reopen_if_revised(step)

    def action_contrast(self) -> None:
        """K on a coding starts a contrast; K on another passage (any document) completes it."""

        def mark(c: Coding) -> None:
            if any(p.id == c.id for p in self.contrast_pending):
                self.notify(f"{c.code} is already part of the contrast", severity="warning")
                return
            self.contrast_pending.append(c)
            if len(self.contrast_pending) == 1:
                self.notify(
                    f"{c.code} marked for a contrast; press K on the passage it contrasts with",
                    title="Contrast",
                )
                return

            self.app.push_screen(
                PromptDialog("What contradicts what? (a note; esc cancels)"), self._save_contrast
            )

        self._with_coding("contrast", mark)

    def _save_contrast(self, note: str | None) -> None:
        pending, self.contrast_pending = self.contrast_pending, []
        if note is None:
            self.notify("contrast not saved", severity="warning", title="Contrast")
            return

        def run() -> None:
            add_contrast(self.project, [c.id for c in pending], note=note)
            self.notify(
                f"contrast of {len(pending)} passages saved ({', '.join(c.code for c in pending)})",
                title="Contrast",
            )

        self.safely(run)
