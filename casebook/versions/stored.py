"""Reading a document's versions: the list, the text of one, the codings it had."""

from __future__ import annotations

import json
from typing import Any

from casebook.core.documents import document_text, segments_of
from casebook.core.revisions import SEGMENT_COLUMNS, VERSION_SOURCE_COLUMNS
from casebook.errors import NotFound
from casebook.store.project import Project


def list_versions(project: Project, document_id: str) -> list[dict[str, Any]]:
    """Every stored version of a document, oldest first; a never-revised document has only its current one."""
    doc = project.query_one("SELECT * FROM documents WHERE id = ?", (document_id,))
    if doc is None:
        raise NotFound(f"no document {document_id}")
    rows = project.query(
        "SELECT document_id, version, source_name, source_size, sha256, format, n_chars, n_pages, imported_at"
        " FROM document_versions WHERE document_id = ? AND version <= ? ORDER BY version",
        (document_id, doc["version"]),
    )
    if not rows:
        rows = [
            {k: doc[k] for k in VERSION_SOURCE_COLUMNS}
            | {"document_id": document_id, "version": doc["version"]}
        ]
    for r in rows:
        r["current"] = r["version"] == doc["version"]
    return rows


def version_text(
    project: Project, document_id: str, version: int
) -> tuple[str, list[dict[str, Any]]]:
    """The text and segments of one version (the current one is read from the live tables)."""
    current = project.scalar("SELECT version FROM documents WHERE id = ?", (document_id,))
    if current is None:
        raise NotFound(f"no document {document_id}")
    if version == current:
        return document_text(project, document_id), segments_of(project, document_id)
    row = project.query_one(
        "SELECT text, segments FROM document_versions WHERE document_id = ? AND version = ? AND version < ?",
        (document_id, version, current),
    )
    if row is None:
        raise NotFound(
            f"this document has no version {version}; it is at version {current} "
            "(list them with `casebook docs --versions`)"
        )
    segs = [dict(zip(SEGMENT_COLUMNS, s[:9], strict=True)) for s in json.loads(row["segments"])]
    return row["text"], segs


def document_version(project: Project, document_id: str) -> dict[str, Any] | None:
    """Name and current version number of a document."""
    return project.query_one("SELECT id, name, version FROM documents WHERE id = ?", (document_id,))


def versions_table(project: Project, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per version of each listed document, for `casebook docs --versions`."""
    out = []
    for d in documents:
        for v in list_versions(project, d["id"]):
            out.append(
                {
                    "id": d["id"],
                    "short": d["id"][:8],
                    "name": d["name"],
                    "case_name": d["case_name"],
                    "version": v["version"],
                    "v": f"v{v['version']}",
                    "source_name": v["source_name"],
                    "characters": v["n_chars"],
                    "sha256": v["sha256"],
                    "sha": v["sha256"][:12],
                    "imported_at": (v["imported_at"] or "")[:16],
                    "current": v["current"],
                    "now": "●" if v["current"] else "",
                }
            )
    return out


def codings_on_version(project: Project, document_id: str, version: int) -> list[dict[str, Any]]:
    """The codings as they stood on an earlier version (from the revision that left it)."""
    return project.query(
        "SELECT i.old_start AS start, i.old_end AS end, i.old_quote AS quote,"
        " coalesce(x.path, '?') AS path, coalesce(o.name, '?') AS coder"
        " FROM revision_items i JOIN revisions r ON r.id = i.revision_id"
        " LEFT JOIN codings k ON k.id = i.target_id"
        " LEFT JOIN codes x ON x.id = coalesce(k.code_id, json_extract(i.row, '$.coding.code_id'))"
        " LEFT JOIN coders o ON o.id = coalesce(k.coder_id, json_extract(i.row, '$.coding.coder_id'))"
        " WHERE r.document_id = ? AND r.from_version = ? AND r.undone = 0 AND i.kind = 'coding'"
        " ORDER BY i.old_start, i.old_end",
        (document_id, version),
    )
