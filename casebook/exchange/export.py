"""Writing a project as a REFI-QDA project exchange file (.qdpx).

One module because sources, codes, users and codings are written into one XML document
and share its GUID map.

The archive holds ``project.qde`` and, per document, ``sources/<guid>.txt``
with the canonical text, so every coding's offsets are code-point positions
in exactly the text the other program loads. Guids are casebook ids, which
lets a later import of the same file (or of what the other program writes
back) find the same codes, coders and documents.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from casebook import __version__
from casebook.codes.codebook import code_tree
from casebook.errors import CasebookError, InvalidInput
from casebook.exchange import description
from casebook.exchange.ids import guid_for
from casebook.store.project import Project

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
DOCUMENT_FIELDS = ("kind", "round", "date", "role", "organisation", "respondent", "interviewer")
NOT_EXPORTED = (
    "sections (speaker turns and pages travel as labels and page breaks in the text)",
    "code shortcuts",
    "framework matrices",
    "partner organisations",
    "the audit log",
)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass
class ExportSummary:
    path: Path
    coders: int = 0
    codes: int = 0
    cases: int = 0
    documents: int = 0
    codings: int = 0
    notes: int = 0
    variables: int = 0
    not_exported: tuple[str, ...] = NOT_EXPORTED
    files: list[str] = field(default_factory=list)


def xml_safe(text: str | None) -> str:
    """Characters XML 1.0 cannot carry become spaces, so offsets into the text stay valid."""
    return _ILLEGAL_XML.sub(" ", text or "")


def qda_datetime(value: str | None) -> str | None:
    """``YYYY-MM-DDThh:mm:ssZ``: what QDA programs write (no fractions, UTC)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    def __init__(self, project: Project, inline: bool, ns: str = NS) -> None:
        # lxml loads only when a file is read or written as XML
        from lxml import etree

        self.etree = etree
        self.ns = ns
        self.project = project
        self.inline = inline
        self.files: dict[str, bytes] = {}
        self.notes: list[Any] = []
        self.coders: dict[str, str] = {}
        self.code_guids: dict[str, str] = {}
        self.builtin_fields: list[str] = []
        self.memo_index: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self._project_notes: list[str] = []
        self.summary_counts: dict[str, int] = {}

    def el(
        self, parent: Any, tag: str, attrs: dict[str, Any] | None = None, text: str | None = None
    ) -> Any:
        clean = {k: xml_safe(str(v)) for k, v in (attrs or {}).items() if v is not None and v != ""}
        node = self.etree.SubElement(parent, f"{{{self.ns}}}{tag}", clean)
        if text is not None:
            node.text = xml_safe(text)
        return node

    # --- the sections, in schema order -----------------------------------------

    def build(self) -> Any:
        p = self.project
        stamp = qda_datetime(datetime.now(UTC).isoformat())
        root = self.etree.Element(f"{{{NS}}}Project", nsmap={None: NS, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
        root.set("name", xml_safe(p.get_meta("name") or p.path.stem))
        root.set("origin", f"casebook {__version__}")
        creator = p.query_one("SELECT id FROM coders WHERE name = ?", (p.coder,))
        if creator:
            root.set("creatingUserGUID", guid_for(creator["id"]))
            root.set("modifyingUserGUID", guid_for(creator["id"]))
        root.set("creationDateTime", stamp or "")
        root.set("modifiedDateTime", stamp or "")

        self.memo_index = self._memo_index()
        self.users(root)
        self.codebook(root)
        variables = self.variables(root)
        self.cases(root, variables)
        self.sources(root, variables)
        self.memos(root)
        if self.notes:
            holder = self.el(root, "Notes")
            for note in self.notes:
                holder.append(note)
        for memo_guid in self._project_notes:
            self.el(root, "NoteRef", {"targetGUID": memo_guid})
        return root

    def users(self, root: Any) -> None:
        rows = self.project.query("SELECT id, name FROM coders ORDER BY name")
        self.coders = {r["id"]: guid_for(r["id"]) for r in rows}
        if rows:
            holder = self.el(root, "Users")
            for r in rows:
                self.el(holder, "User", {"guid": self.coders[r["id"]], "name": r["name"]})
        self.summary_counts["coders"] = len(rows)

    def _memo_index(self) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
        index: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        rows = self.project.query(
            "SELECT m.*, c.name AS coder FROM memos m LEFT JOIN coders c ON c.id = m.coder_id "
            "WHERE trim(m.body) <> '' ORDER BY m.created_at, m.id"
        )
        for r in rows:
            index.setdefault((r["target_kind"], r["target_id"]), []).append(r)
        return index

    def codebook(self, root: Any) -> None:
        rows = code_tree(self.project)
        self.code_guids = {r["id"]: guid_for(r["id"]) for r in rows}
        self.summary_counts["codes"] = len(rows)
        if rows:
            self.codes(self.el(self.el(root, "CodeBook"), "Codes"), rows, notes=True)

    def codes(self, holder: Any, rows: list[dict[str, Any]], *, notes: bool) -> None:
        nodes: dict[str, Any] = {}
        for r in rows:
            parent = nodes[r["parent_id"]] if r["parent_id"] else holder
            attrs = {
                "guid": self.code_guids[r["id"]],
                "name": r["label"] or r["name"],
                "isCodable": "true",
                "color": r["colour"] if r["colour"] and _COLOUR.match(r["colour"]) else None,
            }
            node = self.el(parent, "Code", attrs)
            text = description.compose(r)  # row carries its path
            if text:
                self.el(node, "Description", text=text)
            for memo in self.memo_index.pop(("code", r["id"]), []) if notes else []:
                self.el(
                    node,
                    "NoteRef",
                    {"targetGUID": self.note(memo, f"Memo on code {r['label'] or r['name']}")},
                )
            nodes[r["id"]] = node

    def variables(self, root: Any) -> dict[tuple[str, str], tuple[str, str]]:
        """(scope, name) -> (guid, QDA type) for every variable written."""
        out: dict[tuple[str, str], tuple[str, str]] = {}
        attrs = self.project.query("SELECT * FROM attributes ORDER BY scope, name")
        for a in attrs:
            table, key = (
                ("case_attributes", "case_id")
                if a["scope"] == "case"
                else ("document_attributes", "document_id")
            )
            values = [
                r["value"]
                for r in self.project.query(
                    f"SELECT value FROM {table} WHERE attribute_id = ? AND value IS NOT NULL AND value <> ''",
                    (a["id"],),
                )
            ]
            out[(a["scope"], a["name"])] = (guid_for(a["id"]), _qda_type(a["type"], values))
        for name in DOCUMENT_FIELDS:
            if ("document", name) in out:
                continue
            if self.project.scalar(
                f"SELECT count(*) FROM documents WHERE {name} IS NOT NULL AND {name} <> ''"
            ):
                out[("document", name)] = (guid_for(name, "document-field"), "Text")
                self.builtin_fields.append(name)
        if out:
            holder = self.el(root, "Variables")
            names = [n for _s, n in out]
            for (scope, name), (guid, qtype) in out.items():
                shown = f"{name} ({scope})" if names.count(name) > 1 else name
                self.el(holder, "Variable", {"guid": guid, "name": shown, "typeOfVariable": qtype})
        self.summary_counts["variables"] = len(out)
        return out

    def value(self, parent: Any, guid: str, qtype: str, value: str | None) -> None:
        text = _qda_value(qtype, value)
        if text is None:
            return
        node = self.el(parent, "VariableValue")
        self.el(node, "VariableRef", {"targetGUID": guid})
        self.el(node, f"{qtype if text[1] else 'Text'}Value", text=text[0])

    def cases(self, root: Any, variables: dict[tuple[str, str], tuple[str, str]]) -> None:
        rows = self.project.query("SELECT * FROM cases ORDER BY name")
        self.summary_counts["cases"] = len(rows)
        if not rows:
            return
        holder = self.el(root, "Cases")
        for c in rows:
            node = self.el(holder, "Case", {"guid": guid_for(c["id"]), "name": c["name"]})
            if c["description"]:
                self.el(node, "Description", text=c["description"])
            for r in self.project.query(
                "SELECT a.name, ca.value FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id "
                "WHERE ca.case_id = ? ORDER BY a.name",
                (c["id"],),
            ):
                guid, qtype = variables[("case", r["name"])]
                self.value(node, guid, qtype, r["value"])
            for d in self.project.query(
                "SELECT id FROM documents WHERE case_id = ? ORDER BY name", (c["id"],)
            ):
                self.el(node, "SourceRef", {"targetGUID": guid_for(d["id"])})
            for memo in self.memo_index.pop(("case", c["id"]), []):
                self.note(memo, f"Memo on case {c['name']}")

    def sources(self, root: Any, variables: dict[tuple[str, str], tuple[str, str]]) -> None:
        docs = self.project.query(
            "SELECT d.*, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id "
            "LEFT JOIN cases c ON c.id = d.case_id ORDER BY c.name, d.name, d.id"
        )
        self.summary_counts["documents"] = len(docs)
        self.summary_counts["codings"] = 0
        if not docs:
            return
        holder = self.el(root, "Sources")
        for d in docs:
            guid = guid_for(d["id"])
            attrs = {
                "guid": guid,
                "name": d["name"],
                "creationDateTime": qda_datetime(d["imported_at"]),
            }
            shown = SourceText.of(self.project, d["id"], d["text"], page_breaks=not self.inline)
            if not self.inline:
                attrs["plainTextPath"] = f"internal://{guid}.txt"
                self.files[f"sources/{guid}.txt"] = shown.text.encode("utf-8")
            node = self.el(holder, "TextSource", attrs)
            if self.inline:
                self.el(node, "PlainTextContent", text=shown.text)
            self.selections(node, d["id"], shown)
            for memo in self.memo_index.pop(("document", d["id"]), []):
                self.el(node, "NoteRef", {"targetGUID": self.note(memo, f"Memo on {d['name']}")})
            for name in self.builtin_fields:
                guid_v, qtype = variables[("document", name)]
                self.value(node, guid_v, qtype, d[name])
            for r in self.project.query(
                "SELECT a.name, da.value FROM document_attributes da JOIN attributes a ON a.id = da.attribute_id "
                "WHERE da.document_id = ? ORDER BY a.name",
                (d["id"],),
            ):
                guid_v, qtype = variables[("document", r["name"])]
                self.value(node, guid_v, qtype, r["value"])

    def selections(self, node: Any, document_id: str, shown: SourceText) -> None:
        rows = self.project.query(
            "SELECT k.*, o.name AS coder FROM codings k JOIN coders o ON o.id = k.coder_id "
            "WHERE k.document_id = ? ORDER BY k.start, k.end, k.id",
            (document_id,),
        )
        for k in rows:
            user = self.coders.get(k["coder_id"])
            quote = " ".join(k["quote"].split())
            sel = self.el(
                node,
                "PlainTextSelection",
                {
                    "guid": guid_for(k["id"]),
                    "name": quote if len(quote) <= 60 else quote[:59] + "…",
                    "startPosition": shown.start(k["start"]),
                    "endPosition": shown.end(k["end"]),
                    "creatingUser": user,
                    "creationDateTime": qda_datetime(k["created_at"]),
                    "modifyingUser": user,
                    "modifiedDateTime": qda_datetime(k["modified_at"]),
                },
            )
            coding = self.el(
                sel,
                "Coding",
                {
                    "guid": guid_for(k["id"], "coding"),
                    "creatingUser": user,
                    "creationDateTime": qda_datetime(k["created_at"]),
                },
            )
            self.el(coding, "CodeRef", {"targetGUID": self.code_guids[k["code_id"]]})
            memos = self.memo_index.pop(("coding", k["id"]), [])
            if k["memo"] and k["memo"].strip():
                memos.insert(
                    0,
                    {
                        "id": guid_for(k["id"], "memo"),
                        "title": None,
                        "body": k["memo"],
                        "coder_id": k["coder_id"],
                        "created_at": k["created_at"],
                        "modified_at": k["modified_at"],
                    },
                )
            for memo in memos:
                self.el(sel, "NoteRef", {"targetGUID": self.note(memo, f"Memo on “{quote[:40]}”")})
            self.summary_counts["codings"] += 1

    def memos(self, root: Any) -> None:
        """Project memos get a NoteRef on the project; memos whose target is gone stay as notes."""
        for memo in self.memo_index.pop(("project", None), []):
            self._project_notes.append(self.note(memo, "Project memo"))
        for (kind, _target), memos in sorted(
            self.memo_index.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        ):
            for memo in memos:
                self.note(memo, f"Memo on a {kind}")
        self.memo_index.clear()

    def note(self, memo: dict[str, Any], fallback: str) -> str:
        guid = guid_for(memo["id"])
        user = self.coders.get(memo.get("coder_id") or "")
        node = self.etree.Element(f"{{{NS}}}Note")
        for key, value in (
            ("guid", guid),
            ("name", memo.get("title") or fallback),
            ("creatingUser", user),
            ("creationDateTime", qda_datetime(memo.get("created_at"))),
            ("modifyingUser", user),
            ("modifiedDateTime", qda_datetime(memo.get("modified_at"))),
        ):
            if value:
                node.set(key, xml_safe(value))
        content = self.etree.SubElement(node, f"{{{NS}}}PlainTextContent")
        content.text = xml_safe(memo["body"])
        self.notes.append(node)
        return guid


@dataclass
class SourceText:
    """A document's text as exported: speaker labels at turn starts, page breaks between pages.

    casebook keeps speaker labels out of the canonical text (they live on the
    turn segments), but a reader in NVivo or ATLAS.ti needs to see who is
    speaking. REFI-QDA lets the source text be the text as it was, so the
    export puts "Label: " back at the start of each turn that begins a line
    and a form feed where a new page begins, and maps every coding's offsets
    into that text. Importing such a file finds the labels again as turns.
    """

    text: str
    inserts: list[tuple[int, int]]  # (canonical offset, characters inserted before it), sorted

    @classmethod
    def of(
        cls, project: Project, document_id: str, text: str, *, page_breaks: bool = True
    ) -> SourceText:
        added: dict[int, str] = {}
        if page_breaks:
            for r in project.query(
                "SELECT start FROM segments WHERE document_id = ? AND kind = 'page' AND start > 0 ORDER BY start",
                (document_id,),
            ):
                added[r["start"]] = added.get(r["start"], "") + "\f"
        for r in project.query(
            "SELECT start, label FROM segments WHERE document_id = ? AND kind = 'turn'"
            " AND coalesce(trim(label), '') <> '' ORDER BY start",
            (document_id,),
        ):
            start, label = r["start"], " ".join(r["label"].split())
            at_line_start = start == 0 or text[start - 1] == "\n"
            if at_line_start and not text.startswith(label, start):
                added[start] = added.get(start, "") + f"{label}: "
        if not added:
            return cls(text, [])
        pieces, last = [], 0
        for pos in sorted(added):
            pieces += [text[last:pos], added[pos]]
            last = pos
        pieces.append(text[last:])
        return cls("".join(pieces), [(pos, len(added[pos])) for pos in sorted(added)])

    def _shift(self, offset: int, inclusive: bool) -> int:
        return offset + sum(
            n for pos, n in self.inserts if pos < offset or (inclusive and pos == offset)
        )

    def start(self, offset: int) -> int:
        """A coding that starts where a label was inserted starts after the label."""
        return self._shift(offset, True)

    def end(self, offset: int) -> int:
        """A coding that ends where a label was inserted ends before it."""
        return self._shift(offset, False)


def _qda_type(casebook_type: str, values: list[str]) -> str:
    if casebook_type == "number":
        return "Integer" if values and all(_INTEGER.match(v.strip()) for v in values) else "Float"
    if casebook_type == "date":
        return "Date"
    return "Text"


def _qda_value(qtype: str, value: str | None) -> tuple[str, bool] | None:
    """The value as the schema wants it, and whether it fits ``qtype`` (else it goes as text)."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    if qtype == "Integer" and _INTEGER.match(value):
        return str(int(value)), True
    if qtype == "Float":
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            return value, False
        if number.is_finite():
            return format(number, "f"), True
        return value, False
    if qtype == "Date":
        try:
            return date.fromisoformat(value).isoformat(), True
        except ValueError:
            return value, False
    return value, qtype == "Text"


def build_qde(
    project: Project, *, inline: bool = False
) -> tuple[bytes, dict[str, bytes], dict[str, int]]:
    """project.qde as bytes, the source files for the archive, and counts."""
    builder = _Builder(project, inline)
    root = builder.build()
    data = builder.etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    counts = dict(builder.summary_counts, notes=len(builder.notes))
    return data, builder.files, counts


def build_qdc(project: Project) -> tuple[bytes, int]:
    """A REFI-QDA codebook file (.qdc): the code tree only, in the codebook namespace."""
    builder = _Builder(project, False, CODEBOOK_NS)
    rows = code_tree(project)
    builder.code_guids = {r["id"]: guid_for(r["id"]) for r in rows}
    root = builder.etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", f"casebook {__version__}")
    if rows:
        builder.codes(builder.el(root, "Codes"), rows, notes=False)
    data = builder.etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data, len(rows)


def _check_target(out: Path) -> None:
    if out.suffix.lower() not in (".qdpx", ".qdc"):
        raise InvalidInput(f"{out}: give a .qdpx (project) or .qdc (codebook) file name")
    if not out.parent.exists():
        raise InvalidInput(f"{out}: folder {out.parent} does not exist; create it first")
    if out.is_dir():
        raise InvalidInput(f"{out}: is a folder; give a file name ending in .qdpx or .qdc")


def _write_atomic(out: Path, write: Any) -> None:
    """``out`` appears whole or not at all."""
    fd, tmp_name = tempfile.mkstemp(prefix=".casebook-", suffix=out.suffix, dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        # mkstemp makes an owner-only file; an exchange file is a deliverable to share: the usual mode.
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, out)
    except OSError as exc:
        Path(tmp_name).unlink(missing_ok=True)
        raise CasebookError(f"{out}: cannot write the file ({exc.strerror or exc})") from exc


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export_qdpx(project: Project, out: Path, *, inline: bool = False) -> ExportSummary:
    """Write the project to ``out`` (.qdpx), or only its codebook when ``out`` ends in .qdc."""
    out = Path(out)
    _check_target(out)
    if out.suffix.lower() == ".qdc":
        data, n = build_qdc(project)
        _write_atomic(out, lambda fh: fh.write(data))
        return ExportSummary(out, codes=n, files=[out.name])
    qde, files, counts = build_qde(project, inline=inline)

    def write(fh: Any) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", qde)
            for name, data in files.items():
                zf.writestr(name, data)

    _write_atomic(out, write)
    summary = ExportSummary(out, files=["project.qde", *files])
    for key, value in counts.items():
        setattr(summary, key, value)
    return summary
