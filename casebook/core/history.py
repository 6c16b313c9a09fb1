"""Undo and redo of coding work, replayed from the audit log.

Every user action already writes its rows' before/after JSON to the
append-only audit log. ``step`` wraps one action and records which audit rows
it wrote as an undo step (table ``undo_steps``), so undo and redo survive a
restart and need no second copy of the data. Undo replays the "before"
images in reverse order, redo the "after" images in order; both write their
own audit rows (action ``undo``/``redo``) so the log still tells the whole
story. A new step discards the steps that were undone, as editors do.

Covered: codings added, removed, recoded or given a memo; memos on a case,
document, code or the project; a document's status; a document's revision
(new version), as one step; a code created in the same step as a coding
(in-vivo coding), which undo removes again when no other coding, child code
or memo uses it. Other codebook edits are not
undoable here (move and merge take a backup instead).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from casebook.core.codings import CODING_COLUMNS
from casebook.core.query import marks
from casebook.core.revisions import RevisionConflict, switch_revision
from casebook.errors import CasebookError
from casebook.store.project import Project, now

UNDOABLE = {
    ("coding", "add"),
    ("coding", "remove"),
    ("coding", "recode"),
    ("coding", "memo"),
    ("memo", "add"),
    ("memo", "memo"),
    ("document", "status"),
    ("document", "revise"),  # a whole revision (casebook.versions.revise) is one step
    # a code added inside a step (an in-vivo code with its first coding); undo
    # removes it only while nothing else uses it
    ("code", "add"),
}


@dataclass
class Step:
    id: int
    label: str
    undone: bool
    document_ids: set[str] = field(default_factory=set)
    coding_ids: set[str] = field(default_factory=set)
    code_ids: set[str] = field(default_factory=set)  # codes created or removed again


class HistoryConflict(CasebookError):
    title = "Undo"


def _last_seq(project: Project) -> int:
    return project.scalar("SELECT coalesce(max(seq), 0) FROM audit_log") or 0


@contextmanager
def step(project: Project, label: str) -> Iterator[None]:
    """Run one user action as a single transaction and, if it changed anything undoable, one step."""
    with project.transaction():
        first = _last_seq(project) + 1
        yield
        rows = project.query(
            "SELECT seq, entity, action FROM audit_log WHERE seq >= ? ORDER BY seq", (first,)
        )
        seqs = [r["seq"] for r in rows if (r["entity"], r["action"]) in UNDOABLE]
        if seqs:
            project.conn.execute(
                "DELETE FROM undo_steps WHERE coder = ? AND undone = 1", (project.coder,)
            )
            project.conn.execute(
                "INSERT INTO undo_steps (coder, first_seq, last_seq, label) VALUES (?, ?, ?, ?)",
                (project.coder, seqs[0], seqs[-1], label),
            )


def peek_undo(project: Project) -> Step | None:
    row = project.query_one(
        "SELECT * FROM undo_steps WHERE coder = ? AND undone = 0 ORDER BY id DESC LIMIT 1",
        (project.coder,),
    )
    return Step(row["id"], row["label"], False) if row else None


def peek_redo(project: Project) -> Step | None:
    row = project.query_one(
        "SELECT * FROM undo_steps WHERE coder = ? AND undone = 1 ORDER BY id LIMIT 1",
        (project.coder,),
    )
    return Step(row["id"], row["label"], True) if row else None


def undo(project: Project) -> Step | None:
    """Revert the coder's latest step; None when there is nothing to undo."""
    found = peek_undo(project)
    if found is None:
        return None
    return _replay(project, found, backwards=True)


def redo(project: Project) -> Step | None:
    """Re-apply the step undone most recently; None when there is nothing to redo."""
    found = peek_redo(project)
    if found is None:
        return None
    return _replay(project, found, backwards=False)


def _entries(project: Project, step_id: int) -> list[dict[str, Any]]:
    bounds = project.query_one(
        "SELECT first_seq, last_seq FROM undo_steps WHERE id = ?", (step_id,)
    )
    assert bounds is not None
    rows = project.query(
        "SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq",
        (bounds["first_seq"], bounds["last_seq"]),
    )
    out = []
    for r in rows:
        if (r["entity"], r["action"]) not in UNDOABLE:
            continue
        r["before"] = json.loads(r["before"]) if r["before"] else None
        r["after"] = json.loads(r["after"]) if r["after"] else None
        out.append(r)
    return out


