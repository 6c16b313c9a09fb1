"""Word (.docx) documents: paragraphs and tables in the order they appear.

One module: paragraphs, tables, bold speaker labels and comments are read in one walk
over the body XML.

The body XML is walked directly rather than through ``Document.paragraphs``
and ``Document.tables``, because those two lists lose where a table sits
between paragraphs, drop text inside tracked insertions and content controls,
and would read deleted text of unaccepted changes.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import Block, ReadResult
from casebook.text import speakers

NOT_WORD = "not a Word document (the file is damaged or not .docx); re-save it from Word"
TRACKED = "the document has tracked changes: inserted text is included, deleted text is not"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING_NAME = re.compile(r"^(?:heading|kop)\s*(\d)$", re.I)
_TITLE_NAMES = {"title", "titel"}
_TOC_NAME = re.compile(r"^(?:toc|inhopg)\s*\d*$|^(?:toc heading|kop van inhoudsopgave)$", re.I)
_FALSE = {"0", "false", "off", "none"}
# Containers inside a paragraph whose runs are part of the visible text.
_INLINE = {
    "hyperlink",
    "ins",
    "smartTag",
    "fldSimple",
    "customXml",
    "sdt",
    "sdtContent",
    "moveTo",
    "dir",
    "bdo",
}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _local(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _ns(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _on(el: Any) -> bool:
    """A Word on/off property element: present means on unless val says off."""
    return el.get(_w("val"), "true").lower() not in _FALSE


@dataclass
class Row:
    """One table row: each cell's paragraphs, and whether the cell continues a vertical merge."""

    cells: list[list[str]]
    merged: list[bool] = field(default_factory=list)


_HEADER_WORDS = {
    "spreker", "speaker", "naam", "name", "wie", "who", "persoon", "person", "rol", "role",
    "tijd", "time", "tijdstip", "timestamp", "tijdcode", "timecode", "tekst", "text",
    "transcript", "transcriptie", "uitspraak", "inhoud", "content", "citaat", "quote",
    "fragment", "begin", "start", "gesprek", "dialoog",
}  # fmt: skip


def table_blocks(
    rows: list[Row], known: set[str] | frozenset[str] = frozenset()
) -> tuple[list[Block], bool]:
    """Blocks for one table, and whether it held a transcript (speaker | text).

    A transcript table gives one block per paragraph of the text column, with
    the speaker of its row; any other table gives one ``table_row`` block per
    row, cells joined by `` | ``.
    """
    turns = _speaker_rows(rows, known)
    if turns is not None:
        return turns, True
    blocks: list[Block] = []
    for row in rows:
        cells = [
            " ".join(" ".join(par.split()) for par in cell if par.strip()) for cell in row.cells
        ]
        if any(cells):
            blocks.append(Block(" | ".join(cells), kind="table_row"))
    return blocks, False


def _cell(row: Row, i: int) -> str:
    return (
        " ".join(" ".join(p.split()) for p in row.cells[i] if p.strip())
        if i < len(row.cells)
        else ""
    )


def _speaker_rows(rows: list[Row], known: set[str] | frozenset[str]) -> list[Block] | None:
    rows = [r for r in rows if any(_cell(r, i) for i in range(len(r.cells)))]
    if not rows:
        return None
    ncols = max(len(r.cells) for r in rows)
    if ncols not in (2, 3):
        return None
    head = [_cell(rows[0], i).lower().rstrip(":").strip() for i in range(len(rows[0].cells))]
    if sum(1 for h in head if h in _HEADER_WORDS) >= 2 and all(
        not h or h in _HEADER_WORDS for h in head
    ):
        rows = rows[1:]
    full = [r for r in rows if len(r.cells) == ncols]
    if len(full) < 2:
        return None
    columns = list(range(ncols))
    time_col = None
    if ncols == 3:
        for c in columns:
            values = [_cell(r, c).strip("[]() ") for r in full]
            if all(not v or speakers.is_time(v) for v in values) and any(values):
                time_col = c
                break
        if time_col is None:
            return None
        columns.remove(time_col)
    who_col, text_col = columns
    keys: list[str] = []
    lengths: list[int] = []
    blocks: list[Block] = []
    current: tuple[str, float | None] | None = None
    for row in rows:
        if len(row.cells) != ncols:
            blocks.extend(Block(p) for cell in row.cells for p in cell if p.strip())
            continue
        who = _cell(row, who_col)
        merged = who_col < len(row.merged) and row.merged[who_col]
        time = None
        if time_col is not None and _cell(row, time_col):
            time = speakers.parse_time(_cell(row, time_col).strip("[]() "))
        if who and not merged:
            m = speakers.as_label(who)
            if m is None:
                return None
            keys.append(speakers.label_key(m.label or ""))
            current = (speaker_name(m), m.time if m.time is not None else time)
        elif current is not None and time is not None:
            current = (current[0], time)
        texts = [p for p in row.cells[text_col] if p.strip()]
        lengths.extend(len(" ".join(p.split())) for p in texts)
        for i, text in enumerate(texts):
            if current is None:
                blocks.append(Block(text))
            else:
                blocks.append(Block(text, speaker=current[0], time=current[1] if i == 0 else None))
    if len(keys) < 2 or not lengths:
        return None
    counts = {k: keys.count(k) for k in keys}
    vouched = all(speakers.is_generic(k) or k in known for k in counts)
    if vouched:
        return blocks
    recurring = any(n >= 2 for n in counts.values())
    generic = any(speakers.is_generic(k) for k in counts)
    if not (recurring or generic) or len(counts) > max(2, round(0.6 * len(keys))):
        return None
    if sum(lengths) / len(lengths) < 12:
        return None
    return blocks


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    bold: bool | None = None
    outline: int | None = None


