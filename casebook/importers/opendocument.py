"""OpenDocument text (.odt): paragraphs, headings, lists and tables in order.

Walks the ``office:text`` tree from odfpy and hands paragraphs and tables to
the same block builder as the Word reader, so bold speaker names and
transcript tables are read the same way in both formats.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.parsers import expat

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import ReadResult
from casebook.importers.word import TRACKED, Para, Row, build_result, cell_texts

NOT_ODT = (
    "not an OpenDocument text (the file is damaged or not .odt); "
    "re-save it from LibreOffice or Word as .odt"
)
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_HEADING_NAME = re.compile(r"^(?:heading|kop)[ _]*(\d)$", re.I)
_TOC_NAME = re.compile(r"^(?:contents|inhoud|toc)[ _]*\d+$", re.I)
_BOLD_WEIGHTS = {"bold", "600", "700", "800", "900"}
# Elements whose text is not part of the running text.
_SKIP = {
    (_TEXT, "note"),
    (_OFFICE, "annotation"),
    (_OFFICE, "annotation-end"),
    (_TEXT, "tracked-changes"),
    (_TEXT, "table-of-content"),
    (_TEXT, "alphabetical-index"),
    (_TEXT, "illustration-index"),
    (_TEXT, "table-index"),
    (_TEXT, "object-index"),
    (_TEXT, "user-index"),
    (_TEXT, "bibliography"),
    (_TEXT, "sequence-decls"),
    (_TEXT, "variable-decls"),
    (_TEXT, "user-field-decls"),
    (_TEXT, "soft-page-break"),
    (_TEXT, "ruby-text"),
}


class _Styles:
    """Bold, heading level and name of each style, following parent styles."""

    def __init__(self, doc: Any) -> None:
        self.parent: dict[str, str | None] = {}
        self.bold: dict[str, bool | None] = {}
        self.name: dict[str, str] = {}
        self.outline: dict[str, int | None] = {}
        for container in (doc.styles, doc.automaticstyles, getattr(doc, "masterstyles", None)):
            if container is None:
                continue
            for el in container.childNodes:
                if getattr(el, "qname", None) != (_STYLE, "style"):
                    continue
                name = _attr(el, _STYLE, "name")
                if not name:
                    continue
                self.parent[name] = _attr(el, _STYLE, "parent-style-name")
                self.name[name] = _attr(el, _STYLE, "display-name") or name.replace("_20_", " ")
                lvl = _attr(el, _STYLE, "default-outline-level")
                self.outline[name] = int(lvl) if lvl and lvl.isdigit() else None
                weight = None
                for child in el.childNodes:
                    if getattr(child, "qname", None) == (_STYLE, "text-properties"):
                        weight = _attr(child, _FO, "font-weight")
                self.bold[name] = None if weight is None else weight.lower() in _BOLD_WEIGHTS

    def chain(self, name: str | None) -> list[str]:
        out: list[str] = []
        while name and name in self.parent and name not in out and len(out) < 20:
            out.append(name)
            name = self.parent[name]
        return out

    def is_bold(self, name: str | None) -> bool | None:
        for n in self.chain(name):
            if self.bold.get(n) is not None:
                return self.bold[n]
        return None

    def heading_level(self, name: str | None) -> int | None:
        for n in self.chain(name):
            display = self.name.get(n, n).strip()
            m = _HEADING_NAME.match(display) or _HEADING_NAME.match(n)
            if m:
                return max(1, int(m.group(1)))
            if display.lower() in ("title", "titel"):
                return 1
            if self.outline.get(n):
                return self.outline[n]
        return None

    def is_toc(self, name: str | None) -> bool:
        chain = self.chain(name)
        return bool(chain) and any(_TOC_NAME.match(self.name.get(n, n).strip()) for n in chain)


def _attr(el: Any, ns: str, name: str) -> str | None:
    return el.attributes.get((ns, name))


class OdtReader:
    extensions = (".odt",)

    def read(self, path: Path) -> ReadResult:
        _check_container(path)
        try:
            # odfpy is slow to load; only OpenDocument files need it
            from odf.opendocument import load

            # odfpy prints and carries on when a part is not well-formed XML
            with contextlib.redirect_stdout(io.StringIO()):
                doc = load(str(path))
        except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
            raise ImportFailed(path, NOT_ODT) from exc
        mimetype = (getattr(doc, "mimetype", "") or "").strip()
        if not mimetype.startswith("application/vnd.oasis.opendocument.text"):
            kind = mimetype.rsplit(".", 1)[-1] if mimetype else "unknown"
            raise ImportFailed(
                path,
                f"this OpenDocument file is a {kind}, not a text document; save the text as .odt",
            )
        try:
            walker = _Walker(_Styles(doc))
            walker.body(doc.text)
        except Exception as exc:  # noqa: BLE001 - unexpected XML shapes in a readable zip
            raise ImportFailed(
                path, f"cannot read the document's text ({type(exc).__name__}); re-save it as .odt"
            ) from exc
        warnings = [TRACKED] if walker.tracked else []
        return build_result(path, walker.items, "odt", warnings)


def _check_container(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the file ({exc.strerror})") from exc
    if not head:
        raise ImportFailed(path, "the file is empty; nothing to import")
    names = limits.zip_member_names(path, NOT_ODT)
    if "word/document.xml" in names and "content.xml" not in names:
        raise ImportFailed(path, "this is a Word document named .odt; rename it to .docx")
    if "content.xml" not in names:
        raise ImportFailed(path, NOT_ODT)
    try:
        with zipfile.ZipFile(path) as zf:
            for part in ("content.xml", "styles.xml"):
                if part in names:
                    expat.ParserCreate().Parse(zf.read(part), True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise ImportFailed(path, NOT_ODT) from exc


class _Walker:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.items: list[Para | list[Row]] = []
        self.tracked = False

    def body(self, parent: Any) -> None:
        for el in parent.childNodes:
            q = getattr(el, "qname", None)
            if q is None or q in _SKIP:
                if q == (_TEXT, "tracked-changes"):
                    self.tracked = self.tracked or bool(el.childNodes)
                continue
            if q in ((_TEXT, "p"), (_TEXT, "h")):
                para = self.paragraph(el, heading=q[1] == "h")
                if not para.skip:
                    self.items.append(para)
                for box in para.boxes:
                    self.body(box)
            elif q == (_TABLE, "table"):
                self.items.append(self.table(el))
            elif q in (
                (_TEXT, "list"),
                (_TEXT, "list-item"),
                (_TEXT, "list-header"),
                (_TEXT, "section"),
                (_TEXT, "numbered-paragraph"),
                (_DRAW, "frame"),
                (_DRAW, "text-box"),
                (_DRAW, "g"),
                (_TEXT, "index-body"),
            ):
                self.body(el)

    def paragraph(self, p: Any, heading: bool) -> Para:
        style = _attr(p, _TEXT, "style-name")
        level: int | None = None
        if heading:
            raw = _attr(p, _TEXT, "outline-level")
            level = int(raw) if raw and raw.isdigit() and int(raw) > 0 else 1
        else:
            level = self.styles.heading_level(style)
        para = Para([], level, skip=self.styles.is_toc(style))
        self._inline(p, para, bool(self.styles.is_bold(style)))
        return para

    def _inline(self, parent: Any, para: Para, bold: bool) -> None:
        for node in parent.childNodes:
            if node.nodeType == node.TEXT_NODE:
                if node.data:
                    para.runs.append((node.data, bold))
                continue
            q = getattr(node, "qname", None)
            if q is None or q in _SKIP:
                continue
            if q == (_TEXT, "s"):
                raw = _attr(node, _TEXT, "c")
                para.runs.append((" " * (int(raw) if raw and raw.isdigit() else 1), bold))
            elif q in ((_TEXT, "tab"), (_TEXT, "line-break")):
                para.runs.append((" ", bold))
            elif q == (_DRAW, "frame"):
                para.boxes.extend(_text_boxes(node))
            elif q[0] == _TEXT and q[1] in ("change", "change-start", "change-end"):
                self.tracked = True
            else:
                span_bold = self.styles.is_bold(_attr(node, _TEXT, "style-name"))
                self._inline(node, para, bold if span_bold is None else span_bold)

    def table(self, tbl: Any) -> list[Row]:
        rows: list[Row] = []
        below: dict[int, int] = {}  # column -> rows still covered by a cell above
        for tr in _rows(tbl):
            cells: list[list[str]] = []
            merged: list[bool] = []
            col = 0
            for tc in tr.childNodes:
                q = getattr(tc, "qname", None)
                repeat = _int(_attr(tc, _TABLE, "number-columns-repeated"), 1)
                if q == (_TABLE, "covered-table-cell"):
                    # covered from above: an empty continuation cell; from the left: no cell,
                    # as in Word, where a merged cell is one cell
                    for c in range(col, col + repeat):
                        if below.get(c, 0) > 0:
                            below[c] -= 1
                            cells.append([])
                            merged.append(True)
                    col += repeat
                    continue
                if q != (_TABLE, "table-cell"):
                    continue
                span = _int(_attr(tc, _TABLE, "number-rows-spanned"), 1)
                if span > 1:
                    below[col] = span - 1
                cells.append(self.cell_paragraphs(tc))
                merged.append(False)
                if repeat > 1 and not any(p.strip() for p in cells[-1]):
                    cells.extend([] for _ in range(min(repeat, 64) - 1))
                    merged.extend(False for _ in range(min(repeat, 64) - 1))
                col += repeat
            if any(p.strip() for c in cells for p in c):
                n = _int(_attr(tr, _TABLE, "number-rows-repeated"), 1)
                rows.extend(
                    Row([list(c) for c in cells], list(merged)) for _ in range(min(n, 1000))
                )
        # trailing empty cells repeated to the page width are layout, not columns
        width = max((_used_width(r) for r in rows), default=0)
        for r in rows:
            del r.cells[max(width, 1) :]
            del r.merged[max(width, 1) :]
        return rows

    def cell_paragraphs(self, tc: Any) -> list[str]:
        inner = _Walker(self.styles)
        inner.body(tc)
        self.tracked = self.tracked or inner.tracked
        return cell_texts(inner.items)


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _used_width(row: Row) -> int:
    n = 0
    for i, cell in enumerate(row.cells):
        if any(p.strip() for p in cell):
            n = i + 1
    return n


def _rows(parent: Any) -> list[Any]:
    out: list[Any] = []
    for el in parent.childNodes:
        q = getattr(el, "qname", None)
        if q == (_TABLE, "table-row"):
            out.append(el)
        elif q in (
            (_TABLE, "table-header-rows"),
            (_TABLE, "table-rows"),
            (_TABLE, "table-row-group"),
        ):
            out.extend(_rows(el))
    return out


def _text_boxes(frame: Any) -> list[Any]:
    return [c for c in frame.childNodes if getattr(c, "qname", None) == (_DRAW, "text-box")]
