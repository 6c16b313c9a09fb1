"""Revising a document: a corrected file becomes version n+1 and the work on it comes along.

``revise_document`` reads the new file through the normal importer (outside
any transaction, like an import), aligns old and new canonical text
(``casebook.versions.align``), decides an outcome for every coding and every
partner mention, takes a backup, and then in one transaction: stores both
versions' text and segments in ``document_versions``, records the revision and
one ``revision_items`` row per carried thing (old and new span and quote; for
a lost coding its whole row with framework and partner links), switches the
document to the new text, segments and search index, moves the codings and
mentions, and writes one audit row holding both file hashes.

That audit row is an undo step (``casebook.core.history``): undo puts the old text,
segments, spans and lost codings back in one step, redo applies the revision
again. Both go through ``switch_revision``, which first checks that the
document still looks the way the revision left it.

Coding memos and memos on codings follow the coding's id, framework evidence
(``framework_links``) and partner links (``coding_partners``) too, so they
travel with the coding and are stored with it when it is lost.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.core.documents import DocumentMeta, analyse_file, resolve_document, sha256_of
from casebook.errors import CasebookError, ImportFailed, InvalidInput, NotFound
from casebook.store.project import Project, new_id, now
from casebook.versions.align import Alignment, Carried

OUTCOMES = ("same", "edited", "partial", "lost")
_SEGMENT_COLUMNS = (
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


class RevisionConflict(CasebookError):
    title = "Revision"


@dataclass
class RevisionReport:
    revision_id: str
    document_id: str
    document: str
    from_version: int
    to_version: int
    counts: dict[str, int]
    mention_counts: dict[str, int]
    flagged: list[dict[str, Any]] = field(default_factory=list)
    backup: str | None = None


# --- versions ----------------------------------------------------------------


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
        + ", ".join(_SEGMENT_COLUMNS)
        + " FROM segments WHERE document_id = ? ORDER BY start, kind, id",
        (document_id,),
    )
    return [[r[c] for c in _SEGMENT_COLUMNS] + [lemmas.get(r["id"])] for r in rows]


def _imported_segments(imported: Any) -> list[list[Any]]:
    out = []
    for s in imported.segments:
        lem = imported.lemmas.get((s.start, s.end), "") if s.kind == "sentence" else None
        out.append(
            [
                s.kind,
                s.start,
                s.end,
                s.label,
                s.speaker_kind,
                s.role,
                s.organisation,
                s.time,
                s.level,
                lem,
            ]
        )
    return out


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
            {
                k: doc[k]
                for k in (
                    "source_name",
                    "source_size",
                    "sha256",
                    "format",
                    "n_chars",
                    "n_pages",
                    "imported_at",
                )
            }
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
        from casebook.core.documents import document_text, segments_of

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
    segs = [dict(zip(_SEGMENT_COLUMNS, s[:9], strict=True)) for s in json.loads(row["segments"])]
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


def earlier_version_of(project: Project, sha256: str) -> dict[str, Any] | None:
    """The document a file was once a version of (for duplicate checks and merges)."""
    return project.query_one(
        "SELECT v.document_id, v.version, d.name, d.version AS current FROM document_versions v"
        " JOIN documents d ON d.id = v.document_id WHERE v.sha256 = ? AND v.version < d.version"
        " ORDER BY v.version DESC LIMIT 1",
        (sha256,),
    )


# --- planning ----------------------------------------------------------------


def _plan(
    project: Project, doc_id: str, alignment: Alignment, new_text: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    codings = project.query(
        "SELECT * FROM codings WHERE document_id = ? ORDER BY start, end, id", (doc_id,)
    )
    mentions = project.query(
        "SELECT * FROM mentions WHERE document_id = ? ORDER BY start, id", (doc_id,)
    )
    carried_all = [alignment.carry(k["start"], k["end"]) for k in codings]
    # two codings that now cover the same words with the same code become one: an unchanged one wins
    taken: set[tuple] = set()
    for rank in ("same", "edited", "partial"):
        for n, (k, carried) in enumerate(zip(codings, carried_all, strict=True)):
            if carried.outcome == rank:
                key = (k["code_id"], k["coder_id"], carried.start, carried.end)
                if key in taken:
                    carried_all[n] = Carried("lost")
                taken.add(key)
    coding_items = []
    for k, carried in zip(codings, carried_all, strict=True):
        coding_items.append(
            _item("coding", k["id"], k["start"], k["end"], k["quote"], carried, new_text)
        )
        if carried.outcome == "lost":
            coding_items[-1]["row"] = json.dumps(_coding_bundle(project, k), ensure_ascii=False)
    mention_items = []
    for m in mentions:
        carried = alignment.carry(m["start"], m["end"])
        item = _item("mention", str(m["id"]), m["start"], m["end"], m["surface"], carried, new_text)
        if carried.outcome == "lost":
            item["row"] = json.dumps(m, ensure_ascii=False)
        mention_items.append(item)
    return coding_items, mention_items


def _item(
    kind: str, target: str, start: int, end: int, quote: str, c: Carried, new_text: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "target_id": target,
        "outcome": c.outcome,
        "old_start": start,
        "old_end": end,
        "old_quote": quote,
        "new_start": c.start,
        "new_end": c.end,
        "new_quote": None if c.start is None else new_text[c.start : c.end],
        "row": None,
    }


def _coding_bundle(project: Project, coding: dict[str, Any]) -> dict[str, Any]:
    return {
        "coding": coding,
        "framework_links": project.query(
            "SELECT * FROM framework_links WHERE coding_id = ?", (coding["id"],)
        ),
        "coding_partners": project.query(
            "SELECT * FROM coding_partners WHERE coding_id = ?", (coding["id"],)
        ),
    }


# --- revising ----------------------------------------------------------------


def check_new_file(project: Project, doc: dict[str, Any], path: Path) -> bytes:
    """The bad-input checks that need no parsing: missing, empty, same as now, another document's file."""
    if not path.exists():
        raise ImportFailed(path, "no such file; check the path")
    if path.is_dir():
        raise ImportFailed(path, "is a folder; give the corrected file itself")
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailed(path, f"the file is empty; nothing to revise {doc['name']} with")
    from casebook.importers import reader_for

    old_ext = Path(doc["source_name"]).suffix.lower()
    new_ext = path.suffix.lower()
    reader_for(path)  # an unknown extension gets the importer's own message
    if _family(new_ext) != _family(old_ext):
        raise ImportFailed(
            path,
            f"is a {new_ext or 'extensionless'} file but {doc['name']} came from a {old_ext} file; "
            f"save the corrected version as {old_ext}, or import it as a new document",
        )
    digest = sha256_of(data)
    if digest == doc["sha256"]:
        raise ImportFailed(
            path,
            f"nothing changed: this file is the current version (v{doc['version']}) of {doc['name']}",
        )
    other = project.query_one("SELECT id, name FROM documents WHERE sha256 = ?", (digest,))
    if other:
        raise ImportFailed(
            path,
            f"this file is already imported as {other['name']} ({other['id'][:8]}); "
            "a document cannot become another one",
        )
    return data


