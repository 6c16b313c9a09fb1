"""Memos on the project, a case, a document, a code or a coding.

One memo per target and coder: writing again replaces the body (the audit
log keeps the earlier text, and undo can restore it). Coding memos live on
the coding row itself so exports carry them with the quote.
"""

from __future__ import annotations

from typing import Any

from casebook.core.codings import set_coding_memo
from casebook.errors import InvalidInput
from casebook.store.project import Project, new_id, now

TARGETS = ("project", "case", "document", "code", "coding")


def get_memo(
    project: Project, target_kind: str, target_id: str | None, coder: str | None = None
) -> str:
    if target_kind == "coding":
        return project.scalar("SELECT memo FROM codings WHERE id = ?", (target_id,)) or ""
    row = project.query_one(
        "SELECT body FROM memos WHERE target_kind = ? AND target_id IS ? AND coder_id = ?",
        (target_kind, target_id, project.coder_id(coder)),
    )
    return row["body"] if row else ""


def set_memo(
    project: Project, target_kind: str, target_id: str | None, body: str, coder: str | None = None
) -> str | None:
    if target_kind not in TARGETS:
        raise InvalidInput(f"memos attach to {', '.join(TARGETS)}, not '{target_kind}'")
    if target_kind == "coding":
        set_coding_memo(project, target_id or "", body)
        return target_id
    coder_id = project.coder_id(coder)
    row = project.query_one(
        "SELECT * FROM memos WHERE target_kind = ? AND target_id IS ? AND coder_id = ?",
        (target_kind, target_id, coder_id),
    )
    stamp = now()
    with project.transaction():
        if row:
            project.conn.execute(
                "UPDATE memos SET body = ?, modified_at = ? WHERE id = ?", (body, stamp, row["id"])
            )
            project.audit(
                "memo", "memo", row["id"], before={"body": row["body"]}, after={"body": body}
            )
            return row["id"]
        memo_id = new_id()
        project.conn.execute(
            "INSERT INTO memos (id, target_kind, target_id, coder_id, body, created_at, modified_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (memo_id, target_kind, target_id, coder_id, body, stamp, stamp),
        )
        project.audit(
            "add",
            "memo",
            memo_id,
            after={"target_kind": target_kind, "target_id": target_id, "body": body},
        )
        return memo_id


def list_memos(project: Project, target_kind: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT m.*, c.name AS coder FROM memos m LEFT JOIN coders c ON c.id = m.coder_id"
    params: tuple = ()
    if target_kind:
        sql += " WHERE m.target_kind = ?"
        params = (target_kind,)
    return project.query(sql + " ORDER BY m.modified_at", params)
