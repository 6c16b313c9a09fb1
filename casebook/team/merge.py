"""Merging another coder's project file into this one.

One module: the merge visits tables in one transaction with one id map; splitting it
would split the map.

Rules, in the order tables are visited:

- coders match by name; cases by id, then by name; attributes by scope and
  name; documents by content hash (sha256) — so the same transcript imported
  separately by two coders is one document;
- codes match by id, then by path; near-duplicate names (rapidfuzz) are
  *suggestions* that the user confirms or declines; a declined or unmatched
  code is added under its mapped parent;
- codings match by id, then by (document, code, coder, start, end), so
  identical codings are never doubled;
- a document revised here since the other file was made (its hash is an
  earlier version here, ``casebook.versions``) is the same document: the other
  file's new codings on it are carried through the revisions with the same
  outcomes a revision gives, and listed with each revision for review;
- nothing in this project is deleted or overwritten: where both files edited
  the same memo, attribute or coding memo, this project keeps its value and
  the other value is stored in ``merge_conflicts`` and listed;
- everything happens in one transaction after an automatic backup; a dry run
  does the same work and rolls back. Merging the same file twice changes
  nothing the second time.

Tables added by later capabilities take part through ``EXTRA_STEPS``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.core.query import marks
from casebook.core.revisions import VERSION_SOURCE_COLUMNS, earlier_version_of
from casebook.errors import CasebookError, ProjectError
from casebook.partners.teammerge import merge_partners
from casebook.privacy.teammerge import merge_persons
from casebook.store.backup import backup
from casebook.store.project import Project, connect, now, open_project
from casebook.versions.revise import VersionChain, apply_new_version, record_merged

_NS = uuid.UUID("4f3b1c2e-9a7d-4c55-8f6e-2d1a0b9c8e71")
STATUS_ORDER = {"new": 0, "in_progress": 1, "done": 2}


class MergeAborted(Exception):
    """Raised inside the transaction to roll back a dry run."""


@dataclass
class Suggestion:
    source_path: str
    target_path: str
    score: float


@dataclass
class MergeReport:
    source: str
    dry_run: bool
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    backup: str | None = None

    def add(self, table: str, n: int = 1) -> None:
        self.added[table] = self.added.get(table, 0) + n

    def match(self, table: str, n: int = 1) -> None:
        self.matched[table] = self.matched.get(table, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or bool(self.conflicts)


@dataclass
class MergeContext:
    target: Project
    src: sqlite3.Connection
    report: MergeReport
    coders: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    codings: dict[str, str] = field(default_factory=dict)
    extra: dict[str, dict[str, str]] = field(default_factory=dict)
    # documents the other file has in an earlier version: its id -> (this id, that version)
    versions: dict[str, tuple[str, int]] = field(default_factory=dict)
    chains: dict[str, Any] = field(default_factory=dict)

    def carry(
        self, src_doc: str, start: int, end: int, quote: str, kind: str, target_id: str
    ) -> Any:
        """A span on an earlier version, carried through this file's revisions (casebook.versions)."""
        doc, version = self.versions[src_doc]
        if src_doc not in self.chains:
            self.chains[src_doc] = VersionChain(self.target, doc, version)
        return self.chains[src_doc].carry(start, end, quote, kind, target_id)

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.src.execute(sql, params)
        cols = [c[0] for c in cur.description or ()]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def conflict(
        self, table: str, key: str, column: str, ours: Any, theirs: Any, label: str
    ) -> None:
        digest = hashlib.sha256(f"{table}|{key}|{column}|{theirs}".encode()).hexdigest()
        cur = self.target.conn.execute(
            "INSERT OR IGNORE INTO merge_conflicts (id, table_name, row_key, column_name, ours, theirs,"
            " source_file, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (digest, table, key, column, _s(ours), _s(theirs), self.report.source, now()),
        )
        if cur.rowcount:
            self.report.conflicts.append(
                f"{label}: this project keeps “{_short(ours)}”, other file had “{_short(theirs)}”"
            )


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


def _short(value: Any) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


# Later capabilities register (name, step) here; each step gets the context.
EXTRA_STEPS: list[tuple[str, Callable[[MergeContext], None]]] = []


