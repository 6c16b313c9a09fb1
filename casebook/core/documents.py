"""Importing, listing and reading documents.

One module: analyse-then-write import, listing and reading share the document row and
its transaction.

An import reads and analyses the file completely *before* touching the
project, then writes the document, its text, segments and search index in a
single transaction. A bad file therefore never leaves half a document.

The language layer (sentence segments and their search rows with lemmas)
needs spaCy, which costs a CPU second to load. ``language="later"`` stores a
document with its structural segments and the mark ``language_pending``;
``casebook.core.language`` builds the rest from the stored text, exactly as
here, one transaction per document. ``casebook import`` uses it so an import
never loads spaCy; the next command that opens the project completes it.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook import kinds
from casebook.core import cases as cases_mod
from casebook.core.query import marks
from casebook.core.revisions import earlier_version_of
from casebook.errors import Ambiguous, CasebookError, ImportFailed, InvalidInput, NotFound
from casebook.importers import ImportedText, Segment, limits, reader_for
from casebook.importers.assemble import assemble
from casebook.importers.base import Block, ReadResult
from casebook.store.backup import backup
from casebook.store.project import Project, is_project_file, new_id, now
from casebook.text import nlp, speakers

KINDS = ("interview", "progress_report", "plan", "other")
# Kinds whose paragraphs are searched for speaker labels (turns).
SPEAKER_KINDS = ("interview", "other")
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


def check_date(value: str | None, where: str = "--date") -> str | None:
    """A real calendar date written YYYY-MM-DD (or YYYY-MM, or YYYY), else one clear error."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    ok = m is not None
    if m:
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            dt.date(year, month, day)
        except ValueError:
            ok = False
    if not ok:
        raise InvalidInput(
            f"{where}: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2022-03-15"
        )
    return text


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
    replaces: str | None = None  # a document this file is the next version of (casebook.versions)


@dataclass
class ImportOutcome:
    path: str
    status: str  # imported | revised | duplicate | failed
    document_id: str | None = None
    message: str = ""
    n_chars: int = 0
    n_pages: int | None = None
    warnings: list[str] = field(
        default_factory=list
    )  # imported, but the reader skipped or doubted something


def import_summary(outcomes: list[ImportOutcome], *, zeros: bool = True) -> str:
    """The one line that closes an import: how many were imported, revised, skipped, refused.

    The CLI prints every count (``zeros``: scripts read the line); the
    workbench's toast leaves out the counts that are zero.
    """
    counts = {s: 0 for s in ("imported", "revised", "duplicate", "failed")}
    for o in outcomes:
        counts[o.status] += 1
    parts = [f"{counts['imported']} imported"]
    if counts["revised"]:
        parts.append(f"{counts['revised']} revised")
    if zeros or counts["duplicate"]:
        parts.append(f"{counts['duplicate']} already in the project")
    if zeros or counts["failed"]:
        parts.append(f"{counts['failed']} failed")
    return ", ".join(parts)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading a long transcript allocates millions of small objects and no cycles.

    Python's cycle collector would walk them again and again as they pile up
    (about a tenth of the import time); it runs once at the end instead.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


FileProgress = Callable[[float], None]  # share of one file's import done, 0..1
LANGUAGE = ("now", "later")  # when an import builds the language layer (sentences, search rows)


def check_language(language: str) -> None:
    if language not in LANGUAGE:
        raise InvalidInput(f"unknown language timing '{language}'; use now or later")


def analyse_file(
    path: Path,
    meta: DocumentMeta,
    on_progress: FileProgress | None = None,
    *,
    sentences: bool = True,
) -> ImportedText:
    """Read a file into canonical text with every segment, sentences included unless told not to.

    Without ``sentences`` nothing loads spaCy: the text and its structural
    segments only (see ``casebook.core.language``).
    """
    with _no_cycle_collection():
        return _analyse_file(path, meta, on_progress or (lambda _share: None), sentences)


