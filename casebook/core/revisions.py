"""A document's stored revisions at the level of its rows: find one, switch sides.

A revision (``casebook.versions``) stores both sides of a document in
``document_versions`` and one ``revision_items`` row per carried coding or
mention. Undo and redo (``casebook.core.history``) and the revision itself put a
document on one side or the other with ``switch_revision``; that needs only
these tables, so it lives here, below both history and versions.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.core.query import marks
from casebook.errors import CasebookError
from casebook.store.project import Project, now

SEGMENT_COLUMNS = (
    "kind",
    "start",
    "end",
    "label",
    "speaker_kind",
    "role",
    "organisation",
    "time",
    "level",
)
_SHIFT = 1_000_000_000  # parks codings while they move, so two never meet on the unique key halfway

# What a document version records about the file it came from (document_versions
# columns copied from the documents row when a version is stored).
VERSION_SOURCE_COLUMNS = (
    "source_name",
    "source_size",
    "sha256",
    "format",
    "n_chars",
    "n_pages",
    "imported_at",
)


class RevisionConflict(CasebookError):
    title = "Revision"


def current_segments(project: Project, document_id: str) -> list[list[Any]]:
    """The document's segments as stored rows, sentences with their lemmas (for the search index)."""
    lemmas = {
        r["segment_id"]: r["lemmas"]
        for r in project.query(
            "SELECT segment_id, lemmas FROM segments_fts WHERE document_id = ?", (document_id,)
        )
    }
    rows = project.query(
        "SELECT id, "
        + ", ".join(SEGMENT_COLUMNS)
        + " FROM segments WHERE document_id = ? ORDER BY start, kind, id",
        (document_id,),
    )
    return [[r[c] for c in SEGMENT_COLUMNS] + [lemmas.get(r["id"])] for r in rows]


def earlier_version_of(project: Project, sha256: str) -> dict[str, Any] | None:
    """The document a file was once a version of (for duplicate checks and merges)."""
    return project.query_one(
        "SELECT v.document_id, v.version, d.name, d.version AS current FROM document_versions v"
        " JOIN documents d ON d.id = v.document_id WHERE v.sha256 = ? AND v.version < d.version"
        " ORDER BY v.version DESC LIMIT 1",
        (sha256,),
    )


# --- switching a document between the two sides of a revision -------------------------------


