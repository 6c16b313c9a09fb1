"""Reviewing a revision: what it carried, and accepting, deleting or moving each item."""

from __future__ import annotations

import json
from typing import Any

from casebook.core.documents import document_text
from casebook.core.revisions import restore_coding
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project, now
from casebook.versions.items import OUTCOMES, coding_bundle

# --- reading revisions and reviewing them -------------------------------------------------


def list_revisions(project: Project, document_id: str) -> list[dict[str, Any]]:
    revs = project.query(
        "SELECT * FROM revisions WHERE document_id = ? ORDER BY to_version, created_at",
        (document_id,),
    )
    for r in revs:
        rows = project.query(
            "SELECT kind, outcome, review, count(*) AS n FROM revision_items WHERE revision_id = ?"
            " GROUP BY kind, outcome, review",
            (r["id"],),
        )
        r["codings"] = {
            o: sum(x["n"] for x in rows if x["kind"] == "coding" and x["outcome"] == o)
            for o in OUTCOMES
        }
        r["mentions"] = {
            o: sum(x["n"] for x in rows if x["kind"] == "mention" and x["outcome"] == o)
            for o in OUTCOMES
        }
        r["open"] = sum(x["n"] for x in rows if x["kind"] == "coding" and x["review"] == "open")
    return revs


def review_items(
    project: Project, document_id: str, *, revision_id: str | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    """The codings a document's (live) revisions flagged: every outcome but *same*, with code and coder."""
    sql = (
        "SELECT i.*, r.to_version, coalesce(x.path, json_extract(i.row, '$.coding.code_id')) AS code,"
        " coalesce(o.name, '') AS coder FROM revision_items i JOIN revisions r ON r.id = i.revision_id"
        " LEFT JOIN codings k ON k.id = i.target_id"
        " LEFT JOIN codes x ON x.id = coalesce(k.code_id, json_extract(i.row, '$.coding.code_id'))"
        " LEFT JOIN coders o ON o.id = coalesce(k.coder_id, json_extract(i.row, '$.coding.coder_id'))"
        " WHERE r.document_id = ? AND r.undone = 0 AND i.kind = 'coding' AND i.outcome <> 'same'"
    )
    params: list[Any] = [document_id]
    if revision_id:
        sql += " AND r.id = ?"
        params.append(revision_id)
    if open_only:
        sql += " AND i.review = 'open'"
    return project.query(sql + " ORDER BY r.to_version, i.old_start, i.id", params)


def _open_item(project: Project, item_id: int) -> dict[str, Any]:
    item = project.query_one(
        "SELECT i.*, r.document_id, r.undone FROM revision_items i JOIN revisions r ON r.id = i.revision_id"
        " WHERE i.id = ? AND i.kind = 'coding'",
        (item_id,),
    )
    if item is None or item["undone"]:
        raise NotFound(f"no flagged coding {item_id}; list them with `casebook revisions DOC`")
    return item


def accept_item(project: Project, item_id: int) -> None:
    """The carried coding is right as it is (a lost one stays gone)."""
    item = _open_item(project, item_id)
    with project.transaction():
        project.conn.execute(
            "UPDATE revision_items SET review = 'accepted', reviewed_at = ? WHERE id = ?",
            (now(), item_id),
        )
        project.audit(
            "review", "revision", item["revision_id"], after={"item": item_id, "review": "accepted"}
        )


def delete_item(project: Project, item_id: int) -> None:
    """Remove the carried coding (a lost one is simply dismissed).

    The row, with its framework and partner links, stays with the revision,
    so undoing the revision brings the coding back onto the old text.
    """
    item = _open_item(project, item_id)
    with project.transaction():
        coding = project.query_one("SELECT * FROM codings WHERE id = ?", (item["target_id"],))
        row = item["row"]
        if coding:
            row = json.dumps(coding_bundle(project, coding), ensure_ascii=False)
            project.conn.execute("DELETE FROM codings WHERE id = ?", (coding["id"],))
        project.conn.execute(
            "UPDATE revision_items SET review = 'deleted', reviewed_at = ?, row = ?, new_start = NULL,"
            " new_end = NULL, new_quote = NULL WHERE id = ?",
            (now(), row, item_id),
        )
        project.audit(
            "review",
            "revision",
            item["revision_id"],
            before={"item": item_id, "coding": coding},
            after={"item": item_id, "review": "deleted"},
        )


def suggest_place(project: Project, item_id: int) -> tuple[int, int] | None:
    """Where the coding's old words stand best in the current text (exact, else the closest stretch)."""

    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import fuzz

    item = _open_item(project, item_id)
    text = document_text(project, item["document_id"])
    quote = item["old_quote"]
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    hit = fuzz.partial_ratio_alignment(quote, text)
    if hit is None or hit.score < 60 or hit.dest_end <= hit.dest_start:
        return None
    return hit.dest_start, hit.dest_end


def move_item(
    project: Project, item_id: int, start: int | None = None, end: int | None = None
) -> tuple[int, int]:
    """Put the coding on ``[start, end)`` of the current text, by default where its old words stand best."""

    item = _open_item(project, item_id)
    if start is None or end is None:
        place = suggest_place(project, item_id)
        if place is None:
            raise NotFound(
                f"the old words of coding {item_id} are nowhere in the current text; "
                "give a --quote to move it to, or delete it"
            )
        start, end = place
    text = document_text(project, item["document_id"])
    if not 0 <= start < end <= len(text):
        raise InvalidInput(f"range {start}–{end} is outside the document (0–{len(text)})")
    quote = text[start:end]
    with project.transaction():
        existing = project.query_one("SELECT * FROM codings WHERE id = ?", (item["target_id"],))
        if existing:
            project.conn.execute(
                "UPDATE codings SET start = ?, end = ?, quote = ?, modified_at = ? WHERE id = ?",
                (start, end, quote, now(), item["target_id"]),
            )
        else:
            restore_coding(project, json.loads(item["row"]), start, end, quote)
        project.conn.execute(
            "UPDATE revision_items SET review = 'moved', new_start = ?, new_end = ?, new_quote = ?, reviewed_at = ?"
            " WHERE id = ?",
            (start, end, quote, now(), item_id),
        )
        project.audit(
            "review",
            "revision",
            item["revision_id"],
            before={"item": item_id, "start": item["new_start"], "end": item["new_end"]},
            after={"item": item_id, "review": "moved", "start": start, "end": end, "quote": quote},
        )
    return start, end