def _analyse_file(
    path: Path, meta: DocumentMeta, on_progress: FileProgress, sentences: bool = True
) -> ImportedText:
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
    limits.check_text(path, sum(len(b.text) for b in result.blocks))
    decision = None
    if meta.kind:
        kind = normalise_kind(meta.kind)
    else:
        decision = kinds.decide(path.name, result)
        kind = decision.kind
    imported = assemble(
        result,
        interviewer=meta.interviewer,
        role=meta.role,
        organisation=meta.organisation,
        detect_speakers=kind in SPEAKER_KINDS,
    )
    imported.kind = kind
    imported.kind_reason = decision.message() if decision else None
    if not imported.text.strip():
        raise ImportFailed(path, "no text found in the file; nothing to import")
    on_progress(0.15)
    if sentences:
        add_sentences(imported, lambda done, total: on_progress(0.15 + 0.7 * done / max(total, 1)))
    else:
        on_progress(0.85)
    return imported


SENTENCE_PARENTS = ("paragraph", "table_row")  # the segments whose text is split into sentences


def sentence_segments(
    text: str,
    parents: list[tuple[int, int]],
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Segment], dict[tuple[int, int], str]]:
    """The sentences of the paragraph and table-row spans ``parents`` of ``text``, with their lemmas.

    ``parents`` come in the order the import gives them (by start, then kind),
    so an import and a later completion of the language layer agree.
    """
    texts = [text[a:b] for a, b in parents]
    found: list[Segment] = []
    lemma_store: dict[tuple[int, int], str] = {}
    for (start, _end), (spans, lemmas) in zip(
        parents, nlp.analyse(texts, on_progress), strict=True
    ):
        for (a, b), lem in zip(spans, lemmas, strict=True):
            found.append(Segment("sentence", start + a, start + b))
            lemma_store[(start + a, start + b)] = lem
    return found, lemma_store


def add_sentences(
    imported: ImportedText, on_progress: Callable[[int, int], None] | None = None
) -> None:
    parents = [(s.start, s.end) for s in imported.segments if s.kind in SENTENCE_PARENTS]
    found, lemma_store = sentence_segments(imported.text, parents, on_progress)
    imported.segments += found
    imported.segments.sort(key=lambda s: (s.start, s.kind))
    imported.lemmas = lemma_store


def import_file(
    project: Project,
    path: str | Path,
    meta: DocumentMeta,
    on_progress: FileProgress | None = None,
    *,
    language: str = "now",
) -> ImportOutcome:
    """Import one file whole or not at all; ``on_progress`` hears how far a long file has got.

    ``language="later"`` leaves the sentences and search rows to
    ``casebook.core.language.complete`` and slots the document as waiting.
    """
    check_language(language)
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

    earlier = earlier_version_of(project, digest)
    if earlier:
        return ImportOutcome(
            str(path),
            "duplicate",
            earlier["document_id"],
            f"an earlier version (v{earlier['version']}) of {earlier['name']} ({earlier['document_id'][:8]})",
        )
    if meta.case is None:
        raise InvalidInput(
            f"{path}: no case given; pass --case NAME or a manifest with a case column"
        )
    normalise_kind(meta.kind)  # a bad --kind fails before the file is read
    later = language == "later"
    imported = analyse_file(path, meta, on_progress, sentences=not later)
    kind = imported.kind or normalise_kind(meta.kind)
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
            "language_pending": int(later),
        }
        cols = ", ".join(row)
        slots = marks(row)
        project.conn.execute(f"INSERT INTO documents ({cols}) VALUES ({slots})", list(row.values()))
        project.conn.execute(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", (doc_id, imported.text)
        )
        _insert_segments(project, doc_id, imported)
        if on_progress:
            on_progress(1.0)
        for key, value in meta.attributes.items():
            cases_mod.set_document_attribute(project, doc_id, key, value)
        _store_header(project, doc_id, imported.header, meta)
        project.audit(
            "import",
            "document",
            doc_id,
            after={k: row[k] for k in ("name", "source_name", "sha256", "kind")},
        )
    return ImportOutcome(
        str(path),
        "imported",
        doc_id,
        imported.kind_reason or "",
        len(imported.text),
        imported.n_pages,
        list(imported.warnings),
    )