def switch_revision(project: Project, revision_id: str, *, forward: bool) -> str:
    """Put a document on the new (forward) or old side of a revision; returns the document id.

    Used by the revision itself, by undo and by redo. Refuses, naming the
    reason, when the document no longer looks the way the other side left it.
    """
    rev = project.query_one("SELECT * FROM revisions WHERE id = ?", (revision_id,))
    if rev is None:
        raise RevisionConflict("that revision is no longer in the project")
    doc_id = rev["document_id"]
    current = project.scalar("SELECT version FROM documents WHERE id = ?", (doc_id,))
    want_from, want_to = (
        (rev["from_version"], rev["to_version"])
        if forward
        else (rev["to_version"], rev["from_version"])
    )
    if current != want_from:
        raise RevisionConflict(
            f"the document is at version {current}, not {want_from}; undo its later revisions first"
        )
    version = project.query_one(
        "SELECT * FROM document_versions WHERE document_id = ? AND version = ?", (doc_id, want_to)
    )
    assert version is not None
    items = project.query(
        "SELECT * FROM revision_items WHERE revision_id = ? ORDER BY id", (revision_id,)
    )
    codings = [i for i in items if i["kind"] == "coding"]
    mentions = [i for i in items if i["kind"] == "mention"]
    conn = project.conn
    here = "new" if not forward else "old"
    there = "old" if not forward else "new"
    if not forward:
        extra = conn.execute(
            f"SELECT count(*) FROM codings WHERE document_id = ? AND id NOT IN "
            f"(SELECT target_id FROM revision_items WHERE revision_id = ? AND kind = 'coding' AND {here}_start IS NOT NULL)",
            (doc_id, revision_id),
        ).fetchone()[0]
        if extra:
            raise RevisionConflict(
                f"{extra} coding(s) were made on version {rev['to_version']} after the revision; "
                "remove them first or keep this version"
            )
    # codings that exist on this side: park them, then place them on the other side
    present = [i for i in codings if i[f"{here}_start"] is not None]
    for i in present:
        row = conn.execute(
            "SELECT start, end FROM codings WHERE id = ?", (i["target_id"],)
        ).fetchone()
        if row is None or (row[0], row[1]) != (i[f"{here}_start"], i[f"{here}_end"]):
            raise RevisionConflict(
                f"coding {i['target_id'][:8]} was changed or removed after the revision; undo that first"
            )
    conn.executemany(
        "UPDATE codings SET start = start + ?, end = end + ? WHERE id = ?",
        [(_SHIFT, _SHIFT, i["target_id"]) for i in present],
    )
    stamp = now()
    for i in codings:
        if i[f"{there}_start"] is None:
            if i[f"{here}_start"] is not None:
                conn.execute("DELETE FROM codings WHERE id = ?", (i["target_id"],))
        elif i[f"{here}_start"] is None:
            restore_coding(
                project,
                json.loads(i["row"]),
                i[f"{there}_start"],
                i[f"{there}_end"],
                i[f"{there}_quote"],
            )
        else:
            conn.execute(
                "UPDATE codings SET start = ?, end = ?, quote = ?, modified_at = ? WHERE id = ?",
                (
                    i[f"{there}_start"],
                    i[f"{there}_end"],
                    i[f"{there}_quote"],
                    stamp,
                    i["target_id"],
                ),
            )
    for i in mentions:
        if i[f"{there}_start"] is None:
            conn.execute("DELETE FROM mentions WHERE id = ?", (int(i["target_id"]),))
        elif i[f"{here}_start"] is None:
            m = json.loads(i["row"])
            m.update(start=i[f"{there}_start"], end=i[f"{there}_end"], surface=i[f"{there}_quote"])
            conn.execute(
                f"INSERT INTO mentions ({', '.join(m)}) VALUES ({marks(m)})",
                list(m.values()),
            )
        else:
            conn.execute(
                "UPDATE mentions SET start = ?, end = ?, surface = ? WHERE id = ?",
                (i[f"{there}_start"], i[f"{there}_end"], i[f"{there}_quote"], int(i["target_id"])),
            )
    conn.execute(
        "UPDATE documents SET version = ?, source_name = ?, source_size = ?, sha256 = ?, format = ?, n_chars = ?,"
        " n_pages = ? WHERE id = ?",
        (
            want_to,
            version["source_name"],
            version["source_size"],
            version["sha256"],
            version["format"],
            version["n_chars"],
            version["n_pages"],
            doc_id,
        ),
    )
    conn.execute(
        "UPDATE document_texts SET text = ? WHERE document_id = ?", (version["text"], doc_id)
    )
    replace_segments(project, doc_id, version["text"], json.loads(version["segments"]))
    conn.execute("UPDATE revisions SET undone = ? WHERE id = ?", (0 if forward else 1, revision_id))
    return doc_id


def restore_coding(
    project: Project, bundle: dict[str, Any], start: int, end: int, quote: str
) -> None:
    row = dict(bundle["coding"])
    row.update(start=start, end=end, quote=quote)
    project.conn.execute(
        f"INSERT INTO codings ({', '.join(row)}) VALUES ({marks(row)})",
        list(row.values()),
    )
    for link in bundle.get("framework_links", []):
        project.conn.execute(
            "INSERT OR IGNORE INTO framework_links (cell_id, coding_id) SELECT ?, ? WHERE EXISTS"
            " (SELECT 1 FROM framework_cells WHERE id = ?)",
            (link["cell_id"], link["coding_id"], link["cell_id"]),
        )
    for link in bundle.get("coding_partners", []):
        project.conn.execute(
            "INSERT OR IGNORE INTO coding_partners (coding_id, organisation_id, coder_id, created_at)"
            " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM organisations WHERE id = ?)",
            (
                link["coding_id"],
                link["organisation_id"],
                link["coder_id"],
                link["created_at"],
                link["organisation_id"],
            ),
        )


def replace_segments(project: Project, doc_id: str, text: str, segments: list[list[Any]]) -> None:
    conn = project.conn
    conn.execute("DELETE FROM segments_fts WHERE document_id = ?", (doc_id,))
    conn.execute("DELETE FROM segments WHERE document_id = ?", (doc_id,))
    fts = []
    for s in segments:
        cur = conn.execute(
            "INSERT INTO segments (document_id, kind, start, end, label, speaker_kind, role, organisation, time,"
            " level) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc_id, *s[:9]),
        )
        if s[0] == "sentence":
            fts.append((text[s[1] : s[2]], s[9] or "", cur.lastrowid, doc_id))
    conn.executemany(
        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) VALUES (?,?,?,?)", fts
    )