def _register_extra_steps() -> None:
    """Partner registries and person registries travel with a merge too."""
    EXTRA_STEPS.extend([("partners", merge_partners), ("persons", merge_persons)])


def _open_source(path: Path) -> tuple[Path, Path]:
    """A migrated private copy of the other file; the user's file is never written."""
    if not path.exists():
        raise ProjectError(f"{path}: no such project file")
    src = connect(path)  # checks the header through SQLite, never with open()
    tmpdir = Path(tempfile.mkdtemp(prefix="casebook-merge-"))
    copy = tmpdir / "source.db"
    try:
        dest = connect(copy, create=True)
        try:
            src.backup(dest)
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise ProjectError(f"{path}: cannot read the project ({exc})") from exc
    finally:
        src.close()
    open_project(copy, create=False).close()  # forward-migrate the copy
    return copy, tmpdir


def merge_project(
    target: Project,
    source_path: Path,
    *,
    dry_run: bool = False,
    accept_similar: Callable[[Suggestion], bool] | None = None,
    similar_threshold: float = 88.0,
) -> MergeReport:
    source_path = Path(source_path)
    if source_path.resolve() == target.path.resolve():
        raise CasebookError("cannot merge a project into itself")
    copy, tmpdir = _open_source(source_path)
    report = MergeReport(source=source_path.name, dry_run=dry_run)
    try:
        src = connect(copy)
        try:
            if not dry_run:
                report.backup = str(backup(target, "before-merge"))
            ctx = MergeContext(target, src, report)
            try:
                with target.transaction():
                    _merge_all(ctx, accept_similar or (lambda _s: False), similar_threshold)
                    if dry_run:
                        raise MergeAborted
                    target.audit(
                        "merge",
                        "project",
                        None,
                        after={
                            "source": report.source,
                            "added": report.added,
                            "conflicts": len(report.conflicts),
                        },
                    )
            except MergeAborted:
                pass
        finally:
            src.close()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return report


def _merge_all(ctx: MergeContext, accept: Callable[[Suggestion], bool], threshold: float) -> None:
    _coders(ctx)
    _cases(ctx)
    _attributes(ctx)
    _documents(ctx)
    _codes(ctx, accept, threshold)
    _codings(ctx)
    _memos(ctx)
    for _name, step in EXTRA_STEPS:
        step(ctx)


def _coders(ctx: MergeContext) -> None:
    for row in ctx.rows("SELECT * FROM coders"):
        mine = ctx.target.query_one("SELECT id FROM coders WHERE name = ?", (row["name"],))
        if mine:
            ctx.coders[row["id"]] = mine["id"]
            ctx.report.match("coders")
            continue
        ctx.target.conn.execute(
            "INSERT INTO coders (id, name, created_at) VALUES (?,?,?)",
            (row["id"], row["name"], row["created_at"]),
        )
        ctx.coders[row["id"]] = row["id"]
        ctx.report.add("coders")


def _cases(ctx: MergeContext) -> None:
    for row in ctx.rows("SELECT * FROM cases"):
        mine = ctx.target.query_one(
            "SELECT * FROM cases WHERE id = ?", (row["id"],)
        ) or ctx.target.query_one("SELECT * FROM cases WHERE name = ?", (row["name"],))
        if mine:
            ctx.cases[row["id"]] = mine["id"]
            ctx.report.match("cases")
            if row["description"] and row["description"] != mine["description"]:
                if mine["description"]:
                    ctx.conflict(
                        "cases",
                        mine["id"],
                        "description",
                        mine["description"],
                        row["description"],
                        f"case {mine['name']} description",
                    )
                else:
                    ctx.target.conn.execute(
                        "UPDATE cases SET description = ? WHERE id = ?",
                        (row["description"], mine["id"]),
                    )
            continue
        ctx.target.conn.execute(
            "INSERT INTO cases (id, name, description, created_at) VALUES (?,?,?,?)",
            (row["id"], row["name"], row["description"], row["created_at"]),
        )
        ctx.cases[row["id"]] = row["id"]
        ctx.report.add("cases")