def _family(ext: str) -> str:
    return {".md": ".txt", ".text": ".txt"}.get(ext, ext)


def revise_document(
    project: Project,
    document_ref: str,
    path: str | Path,
    *,
    note: str | None = None,
    method: str = "rapidfuzz",
    take_backup: bool = True,
) -> RevisionReport:
    """Make ``path`` the next version of a document and carry its codings and mentions across."""
    path = Path(path)
    doc = resolve_document(project, document_ref)
    data = check_new_file(project, doc, path)
    meta = DocumentMeta(
        case=None,
        kind=doc["kind"],
        role=doc["role"],
        organisation=doc["organisation"],
        interviewer=doc["interviewer"],
    )
    imported = analyse_file(path, meta)
    new_row = {
        "source_name": path.name,
        "source_size": len(data),
        "sha256": sha256_of(data),
        "format": imported.format,
        "n_chars": len(imported.text),
        "n_pages": imported.n_pages,
        "imported_at": now(),
    }
    return apply_new_version(
        project,
        doc,
        new_row,
        imported.text,
        _imported_segments(imported),
        note=note,
        method=method,
        take_backup=take_backup,
    )


def apply_new_version(
    project: Project,
    doc: dict[str, Any],
    new_row: dict[str, Any],
    new_text: str,
    new_segments: list[list[Any]],
    *,
    note: str | None = None,
    method: str = "rapidfuzz",
    take_backup: bool = True,
    undoable: bool = True,
) -> RevisionReport:
    """The revision proper, from an analysed text: used by files and by merges of a revised coder file."""
    from contextlib import nullcontext

    from casebook.core import history
    from casebook.core.documents import document_text

    old_text = document_text(project, doc["id"])
    alignment = Alignment(old_text, new_text, method)
    coding_items, mention_items = _plan(project, doc["id"], alignment, new_text)
    backup_path = None
    if take_backup and coding_items:
        from casebook.store.backup import backup

        backup_path = str(backup(project, "before-revise"))
    rid = new_id()
    old_v, new_v = doc["version"], doc["version"] + 1
    stamp = now()
    action = history.step(project, f"new version of {doc['name']}") if undoable else nullcontext()
    with project.transaction(), action:
        # an undone revision of this document is gone for good once a new one is made
        project.conn.execute(
            "DELETE FROM revisions WHERE document_id = ? AND undone = 1", (doc["id"],)
        )
        project.conn.execute(
            "DELETE FROM document_versions WHERE document_id = ? AND version >= ?",
            (doc["id"], new_v),
        )
        if not project.scalar(
            "SELECT 1 FROM document_versions WHERE document_id = ? AND version = ?",
            (doc["id"], old_v),
        ):
            _store_version(
                project, doc["id"], old_v, doc, old_text, current_segments(project, doc["id"])
            )
        _store_version(project, doc["id"], new_v, new_row, new_text, new_segments)
        project.conn.execute(
            "INSERT INTO revisions (id, document_id, from_version, to_version, old_sha256, new_sha256, note, coder,"
            " method, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                rid,
                doc["id"],
                old_v,
                new_v,
                doc["sha256"],
                new_row["sha256"],
                note,
                project.coder,
                method,
                stamp,
            ),
        )
        _insert_items(project, rid, coding_items + mention_items, "revision")
        switch_revision(project, rid, forward=True)
        counts = _count(coding_items)
        project.audit(
            "revise",
            "document",
            doc["id"],
            before={
                "revision": rid,
                "version": old_v,
                "sha256": doc["sha256"],
                "source_name": doc["source_name"],
            },
            after={
                "revision": rid,
                "version": new_v,
                "sha256": new_row["sha256"],
                "source_name": new_row["source_name"],
                "note": note,
                "codings": counts,
                "mentions": _count(mention_items),
            },
        )
    flagged = [i for i in coding_items if i["outcome"] != "same"]
    return RevisionReport(
        rid,
        doc["id"],
        doc["name"],
        old_v,
        new_v,
        counts,
        _count(mention_items),
        flagged,
        backup_path,
    )