@dataclass
class Para:
    runs: list[tuple[str, bool]]
    level: int | None = None
    skip: bool = False
    boxes: list[Any] = field(default_factory=list)  # text-box contents anchored here

    @property
    def text(self) -> str:
        return "".join(t for t, _b in self.runs)


class _Styles:
    def __init__(self, document: Any) -> None:
        self.by_id: dict[str, _Style] = {}
        try:
            root = document.styles.element
        except Exception:  # noqa: BLE001 - a document without styles.xml reads as plain
            return
        for el in root.iter(_w("style")):
            sid = el.get(_w("styleId"))
            if not sid:
                continue
            st = _Style()
            name = el.find(_w("name"))
            st.name = name.get(_w("val"), "") if name is not None else ""
            based = el.find(_w("basedOn"))
            st.based_on = based.get(_w("val")) if based is not None else None
            b = el.find(f"{_w('rPr')}/{_w('b')}")
            st.bold = _on(b) if b is not None else None
            lvl = el.find(f"{_w('pPr')}/{_w('outlineLvl')}")
            if lvl is not None and (lvl.get(_w("val")) or "").isdigit():
                st.outline = int(lvl.get(_w("val")))
            self.by_id[sid] = st

    def chain(self, sid: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 20:
            seen.add(sid)
            out.append(self.by_id[sid])
            sid = self.by_id[sid].based_on
        return out

    def bold(self, sid: str | None) -> bool | None:
        for st in self.chain(sid):
            if st.bold is not None:
                return st.bold
        return None

    def heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            m = _HEADING_NAME.match(st.name.strip())
            if m:
                return max(1, int(m.group(1)))
            if st.name.strip().lower() in _TITLE_NAMES:
                return 1
            if st.outline is not None:
                return st.outline + 1 if st.outline < 9 else None
        return None

    def is_toc(self, sid: str | None) -> bool:
        return any(_TOC_NAME.match(st.name.strip()) for st in self.chain(sid)[:1])


class DocxReader:
    extensions = (".docx",)

    def read(self, path: Path) -> ReadResult:
        _check_container(path)
        try:
            import docx  # python-docx loads lxml; only Word files need it

            document = docx.Document(str(path))
            body = document.element.body
        except ImportFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
            raise ImportFailed(path, NOT_WORD) from exc
        try:
            walker = _Walker(_Styles(document))
            walker.body(body)
            warnings = []
            if walker.tracked:
                warnings.append(TRACKED)
            return build_result(path, walker.items, "docx", warnings)
        except ImportFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - unexpected XML shapes in a readable zip
            raise ImportFailed(
                path,
                f"cannot read the document's text ({type(exc).__name__}); re-save it from Word",
            ) from exc


def _check_container(path: Path) -> None:
    """Refuse look-alikes with a reason the researcher can act on."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    if not head:
        raise ImportFailed(path, "the file is empty; nothing to import")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFailed(
            path,
            "this is an old .doc or a password-protected Word file; open it in Word, "
            "remove the password if any, and save it as .docx",
        )
    names = limits.zip_member_names(path, NOT_WORD)
    if "content.xml" in names and "word/document.xml" not in names:
        raise ImportFailed(path, "this is an OpenDocument file named .docx; rename it to .odt")
    try:
        with zipfile.ZipFile(path) as zf:
            declares = [
                n
                for n in sorted(names)
                if n.endswith((".xml", ".rels")) and _has_doctype(zf.read(n))
            ]
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise ImportFailed(path, NOT_WORD) from exc
    if declares:
        raise ImportFailed(
            path,
            f"{declares[0]} inside the file declares XML entities (a DOCTYPE), which Word never writes; "
            "text from them would be lost or fetched from elsewhere. Re-save the document from Word",
        )


class _Prolog(Exception):
    """Stops parsing at the root element: a DOCTYPE can only come before it."""


def _has_doctype(data: bytes) -> bool:
    found = [False]

    def doctype(*_args: object) -> None:
        found[0] = True
        raise _Prolog

    def element(*_args: object) -> None:
        raise _Prolog

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except _Prolog:
        pass
    except expat.ExpatError:
        return False  # not well-formed: python-docx refuses it with its own message
    return found[0]


class _Walker:
    """Collects paragraphs and tables from the body in reading order."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.items: list[Para | list[Row]] = []
        self.tracked = False

    def body(self, parent: Any) -> None:
        for el in parent:
            if _ns(el) != _W:
                if _local(el) == "AlternateContent":
                    choice = next((c for c in el if _local(c) == "Choice"), None)
                    if choice is not None:
                        self.body(choice)
                continue
            tag = _local(el)
            if tag == "p":
                para = self.paragraph(el)
                if not para.skip:
                    self.items.append(para)
                for box in para.boxes:
                    self.body(box)
            elif tag == "tbl":
                self.items.append(self.table(el))
            elif tag == "sdt":
                if not _is_toc_control(el):
                    content = el.find(_w("sdtContent"))
                    if content is not None:
                        self.body(content)
            elif tag in ("customXml", "ins", "moveTo"):
                self.body(el)

    def paragraph(self, p: Any) -> Para:
        ppr = p.find(_w("pPr"))
        sid = None
        level = None
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            sid = ps.get(_w("val")) if ps is not None else None
            lvl = ppr.find(_w("outlineLvl"))
            if lvl is not None and (lvl.get(_w("val")) or "").isdigit():
                v = int(lvl.get(_w("val")))
                level = v + 1 if v < 9 else None
        if level is None:
            level = self.styles.heading_level(sid)
        para_bold = bool(self.styles.bold(sid))
        para = Para([], level, skip=self.styles.is_toc(sid))
        self._inline(p, para, para_bold)
        return para

    def _inline(self, parent: Any, para: Para, para_bold: bool) -> None:
        for el in parent:
            tag = _local(el)
            if _ns(el) == _MC and tag == "AlternateContent":
                choice = next((c for c in el if _local(c) == "Choice"), None)
                if choice is not None:
                    self._inline(choice, para, para_bold)
                continue
            if _ns(el) != _W:
                continue
            if tag == "r":
                self._run(el, para, para_bold)
            elif tag in ("del", "moveFrom"):
                self.tracked = True
            elif tag in _INLINE:
                self.tracked = self.tracked or tag == "ins"
                self._inline(el, para, para_bold)

    def _run(self, r: Any, para: Para, para_bold: bool) -> None:
        rpr = r.find(_w("rPr"))
        bold: bool | None = None
        if rpr is not None:
            b = rpr.find(_w("b"))
            if b is not None:
                bold = _on(b)
            else:
                rs = rpr.find(_w("rStyle"))
                if rs is not None:
                    bold = self.styles.bold(rs.get(_w("val")))
        if bold is None:
            bold = para_bold
        parts: list[str] = []
        for child in r:
            tag = _local(child)
            if tag == "t":
                parts.append(child.text or "")
            elif tag in ("tab", "ptab", "br", "cr"):
                parts.append(" ")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag in ("drawing", "pict", "AlternateContent", "object"):
                para.boxes.extend(_text_boxes(child))
        if parts:
            para.runs.append(("".join(parts), bold))

    def table(self, tbl: Any) -> list[Row]:
        rows: list[Row] = []
        for tr in _children(tbl, "tr"):
            cells: list[list[str]] = []
            merged: list[bool] = []
            for tc in _children(tr, "tc"):
                tcpr = tc.find(_w("tcPr"))
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                merged.append(
                    vmerge is not None and vmerge.get(_w("val"), "continue") == "continue"
                )
                cells.append(self.cell_paragraphs(tc))
            rows.append(Row(cells, merged))
        return rows

    def cell_paragraphs(self, tc: Any) -> list[str]:
        inner = _Walker(self.styles)
        inner.body(tc)
        self.tracked = self.tracked or inner.tracked
        return cell_texts(inner.items)


def cell_texts(items: list[Any]) -> list[str]:
    """The paragraphs of a table cell, nested tables flattened to ``a | b`` lines."""
    out: list[str] = []
    for item in items:
        if isinstance(item, Para):
            out.append(item.text)
        else:
            out.extend(" | ".join(" ".join(c) for c in row.cells) for row in item)
    return out


def _children(parent: Any, tag: str) -> list[Any]:
    """Direct children named ``tag``, looking through content controls around them."""
    out: list[Any] = []
    for el in parent:
        if _ns(el) != _W:
            continue
        if _local(el) == tag:
            out.append(el)
        elif _local(el) in ("sdt", "customXml"):
            content = el.find(_w("sdtContent")) if _local(el) == "sdt" else el
            if content is not None:
                out.extend(_children(content, tag))
    return out


def _text_boxes(el: Any) -> list[Any]:
    """Text-box bodies under a drawing, taking one branch of each alternate."""
    if _local(el) == "txbxContent":
        return [el]
    if _local(el) == "Fallback":
        return []
    if _local(el) == "AlternateContent":
        choice = next((c for c in el if _local(c) == "Choice"), None)
        return _text_boxes(choice) if choice is not None else []
    out: list[Any] = []
    for child in el:
        out.extend(_text_boxes(child))
    return out


def _is_toc_control(sdt: Any) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(_w("val")) or "").lower()


