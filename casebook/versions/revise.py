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
again. Both go through ``switch_revision`` (``casebook.core.revisions``, so
history needs nothing from here), which first checks that the document still
looks the way the revision left it.

Beside this module: ``stored`` reads versions, ``items`` builds the carried
rows, ``review`` accepts, deletes or moves them, ``chain`` carries a team
merge's spans through several revisions. The CLI and the workbench import
all of it from here (``__all__``).

Coding memos and memos on codings follow the coding's id, framework evidence
(``framework_links``) and partner links (``coding_partners``) too, so they
travel with the coding and are stored with it when it is lost.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.core import history, language
from casebook.core.documents import (
    DocumentMeta,
    ImportOutcome,
    analyse_file,
    document_text,
    resolve_document,
    sha256_of,
)
from casebook.core.revisions import RevisionConflict, current_segments, switch_revision
from casebook.errors import ImportFailed, InvalidInput
from casebook.importers import reader_for
from casebook.store.backup import backup
from casebook.store.project import Project, new_id, now
from casebook.versions.align import Alignment, Carried
from casebook.versions.chain import VersionChain, record_merged
from casebook.versions.items import (
    OUTCOMES,
    coding_bundle,
    count_outcomes,
    insert_items,
    revision_item,
)
from casebook.versions.review import (
    accept_item,
    delete_item,
    list_revisions,
    move_item,
    review_items,
    suggest_place,
)
from casebook.versions.stored import (
    codings_on_version,
    document_version,
    list_versions,
    version_text,
    versions_table,
)

# The CLI, the workbench and the team merge import these from here.
__all__ = [
    "OUTCOMES",
    "RevisionConflict",
    "RevisionReport",
    "VersionChain",
    "accept_item",
    "apply_new_version",
    "check_new_file",
    "codings_on_version",
    "delete_item",
    "document_version",
    "list_revisions",
    "list_versions",
    "move_item",
    "record_merged",
    "review_items",
    "revise_document",
    "revise_from_import",
    "suggest_place",
    "switch_revision",
    "undo_revision",
    "version_text",
    "versions_table",
]


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
            revision_item("coding", k["id"], k["start"], k["end"], k["quote"], carried, new_text)
        )
        if carried.outcome == "lost":
            coding_items[-1]["row"] = json.dumps(coding_bundle(project, k), ensure_ascii=False)
    mention_items = []
    for m in mentions:
        carried = alignment.carry(m["start"], m["end"])
        item = revision_item(
            "mention", str(m["id"]), m["start"], m["end"], m["surface"], carried, new_text
        )
        if carried.outcome == "lost":
            item["row"] = json.dumps(m, ensure_ascii=False)
        mention_items.append(item)
    return coding_items, mention_items


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
    # the stored old version keeps its sentences: a document still waiting for them gets them first
    language.complete_document(project, doc["id"])
    old_text = document_text(project, doc["id"])
    alignment = Alignment(old_text, new_text, method)
    coding_items, mention_items = _plan(project, doc["id"], alignment, new_text)
    backup_path = None
    if take_backup and coding_items:
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
        insert_items(project, rid, coding_items + mention_items, "revision")
        switch_revision(project, rid, forward=True)
        counts = count_outcomes(coding_items)
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
                "mentions": count_outcomes(mention_items),
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
        count_outcomes(mention_items),
        flagged,
        backup_path,
    )


def revise_from_import(project: Project, path: Path, replaces: str) -> Any:
    """A manifest row with a ``replaces`` column: revise that document, reported like an import."""
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