def revise_from_import(project: Project, path: Path, replaces: str) -> Any:
    """A manifest row with a ``replaces`` column: revise that document, reported like an import."""
    from casebook.core.documents import ImportOutcome

    report = revise_document(project, replaces, path)
    c = report.counts
    flagged = c["edited"] + c["partial"] + c["lost"]
    message = (
        f"version {report.to_version} of {report.document}; codings: "
        + ", ".join(f"{c[o]} {o}" for o in OUTCOMES)
        + (
            f" — review {flagged} with `casebook revisions {report.document_id[:8]}`"
            if flagged
            else ""
        )
    )
    text_len = project.scalar("SELECT n_chars FROM documents WHERE id = ?", (report.document_id,))
    return ImportOutcome(str(path), "revised", report.document_id, message, text_len or 0)


def _count(items: list[dict[str, Any]]) -> dict[str, int]:
    c = Counter(i["outcome"] for i in items)
    return {o: c.get(o, 0) for o in OUTCOMES}


def _store_version(
    project: Project,
    doc_id: str,
    version: int,
    row: dict[str, Any],
    text: str,
    segments: list[list[Any]],
) -> None:
    project.conn.execute(
        "INSERT INTO document_versions (document_id, version, source_name, source_size, sha256, format, n_chars,"
        " n_pages, imported_at, text, segments) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc_id,
            version,
            row["source_name"],
            row["source_size"],
            row["sha256"],
            row["format"],
            row["n_chars"],
            row["n_pages"],
            row["imported_at"],
            text,
            json.dumps(segments, ensure_ascii=False),
        ),
    )