def _attributes(ctx: MergeContext) -> None:
    for row in ctx.rows("SELECT * FROM attributes"):
        mine = ctx.target.query_one(
            "SELECT id FROM attributes WHERE scope = ? AND name = ?", (row["scope"], row["name"])
        )
        if mine:
            ctx.attributes[row["id"]] = mine["id"]
        else:
            ctx.target.conn.execute(
                "INSERT INTO attributes (id, scope, name, type) VALUES (?,?,?,?)",
                (row["id"], row["scope"], row["name"], row["type"]),
            )
            ctx.attributes[row["id"]] = row["id"]
            ctx.report.add("attributes")
    for row in ctx.rows(
        "SELECT ca.*, a.name, c.name AS case_name FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id"
        " JOIN cases c ON c.id = ca.case_id"
    ):
        case_id, attr_id = ctx.cases[row["case_id"]], ctx.attributes[row["attribute_id"]]
        _attribute_value(
            ctx,
            "case_attributes",
            "case_id",
            case_id,
            attr_id,
            row["value"],
            f"case {row['case_name']} attribute {row['name']}",
        )


def _attribute_value(
    ctx: MergeContext, table: str, owner_col: str, owner: str, attr_id: str, value: Any, label: str
) -> None:
    mine = ctx.target.query_one(
        f"SELECT value FROM {table} WHERE {owner_col} = ? AND attribute_id = ?", (owner, attr_id)
    )
    if mine is None:
        ctx.target.conn.execute(
            f"INSERT INTO {table} ({owner_col}, attribute_id, value) VALUES (?,?,?)",
            (owner, attr_id, value),
        )
        ctx.report.add(table)
    elif mine["value"] != value:
        ctx.conflict(table, f"{owner}/{attr_id}", "value", mine["value"], value, label)


def _documents(ctx: MergeContext) -> None:
    """Documents by content hash; new ones come with text, segments, index rows and attributes.

    The source's segments, full-text rows and attributes are read once and
    grouped, and the target's hashes and ids are read once: one query per
    document (or per segment) made a 400-document merge scan the full-text
    table 400 times.
    """
    columns = [r[1] for r in ctx.target.conn.execute("PRAGMA table_info(documents)")]
    mine_by_hash = {
        sha: (doc_id, status)
        for doc_id, sha, status in ctx.target.conn.execute(
            "SELECT id, sha256, status FROM documents"
        )
    }
    taken = {doc_id for doc_id, _status in mine_by_hash.values()}
    src_docs = ctx.rows("SELECT * FROM documents")
    new_docs = [row for row in src_docs if row["sha256"] not in mine_by_hash]
    segments: dict[str, list[tuple]] = {}
    fts: dict[int, tuple] = {}
    attributes: dict[str, list[tuple]] = {}
    if new_docs:
        for seg in ctx.src.execute(
            "SELECT id, document_id, kind, start, end, label, speaker_kind, role, organisation, time, level"
            " FROM segments ORDER BY id"
        ):
            segments.setdefault(seg[1], []).append(seg)
        for seg_id, text, lemmas in ctx.src.execute(
            "SELECT segment_id, text, lemmas FROM segments_fts"
        ):
            fts[seg_id] = (text, lemmas)
        for doc_id, attr_id, value in ctx.src.execute(
            "SELECT document_id, attribute_id, value FROM document_attributes"
        ):
            attributes.setdefault(doc_id, []).append((attr_id, value))
    next_segment = (ctx.target.scalar("SELECT max(id) FROM segments") or 0) + 1

    for row in src_docs:
        mine = mine_by_hash.get(row["sha256"])
        if not mine:
            mine = _revised_there(ctx, row)
            if mine:
                mine_by_hash[row["sha256"]] = mine
        earlier = None if mine else earlier_version_of(ctx.target, row["sha256"])
        if (
            earlier
        ):  # revised here since the other file was made: its work is carried through versions
            ctx.documents[row["id"]] = earlier["document_id"]
            ctx.versions[row["id"]] = (earlier["document_id"], earlier["version"])
            ctx.report.match("documents")
            continue
        if mine:
            ctx.documents[row["id"]] = mine[0]
            ctx.report.match("documents")
            if STATUS_ORDER.get(row["status"], 0) > STATUS_ORDER.get(mine[1], 0):
                ctx.target.conn.execute(
                    "UPDATE documents SET status = ? WHERE id = ?", (row["status"], mine[0])
                )
            continue
        doc_id = row["id"]
        if doc_id in taken:
            doc_id = str(uuid.uuid5(_NS, f"document|{row['id']}|{row['sha256']}"))
        values = {c: row.get(c) for c in columns if c in row}
        values["id"] = doc_id
        values["case_id"] = ctx.cases.get(row["case_id"]) if row["case_id"] else None
        ctx.target.conn.execute(
            f"INSERT INTO documents ({', '.join(values)}) VALUES ({marks(values)})",
            list(values.values()),
        )
        text = ctx.src.execute(
            "SELECT text FROM document_texts WHERE document_id = ?", (row["id"],)
        ).fetchone()[0]
        ctx.target.conn.execute(
            "INSERT INTO document_texts (document_id, text) VALUES (?,?)", (doc_id, text)
        )
        next_segment = _copy_segments(ctx, segments.get(row["id"], []), fts, doc_id, next_segment)
        ctx.target.conn.executemany(
            "INSERT INTO document_attributes (document_id, attribute_id, value) VALUES (?,?,?)",
            [
                (doc_id, ctx.attributes[attr_id], value)
                for attr_id, value in attributes.get(row["id"], [])
            ],
        )
        ctx.documents[row["id"]] = doc_id
        mine_by_hash[row["sha256"]] = (doc_id, row["status"])
        taken.add(doc_id)
        ctx.report.add("documents")