def _store_header(
    project: Project, doc_id: str, header: dict[str, str], meta: DocumentMeta
) -> None:
    """The transcript's own metadata lines become text attributes of the document.

    A manifest's or the command line's values win. An interviewer line also
    fills the document's interviewer when none was given (the person registry
    then knows the name to pseudonymise); the respondent column is a stable
    id the user gives, so a header's respondent stays an attribute.
    """
    given = {k.rsplit(":", 1)[0].strip().lower() for k in meta.attributes}
    for label, value in header.items():
        if label.lower() in given:
            continue
        existing = project.query_one(
            "SELECT type FROM attributes WHERE scope = 'document' AND name = ?", (label,)
        )
        name = label if existing is None or existing["type"] == "text" else f"header {label}"
        cases_mod.set_document_attribute(project, doc_id, f"{name}:text", value)
        is_interviewer = (
            speakers.is_generic(label) and speakers.speaker_kind(label, None, {}) == "interviewer"
        )
        if is_interviewer and meta.interviewer is None:
            person = value.split(",", 1)[0].split("(", 1)[0].strip()
            project.conn.execute(
                "UPDATE documents SET interviewer = ? WHERE id = ?", (person, doc_id)
            )


def _insert_segments(project: Project, doc_id: str, imported: ImportedText) -> None:
    """All segments and the sentence search index in two statements.

    Ids are given here (after the largest in use; the transaction already
    holds the write lock from inserting the document) so the index rows can
    point at their segments without a round trip per row.
    """
    insert_segment_rows(project, doc_id, imported.text, imported.segments, imported.lemmas)


def insert_segment_rows(
    project: Project,
    doc_id: str,
    text: str,
    segments: list[Segment],
    lemmas: dict[tuple[int, int], str],
) -> None:
    """Insert ``segments`` of a document, and a search row for each sentence among them."""
    conn = project.conn
    first = (conn.execute("SELECT coalesce(max(id), 0) FROM segments").fetchone()[0] or 0) + 1
    rows = []
    fts_rows = []
    # Ids follow the index's order (document, kind, start): both b-trees grow by appending.
    ordered = sorted(segments, key=lambda seg: (seg.kind, seg.start, seg.end))
    for seg_id, seg in enumerate(ordered, start=first):
        rows.append(
            (
                seg_id,
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
            )
        )
        if seg.kind == "sentence":
            fts_rows.append(
                (text[seg.start : seg.end], lemmas.get((seg.start, seg.end), ""), seg_id, doc_id)
            )
    conn.executemany(
        "INSERT INTO segments (id, document_id, kind, start, end, label, speaker_kind, role,"
        " organisation, time, level) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO segments_fts (text, lemmas, segment_id, document_id) VALUES (?,?,?,?)",
        fts_rows,
    )


def import_batch(
    project: Project,
    items: Iterable[tuple[Path, DocumentMeta]],
    on_progress: Callable[[ImportOutcome], None] | None = None,
    on_file_progress: Callable[[Path, float], None] | None = None,
    *,
    language: str = "now",
) -> list[ImportOutcome]:
    """Import many files; a bad file is reported and the batch goes on.

    ``on_progress`` hears each file's outcome; ``on_file_progress`` hears how
    far the current file has got (worth showing for long files). ``language``
    as for ``import_file``; a file that revises a document (``meta.replaces``)
    is always analysed at once (a revision replaces every segment in one step).
    """
    check_language(language)
    outcomes: list[ImportOutcome] = []
    for path, meta in items:
        step = (
            (lambda share, path=path: on_file_progress(path, share)) if on_file_progress else None
        )
        try:
            if meta.replaces:
                # versions builds on documents: the one upward call (tests/test_layering.ALLOWED)
                from casebook.versions.revise import revise_from_import

                outcome = revise_from_import(project, path, meta.replaces)
            else:
                outcome = import_file(project, path, meta, step, language=language)
        except CasebookError as exc:
            message = str(exc)
            prefix = f"{path}: "
            outcome = ImportOutcome(
                str(path),
                "failed",
                None,
                message[len(prefix) :] if message.startswith(prefix) else message,
            )
        except sqlite3.DatabaseError as exc:
            outcome = ImportOutcome(
                str(path), "failed", None, f"the project refused the document ({exc})"
            )
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
            "SELECT * FROM documents WHERE name LIKE ? OR source_name LIKE ?",
            (f"%{ref}%", f"%{ref}%"),
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


