"""Importing, listing and reading documents.

An import reads and analyses the file completely *before* touching the
project, then writes the document, its text, segments and search index in a
single transaction. A bad file therefore never leaves half a document.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook import cases as cases_mod
from casebook.errors import Ambiguous, CasebookError, ImportFailed, InvalidInput, NotFound
from casebook.importers import ImportedText, Segment, reader_for
from casebook.importers.assemble import assemble
from casebook.store.project import Project, is_project_file, new_id, now

KINDS = ("interview", "progress_report", "plan", "other")
_KIND_ALIASES = {
    "interview": "interview",
    "transcript": "interview",
    "progress_report": "progress_report",
    "progress-report": "progress_report",
    "progressreport": "progress_report",
    "report": "progress_report",
    "voortgangsrapportage": "progress_report",
    "vgr": "progress_report",
    "plan": "plan",
    "regioplan": "plan",
    "other": "other",
    "overig": "other",
}


def normalise_kind(kind: str | None) -> str:
    if not kind:
        return "interview"
    key = kind.strip().lower().replace(" ", "_")
    if key not in _KIND_ALIASES:
        raise InvalidInput(f"unknown document kind '{kind}'; use one of: {', '.join(KINDS)}")
    return _KIND_ALIASES[key]


@dataclass
class DocumentMeta:
    case: str | None = None
    kind: str | None = None
    role: str | None = None
    round: str | None = None
    date: str | None = None
    organisation: str | None = None
    interviewer: str | None = None
    respondent: str | None = None
    name: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportOutcome:
    path: str
    status: str  # imported | duplicate | failed
    document_id: str | None = None
    message: str = ""
    n_chars: int = 0
    n_pages: int | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyse_file(path: Path, meta: DocumentMeta) -> ImportedText:
    """Read a file into canonical text with every segment, sentences included."""
    if not path.exists():
        raise ImportFailed(path, "no such file; check the path")
    if path.is_dir():
        raise ImportFailed(path, "is a folder; give files, or a --manifest listing them")
    reader = reader_for(path)
    try:
        result = reader.read(path)
    except CasebookError:
        raise
    except PermissionError as exc:
        raise ImportFailed(path, "permission denied; check the file's permissions") from exc
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from exc
    imported = assemble(
        result,
        interviewer=meta.interviewer,
        role=meta.role,
        organisation=meta.organisation,
        detect_speakers=normalise_kind(meta.kind) in ("interview", "other"),
    )
    if not imported.text.strip():
        raise ImportFailed(path, "no text found in the file; nothing to import")
    add_sentences(imported)
    return imported


def add_sentences(imported: ImportedText) -> None:
    from casebook.text import nlp

    paragraphs = [s for s in imported.segments if s.kind in ("paragraph", "table_row")]
    texts = [imported.text[s.start : s.end] for s in paragraphs]
    lemma_store: dict[tuple[int, int], str] = {}
    for para, (spans, lemmas) in zip(paragraphs, nlp.analyse(texts), strict=True):
        for (a, b), lem in zip(spans, lemmas, strict=True):
            seg = Segment("sentence", para.start + a, para.start + b)
            imported.segments.append(seg)
            lemma_store[(seg.start, seg.end)] = lem
    imported.segments.sort(key=lambda s: (s.start, s.kind))
    imported.lemmas = lemma_store


def import_file(project: Project, path: str | Path, meta: DocumentMeta) -> ImportOutcome:
    path = Path(path)
    if is_project_file(path, project.path):
        # reading it with open() would also drop this process's SQLite locks on it
        raise ImportFailed(path, "is the project's own file; import documents, not the project")
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(path, "no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise ImportFailed(path, "is a folder; give files, or a --manifest listing them") from exc
    except PermissionError as exc:
        raise ImportFailed(path, "permission denied; check the file's permissions") from exc
    digest = sha256_of(data)
    existing = project.query_one(
        "SELECT d.id, d.name, c.name AS case_name FROM documents d "
        "LEFT JOIN cases c ON c.id = d.case_id WHERE d.sha256 = ?",
        (digest,),
    )
    if existing:
        where = f" in case {existing['case_name']}" if existing["case_name"] else ""
        return ImportOutcome(
            str(path),
            "duplicate",
            existing["id"],
            f"already imported as {existing['name']}{where} ({existing['id'][:8]})",
        )
    if meta.case is None:
        raise InvalidInput(f"{path}: no case given; pass --case NAME or a manifest with a case column")
    kind = normalise_kind(meta.kind)
    imported = analyse_file(path, meta)
    doc_id = new_id()
    with project.transaction():
        case_id = cases_mod.ensure_case(project, meta.case)
        row = {
            "id": doc_id,
            "case_id": case_id,
            "name": meta.name or path.name,
            "kind": kind,
            "round": meta.round,
            "date": meta.date,
            "role": meta.role,
            "organisation": meta.organisation,
            "respondent": meta.respondent,
            "interviewer": meta.interviewer,
            "source_name": path.name,
            "source_size": len(data),
            "sha256": digest,
            "format": imported.format,
            "n_chars": len(imported.text),
            "n_pages": imported.n_pages,
            "imported_at": now(),
        }
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        project.conn.execute(f"INSERT INTO documents ({cols}) VALUES ({marks})", list(row.values()))
        project.conn.execute(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", (doc_id, imported.text)
        )
        _insert_segments(project, doc_id, imported)
        for key, value in meta.attributes.items():
            cases_mod.set_document_attribute(project, doc_id, key, value)
        project.audit("import", "document", doc_id, after={k: row[k] for k in ("name", "source_name", "sha256", "kind")})
    return ImportOutcome(str(path), "imported", doc_id, "", len(imported.text), imported.n_pages)


def _insert_segments(project: Project, doc_id: str, imported: ImportedText) -> None:
    lemmas = imported.lemmas
    conn = project.conn
    fts_rows = []
    for seg in imported.segments:
        cur = conn.execute(
            "INSERT INTO segments (document_id, kind, start, end, label, speaker_kind, role,"
            " organisation, time, level) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                doc_id,
                seg.kind,
                seg.start,
                seg.end,
                seg.label,
                seg.speaker_kind,
                seg.role,
                seg.organisation,
                seg.time,
                seg.level,
            ),
        )
        if seg.kind == "sentence":
            fts_rows.append(
                (imported.text[seg.start : seg.end], lemmas.get((seg.start, seg.end), ""), cur.lastrowid, doc_id)
            )
    conn.executemany(
        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) VALUES (?,?,?,?)", fts_rows
    )


def import_batch(
    project: Project,
    items: Iterable[tuple[Path, DocumentMeta]],
    on_progress: Callable[[ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    """Import many files; a bad file is reported and the batch goes on."""
    outcomes: list[ImportOutcome] = []
    for path, meta in items:
        try:
            outcome = import_file(project, path, meta)
        except CasebookError as exc:
            message = str(exc)
            prefix = f"{path}: "
            outcome = ImportOutcome(str(path), "failed", None, message[len(prefix) :] if message.startswith(prefix) else message)
        except sqlite3.DatabaseError as exc:
            outcome = ImportOutcome(str(path), "failed", None, f"the project refused the document ({exc})")
        outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)
    return outcomes


# --- reading -----------------------------------------------------------------


def resolve_document(project: Project, ref: str) -> dict[str, Any]:
    """A document by id, id prefix, name or source file name."""
    ref = ref.strip()
    rows = project.query("SELECT * FROM documents WHERE id = ?", (ref,))
    if not rows and len(ref) >= 4:
        rows = project.query("SELECT * FROM documents WHERE id LIKE ?", (ref + "%",))
    if not rows:
        rows = project.query(
            "SELECT * FROM documents WHERE name = ? COLLATE NOCASE OR source_name = ? COLLATE NOCASE",
            (ref, ref),
        )
    if not rows:
        rows = project.query(
            "SELECT * FROM documents WHERE name LIKE ? OR source_name LIKE ?", (f"%{ref}%", f"%{ref}%")
        )
    if not rows:
        raise NotFound(f"no document matches '{ref}'; list them with `casebook docs`")
    if len(rows) > 1:
        names = ", ".join(f"{r['name']} ({r['id'][:8]})" for r in rows[:5])
        raise Ambiguous(f"'{ref}' matches {len(rows)} documents: {names}; give an id prefix")
    return rows[0]


def document_text(project: Project, document_id: str) -> str:
    text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (document_id,))
    if text is None:
        raise NotFound(f"document {document_id} has no text")
    return text


def segments_of(project: Project, document_id: str, kind: str | None = None) -> list[dict[str, Any]]:
    if kind:
        return project.query(
            "SELECT * FROM segments WHERE document_id = ? AND kind = ? ORDER BY start", (document_id, kind)
        )
    return project.query("SELECT * FROM segments WHERE document_id = ? ORDER BY start, kind", (document_id,))


def list_documents(project: Project, case: str | None = None) -> list[dict[str, Any]]:
    sql = """
        SELECT d.id, d.name, c.name AS case_name, d.kind, d.role, d.round, d.date, d.organisation,
               d.respondent, d.interviewer, d.n_chars AS characters, d.n_pages AS pages, d.status,
               d.format, d.source_name,
               (SELECT count(*) FROM segments s WHERE s.document_id = d.id AND s.kind = 'turn') AS turns,
               (SELECT count(*) FROM codings k WHERE k.document_id = d.id) AS codings
        FROM documents d LEFT JOIN cases c ON c.id = d.case_id
    """
    params: tuple = ()
    if case:
        case_id = cases_mod.resolve_case(project, case)["id"]
        sql += " WHERE d.case_id = ?"
        params = (case_id,)
    sql += " ORDER BY c.name, d.name"
    return project.query(sql, params)


def set_status(project: Project, document_id: str, status: str) -> None:
    if status not in ("new", "in_progress", "done"):
        raise InvalidInput(f"unknown status '{status}'; use new, in_progress or done")
    with project.transaction():
        before = project.scalar("SELECT status FROM documents WHERE id = ?", (document_id,))
        project.conn.execute("UPDATE documents SET status = ? WHERE id = ?", (status, document_id))
        project.audit("status", "document", document_id, before={"status": before}, after={"status": status})