def _revised_there(ctx: MergeContext, row: dict[str, Any]) -> tuple[str, str] | None:
    """The other file revised a document this project has at an earlier version: revise it here too.

    Its later versions (text and segments, stored in that file) are applied
    here in turn, so this project's codings are carried like in any revision
    and the other file's codings then match the current version directly.
    """
    versions = ctx.rows(
        "SELECT * FROM document_versions WHERE document_id = ? ORDER BY version", (row["id"],)
    )
    at = None
    for n, v in enumerate(versions):
        mine = ctx.target.query_one("SELECT * FROM documents WHERE sha256 = ?", (v["sha256"],))
        if mine:
            at = (n, mine)
    if at is None:
        return None
    n, mine = at
    for v in versions[n + 1 :]:
        doc = ctx.target.query_one("SELECT * FROM documents WHERE id = ?", (mine["id"],))
        assert doc is not None  # found by its hash just above
        new_row = {k: v[k] for k in VERSION_SOURCE_COLUMNS}
        apply_new_version(
            ctx.target,
            doc,
            new_row,
            v["text"],
            json.loads(v["segments"]),
            note=f"version {v['version']} from {ctx.report.source}",
            take_backup=False,
            undoable=False,
        )
        ctx.report.add("document versions")
    status = ctx.target.scalar("SELECT status FROM documents WHERE id = ?", (mine["id"],))
    return mine["id"], status


def _copy_segments(
    ctx: MergeContext, segments: list[tuple], fts: dict[int, tuple], doc_id: str, next_id: int
) -> int:
    """Copy one document's segments with fresh ids from ``next_id``; returns the next free id."""
    seg_rows = []
    fts_rows = []
    for offset, seg in enumerate(segments):
        new_id = next_id + offset
        seg_rows.append((new_id, doc_id, *seg[2:]))
        f = fts.get(seg[0])
        if f:
            fts_rows.append((*f, new_id, doc_id))
    ctx.target.conn.executemany(
        "INSERT INTO segments (id, document_id, kind, start, end, label, speaker_kind, role, organisation, time,"
        " level) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        seg_rows,
    )
    ctx.target.conn.executemany(
        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) VALUES (?,?,?,?)",
        fts_rows,
    )
    return next_id + len(segments)