def segments_of(
    project: Project, document_id: str, kind: str | None = None
) -> list[dict[str, Any]]:
    if kind:
        return project.query(
            "SELECT * FROM segments WHERE document_id = ? AND kind = ? ORDER BY start",
            (document_id, kind),
        )
    return project.query(
        "SELECT * FROM segments WHERE document_id = ? ORDER BY start, kind", (document_id,)
    )


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
        project.audit(
            "status", "document", document_id, before={"status": before}, after={"status": status}
        )


# --- changing the kind afterwards ----------------------------------------------


def set_kind(project: Project, document_id: str, kind: str) -> str:
    """Give a document another kind and re-segment it; returns a one-line summary.

    Reports and plans have no turns; interviews (and ``other``) have their
    paragraphs searched for speaker labels. Going to a report drops the turns
    and writes each turn's label back into the text (so nothing is lost and
    the way back finds them again). Going to an interview finds the labels in
    the text, takes them out (as at import). Either way every coding and
    partner mention moves with its words; if one covers a label that would go,
    nothing changes and the error says which. A backup is made first.
    """
    kind = normalise_kind(kind)
    doc = project.query_one(
        "SELECT id, name, kind, format, interviewer, role, organisation FROM documents WHERE id = ?",
        (document_id,),
    )
    if doc is None:
        raise NotFound(f"no document {document_id}; list them with `casebook docs`")
    old_kind = doc["kind"]
    if kind == old_kind:
        return f"{doc['name']} is already a {kind}"
    was_speech, is_speech = old_kind in SPEAKER_KINDS, kind in SPEAKER_KINDS
    n_turns_before = project.scalar(
        "SELECT count(*) FROM segments WHERE document_id = ? AND kind = 'turn'", (document_id,)
    )
    if was_speech == is_speech:
        with project.transaction():
            project.conn.execute("UPDATE documents SET kind = ? WHERE id = ?", (kind, document_id))
            project.audit(
                "set", "document", document_id, before={"kind": old_kind}, after={"kind": kind}
            )
        return f"{doc['name']}: {old_kind} -> {kind}; segments unchanged ({n_turns_before} turns)"
    return _resegment(project, doc, kind, detect=is_speech)


def _label_prefix(turn: dict[str, Any]) -> str:
    """A turn's label written back as the transcript had it: ``[0:01:02] Name (Org): ``."""
    out = ""
    if turn["time"] is not None:
        t = int(turn["time"])
        out += f"[{t // 3600}:{t % 3600 // 60:02d}:{t % 60:02d}] "
    if turn["label"]:
        org = (
            f" ({turn['organisation']})"
            if turn["organisation"] and turn["speaker_kind"] != "interviewer"
            else ""
        )
        out += f"{turn['label']}{org}: "
    return out


