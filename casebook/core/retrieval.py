"""Getting coded passages back out: the "coded segments" of a code, with who said them.

A passage is reported with its case, document, round, coder and the speaker
turn it starts in, so a researcher can filter on "what did the mbo partners
say about time" without opening documents. The speaker role is the turn's
role (``interviewer`` for interviewer turns) and falls back to the
document's role for text without turns, such as progress reports.
"""

from __future__ import annotations

from typing import Any

from casebook.codes.codebook import descendants
from casebook.core.documents import document_text
from casebook.core.filters import PassageFilter
from casebook.core.query import PASSAGE_JOINS, ROLE_SQL
from casebook.store.project import Project

CONTEXT_CHARS = 60

# Retrieval's columns over the shared passage joins (core.query): the turn a
# coding starts in gives speaker and role, as everywhere else.
_SELECT = (
    "k.id, k.document_id, d.name AS document, cs.name AS case_name, d.round, d.kind,"
    " k.code_id, x.path AS code, x.label AS code_label, x.colour, o.name AS coder,"
    " k.start, k.end, k.quote, k.memo, t.label AS speaker, t.speaker_kind,"
    f" {ROLE_SQL} AS role"
)


def coded_segments(
    project: Project,
    code_id: str | None = None,
    *,
    include_children: bool = True,
    case: str | None = None,
    role: str | None = None,
    round: str | None = None,
    coder: str | None = None,
    document_id: str | None = None,
    context: int = CONTEXT_CHARS,
) -> list[dict[str, Any]]:
    """Coded passages in case, document, offset order, each with one line of context.

    The keyword arguments are the names a person types (case and coder by name);
    they become a ``PassageFilter``, so this list and a matrix cell agree.
    """
    f = PassageFilter()
    if code_id:
        f.code_ids = descendants(project, code_id) if include_children else [code_id]
    if case:
        f.case_ids = _ids(project, "SELECT id FROM cases WHERE name = ? COLLATE NOCASE", case)
        if not f.case_ids:
            return []
    if coder:
        f.coder_ids = _ids(project, "SELECT id FROM coders WHERE name = ?", coder)
        if not f.coder_ids:
            return []
    if round:
        f.rounds = [round]
    if role:
        f.roles = [role.lower()]
    if document_id:
        f.document_ids = [document_id]
    q = f.sql()
    q.turn = True
    q.joins = [(PASSAGE_JOINS, []), *q.joins]
    sql, params = q.render(_SELECT, "ORDER BY cs.name, d.name, k.start, x.path")
    rows = project.query(sql, params)
    texts: dict[str, str] = {}
    for r in rows:
        doc = r["document_id"]
        if doc not in texts:
            texts[doc] = document_text(project, doc)
        text = texts[doc]
        before = text[max(r["start"] - context, 0) : r["start"]]
        r["context"] = context_line(before, r["quote"], text[r["end"] : r["end"] + context])
    return rows


def _ids(project: Project, sql: str, value: str) -> list[str]:
    return [r["id"] for r in project.query(sql, (value,))]


def context_line(before: str, quote: str, after: str) -> str:
    """The quote on one line with the words around it inside its paragraph."""
    before = before.rpartition("\n")[2]
    after = after.partition("\n")[0]
    if " " in before and len(before) >= CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[1]
    if " " in after and len(after) >= CONTEXT_CHARS:
        after = after.rsplit(" ", 1)[0] + "…"
    return f"{before}«{quote}»{after}".replace("\n", " ⏎ ")


def filter_values(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The distinct cases, roles, rounds and coders present, for filter menus."""
    keys = {"case": "case_name", "role": "role", "round": "round", "coder": "coder"}
    return {name: sorted({r[col] for r in rows if r[col]}) for name, col in keys.items()}


def recent_codes(project: Project, coder: str | None = None, limit: int = 9) -> list[str]:
    """The codes this coder applied most recently, newest first."""
    rows = project.query(
        "SELECT k.code_id, max(k.created_at) AS last, max(k.rowid) AS seq FROM codings k "
        "JOIN coders o ON o.id = k.coder_id WHERE o.name = ? GROUP BY k.code_id "
        "ORDER BY last DESC, seq DESC LIMIT ?",
        (coder or project.coder, limit),
    )
    return [r["code_id"] for r in rows]


def document_codings(project: Project, document_id: str) -> list[dict[str, Any]]:
    """Every coding of one document in text order, for the reader and the plain-text view.

    The code's path comes twice (``code`` and ``path``) so the plain-text view
    reads current codings and codings on an earlier version
    (``versions.stored.codings_on_version``) by the same keys.
    """
    return project.query(
        "SELECT k.id, k.code_id, k.start, k.end, k.memo, k.quote, x.path AS code, x.path, "
        "x.label AS code_label, "
        "x.colour, o.name AS coder FROM codings k JOIN codes x ON x.id = k.code_id "
        "JOIN coders o ON o.id = k.coder_id WHERE k.document_id = ? ORDER BY k.start, k.end",
        (document_id,),
    )


def document_coders(project: Project, document_id: str) -> list[dict[str, Any]]:
    """Who coded one document and how often, most codings first (for choosing a comparison)."""
    return project.query(
        "SELECT o.name, count(*) AS codings FROM codings k JOIN coders o ON o.id = k.coder_id "
        "WHERE k.document_id = ? GROUP BY o.name ORDER BY codings DESC, o.name",
        (document_id,),
    )
