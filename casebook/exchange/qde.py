"""Reading REFI-QDA files (.qdpx, .qde, .qdc) into plain data.

Programs differ in details the schema allows (namespace prefixes, ``Sources/``
or ``sources/`` in the zip, braces around guids), so elements are matched by
local name and paths case-insensitively. Everything casebook cannot hold is
counted in ``warnings`` so the user learns what was left behind, as the
standard asks of an importer.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.errors import ImportFailed
from casebook.importers import limits

MAX_MEMBER_BYTES = 1 << 30


@dataclass
class QdaCode:
    guid: str
    name: str
    codable: bool = True
    color: str | None = None
    description: str | None = None
    note_refs: list[str] = field(default_factory=list)
    children: list[QdaCode] = field(default_factory=list)


@dataclass
class QdaUser:
    guid: str
    name: str | None


@dataclass
class QdaCoding:
    guid: str
    code_guid: str
    user_guid: str | None
    note_refs: list[str] = field(default_factory=list)


@dataclass
class QdaSelection:
    guid: str
    start: int
    end: int
    user_guid: str | None
    description: str | None = None
    codings: list[QdaCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class QdaSource:
    guid: str
    name: str
    text: str | None
    selections: list[QdaSelection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    values: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # variable guid -> (kind, value)


@dataclass
class QdaVariable:
    guid: str
    name: str
    type: str


@dataclass
class QdaCase:
    guid: str
    name: str
    description: str | None = None
    source_guids: list[str] = field(default_factory=list)
    values: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class QdaNote:
    guid: str
    name: str | None
    text: str
    user_guid: str | None


@dataclass
class QdaProject:
    kind: str  # "project" or "codebook"
    name: str | None = None
    origin: str | None = None
    users: list[QdaUser] = field(default_factory=list)
    codes: list[QdaCode] = field(default_factory=list)
    variables: list[QdaVariable] = field(default_factory=list)
    cases: list[QdaCase] = field(default_factory=list)
    sources: list[QdaSource] = field(default_factory=list)
    notes: list[QdaNote] = field(default_factory=list)
    project_note_refs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, what: str, n: int = 1) -> None:
        if n <= 0:
            return  # "0 code sets not imported" tells the reader nothing
        self._skipped[what] = self._skipped.get(what, 0) + n

    def finish(self) -> None:
        for what, n in sorted(self._skipped.items()):
            self.warnings.append(f"{n} {what} not imported")
        self._skipped.clear()


# --- opening --------------------------------------------------------------------


def _parse_xml(path: Path, data: bytes, member: str | None = None) -> Any:
    # lxml loads only when a file is read or written as XML
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    where = f"{member} in the archive" if member else "the file"
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise ImportFailed(
            path, f"{where} is not well-formed XML{line}; export it again from the QDA program"
        ) from exc
    if root is None:
        raise ImportFailed(path, f"{where} is empty; export it again from the QDA program")
    return root


class _Archive:
    """The zip around project.qde, with case-insensitive member lookup."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.zf = zf
        self.members = {info.filename.lower().lstrip("/"): info for info in zf.infolist()}

    def read(self, name: str) -> bytes | None:
        info = self.members.get(name.lower().lstrip("/"))
        if info is None:
            return None
        if info.file_size > MAX_MEMBER_BYTES:
            raise ImportFailed(self.path, f"{info.filename} in the archive is larger than 1 GB")
        try:
            return self.zf.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise ImportFailed(
                self.path, f"{info.filename} in the archive is damaged ({exc})"
            ) from exc


