"""Read-only look-ups the partners front ends need (workbench screen and CLI).

Kept apart from registry, mentions and review so both front ends ask the same
questions of the project without writing SQL themselves.
"""

from __future__ import annotations

from typing import Any

from casebook.store.project import Project


def cases_with_organisations(project: Project) -> list[dict[str, Any]]:
    """The cases that have a partner registry (``id``, ``name``), by name."""
    return project.query(
        "SELECT DISTINCT c.id, c.name FROM cases c JOIN organisations o ON o.case_id = c.id "
        "ORDER BY c.name"
    )


def case_organisations(project: Project, case_id: str) -> list[dict[str, Any]]:
    """A case's organisations (``id``, ``name``, ``type``), by name."""
    return project.query(
        "SELECT id, name, type FROM organisations WHERE case_id = ? ORDER BY name", (case_id,)
    )


def organisation_mentions(project: Project, organisation_id: str) -> list[dict[str, Any]]:
    """The standing mentions of one organisation (found or confirmed, not rejected).

    Each row: ``document_id``, ``document`` (its name), ``start``, ``end``,
    ``surface`` and ``method``; in document and text order.
    """
    return project.query(
        "SELECT m.document_id, d.name AS document, m.start, m.end, m.surface, m.method "
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.organisation_id = ? AND m.status IN ('auto', 'confirmed') "
        "ORDER BY d.name, m.start",
        (organisation_id,),
    )


def mention_case_id(project: Project, mention_id: int) -> str | None:
    """The case of the document a mention is in (None: no such mention, or no case)."""
    return project.scalar(
        "SELECT d.case_id FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.id = ?",
        (mention_id,),
    )


def case_ids(project: Project) -> list[str]:
    """Every case id, by case name."""
    return [r["id"] for r in project.query("SELECT id FROM cases ORDER BY name")]


def case_name(project: Project, case_id: str) -> str | None:
    return project.scalar("SELECT name FROM cases WHERE id = ?", (case_id,))


def document_texts(project: Project, document_ids: list[str]) -> dict[str, str]:
    """The canonical text of each document (empty for one that has none), one query each."""
    texts: dict[str, str] = {}
    for doc_id in document_ids:
        if doc_id not in texts:
            texts[doc_id] = (
                project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc_id,))
                or ""
            )
    return texts
