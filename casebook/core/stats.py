"""Project-wide counts for `casebook stats`."""

from __future__ import annotations

from typing import Any

from casebook.store.project import Project


def project_stats(project: Project) -> dict[str, Any]:
    q = project.scalar
    return {
        "project": str(project.path),
        "cases": q("SELECT count(*) FROM cases"),
        "documents": q("SELECT count(*) FROM documents"),
        "documents_by_kind": {
            r["kind"]: r["n"]
            for r in project.query("SELECT kind, count(*) AS n FROM documents GROUP BY kind")
        },
        "characters": q("SELECT coalesce(sum(n_chars), 0) FROM documents"),
        "pages": q("SELECT coalesce(sum(n_pages), 0) FROM documents"),
        "turns": q("SELECT count(*) FROM segments WHERE kind = 'turn'"),
        "sentences": q("SELECT count(*) FROM segments WHERE kind = 'sentence'"),
        "codes": q("SELECT count(*) FROM codes"),
        "codings": q("SELECT count(*) FROM codings"),
        "codings_by_coder": {
            r["name"]: r["n"]
            for r in project.query(
                "SELECT o.name, count(*) AS n FROM codings k JOIN coders o ON o.id = k.coder_id GROUP BY o.name"
            )
        },
        "documents_done": q("SELECT count(*) FROM documents WHERE status = 'done'"),
        "memos": q("SELECT count(*) FROM memos"),
        "schema_version": q("PRAGMA user_version"),
    }
