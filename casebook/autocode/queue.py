"""The suggestion queue: list, accept and reject what the rules proposed.

Accepting is the only way a suggestion becomes a coding. It is one user
action (one transaction and one undo step) that adds a normal coding by the
accepting coder and writes an ``autocode`` entry for that coding to the audit
log naming the rule, its query and score, so the coding's history shows where
it came from. Rejecting keeps the row (status ``rejected``) so the rule does
not propose the passage again.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from casebook.codes.codebook import resolve_code
from casebook.core import history
from casebook.core.codings import add_coding
from casebook.core.query import Where
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project, now

STATUSES = ("pending", "accepted", "rejected")
CONTEXT_CHARS = 400


@dataclass
class Decision:
    accepted: list[int]
    rejected: list[int]
    coding_ids: list[str]
    skipped: list[int]  # already decided


def list_suggestions(
    project: Project,
    *,
    code: str | None = None,
    rule: str | None = None,
    status: str | None = "pending",
    document_id: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Suggestions with their document, code, rule and quoted passage, in document order."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(
            f"unknown suggestion status '{status}'; use one of {', '.join(STATUSES)}"
        )
    where = Where().equal("s.status", status)
    if code:
        where.equal("s.code_id", resolve_code(project, code)["id"])
    if rule:
        where.equal("s.rule_id", _rule_id(project, rule))
    where.equal("s.document_id", document_id)
    sql = (
        "SELECT s.id, s.document_id, d.name AS document, c.name AS case_name, s.code_id, x.path AS code,"
        " r.name AS rule, r.kind AS rule_kind, r.query AS rule_query, s.start, s.end, s.score, s.status,"
        " s.coding_id, o.name AS decided_by, s.decided_at,"
        " substr(t.text, s.start + 1, s.end - s.start) AS quote"
        " FROM suggestions s JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN cases c ON c.id = d.case_id JOIN codes x ON x.id = s.code_id"
        " JOIN autocode_rules r ON r.id = s.rule_id JOIN document_texts t ON t.document_id = s.document_id"
        " LEFT JOIN coders o ON o.id = s.decided_by"
    )
    sql += where.sql() + " ORDER BY c.name, d.name, s.start, x.path, s.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return project.query(sql, where.params)


def _rule_id(project: Project, name: str) -> str:
    rid = project.scalar("SELECT id FROM autocode_rules WHERE name = ?", (name.strip(),))
    if rid is None:
        raise NotFound(f"no autocoding rule '{name}'; see `casebook autocode --list`")
    return rid


def get_suggestion(project: Project, suggestion_id: int) -> dict[str, Any]:
    row = project.query_one(
        "SELECT s.*, r.name AS rule, r.kind AS rule_kind, r.query AS rule_query, x.path AS code"
        " FROM suggestions s JOIN autocode_rules r ON r.id = s.rule_id JOIN codes x ON x.id = s.code_id"
        " WHERE s.id = ?",
        (suggestion_id,),
    )
    if row is None:
        raise NotFound(f"no suggestion {suggestion_id}; list them with `casebook suggestions`")
    return row


def select_ids(
    project: Project,
    ids: Sequence[int | str] = (),
    *,
    rule: str | None = None,
    every: bool = False,
    code: str | None = None,
) -> list[int]:
    """Pending suggestion ids named directly, by rule, or all (optionally of one code)."""
    for raw in ids:
        if not str(raw).isdigit():
            raise InvalidInput(
                f"'{raw}' is not a suggestion id; ids are the numbers in `casebook suggestions`"
            )
    chosen = [int(i) for i in ids]
    if ids and (rule or every):
        raise InvalidInput("give suggestion ids, or --rule NAME, or --all, not several")
    if not ids and not rule and not every:
        raise InvalidInput("say which suggestions: ids, --rule NAME or --all")
    if not ids:
        chosen = [r["id"] for r in list_suggestions(project, code=code, rule=rule)]
    return chosen


def accept(
    project: Project,
    ids: Sequence[int],
    *,
    code: str | None = None,
    span: tuple[int, int] | None = None,
) -> Decision:
    """Turn pending suggestions into codings by the current coder (one action, one undo step).

    ``code`` applies another code than the one suggested; ``span`` (one
    suggestion only) codes a widened or narrowed passage instead.
    """
    if span is not None and len(ids) != 1:
        raise InvalidInput("a changed passage can only be given for one suggestion")
    other = resolve_code(project, code) if code else None
    rows = [get_suggestion(project, i) for i in ids]
    decision = Decision([], [], [], [])
    label = f"accept {len(rows)} suggestion{'s' if len(rows) != 1 else ''}"
    with history.step(project, label):
        coder_id = project.coder_id()
        for row in rows:
            if row["status"] != "pending":
                decision.skipped.append(row["id"])
                continue
            start, end = span if span is not None else (row["start"], row["end"])
            code_id = other["id"] if other else row["code_id"]
            coding_id = add_coding(project, row["document_id"], code_id, start, end)
            project.conn.execute(
                "UPDATE suggestions SET status = 'accepted', coding_id = ?, decided_by = ?, decided_at = ?"
                " WHERE id = ?",
                (coding_id, coder_id, now(), row["id"]),
            )
            project.audit(
                "autocode",
                "coding",
                coding_id,
                after={
                    "suggestion": row["id"],
                    "rule": row["rule"],
                    "kind": row["rule_kind"],
                    "query": row["rule_query"],
                    "score": row["score"],
                    "suggested_code": row["code"],
                    "suggested": [row["start"], row["end"]],
                },
            )
            decision.accepted.append(row["id"])
            decision.coding_ids.append(coding_id)
    return decision


def reject(project: Project, ids: Sequence[int]) -> Decision:
    """Mark pending suggestions rejected (one transaction); the rule will not propose them again."""
    rows = [get_suggestion(project, i) for i in ids]
    decision = Decision([], [], [], [])
    with project.transaction():
        coder_id = project.coder_id()
        stamp = now()
        for row in rows:
            if row["status"] != "pending":
                decision.skipped.append(row["id"])
                continue
            project.conn.execute(
                "UPDATE suggestions SET status = 'rejected', decided_by = ?, decided_at = ? WHERE id = ?",
                (coder_id, stamp, row["id"]),
            )
            project.audit(
                "reject",
                "suggestion",
                str(row["id"]),
                after={
                    "rule": row["rule"],
                    "code": row["code"],
                    "document_id": row["document_id"],
                    "start": row["start"],
                    "end": row["end"],
                },
            )
            decision.rejected.append(row["id"])
    return decision


def coding_origin(project: Project, coding_id: str) -> dict[str, Any] | None:
    """The rule behind a coding that came from an accepted suggestion, from the audit log."""
    row = project.query_one(
        "SELECT after FROM audit_log WHERE entity = 'coding' AND action = 'autocode' AND entity_id = ?"
        " ORDER BY seq DESC LIMIT 1",
        (coding_id,),
    )
    return json.loads(row["after"]) if row else None


# --- context and resizing for the review screen -------------------------------------


def sentence_spans(project: Project, document_id: str) -> list[tuple[int, int]]:
    return [
        (int(s), int(e))
        for s, e in project.conn.execute(
            "SELECT start, end FROM segments WHERE document_id = ? AND kind = 'sentence' ORDER BY start",
            (document_id,),
        )
    ]


def resize(
    sentences: Sequence[tuple[int, int]], span: tuple[int, int], how: str
) -> tuple[int, int]:
    """Widen or narrow a passage by one sentence at its end (``widen``/``narrow``) or start
    (``widen_start``/``narrow_start``); a passage never shrinks below one sentence."""
    start, end = span
    starts = [s for s, _ in sentences]
    if how == "widen":
        i = bisect.bisect_left(starts, end)
        return (start, sentences[i][1]) if i < len(sentences) else span
    if how == "widen_start":
        i = bisect.bisect_left(starts, start) - 1
        return (sentences[i][0], end) if i >= 0 else span
    inside = [(s, e) for s, e in sentences if s >= start and e <= end]
    if len(inside) < 2:
        return span
    if how == "narrow":
        return (start, inside[-2][1])
    if how == "narrow_start":
        return (inside[1][0], end)
    raise InvalidInput(f"unknown resize '{how}'")


def context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """Text before, the passage, and text after: up to ``chars`` each way, cut at a line end
    or, failing that, between words."""
    lo = max(0, start - chars)
    if lo > 0:
        nl = text.find("\n", lo, start)
        if nl != -1:
            lo = nl + 1
        else:
            space = text.find(" ", lo, start)
            lo = space + 1 if space != -1 else lo
    hi = min(len(text), end + chars)
    if hi < len(text):
        nl = text.rfind("\n", end, hi)
        if nl != -1:
            hi = nl
        else:
            space = text.rfind(" ", end, hi)
            hi = space if space != -1 else hi
    return text[lo:start], text[start:end], text[end:hi]
