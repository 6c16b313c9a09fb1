"""Contrasts: passages an analyst marks as contradicting each other, or as differing in perspective.

The cross-case analysis looks for "ogenschijnlijk tegenstrijdige informatie"
and for stakeholders who see the same thing differently. Both are judgements
about two or more passages together, so they are stored as a group of
codings with a note, not on any one coding. A contrast belongs to every
theme one of its passages is coded with (or under).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.codings import get_coding
from casebook.core.query import Sql, fetch_passages, marks
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project, new_id, now

KINDS = ("contradiction", "perspective")


@dataclass
class Contrast:
    id: str
    kind: str
    note: str | None
    coder: str | None
    created_at: str
    passages: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "note": self.note,
            "coder": self.coder,
            "created_at": self.created_at,
            "passages": [
                {k: p[k] for k in ("coding_id", "case_name", "document", "role", "code", "quote")}
                for p in self.passages
            ],
        }


def add_contrast(
    project: Project,
    coding_refs: Sequence[str],
    *,
    note: str | None = None,
    kind: str = "contradiction",
) -> str:
    if kind not in KINDS:
        raise InvalidInput(f"unknown contrast kind '{kind}'; use one of: {', '.join(KINDS)}")
    ids: list[str] = []
    for ref in coding_refs:
        cid = get_coding(project, ref)["id"]
        if cid not in ids:
            ids.append(cid)
    if len(ids) < 2:
        raise InvalidInput(
            "a contrast needs at least two different codings (see `casebook codings`)"
        )
    contrast_id = new_id()
    with project.transaction():
        project.conn.execute(
            "INSERT INTO contrasts (id, kind, note, coder_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (contrast_id, kind, (note or "").strip() or None, project.coder_id(), now()),
        )
        project.conn.executemany(
            "INSERT INTO contrast_codings (contrast_id, coding_id) VALUES (?, ?)",
            [(contrast_id, cid) for cid in ids],
        )
        project.audit(
            "add", "contrast", contrast_id, after={"kind": kind, "codings": ids, "note": note}
        )
    return contrast_id


def resolve_contrast(project: Project, ref: str) -> str:
    rows = project.query("SELECT id FROM contrasts WHERE id = ?", (ref,))
    if not rows and len(ref) >= 4:
        rows = project.query("SELECT id FROM contrasts WHERE id LIKE ?", (ref + "%",))
    if not rows:
        raise NotFound(f"no contrast '{ref}'; list them with `casebook contrasts`")
    if len(rows) > 1:
        raise InvalidInput(f"contrast '{ref}' is ambiguous; give more of its id")
    return rows[0]["id"]


def remove_contrast(project: Project, ref: str) -> None:
    contrast_id = resolve_contrast(project, ref)
    with project.transaction():
        before = project.query_one("SELECT * FROM contrasts WHERE id = ?", (contrast_id,))
        project.conn.execute("DELETE FROM contrasts WHERE id = ?", (contrast_id,))
        project.audit("remove", "contrast", contrast_id, before=before)


def list_contrasts(project: Project, theme: str | None = None) -> list[Contrast]:
    """All contrasts, or those with a passage coded with ``theme`` or below it."""
    where = ""
    params: list[Any] = []
    if theme is not None:
        ids = descendants(project, resolve_code(project, theme)["id"])
        where = (
            " WHERE c.id IN (SELECT cc.contrast_id FROM contrast_codings cc JOIN codings k"
            f" ON k.id = cc.coding_id WHERE k.code_id IN ({marks(ids)}))"
        )
        params = list(ids)
    rows = project.query(
        "SELECT c.id, c.kind, c.note, c.created_at, o.name AS coder FROM contrasts c"
        f" LEFT JOIN coders o ON o.id = c.coder_id{where} ORDER BY c.created_at, c.id",
        params,
    )
    if not rows:
        return []
    out = {
        r["id"]: Contrast(r["id"], r["kind"], r["note"], r["coder"], r["created_at"]) for r in rows
    }
    links = project.query(
        f"SELECT contrast_id, coding_id FROM contrast_codings WHERE contrast_id IN ({marks(list(out))})",
        list(out),
    )
    coding_ids = sorted({r["coding_id"] for r in links})
    q = Sql(where=[(f"k.id IN ({marks(coding_ids)})", coding_ids)])
    passages = {p["coding_id"]: p for p in fetch_passages(project, q)}
    for link in links:
        p = passages.get(link["coding_id"])
        if p is not None:
            out[link["contrast_id"]].passages.append(p)
    return list(out.values())