def _codes(ctx: MergeContext, accept: Callable[[Suggestion], bool], threshold: float) -> None:
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import fuzz

    src_codes = ctx.rows(
        "SELECT * FROM codes ORDER BY length(path) - length(replace(path, '.', '')), path"
    )
    for row in src_codes:
        mine = ctx.target.query_one(
            "SELECT * FROM codes WHERE id = ?", (row["id"],)
        ) or ctx.target.query_one("SELECT * FROM codes WHERE path = ?", (row["path"],))
        parent = ctx.codes.get(row["parent_id"]) if row["parent_id"] else None
        if mine is None:
            siblings = ctx.target.query("SELECT * FROM codes WHERE parent_id IS ?", (parent,))
            best = None
            for sib in siblings:
                score = max(
                    fuzz.ratio(sib["name"].lower(), row["name"].lower()),
                    fuzz.ratio((sib["label"] or "").lower(), (row["label"] or "").lower())
                    if sib["label"] and row["label"]
                    else 0,
                )
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, sib)
            if best:
                suggestion = Suggestion(row["path"], best[1]["path"], float(best[0]))
                ctx.report.suggestions.append(suggestion)
                if accept(suggestion):
                    mine = best[1]
        if mine:
            ctx.codes[row["id"]] = mine["id"]
            ctx.report.match("codes")
            for col in ("definition", "when_to_use", "when_not_to_use", "example", "colour"):
                if row[col] and row[col] != mine[col]:
                    if mine[col]:
                        ctx.conflict(
                            "codes",
                            mine["id"],
                            col,
                            mine[col],
                            row[col],
                            f"code {mine['path']} {col}",
                        )
                    else:
                        ctx.target.conn.execute(
                            f"UPDATE codes SET {col} = ? WHERE id = ?", (row[col], mine["id"])
                        )
            continue
        parent_path = (
            ctx.target.scalar("SELECT path FROM codes WHERE id = ?", (parent,)) if parent else None
        )
        path = f"{parent_path}.{row['name']}" if parent_path else row["name"]
        code_id = row["id"]
        shortcut = row["shortcut"]
        if shortcut and ctx.target.query_one(
            "SELECT id FROM codes WHERE shortcut = ?", (shortcut,)
        ):
            shortcut = None
        ctx.target.conn.execute(
            "INSERT INTO codes (id, parent_id, name, path, label, definition, when_to_use, when_not_to_use, example,"
            " colour, shortcut, sort_order, created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                code_id,
                parent,
                row["name"],
                path,
                row["label"],
                row["definition"],
                row["when_to_use"],
                row["when_not_to_use"],
                row["example"],
                row["colour"],
                shortcut,
                row["sort_order"],
                row["created_at"],
                row["modified_at"],
            ),
        )
        ctx.codes[row["id"]] = code_id
        ctx.report.add("codes")


def _codings(ctx: MergeContext) -> None:
    """Codings by id, then by (document, code, coder, start, end), against lookups built once."""
    by_id: dict[str, dict[str, Any]] = {}
    by_key: dict[tuple, dict[str, Any]] = {}
    for cid, doc, code, coder, start, end, memo in ctx.target.conn.execute(
        "SELECT id, document_id, code_id, coder_id, start, end, memo FROM codings"
    ):
        known = {"id": cid, "memo": memo}
        by_id[cid] = known
        by_key[(doc, code, coder, start, end)] = known
    new_rows = []
    touched: set[str] = set()
    carried_here = (
        {
            r[0]
            for r in ctx.target.conn.execute(
                "SELECT target_id FROM revision_items WHERE kind = 'coding'"
            )
        }
        if ctx.versions
        else set()
    )
    for row in ctx.rows("SELECT * FROM codings"):
        doc, code, coder = (
            ctx.documents[row["document_id"]],
            ctx.codes[row["code_id"]],
            ctx.coders[row["coder_id"]],
        )
        carried_items: list[dict[str, Any]] = []
        if row["document_id"] in ctx.versions and row["id"] not in by_id:
            if row["id"] in carried_here:  # a coding this project's own revision already dealt with
                ctx.report.match("codings")
                continue
            found = _carry_coding(ctx, row, doc, code, coder)
            if found is None:
                continue  # lost on the way: listed with the revision, not added
            carried_items = found
        key = (doc, code, coder, row["start"], row["end"])
        mine = by_id.get(row["id"]) or by_key.get(key)
        if carried_items and not mine:  # listed with the revisions only if it is added here
            record_merged(ctx.target, carried_items, ctx.report.source)
        if mine:
            ctx.codings[row["id"]] = mine["id"]
            ctx.report.match("codings")
            if row["memo"] and row["memo"] != mine["memo"]:
                if mine["memo"]:
                    ctx.conflict(
                        "codings",
                        mine["id"],
                        "memo",
                        mine["memo"],
                        row["memo"],
                        f"memo on coding {mine['id'][:8]}",
                    )
                else:
                    ctx.target.conn.execute(
                        "UPDATE codings SET memo = ? WHERE id = ?", (row["memo"], mine["id"])
                    )
                    mine["memo"] = row["memo"]
            continue
        new_rows.append(
            (
                row["id"],
                doc,
                code,
                coder,
                row["start"],
                row["end"],
                row["quote"],
                row["memo"],
                row["created_at"],
                row["modified_at"],
            )
        )
        mine = {"id": row["id"], "memo": row["memo"]}
        by_id[row["id"]] = mine
        by_key[key] = mine
        touched.add(doc)
        ctx.codings[row["id"]] = row["id"]
        ctx.report.add("codings")
    ctx.target.conn.executemany(
        "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, memo, created_at, modified_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        new_rows,
    )
    ctx.target.conn.executemany(
        "UPDATE documents SET status = 'in_progress' WHERE id = ? AND status = 'new'",
        [(d,) for d in touched],
    )