def read_qda(path: Path) -> QdaProject:
    """Parse a .qdpx, .qde or .qdc file; bad input raises ImportFailed with a one-line reason."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed(path, "no such file; check the path")
    if path.is_dir():
        raise ImportFailed(path, "is a folder; give a .qdpx or .qdc file")
    limits.check_file_size(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise ImportFailed(path, "the file is empty; export it again from the QDA program")
    if raw[:4] == b"PK\x03\x04" or path.suffix.lower() == ".qdpx":
        return _read_archive(path)
    if path.suffix.lower() not in (".qdc", ".qde", ".xml") and not raw.lstrip().startswith(b"<"):
        raise ImportFailed(path, "not a REFI-QDA file; give a .qdpx project or a .qdc codebook")
    return _from_root(path, _parse_xml(path, raw), None)


def _read_archive(path: Path) -> QdaProject:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFailed(
            path, "not a QDPX file (not a zip archive); export it again as REFI-QDA project"
        ) from exc
    with zf:
        limits.check_zip(path, zf, total=False)
        archive = _Archive(path, zf)
        name = next((n for n in archive.members if n == "project.qde"), None)
        if name is None:
            name = next((n for n in archive.members if n.endswith(".qde") and "/" not in n), None)
        if name is None:
            raise ImportFailed(
                path, "the archive holds no project.qde; is this a REFI-QDA project export?"
            )
        data = archive.read(name) or b""
        return _from_root(path, _parse_xml(path, data, archive.members[name].filename), archive)


# --- element helpers ------------------------------------------------------------


def _local(el: Any) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _kids(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name]


def _kid(el: Any, name: str) -> Any | None:
    found = _kids(el, name)
    return found[0] if found else None


def _text(el: Any, name: str) -> str | None:
    child = _kid(el, name)
    if child is None:
        return None
    return "".join(child.itertext())


def _refs(el: Any, name: str = "NoteRef") -> list[str]:
    return [r.get("targetGUID", "") for r in _kids(el, name) if r.get("targetGUID")]


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# --- the model ------------------------------------------------------------------


def unflatten(codes: list[QdaCode]) -> list[QdaCode]:
    """A flat list of dotted names ("BEL", "BEL.TIJD") as the tree it stands for.

    Taguette writes its hierarchical tags as one flat level of codes named by
    their dotted path. Only a flat list where some name is dotted is
    rebuilt; a tree the other program already nested is left as it is. A
    missing parent ("BEL.TIJD" without "BEL") becomes a non-codable folder.
    """
    if any(c.children for c in codes) or not any(_dotted(c.name) for c in codes):
        return codes
    roots: list[QdaCode] = []
    by_path: dict[tuple[str, ...], QdaCode] = {}

    def place(path: tuple[str, ...], code: QdaCode | None) -> QdaCode:
        if path in by_path:
            node = by_path[path]
            if code is not None and not node.guid:  # a folder made earlier gets the real code
                node.guid, node.codable = code.guid, code.codable
                node.color, node.description, node.note_refs = (
                    code.color,
                    code.description,
                    code.note_refs,
                )
            return node
        parent_path, leaf = path[:-1], path[-1]
        node = QdaCode(
            code.guid if code else "",
            leaf,
            codable=code.codable if code else False,
            color=code.color if code else None,
            description=code.description if code else None,
            note_refs=list(code.note_refs) if code else [],
        )
        by_path[path] = node
        if parent_path:
            place(parent_path, None).children.append(node)
        else:
            roots.append(node)
        return node

    for code in codes:
        name = code.name.strip()
        place(tuple(name.split(".")) if _dotted(name) else (name,), code)
    return roots


def _dotted(name: str) -> bool:
    """'BEL.TIJD' is a path; '1. Inleiding' and 'etc.' are names with a full stop."""
    return bool(re.fullmatch(r"[^.\s](?:[^.]*[^.\s])?(?:\.[^.\s](?:[^.]*[^.\s])?)+", name.strip()))


def _from_root(path: Path, root: Any, archive: _Archive | None) -> QdaProject:
    kind = _local(root)
    if kind == "CodeBook":
        qda = QdaProject("codebook", origin=root.get("origin"))
        codes = _kid(root, "Codes")
        qda.codes = unflatten(_codes(codes)) if codes is not None else []
        if _kid(root, "Sets") is not None:
            qda.skip("code sets", len(_kids(_kid(root, "Sets"), "Set")))
        qda.finish()
        return qda
    if kind != "Project":
        raise ImportFailed(
            path, f"the XML root is <{kind}>, not a REFI-QDA <Project> or <CodeBook>"
        )
    qda = QdaProject("project", name=root.get("name"), origin=root.get("origin"))
    users = _kid(root, "Users")
    if users is not None:
        qda.users = [QdaUser(u.get("guid", ""), u.get("name")) for u in _kids(users, "User")]
    book = _kid(root, "CodeBook")
    codes = _kid(book, "Codes") if book is not None else None
    if codes is not None:
        qda.codes = unflatten(_codes(codes))
    variables = _kid(root, "Variables")
    if variables is not None:
        qda.variables = [
            QdaVariable(v.get("guid", ""), v.get("name", ""), v.get("typeOfVariable", "Text"))
            for v in _kids(variables, "Variable")
        ]
    cases = _kid(root, "Cases")
    if cases is not None:
        for c in _kids(cases, "Case"):
            qda.cases.append(
                QdaCase(
                    c.get("guid", ""),
                    c.get("name") or "",
                    _text(c, "Description"),
                    _refs(c, "SourceRef"),
                    _values(c),
                )
            )
            if _kids(c, "SelectionRef") or _kids(c, "CodeRef"):
                qda.skip(
                    "case links to selections or codes",
                    len(_kids(c, "SelectionRef")) + len(_kids(c, "CodeRef")),
                )
    sources = _kid(root, "Sources")
    if sources is not None:
        for el in sources:
            _source(qda, el, archive, path)
    notes = _kid(root, "Notes")
    if notes is not None:
        for n in _kids(notes, "Note"):
            text = _content(qda, n, archive, path)
            qda.notes.append(
                QdaNote(n.get("guid", ""), n.get("name"), text or "", n.get("creatingUser"))
            )
    qda.project_note_refs = _refs(root)
    for section, what in (("Links", "links"), ("Sets", "sets"), ("Graphs", "graphs")):
        el = _kid(root, section)
        if el is not None and len(el):
            qda.skip(what, len(el))
    qda.finish()
    return qda


def _codes(parent: Any) -> list[QdaCode]:
    out: list[QdaCode] = []
    for el in _kids(parent, "Code"):
        out.append(
            QdaCode(
                guid=el.get("guid", ""),
                name=(el.get("name") or "").strip(),
                codable=(el.get("isCodable", "true").strip().lower() not in ("false", "0")),
                color=el.get("color"),
                description=_text(el, "Description"),
                note_refs=_refs(el),
                children=_codes(el),
            )
        )
    return out


def _values(el: Any) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for vv in _kids(el, "VariableValue"):
        ref = _kid(vv, "VariableRef")
        if ref is None or not ref.get("targetGUID"):
            continue
        for child in vv:
            name = _local(child)
            if name.endswith("Value"):
                out[ref.get("targetGUID")] = (
                    name[: -len("Value")],
                    "".join(child.itertext()).strip(),
                )
    return out


def _content(qda: QdaProject, el: Any, archive: _Archive | None, path: Path) -> str | None:
    """A text source's plain text: inline, or from the archive's sources folder."""
    inline = _kid(el, "PlainTextContent")
    if inline is not None:
        text = "".join(inline.itertext())
        limits.check_text(path, len(text))
        return text
    ref = el.get("plainTextPath")
    if not ref:
        return None
    if not ref.startswith("internal://"):
        qda.skip("sources stored outside the archive (relative:// or absolute:// paths)")
        return None
    if archive is None:
        qda.skip("sources whose text is in the .qdpx archive (a bare .qde was given)")
        return None
    name = ref[len("internal://") :]
    data = archive.read(f"sources/{name}")
    if data is None:
        data = archive.read(name)
    if data is None:
        qda.skip("sources whose text file is missing from the archive")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        qda.skip("sources whose text file is not UTF-8")
        return None
    limits.check_text(path, len(text))
    return text


def _selections(qda: QdaProject, el: Any) -> list[QdaSelection]:
    out: list[QdaSelection] = []
    for s in _kids(el, "PlainTextSelection"):
        start, end = _int(s.get("startPosition")), _int(s.get("endPosition"))
        if start is None or end is None or not 0 <= start < end:
            qda.skip("text selections with missing or empty positions")
            continue
        sel = QdaSelection(
            s.get("guid", ""),
            start,
            end,
            s.get("creatingUser"),
            _text(s, "Description"),
            note_refs=_refs(s),
        )
        for c in _kids(s, "Coding"):
            ref = _kid(c, "CodeRef")
            if ref is None or not ref.get("targetGUID"):
                continue
            sel.codings.append(
                QdaCoding(
                    c.get("guid", ""),
                    ref.get("targetGUID"),
                    c.get("creatingUser") or sel.user_guid,
                    _refs(c),
                )
            )
        out.append(sel)
    return out


def _source(qda: QdaProject, el: Any, archive: _Archive | None, path: Path) -> None:
    kind = _local(el)
    text_el = el
    if kind == "PDFSource":
        text_el = _kid(el, "Representation")
        if _kids(el, "PDFSelection"):
            qda.skip(
                "PDF region selections (casebook codes text, not page areas)",
                len(_kids(el, "PDFSelection")),
            )
        if text_el is None:
            qda.skip("PDF sources without a text representation")
            return
    elif kind != "TextSource":
        label = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}.get(
            kind, kind
        )
        qda.skip(f"{label} sources")
        return
    if _kids(el, "Coding"):
        qda.skip("codings of whole sources", len(_kids(el, "Coding")))
    text = _content(qda, text_el, archive, path)
    if text is None:
        return
    qda.sources.append(
        QdaSource(
            guid=el.get("guid", ""),
            name=el.get("name") or text_el.get("name") or "source",
            text=text,
            selections=_selections(qda, text_el),
            note_refs=_refs(el) + (_refs(text_el) if text_el is not el else []),
            values=_values(el),
        )
    )