def _replay(project: Project, found: Step, *, backwards: bool) -> Step:
    entries = _entries(project, found.id)
    if backwards:
        entries.reverse()
    verb = "undo" if backwards else "redo"
    try:
        with project.transaction():
            for e in entries:
                _apply(project, e, backwards, found)
                old, new = (e["after"], e["before"]) if backwards else (e["before"], e["after"])
                project.audit(verb, e["entity"], e["entity_id"], before=old, after=new)
            project.conn.execute(
                "UPDATE undo_steps SET undone = ? WHERE id = ?", (1 if backwards else 0, found.id)
            )
    except sqlite3.IntegrityError as exc:
        raise HistoryConflict(
            f"cannot {verb} “{found.label}”: the project changed since ({exc}); "
            "make the change by hand"
        ) from exc
    found.undone = backwards
    return found


def _apply(project: Project, e: dict[str, Any], backwards: bool, found: Step) -> None:
    entity, action, entity_id = e["entity"], e["action"], e["entity_id"]
    target = e["before"] if backwards else e["after"]
    conn = project.conn
    if entity == "coding":
        found.coding_ids.add(entity_id)
        if action in ("add", "remove"):
            row = e["after"] if action == "add" else e["before"]
            found.document_ids.add(row["document_id"])
            present = (action == "add") != backwards
            if present:
                cols = [c for c in CODING_COLUMNS if c in row]
                conn.execute(
                    f"INSERT INTO codings ({', '.join(cols)}) VALUES ({marks(cols)})",
                    [row[c] for c in cols],
                )
            else:
                conn.execute("DELETE FROM codings WHERE id = ?", (entity_id,))
            return
        doc = project.scalar("SELECT document_id FROM codings WHERE id = ?", (entity_id,))
        if doc is None:
            raise HistoryConflict(
                f"cannot {'undo' if backwards else 'redo'} “{found.label}”: that coding was removed since"
            )
        found.document_ids.add(doc)
        column = "code_id" if action == "recode" else "memo"
        conn.execute(
            f"UPDATE codings SET {column} = ?, modified_at = ? WHERE id = ?",
            (target[column], now(), entity_id),
        )
    elif entity == "memo":
        if action == "add":
            if backwards:
                conn.execute("DELETE FROM memos WHERE id = ?", (entity_id,))
            else:
                after = e["after"]
                conn.execute(
                    "INSERT INTO memos (id, target_kind, target_id, coder_id, body, created_at, modified_at)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (
                        entity_id,
                        after["target_kind"],
                        after["target_id"],
                        project.coder_id(e["coder"]),
                        after["body"],
                        e["at"],
                        now(),
                    ),
                )
        else:
            conn.execute(
                "UPDATE memos SET body = ?, modified_at = ? WHERE id = ?",
                (target["body"], now(), entity_id),
            )
    elif entity == "document" and action == "revise":
        found.document_ids.add(entity_id)
        try:
            switch_revision(project, e["after"]["revision"], forward=not backwards)
        except RevisionConflict as exc:
            raise HistoryConflict(
                f"cannot {'undo' if backwards else 'redo'} “{found.label}”: {exc}"
            ) from exc
    elif entity == "code":
        found.code_ids.add(entity_id)
        _apply_code_add(project, entity_id, e["after"], backwards)
    elif entity == "document":
        found.document_ids.add(entity_id)
        conn.execute("UPDATE documents SET status = ? WHERE id = ?", (target["status"], entity_id))


def _apply_code_add(project: Project, code_id: str, after: dict[str, Any], backwards: bool) -> None:
    conn = project.conn
    if backwards:
        used = project.scalar(
            "SELECT (SELECT count(*) FROM codings WHERE code_id = :id)"
            " + (SELECT count(*) FROM codes WHERE parent_id = :id)"
            " + (SELECT count(*) FROM memos WHERE target_kind = 'code' AND target_id = :id)",
            {"id": code_id},
        )
        if not used:
            conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))
        return
    if project.scalar("SELECT count(*) FROM codes WHERE id = ?", (code_id,)):
        return
    path = after["path"]
    parent_path, _, name = path.rpartition(".")
    parent_id = (
        project.scalar("SELECT id FROM codes WHERE path = ?", (parent_path,))
        if parent_path
        else None
    )
    stamp = now()
    conn.execute(
        "INSERT INTO codes (id, parent_id, name, path, label, definition, colour, created_at, modified_at)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (
            code_id,
            parent_id,
            name,
            path,
            after.get("label"),
            after.get("definition"),
            after.get("colour"),
            stamp,
            stamp,
        ),
    )