def bold_label(para: Para) -> tuple[speakers.LabelMatch, str] | None:
    """A label in the leading bold run(s), and the text after it."""
    lead: list[str] = []
    i = 0
    while i < len(para.runs) and (para.runs[i][1] or not para.runs[i][0].strip()):
        lead.append(para.runs[i][0])
        i += 1
    bold = "".join(lead)
    rest = "".join(t for t, _b in para.runs[i:])
    stripped = bold.strip()
    if stripped.endswith(":"):
        label_text = stripped[:-1]
    elif stripped and rest.lstrip().startswith(":"):
        label_text, rest = stripped, rest.lstrip()[1:]
    else:
        return None
    m = speakers.as_label(label_text)
    return (m, rest.strip()) if m else None


def speaker_name(m: speakers.LabelMatch) -> str:
    return f"{m.label} ({m.organisation})" if m.organisation else str(m.label)


def build_result(
    path: Path, items: list[Para | list[Row]], fmt: str, warnings: list[str]
) -> ReadResult:
    """Blocks from paragraphs and tables, with bold and table speaker labels applied.

    Shared by the Word and OpenDocument readers, which differ only in how they
    walk their XML.
    """
    paras = [it for it in items if isinstance(it, Para)]
    trusted = speakers.trusted_labels(p.text for p in paras if p.level is None)
    bold = {id(p): bold_label(p) for p in paras if p.level is None}
    bold_keys = Counter(speakers.label_key(v[0].label or "") for v in bold.values() if v)
    # Bold names are a convention once one of them recurs or is generic; then
    # a speaker who talks only once counts too. One-off bold lead-ins in a
    # report ("Techlab Noord:", "Techlab Zuid:") do not.
    if any(n >= 2 or speakers.is_generic(k) for k, n in bold_keys.items()):
        trusted = trusted | set(bold_keys)
    known = trusted

    blocks: list[Block] = []
    speaker_tables = 0
    bold_turns = 0
    text_turns = 0
    pending: tuple[str, float | None] | None = None
    for item in items:
        if not isinstance(item, Para):
            table, is_transcript = table_blocks(item, known)
            speaker_tables += is_transcript
            blocks.extend(table)
            pending = None
            continue
        text = item.text
        if item.level is not None:
            if text.strip():
                blocks.append(Block(text, kind="heading", level=item.level))
            pending = None
            continue
        found = bold.get(id(item))
        if found and speakers.label_key(found[0].label or "") in trusted:
            m, body = found
            bold_turns += 1
            pending = (speaker_name(m), m.time)
            if body:
                blocks.append(Block(body, speaker=pending[0], time=pending[1]))
                pending = None
            continue
        if not text.strip():
            continue
        in_text = speakers.match_label(text)
        text_turns += bool(
            in_text and in_text.label and speakers.label_key(in_text.label) in trusted
        )
        if pending:
            blocks.append(Block(text, speaker=pending[0], time=pending[1]))
            pending = None
        else:
            blocks.append(Block(text))
    if not any(b.text.strip() for b in blocks):
        raise ImportFailed(path, "the document has no text; nothing to import")
    marked = speaker_tables > 0 and bold_turns == 0 and text_turns == 0
    return ReadResult(blocks, format=fmt, warnings=warnings, speakers_marked=marked)
