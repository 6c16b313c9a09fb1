"""Bringing a whole REFI-QDA project in: texts, cases, variables, codings and notes.

Runs as one transaction on top of the codebook merge, so a failure leaves
the project as it was. Each text source is imported like any other text file
(canonical text, segments, search index); its selections are then carried
over to the canonical text by ``align.OffsetMap``. Importing the same file
again finds the documents by their text and adds no codings twice.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from casebook.core import cases as cases_mod
from casebook.core.codings import add_coding
from casebook.core.documents import DocumentMeta, document_text, import_file, normalise_kind
from casebook.core.memos import get_memo, set_memo
from casebook.errors import CasebookError
from casebook.exchange.align import OffsetMap
from casebook.exchange.codebook_import import CodebookResult
from casebook.exchange.export import DOCUMENT_FIELDS
from casebook.exchange.ids import norm_guid
from casebook.exchange.qde import QdaNote, QdaProject, QdaSource
from casebook.store.project import Project

_TYPES = {"Integer": "number", "Float": "number", "Date": "date", "Boolean": "category"}
_UNSAFE_FILE = re.compile(r"[^\w.\- ]+")


@dataclass
class SourcesResult:
    documents_added: int = 0
    documents_found: int = 0
    codings_added: int = 0
    codings_found: int = 0
    codings_skipped: int = 0
    cases: int = 0
    memos: int = 0
    warnings: list[str] = field(default_factory=list)


class _Importer:
    def __init__(
        self, project: Project, qda: QdaProject, book: CodebookResult, default_case: str
    ) -> None:
        self.project = project
        self.qda = qda
        self.book = book
        self.default_case = default_case
        self.result = SourcesResult()
        self.notes = {n.guid: n for n in qda.notes}
        self.used_notes: set[str] = set()
        self.variables = {v.guid: v for v in qda.variables}
        self.case_of: dict[str, str] = {}
        self.skipped: dict[str, int] = {}

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n

    def run(self, workdir: Path) -> SourcesResult:
        self.cases()
        for source in self.qda.sources:
            self.source(source, workdir)
        self.memos()
        unused = [n for n in self.qda.notes if n.guid not in self.used_notes and n.text.strip()]
        if unused:
            self.skip(
                "notes not attached to the project, a code, a source or a selection", len(unused)
            )
        self.result.warnings = [
            f"{n} {what} not imported" for what, n in sorted(self.skipped.items())
        ]
        return self.result

    # --- cases and variables -----------------------------------------------------

    def cases(self) -> None:
        for case in self.qda.cases:
            name = case.name.strip() or f"Case {case.guid.strip('{}')[:8]}"
            case_id = cases_mod.ensure_case(self.project, name)
            self.result.cases += 1
            if case.description and not self.project.scalar(
                "SELECT description FROM cases WHERE id = ?", (case_id,)
            ):
                self.project.conn.execute(
                    "UPDATE cases SET description = ? WHERE id = ?",
                    (case.description.strip(), case_id),
                )
            for var_guid, (kind, value) in case.values.items():
                key = self._attribute_key(var_guid, kind)
                if key and value:
                    try:
                        cases_mod.set_case_attribute(self.project, case_id, key, value)
                    except CasebookError:
                        self.skip("case variable values that do not fit the attribute's type")
            for source_guid in case.source_guids:
                self.case_of.setdefault(source_guid, name)

    def _attribute_key(self, var_guid: str, kind: str) -> str | None:
        var = self.variables.get(var_guid)
        if var is None or not var.name.strip():
            self.skip("variable values without a variable")
            return None
        name = re.sub(r" \((case|document)\)$", "", var.name.strip())
        qtype = _TYPES.get(var.type) or _TYPES.get(kind)
        return f"{name}:{qtype}" if qtype else name

    # --- sources and codings -----------------------------------------------------

    def source(self, source: QdaSource, workdir: Path) -> None:
        if not (source.text or "").strip():
            self.skip("empty text sources")
            return
        meta = DocumentMeta(case=self.case_of.get(source.guid, self.default_case), name=source.name)
        attributes: dict[str, str] = {}
        for var_guid, (kind, value) in source.values.items():
            var = self.variables.get(var_guid)
            if var is not None and var.name in DOCUMENT_FIELDS and value:
                if var.name == "kind":
                    try:
                        meta.kind = normalise_kind(value)
                    except CasebookError:
                        attributes["kind"] = value
                    continue
                setattr(meta, var.name, value)
                continue
            key = self._attribute_key(var_guid, kind)
            if key and value:
                attributes[key] = value
        doc_id = self._document(source, meta, workdir)
        if doc_id is None:
            return
        for key, value in attributes.items():
            try:
                cases_mod.set_document_attribute(self.project, doc_id, key, value)
            except CasebookError:
                self.skip("source variable values that do not fit the attribute's type")
        self._memo_from(source.note_refs, "document", doc_id)
        self.codings(source, doc_id)

    def _document(self, source: QdaSource, meta: DocumentMeta, workdir: Path) -> str | None:
        guid = norm_guid(source.guid)
        if guid and self.project.query_one("SELECT 1 FROM documents WHERE id = ?", (guid,)):
            self.result.documents_found += 1
            return guid
        stem = _UNSAFE_FILE.sub("_", Path(source.name).stem).strip(" ._") or "source"
        folder = workdir / str(len(list(workdir.iterdir())))
        folder.mkdir()
        path = folder / f"{stem[:80]}.txt"
        path.write_text(source.text or "", encoding="utf-8")
        try:
            outcome = import_file(self.project, path, meta)
        except CasebookError as exc:
            self.result.warnings.append(f"source {source.name}: {getattr(exc, 'reason', exc)}")
            self.skip("sources that could not be read as text")
            return None
        if outcome.status == "duplicate":
            self.result.documents_found += 1
            return outcome.document_id
        self.result.documents_added += 1
        assert outcome.document_id is not None  # added: it has an id
        if guid and outcome.document_id != guid:
            # keep the other program's (or our own earlier export's) guid: round trips keep their ids
            reassign_id(self.project, "documents", outcome.document_id, guid)
            return guid
        return outcome.document_id

    def codings(self, source: QdaSource, doc_id: str) -> None:
        offsets = OffsetMap(source.text or "", document_text(self.project, doc_id))
        for sel in source.selections:
            span = offsets.span(sel.start, sel.end) if sel.end <= len(source.text or "") else None
            if span is None:
                self.result.codings_skipped += len(sel.codings)
                self.skip("codings whose text is not in the imported document", len(sel.codings))
                continue
            for coding in sel.codings:
                code_id = self.book.code_ids.get(coding.code_guid)
                if code_id is None:
                    self.skip("codings of codes missing from the codebook")
                    self.result.codings_skipped += 1
                    continue
                coder = self.book.coder_names.get(coding.user_guid or "") or self.project.coder
                memo = (
                    self._note_text(sel.note_refs + coding.note_refs)
                    or (sel.description or "").strip()
                    or None
                )
                before = self.project.scalar(
                    "SELECT count(*) FROM codings WHERE document_id = ?", (doc_id,)
                )
                coding_id = add_coding(
                    self.project, doc_id, code_id, span[0], span[1], coder=coder, memo=memo
                )
                after = self.project.scalar(
                    "SELECT count(*) FROM codings WHERE document_id = ?", (doc_id,)
                )
                if after > before:
                    self.result.codings_added += 1
                    guid = norm_guid(sel.guid) if len(sel.codings) == 1 else None
                    if (
                        guid
                        and guid != coding_id
                        and not self.project.query_one(
                            "SELECT 1 FROM codings WHERE id = ?", (guid,)
                        )
                    ):
                        reassign_id(self.project, "codings", coding_id, guid)
                else:
                    self.result.codings_found += 1

    # --- notes -------------------------------------------------------------------

    def _notes(self, refs: list[str]) -> list[QdaNote]:
        found = [self.notes[r] for r in refs if r in self.notes]
        self.used_notes.update(n.guid for n in found)
        return [n for n in found if n.text.strip()]

    def _note_text(self, refs: list[str]) -> str | None:
        texts = [n.text.strip() for n in self._notes(refs)]
        return "\n\n".join(texts) or None

    def _memo_from(self, refs: list[str], kind: str, target_id: str | None) -> None:
        by_coder: dict[str, list[str]] = {}
        for note in self._notes(refs):
            coder = self.book.coder_names.get(note.user_guid or "") or self.project.coder
            by_coder.setdefault(coder, []).append(note.text.strip())
        for coder, texts in by_coder.items():
            body = "\n\n".join(texts)
            if get_memo(self.project, kind, target_id, coder).strip() != body:
                set_memo(self.project, kind, target_id, body, coder)
                self.result.memos += 1

    def memos(self) -> None:
        self._memo_from(self.qda.project_note_refs, "project", None)
        self._code_memos(self.qda.codes)

    def _code_memos(self, codes: list) -> None:
        for code in codes:
            if code.note_refs and code.guid in self.book.code_ids:
                self._memo_from(code.note_refs, "code", self.book.code_ids[code.guid])
            self._code_memos(code.children)


def reassign_id(project: Project, table: str, old: str, new: str) -> None:
    """Give a row just created another id, and every row that points at it (found from the schema).

    Call inside the caller's transaction; foreign keys are checked at commit.
    """
    if project.query_one(f"SELECT 1 FROM {table} WHERE id = ?", (new,)):
        return
    project.conn.execute("PRAGMA defer_foreign_keys = ON")
    project.conn.execute(f"UPDATE {table} SET id = ? WHERE id = ?", (new, old))
    tables = [
        r["name"] for r in project.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for other in tables:
        for fk in project.conn.execute(f"PRAGMA foreign_key_list({other})").fetchall():
            if fk[2] == table and (fk[4] or "id") == "id":
                project.conn.execute(
                    f"UPDATE {other} SET {fk[3]} = ? WHERE {fk[3]} = ?", (new, old)
                )
    project.audit("reassign", table.rstrip("s"), new, before={"id": old}, after={"id": new})


def import_sources(
    project: Project, qda: QdaProject, book: CodebookResult, *, default_case: str
) -> SourcesResult:
    """Import sources, cases and codings; call inside the caller's transaction."""
    with tempfile.TemporaryDirectory(prefix="casebook-qdpx-") as tmp:
        return _Importer(project, qda, book, default_case).run(Path(tmp))