def _resegment(project: Project, doc: dict[str, Any], kind: str, *, detect: bool) -> str:
    doc_id = doc["id"]
    old_text = document_text(project, doc_id)
    segs = segments_of(project, doc_id)
    heads = {s["start"]: s["level"] or 1 for s in segs if s["kind"] == "section"}
    pages = [
        (s["start"], s["end"], int(s["label"]))
        for s in segs
        if s["kind"] == "page" and (s["label"] or "").isdigit()
    ]
    paras = [s for s in segs if s["kind"] in ("paragraph", "table_row")]
    # going to a report: each turn's label goes back into the text, so nothing is lost
    prefixes = {} if detect else {s["start"]: _label_prefix(s) for s in segs if s["kind"] == "turn"}
    blocks: list[Block] = []
    origin: dict[int, tuple[int, int]] = {}  # id(block) -> old paragraph span
    for s in paras:
        page = next((n for a, b, n in pages if a <= s["start"] < max(b, a + 1)), None)
        block = Block(
            old_text[s["start"] : s["end"]],
            kind="table_row"
            if s["kind"] == "table_row"
            else ("heading" if s["start"] in heads else "paragraph"),
            level=heads.get(s["start"]),
            page=page,
        )
        origin[id(block)] = (s["start"], s["end"])
        block.text = prefixes.get(s["start"], "") + block.text
        blocks.append(block)
    n_pages = len(pages) or None
    result = ReadResult(blocks, doc.get("format") or "text", n_pages)
    imported = assemble(
        result,
        interviewer=doc["interviewer"],
        role=doc["role"],
        organisation=doc["organisation"],
        detect_speakers=detect,
    )
    add_sentences(imported)
    # old paragraph span -> new paragraph start; the new block text is the old one
    # without a label (cut > 0) or with one put back (cut < 0)
    new_paras = [s for s in imported.segments if s.kind in ("paragraph", "table_row")]
    kept = [b for b in blocks if b.text]
    mapping: list[tuple[int, int, int, int]] = []  # old_start, old_end, cut, new_start
    for block, seg in zip(kept, new_paras, strict=True):
        a, b = origin[id(block)]
        mapping.append((a, b, (b - a) - len(block.text), seg.start))

    def move(pos: int, is_end: bool) -> int | None:
        for a, b, cut, new_start in mapping:
            if a <= pos <= b if is_end else a <= pos < b:
                rel = pos - a - cut
                return new_start + rel if rel >= (1 if is_end else 0) else None
        return None

    text = imported.text
    updates: list[tuple[str, str, int, int]] = []
    for table, key, quote in (("codings", "id", "quote"), ("mentions", "id", "surface")):
        for row in project.query(
            f"SELECT {key}, start, end, {quote} AS q FROM {table} WHERE document_id = ?", (doc_id,)
        ):
            ns, ne = move(row["start"], False), move(row["end"], True)
            if ns is None or ne is None or text[ns:ne] != row["q"]:
                what = "a coding" if table == "codings" else "a partner mention"
                raise InvalidInput(
                    f"{doc['name']}: {what} covers a speaker label at {row['start']}–{row['end']} "
                    f'("{row["q"][:40]}"); remove it first, then change the kind'
                )
            updates.append((table, row[key], ns, ne))

    backup_path = backup(project, "set-kind")
    n_turns = len(imported.of_kind("turn"))
    with project.transaction():
        project.conn.execute("DELETE FROM segments_fts WHERE document_id = ?", (doc_id,))
        project.conn.execute("DELETE FROM segments WHERE document_id = ?", (doc_id,))
        project.conn.execute(
            "UPDATE document_texts SET text = ? WHERE document_id = ?", (text, doc_id)
        )
        # re-segmenting builds the sentences too: a document waiting for them has them now
        project.conn.execute(
            "UPDATE documents SET kind = ?, n_chars = ?, language_pending = 0 WHERE id = ?",
            (kind, len(text), doc_id),
        )
        _insert_segments(project, doc_id, imported)
        for table, key, ns, ne in updates:
            project.conn.execute(
                f"UPDATE {table} SET start = ?, end = ? WHERE id = ?", (ns, ne, key)
            )
        project.audit(
            "set", "document", doc_id,
            before={"kind": doc["kind"], "n_chars": len(old_text), "backup": backup_path.name},
            after={"kind": kind, "turns": n_turns, "n_chars": len(text)},
        )  # fmt: skip
    turns = (
        f"{n_turns} turns found"
        if detect
        else f"{len(prefixes)} turn labels put back into the text"
    )
    return f"{doc['name']}: {doc['kind']} -> {kind}; {turns}, {len(updates)} codings and mentions moved"
