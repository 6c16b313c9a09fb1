"""Applying, changing and removing codings.

Each call is one committed transaction with an audit entry holding the row
before and after, which is what undo/redo replays. A coding always stores
its quoted text; the schema checks its length against the offsets and
``check_quotes`` verifies the text itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import resolve_code
from casebook.core.documents import document_text, resolve_document
from casebook.core.query import Where, marks
from casebook.errors import Ambiguous, CasebookError, InvalidInput, NotFound
from casebook.store.project import Project, new_id, now

CODING_COLUMNS = (
    "id",
    "document_id",
    "code_id",
    "coder_id",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "modified_at",
)


def get_coding(project: Project, coding_id: str) -> dict[str, Any]:
    row = project.query_one("SELECT * FROM codings WHERE id = ?", (coding_id,))
    if row is None and len(coding_id) >= 4:
        rows = project.query("SELECT * FROM codings WHERE id LIKE ?", (coding_id + "%",))
        if len(rows) > 1:
            raise Ambiguous(f"coding '{coding_id}' is ambiguous; give more of its id")
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"no coding '{coding_id}'; list them with `casebook codings`")
    return row


@dataclass
class Applied:
    """What applying a code did: ``added``, ``exists`` (already covered) or ``merged``."""

    id: str
    status: str
    start: int
    end: int
    merged: list[dict[str, Any]] = field(default_factory=list)  # rows folded into ``id``


def apply_coding(
    project: Project,
    document_id: str,
    code_id: str,
    start: int,
    end: int,
    *,
    coder: str | None = None,
    memo: str | None = None,
) -> Applied:
    """Code ``[start, end)`` so that one coder never has two overlapping codings of one code.

    A range already covered by this coder's coding of the code changes nothing
    (``exists``; no audit row, so no undo step). Codings of the same code by the
    same coder that overlap or touch the range are folded into one coding over
    the union (``merged``), as NVivo and MAXQDA do; the removals and the new row
    are one transaction with audit rows, so one undo brings the pieces back.
    Matrices then count passages, not repeated rows.
    """
    text = document_text(project, document_id)
    if not (0 <= start < end <= len(text)):
        raise InvalidInput(f"range {start}–{end} is outside the document (0–{len(text)})")
    coder_id = project.coder_id(coder)
    touching = project.query(
        "SELECT * FROM codings WHERE document_id = ? AND code_id = ? AND coder_id = ?"
        " AND start <= ? AND end >= ? ORDER BY start",
        (document_id, code_id, coder_id, end, start),
    )
    for row in touching:
        if row["start"] <= start and end <= row["end"]:
            return Applied(row["id"], "exists", row["start"], row["end"])
    if touching:
        start = min(start, *(r["start"] for r in touching))
        end = max(end, *(r["end"] for r in touching))
        memos = [m for m in (*(r["memo"] for r in touching), memo) if m]
        memo = "\n\n".join(dict.fromkeys(memos)) or None
    coding_id = new_id()
    stamp = now()
    row = {
        "id": coding_id,
        "document_id": document_id,
        "code_id": code_id,
        "coder_id": coder_id,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "memo": memo,
        "created_at": min([stamp, *(r["created_at"] for r in touching)]),
        "modified_at": stamp,
    }
    with project.transaction():
        _insert(project, row)
        for old in touching:
            _repoint_links(project, old["id"], coding_id)
            project.conn.execute("DELETE FROM codings WHERE id = ?", (old["id"],))
            project.audit("remove", "coding", old["id"], before=old)
        project.conn.execute(
            "UPDATE documents SET status = 'in_progress' WHERE id = ? AND status = 'new'",
            (document_id,),
        )
        project.audit("add", "coding", coding_id, after=row)
    return Applied(coding_id, "merged" if touching else "added", start, end, touching)


def _repoint_links(project: Project, old_id: str, new_id_: str) -> None:
    """Framework links, partner links and memos of a merged piece follow it into the merged coding."""
    tables = {
        r["name"] for r in project.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for table in ("framework_links", "coding_partners"):
        if table in tables:
            cols = [r["name"] for r in project.query(f"PRAGMA table_info({table})")]
            others = ", ".join(c for c in cols if c != "coding_id")
            project.conn.execute(
                f"INSERT OR IGNORE INTO {table} (coding_id, {others}) "
                f"SELECT ?, {others} FROM {table} WHERE coding_id = ?",
                (new_id_, old_id),
            )
    project.conn.execute(
        "UPDATE memos SET target_id = ? WHERE target_kind = 'coding' AND target_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM memos m WHERE m.target_kind = 'coding' AND m.target_id = ?)",
        (new_id_, old_id, new_id_),
    )


def add_coding(
    project: Project,
    document_id: str,
    code_id: str,
    start: int,
    end: int,
    *,
    coder: str | None = None,
    memo: str | None = None,
) -> str:
    """Code ``[start, end)``; see ``apply_coding`` for how overlaps are merged. Returns the id."""
    return apply_coding(project, document_id, code_id, start, end, coder=coder, memo=memo).id


def _insert(project: Project, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    project.conn.execute(f"INSERT INTO codings ({cols}) VALUES ({marks(row)})", list(row.values()))


def find_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets of a quote in a text; ambiguity is an error unless an occurrence is given."""
    if not quote:
        raise InvalidInput("the quote is empty")
    hits: list[int] = []
    pos = text.find(quote)
    while pos != -1:
        hits.append(pos)
        pos = text.find(quote, pos + 1)
    if not hits:
        raise NotFound(f"quote not found in the document: “{quote[:60]}”")
    if occurrence is None:
        if len(hits) > 1:
            raise Ambiguous(
                f"the quote occurs {len(hits)} times in the document; add --occurrence N (1–{len(hits)})"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(hits):
        raise InvalidInput(
            f"--occurrence {occurrence} is out of range; the quote occurs {len(hits)} times"
        )
    start = hits[occurrence - 1]
    return start, start + len(quote)


def code_quote(
    project: Project,
    document_ref: str,
    code_ref: str,
    quote: str,
    *,
    occurrence: int | None = None,
    coder: str | None = None,
    memo: str | None = None,
) -> str:
    doc = resolve_document(project, document_ref)
    code = resolve_code(project, code_ref)
    start, end = find_quote(document_text(project, doc["id"]), quote, occurrence)
    return add_coding(project, doc["id"], code["id"], start, end, coder=coder, memo=memo)


def coding_coder(project: Project, coding_id: str) -> str:
    """The name of the coder who made a coding (to ask before touching someone else's)."""
    row = get_coding(project, coding_id)
    return project.scalar("SELECT name FROM coders WHERE id = ?", (row["coder_id"],)) or "?"


def remove_coding(project: Project, coding_id: str) -> dict[str, Any]:
    row = get_coding(project, coding_id)
    with project.transaction():
        project.conn.execute("DELETE FROM codings WHERE id = ?", (row["id"],))
        project.audit("remove", "coding", row["id"], before=row)
    return row


def recode(project: Project, coding_id: str, code_ref: str) -> None:
    row = get_coding(project, coding_id)
    code = resolve_code(project, code_ref)
    if code["id"] == row["code_id"]:
        return
    with project.transaction():
        try:
            project.conn.execute(
                "UPDATE codings SET code_id = ?, modified_at = ? WHERE id = ?",
                (code["id"], now(), row["id"]),
            )
        except Exception as exc:  # sqlite3.IntegrityError: the same passage already has that code
            raise CasebookError(f"this passage is already coded {code['path']}") from exc
        project.audit(
            "recode",
            "coding",
            row["id"],
            before={"code_id": row["code_id"]},
            after={"code_id": code["id"]},
        )


def set_coding_memo(project: Project, coding_id: str, memo: str | None) -> None:
    row = get_coding(project, coding_id)
    with project.transaction():
        project.conn.execute(
            "UPDATE codings SET memo = ?, modified_at = ? WHERE id = ?",
            (memo or None, now(), row["id"]),
        )
        project.audit(
            "memo", "coding", row["id"], before={"memo": row["memo"]}, after={"memo": memo or None}
        )


def list_codings(
    project: Project,
    *,
    document_id: str | None = None,
    code_ids: list[str] | None = None,
    coder: str | None = None,
) -> list[dict[str, Any]]:
    sql = """
        SELECT k.id, k.document_id, d.name AS document, c.name AS case_name, k.code_id, x.path AS code,
               x.colour, o.name AS coder, k.start, k.end, k.quote, k.memo, k.created_at, k.modified_at
        FROM codings k
        JOIN documents d ON d.id = k.document_id
        LEFT JOIN cases c ON c.id = d.case_id
        JOIN codes x ON x.id = k.code_id
        JOIN coders o ON o.id = k.coder_id
    """
    where = Where().equal("k.document_id", document_id).among("k.code_id", code_ids)
    where.equal("o.name", coder)
    sql += where.sql() + " ORDER BY c.name, d.name, k.start, x.path"
    return project.query(sql, where.params)


def codings_at(project: Project, document_id: str, offset: int) -> list[dict[str, Any]]:
    """Codings covering one character position (for 'remove the coding under the cursor')."""
    return project.query(
        "SELECT k.*, x.path AS code FROM codings k JOIN codes x ON x.id = k.code_id "
        "WHERE k.document_id = ? AND k.start <= ? AND k.end > ? ORDER BY k.end - k.start",
        (document_id, offset, offset),
    )


def check_quotes(project: Project) -> list[dict[str, Any]]:
    """Codings whose stored quote no longer equals the text at their offsets."""
    return project.query(
        "SELECT k.id, k.document_id, k.start, k.end FROM codings k JOIN document_texts t "
        "ON t.document_id = k.document_id WHERE substr(t.text, k.start + 1, k.end - k.start) <> k.quote"
    )