def _carry_coding(
    ctx: MergeContext, row: dict[str, Any], doc: str, code: str, coder: str
) -> list[dict[str, Any]] | None:
    """Move a coding made on an earlier version onto the current one (``row`` is updated).

    Returns the review items to list with each revision, or None when its
    words are gone (it is then listed as lost at once, not added).
    """
    carried, items = ctx.carry(
        row["document_id"], row["start"], row["end"], row["quote"], "coding", row["id"]
    )
    ctx.report.add(f"codings through versions ({carried.outcome})")
    if carried.outcome == "lost":
        coding = dict(row, document_id=doc, code_id=code, coder_id=coder)
        bundle = json.dumps(
            {"coding": coding, "framework_links": [], "coding_partners": []}, ensure_ascii=False
        )
        record_merged(ctx.target, items, ctx.report.source, bundle)
        return None
    text = ctx.target.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc,))
    row.update(start=carried.start, end=carried.end, quote=text[carried.start : carried.end])
    return items


def _memo_target(ctx: MergeContext, kind: str, target_id: str | None) -> str | None:
    maps = {"case": ctx.cases, "document": ctx.documents, "code": ctx.codes, "coding": ctx.codings}
    if kind == "project" or target_id is None:
        return None
    return maps[kind].get(target_id, target_id)


def _memos(ctx: MergeContext) -> None:
    for row in ctx.rows("SELECT * FROM memos"):
        target_id = _memo_target(ctx, row["target_kind"], row["target_id"])
        coder = ctx.coders.get(row["coder_id"]) if row["coder_id"] else None
        mine = ctx.target.query_one(
            "SELECT * FROM memos WHERE id = ?", (row["id"],)
        ) or ctx.target.query_one(
            "SELECT * FROM memos WHERE target_kind = ? AND target_id IS ? AND coder_id IS ?",
            (row["target_kind"], target_id, coder),
        )
        if mine:
            ctx.report.match("memos")
            if row["body"] != mine["body"] and row["body"]:
                ctx.conflict(
                    "memos",
                    mine["id"],
                    "body",
                    mine["body"],
                    row["body"],
                    f"{row['target_kind']} memo",
                )
            continue
        ctx.target.conn.execute(
            "INSERT INTO memos (id, target_kind, target_id, coder_id, title, body, created_at, modified_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                row["id"],
                row["target_kind"],
                target_id,
                coder,
                row["title"],
                row["body"],
                row["created_at"],
                row["modified_at"],
            ),
        )
        ctx.report.add("memos")


_register_extra_steps()


def merge_conflicts(project: Project) -> list[dict[str, Any]]:
    """The values merges kept aside (both files changed them), oldest first."""
    return project.query("SELECT * FROM merge_conflicts ORDER BY created_at")
