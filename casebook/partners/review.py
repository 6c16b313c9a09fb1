"""The review list of candidate organisations found in the text.

A candidate is accepted as a new organisation (with a type) or as an alias
of one already registered, or rejected. Rejections are remembered per case,
so the same name does not come back at the next detection.
"""

from __future__ import annotations

from typing import Any

from casebook.core.filters import PassageFilter
from casebook.errors import Ambiguous, InvalidInput, NotFound
from casebook.partners.registry import (
    add_alias,
    add_organisation,
    resolve_organisation,
)
from casebook.partners.storage import detect_case
from casebook.partners.variants import normalise
from casebook.store.project import Project, now


def list_candidates(
    project: Project, case_id: str | None = None, status: str | None = "pending"
) -> list[dict[str, Any]]:
    sql = (
        "SELECT k.id, k.name, k.suggested_type, k.source, k.count, k.example, k.status, c.name AS case_name, "
        "k.case_id, o.name AS organisation FROM organisation_candidates k JOIN cases c ON c.id = k.case_id "
        "LEFT JOIN organisations o ON o.id = k.organisation_id"
    )
    where = PassageFilter(case_ids=[case_id] if case_id else []).case_clauses("k.case_id")
    where.equal("k.status", status)
    return project.query(sql + where.sql() + " ORDER BY c.name, k.count DESC, k.name", where.params)


def resolve_candidate(project: Project, ref: str, case_id: str | None = None) -> dict[str, Any]:
    ref = ref.strip()
    scope, extra = (" AND case_id = ?", (case_id,)) if case_id else ("", ())
    rows = project.query(
        f"SELECT * FROM organisation_candidates WHERE name = ?{scope}", (ref, *extra)
    )
    if not rows and len(ref) >= 4:
        rows = project.query(
            f"SELECT * FROM organisation_candidates WHERE id LIKE ?{scope}", (ref + "%", *extra)
        )
    if not rows:
        raise NotFound(f"no candidate '{ref}'; see them with `casebook partners review`")
    if len(rows) > 1:
        raise Ambiguous(f"'{ref}' is a candidate in {len(rows)} cases; add --case")
    return rows[0]


def accept_candidate(
    project: Project,
    candidate_id: str,
    *,
    type_: str | None = None,
    alias_of: str | None = None,
    name: str | None = None,
) -> str:
    """Register a candidate (as a new organisation, or as an alias of ``alias_of``); returns the organisation id."""
    cand = project.query_one("SELECT * FROM organisation_candidates WHERE id = ?", (candidate_id,))
    if cand is None:
        raise NotFound(f"no candidate {candidate_id}")
    if cand["status"] == "accepted":
        raise InvalidInput(f"'{cand['name']}' was already accepted")
    with project.transaction():
        if alias_of:
            org = resolve_organisation(project, alias_of, cand["case_id"])
            add_alias(project, org["id"], name or cand["name"])
            org_id = org["id"]
        else:
            org_id = add_organisation(
                project, cand["case_id"], name or cand["name"], type_ or cand["suggested_type"]
            )
        project.conn.execute(
            "UPDATE organisation_candidates SET status = 'accepted', organisation_id = ?, decided_at = ? WHERE id = ?",
            (org_id, now(), candidate_id),
        )
        project.audit(
            "accept", "organisation_candidate", candidate_id, after={"organisation_id": org_id}
        )
    return org_id


def reject_candidate(project: Project, candidate_id: str) -> None:
    cand = project.query_one("SELECT * FROM organisation_candidates WHERE id = ?", (candidate_id,))
    if cand is None:
        raise NotFound(f"no candidate {candidate_id}")
    with project.transaction():
        project.conn.execute(
            "UPDATE organisation_candidates SET status = 'rejected', decided_at = ? WHERE id = ?",
            (now(), candidate_id),
        )
        project.conn.execute(
            "DELETE FROM mentions WHERE status = 'candidate' AND surface = ? AND document_id IN "
            "(SELECT id FROM documents WHERE case_id = ?)",
            (cand["name"], cand["case_id"]),
        )
        project.audit(
            "reject", "organisation_candidate", candidate_id, before={"name": cand["name"]}
        )


def accept_and_detect(
    project: Project,
    candidate_id: str,
    *,
    type_: str | None = None,
    alias_of: str | None = None,
    name: str | None = None,
) -> tuple[str, int]:
    """Accept a candidate, detect its case again, and say how many mentions now resolve to it.

    The count is what the review reports for one decision: every mention of
    the accepted form in the case, not only the one the analyst looked at.
    """
    cand = project.query_one("SELECT * FROM organisation_candidates WHERE id = ?", (candidate_id,))
    if cand is None:
        raise NotFound(f"no candidate {candidate_id}")
    org_id = accept_candidate(project, candidate_id, type_=type_, alias_of=alias_of, name=name)
    detect_case(project, cand["case_id"])
    form = normalise(name or cand["name"])
    found = sum(
        1
        for r in project.query(
            "SELECT m.surface FROM mentions m JOIN documents d ON d.id = m.document_id "
            "WHERE d.case_id = ? AND m.organisation_id = ? AND m.status IN ('auto', 'confirmed')",
            (cand["case_id"], org_id),
        )
        if normalise(r["surface"]) == form
    )
    return org_id, found