def _insert_items(project: Project, rid: str, items: list[dict[str, Any]], via: str) -> None:
    project.conn.executemany(
        "INSERT INTO revision_items (revision_id, kind, target_id, outcome, old_start, old_end, old_quote,"
        " new_start, new_end, new_quote, row, via, review) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rid,
                i["kind"],
                i["target_id"],
                i["outcome"],
                i["old_start"],
                i["old_end"],
                i["old_quote"],
                i["new_start"],
                i["new_end"],
                i["new_quote"],
                i["row"],
                via,
                "accepted" if i["outcome"] == "same" else "open",
            )
            for i in items
        ],
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
            _restore_coding(
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
                f"INSERT INTO mentions ({', '.join(m)}) VALUES ({', '.join('?' for _ in m)})",
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
    _replace_segments(project, doc_id, version["text"], json.loads(version["segments"]))
    conn.execute("UPDATE revisions SET undone = ? WHERE id = ?", (0 if forward else 1, revision_id))
    return doc_id


def _restore_coding(
    project: Project, bundle: dict[str, Any], start: int, end: int, quote: str
) -> None:
    row = dict(bundle["coding"])
    row.update(start=start, end=end, quote=quote)
    project.conn.execute(
        f"INSERT INTO codings ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
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


def _replace_segments(project: Project, doc_id: str, text: str, segments: list[list[Any]]) -> None:
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


def undo_revision(project: Project, document_ref: str) -> dict[str, Any]:
    """Undo a document's latest revision in one step, even when other work came after it elsewhere."""
    doc = resolve_document(project, document_ref)
    rev = project.query_one(
        "SELECT * FROM revisions WHERE document_id = ? AND undone = 0 ORDER BY to_version DESC LIMIT 1",
        (doc["id"],),
    )
    if rev is None:
        raise InvalidInput(
            f"{doc['name']} has no revision to undo (it is at version {doc['version']})"
        )
    with project.transaction():
        switch_revision(project, rev["id"], forward=False)
        seq = project.scalar(
            "SELECT seq FROM audit_log WHERE entity = 'document' AND action = 'revise' AND entity_id = ?"
            " ORDER BY seq DESC LIMIT 1",
            (doc["id"],),
        )
        if (
            seq is not None
        ):  # the history step is spent: undoing it again would find the wrong version
            project.conn.execute(
                "DELETE FROM undo_steps WHERE first_seq <= ? AND ? <= last_seq", (seq, seq)
            )
        project.audit(
            "undo",
            "document",
            doc["id"],
            before={
                "revision": rev["id"],
                "version": rev["to_version"],
                "sha256": rev["new_sha256"],
            },
            after={
                "revision": rev["id"],
                "version": rev["from_version"],
                "sha256": rev["old_sha256"],
            },
        )
    return rev


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
            row = json.dumps(_coding_bundle(project, coding), ensure_ascii=False)
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
    from rapidfuzz import fuzz

    from casebook.core.documents import document_text

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
    from casebook.core.documents import document_text

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
            _restore_coding(project, json.loads(item["row"]), start, end, quote)
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


# --- carrying spans made on an older version (merge) -----------------------------------------


class VersionChain:
    """The revisions from one earlier version of a document to its current one, aligned once."""

    def __init__(self, project: Project, document_id: str, version: int) -> None:
        self.steps: list[tuple[str, Alignment]] = []
        current = project.scalar("SELECT version FROM documents WHERE id = ?", (document_id,))
        for v in range(version, current):
            rev = project.query_one(
                "SELECT id, method FROM revisions WHERE document_id = ? AND to_version = ? AND undone = 0",
                (document_id, v + 1),
            )
            old, new = (
                project.scalar(
                    "SELECT text FROM document_versions WHERE document_id = ? AND version = ?",
                    (document_id, n),
                )
                for n in (v, v + 1)
            )
            assert rev is not None and old is not None and new is not None
            self.steps.append((rev["id"], Alignment(old, new, rev["method"])))

    def carry(
        self, start: int, end: int, quote: str, kind: str, target_id: str
    ) -> tuple[Carried, list[dict]]:
        """The span through every revision; the worst outcome on the way is its outcome.

        Returns the outcome and one review item per revision passed, so undoing
        a revision moves what a merge brought in as well.
        """
        rank = {o: n for n, o in enumerate(OUTCOMES)}
        outcome = "same"
        items = []
        for rid, al in self.steps:
            c = al.carry(start, end)
            item = _item(kind, target_id, start, end, quote, c, al.new)
            item["revision_id"] = rid
            items.append(item)
            if c.outcome == "lost":
                return c, items
            outcome = max(outcome, c.outcome, key=rank.__getitem__)
            start, end, quote = c.start, c.end, al.new[c.start : c.end]  # type: ignore[assignment,index]
        return Carried(outcome, start, end), items


def record_merged(
    project: Project, items: list[dict[str, Any]], source: str, row: str | None = None
) -> None:
    """Codings a merge carried through versions are listed with each revision, marked with their file."""
    for item in items:
        if item["outcome"] == "lost":
            item["row"] = row
        _insert_items(project, item["revision_id"], [item], f"merge:{source}")
