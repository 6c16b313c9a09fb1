"""PDF files: PDFium reads the text layer, our own layout code puts it in order.

Why PDFium and not pdfplumber for the text: PDFium extracts a page about 50x
faster than pdfminer (on which pdfplumber is built), and researchers import whole
folders of long progress reports. We take PDFium's text with its own line breaks and ask
for two character boxes per line (first and last character, font-bound "loose"
boxes), never one call per character, which would cost more than the extraction.

Layout, in this order:

- Lines are PDFium's lines, split again where PDFium marks an end-of-line hyphen
  (it sometimes glues the next line, or a footer, onto the hyphenated one).
  Vertical text on an upright page is kept apart as margin text; pages whose
  text mostly runs vertically are turned before layout.
- Running headers and footers go: lines in the top or bottom margin whose text,
  with digits ignored, recurs there on several pages, and bare page numbers
  ("3", "- 3 -", "Pagina 3 van 12", "Page 3"). Columns of transcript line
  numbers go too.
- Reading order comes from a recursive XY cut that prefers vertical cuts: a
  page is split into columns where a vertical strip holds no text, and into
  bands where a horizontal strip holds none; consecutive bands that share a
  column gap are read column by column. Full-width titles stay where they are.
- Paragraphs break on a vertical gap larger than the document's usual line gap,
  on first-line indentation or outdenting, on a short last line (shorter than
  the next line's first word would need), on list markers, speaker labels
  ("JUSTICE BREYER:", "I:") and font-size changes. Words hyphenated at a line
  end are rejoined unless the hyphen belongs to the word (mbo-opleiding,
  Noord-Brabant, zee-egel). Lines clearly larger than body text, and single bold
  lines without closing punctuation, become headings.
- A paragraph never spans two pages, so page segments stay exact; a word
  hyphenated across a page break is completed on the first page.

Tables: pdfplumber's table finder costs about as much as reading the page with
pdfplumber (a tenth of a second or more), so by default (``tables="auto"``) it
runs only where a cheap PDFium signal says a ruled table is likely: one pass over
the page objects (about a millisecond per page) collects thin lines and the
sides of stroked boxes, and the finder runs when such vertical rules cut at
least two rows of text into two or more cells. Filled boxes do not count
(shading, highlighted code), nor do lone frames around text. A table the finder
confirms, with at least two rows of two or more cells whose words match the
page's text, replaces its lines; each row becomes a ``table_row`` block, cells
joined by " | ". Tables without ruling lines stay ordinary lines.
``tables="all"`` runs the finder on every page, ``tables="off"`` never.

Pages without a text layer (scans, drawings; told apart by the same pass over
the page objects) are reported: if no page has text the import is refused
("run OCR first"), otherwise the pages are listed in the warnings.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from pathlib import Path
from typing import Any

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import Block, ReadResult
from casebook.text import speakers

_PIECE = re.compile(r"[^\r\n\ufffe\x02]+[\ufffe\x02]?")
_MARKS = "\ufffe\x02"
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|·•(\[]*(?:(?:pagina|page|pag\.?|blz\.?|bladzijde|p\.|seite)\s*)?"
    r"(?:\d{1,5}|[ivxlc]{1,6})(?:\s*(?:/|van|of|de|von|sur)\s*\d{1,5})?[\s\-–—|·•)\]]*$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•◦▪▫●○■□►▶➢➤✓✔\uf0b7\uf0a7*·]\s?|^[-–—]\s")
_ENUMERATOR = re.compile(r"^(?:(?:\d{1,2}|[a-zA-Z])[.)]|\((?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\))\s")
_TOC_ENTRY = re.compile(r"(?:\.{4,}|…{2,}|\. \. \. )\s*\d{1,4}$")
_CAPS_LABEL = re.compile(r"^[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}\s*:")
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"\w+")
_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
_LINE_NUMBER = re.compile(r"^\d{1,3}$")
_NUMBERED = re.compile(r"^(\d{1,3})\s+(?=\S)")
_KEEP_HYPHEN = {
    "mbo", "vmbo", "hbo", "wo", "vo", "po", "so", "vso", "havo", "vwo", "roc", "aoc", "ict", "sto",
    "bbl", "bol", "mkb", "pro", "e", "ex", "oud", "niet", "anti", "non", "co", "pre", "post", "semi",
    "multi", "inter", "extra", "ultra", "super", "sub", "vice",
}  # fmt: skip
_CONJUNCTIONS = {"en", "of", "tot", "noch", "and", "or", "to"}
_VOWEL_CLASH = {
    "aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu", "ij",
}  # fmt: skip

FPDF_PAGEOBJ_TEXT = 1
FPDF_PAGEOBJ_PATH = 2
FPDF_PAGEOBJ_IMAGE = 3
FPDF_PAGEOBJ_FORM = 5
_SPARSE_CHARS = 50  # below this many characters a page is checked for being a scan
_MARGIN = 0.15  # share of the page height that counts as top or bottom margin


class _Line:
    """One line of text (or one table) with its box in PDF points, y upwards."""

    __slots__ = (
        "text",
        "x0",
        "y0",
        "x1",
        "y1",
        "h",
        "soft",
        "bold",
        "col",
        "left",
        "right",
        "rows",
        "number",
    )

    def __init__(
        self,
        text: str,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        h: float,
        soft: bool = False,
        bold: bool = False,
    ) -> None:
        self.text = text
        self.x0, self.y0, self.x1, self.y1, self.h = x0, y0, x1, y1, max(h, 0.1)
        self.soft = soft  # ends in a hyphen PDFium marked as a line-end hyphen
        self.bold = bold
        self.col = 0
        self.left = x0
        self.right = x1
        self.rows: list[str] | None = None
        # a leading number set apart by a wide gap: (length of "12 ", number's right edge, text's left edge)
        self.number: tuple[int, float, float] | None = None

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.x0:.0f},{self.y0:.0f},{self.x1:.0f},{self.y1:.0f} h{self.h:.1f} {self.text[:40]!r}>"


class _Page:
    __slots__ = ("number", "lines", "margin", "top", "bottom", "status", "drawn", "image_share")

    def __init__(self, number: int) -> None:
        self.number = number
        self.lines: list[_Line] = []
        self.margin: list[_Line] = []  # vertical text beside the body
        self.top = 0.0
        self.bottom = 0.0
        self.status = "ok"  # ok | blank | no_text | scanned | unreadable
        self.drawn = False  # images, shapes or forms on the page
        self.image_share = 0.0  # largest image as a share of the page


class PdfReader:
    extensions = (".pdf",)

    def __init__(self, tables: str = "auto") -> None:
        if tables not in ("auto", "all", "off"):
            raise ValueError("tables must be 'auto', 'all' or 'off'")
        self.tables = tables

    def read(self, path: Path) -> ReadResult:
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ImportFailed(path, f"cannot read the file ({exc.strerror or exc})") from exc
        if size == 0:
            raise ImportFailed(path, "the file is empty (0 bytes); nothing to import")
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise ImportFailed(path, _open_error(exc)) from exc
        plumber = _Plumber(path)
        try:
            return self._read(path, doc, plumber)
        finally:
            plumber.close()
            doc.close()

    def _read(self, path: Path, doc: Any, plumber: _Plumber) -> ReadResult:
        import pypdfium2 as pdfium

        n_pages = len(doc)
        if n_pages == 0:
            raise ImportFailed(path, "the PDF has no pages; nothing to import")
        pages: list[_Page] = []
        extractor = _Extractor()
        n_chars = 0  # stop early when the text outgrows the limit (a hostile PDF)
        for i in range(n_pages):
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                page = None
            p = _Page(i + 1)
            p.status = "unreadable"
            if page is not None:
                try:
                    p = extractor.page(page, i + 1)
                    drawing = _Drawing(page)
                    p.drawn = drawing.drawn
                    p.image_share = drawing.image_share
                    if p.lines and self.tables != "off":
                        if self.tables == "all" or drawing.ruled_table(p.lines):
                            if not _pdfium_tables(page, p, drawing):
                                plumber.tables(p, i)
                except pdfium.PdfiumError:
                    p = _Page(i + 1)
                    p.status = "unreadable"
                finally:
                    page.close()
            pages.append(p)
            n_chars += sum(len(line.text) for line in p.lines)
            limits.check_text(path, n_chars)

        with_text = [p for p in pages if p.lines or p.margin]
        _drop_running_lines(with_text)
        for p in pages:
            _set_status(p)
        warnings = _page_warnings(pages) + plumber.warnings
        if not any(p.status == "ok" for p in pages):
            no_layer = [p.number for p in pages if p.status in ("no_text", "scanned")]
            if no_layer:
                raise ImportFailed(
                    path, f"no text layer on {_pages_phrase(no_layer)}: run OCR first"
                )
            if any(p.status == "unreadable" for p in pages):
                raise ImportFailed(
                    path, "PDFium could not read any page; re-export the PDF and import again"
                )
            raise ImportFailed(
                path, "the PDF has no text apart from headers and page numbers; nothing to import"
            )

        with_text = [p for p in pages if p.lines or p.margin]
        for p in with_text:
            _drop_line_numbers(p)
            p.lines = _reading_order(p.lines)
        blocks = _Paragraphs(with_text).blocks()
        _mend_page_hyphens(blocks)
        return ReadResult(blocks, format="pdf", n_pages=n_pages, warnings=warnings)


def _set_status(p: _Page) -> None:
    if p.status == "unreadable":
        return
    chars = sum(len(ln.text) - ln.text.count(" ") if ln.rows is None else 99 for ln in p.lines)
    chars += sum(len(ln.text) for ln in p.margin)
    if chars == 0:
        p.status = "no_text" if p.drawn else "blank"
    elif chars < _SPARSE_CHARS and p.image_share >= 0.75:
        p.status = "scanned"
    else:
        p.status = "ok"


def _page_warnings(pages: list[_Page]) -> list[str]:
    if not any(p.status == "ok" for p in pages):
        return []
    out = []
    missing = [p.number for p in pages if p.status == "no_text"]
    if missing:
        out.append(
            f"no text layer on {_pages_phrase(missing)} (scanned?); run OCR to include that text"
        )
    sparse = [p.number for p in pages if p.status == "scanned"]
    if sparse:
        verb = "is" if len(sparse) == 1 else "are"
        out.append(
            f"{_pages_phrase(sparse)} {verb} mostly a scanned image with little text; run OCR if text is missing"
        )
    broken = [p.number for p in pages if p.status == "unreadable"]
    if broken:
        out.append(
            f"{_pages_phrase(broken)} could not be read and {'is' if len(broken) == 1 else 'are'} left out"
        )
    return out


def _open_error(exc: Exception) -> str:
    code = getattr(exc, "err_code", None)
    if code == 4:
        return "the PDF is password-protected; remove the password and import again"
    if code == 5:
        return "the PDF uses an unsupported protection; save an unprotected copy and import that"
    if code == 2:
        return "cannot open the file; check that it exists and is readable"
    return "the file is damaged or not a PDF; re-export or re-download it and import again"


def _pages_phrase(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    word = "page" if len(numbers) == 1 else "pages"
    return f"{word} {', '.join(parts)}"


# --- reading one page --------------------------------------------------------------------


class _Extractor:
    """Lines with boxes from one PDFium text page; two box calls per line."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.raw = raw
        self.rect = raw.FS_RECTF()
        self.ref = ctypes.byref(self.rect)

    def page(self, page: Any, number: int) -> _Page:
        out = _Page(number)
        left, bottom, right, top = page.get_bbox()
        tp = page.get_textpage()
        try:
            n = tp.count_chars()
            text = tp.get_text_range() if n > 0 else ""
            lines, counts = self._lines(tp.raw, text, n)
        finally:
            tp.close()
        if not lines:
            return out
        turn = max(counts, key=lambda k: counts[k])
        if counts[turn] == 0:
            turn = 0
        body: list[_Line] = []
        for ln, orient in lines.items():
            if turn:
                _turn(ln, turn)
            (body if orient == turn else out.margin).append(ln)
        box = _Line("", left, bottom, right, top, 1.0)
        if turn:
            _turn(box, turn)
        out.top, out.bottom = box.y1, box.y0
        out.lines = body
        return out

    def _lines(self, tp: Any, text: str, n: int) -> tuple[dict[_Line, int], dict[int, int]]:
        raw = self.raw
        rect = self.rect
        ref = self.ref
        getbox = raw.FPDFText_GetLooseCharBox
        weight = raw.FPDFText_GetFontWeight
        mapped = len(text) != n
        to_char = raw.FPDFText_GetCharIndexFromTextIndex
        out: dict[_Line, int] = {}
        counts = {0: 0, 1: 0, -1: 0}
        for m in _PIECE.finditer(text):
            piece = m.group()
            soft = piece[-1] in _MARKS
            core = piece[:-1] if soft else piece
            stripped = core.strip()
            if not stripped:
                continue
            a = m.start() + len(core) - len(core.lstrip())
            b = a + len(stripped) - 1
            ia, ib = (to_char(tp, a), to_char(tp, b)) if mapped else (a, b)
            if ia < 0 or ib < 0:
                continue
            getbox(tp, ia, ref)
            l1, b1, r1, t1 = rect.left, rect.bottom, rect.right, rect.top
            if ib != ia:
                getbox(tp, ib, ref)
                l2, b2, r2, t2 = rect.left, rect.bottom, rect.right, rect.top
            else:
                l2, b2, r2, t2 = l1, b1, r1, t1
            h = max(t1 - b1, t2 - b2)
            dy = (b2 + t2 - b1 - t1) / 2
            orient = 0
            if ib != ia and abs(dy) > 0.5 * h:
                if abs(dy) > abs(l2 - l1):
                    orient = 1 if dy > 0 else -1
                    h = max(r1 - l1, r2 - l2)
                else:
                    for ln in self._split(tp, text, a, b, mapped, soft):
                        out[ln] = 0
                        counts[0] += len(ln.text)
                    continue
            if soft:
                stripped += "-"
            number = _NUMBERED.match(stripped) if orient == 0 else None
            numbered = None
            if number:
                # maybe a transcript line number on its line's baseline; decided per page later
                k = number.end()
                getbox(
                    tp,
                    ia + number.end(1) - 1 if not mapped else to_char(tp, a + number.end(1) - 1),
                    ref,
                )
                digit_right = rect.right
                getbox(tp, ia + k if not mapped else to_char(tp, a + k), ref)
                if rect.left - digit_right > 1.5 * h:
                    numbered = (k, digit_right, rect.left)
            bold = (  # only a candidate heading needs its weight
                len(stripped) <= 120
                and stripped[-1] not in ".,;:!?"
                and weight(tp, ia) >= 600
                and weight(tp, ib) >= 600
            )
            ln = _Line(
                stripped.translate(_LIGATURES),
                min(l1, l2),
                min(b1, b2),
                max(r1, r2),
                max(t1, t2),
                h,
                soft,
                bold,
            )
            ln.number = numbered
            out[ln] = orient
            counts[orient] += len(stripped)
        return out, counts

    def _split(self, tp: Any, text: str, a: int, b: int, mapped: bool, soft: bool) -> list[_Line]:
        """The rare PDFium line that holds several visual lines: split it per character."""
        raw = self.raw
        rect = self.rect
        to_char = raw.FPDFText_GetCharIndexFromTextIndex
        groups: list[list[Any]] = []  # [text, x0, y0, x1, y1, h]
        for i in range(a, b + 1):
            ch = text[i]
            if ch.isspace():
                if groups:
                    groups[-1][0] += " "
                continue
            raw.FPDFText_GetLooseCharBox(tp, to_char(tp, i) if mapped else i, self.ref)
            cl, bo, r, t = rect.left, rect.bottom, rect.right, rect.top
            g = groups[-1] if groups else None
            if g is None or abs((bo + t) / 2 - (g[2] + g[4]) / 2) > 0.5 * g[5] or cl < g[1] - g[5]:
                groups.append([ch, cl, bo, r, t, t - bo])
            else:
                g[0] += ch
                g[1], g[2], g[3], g[4] = min(g[1], cl), min(g[2], bo), max(g[3], r), max(g[4], t)
                g[5] = max(g[5], t - bo)
        lines = [
            _Line(g[0].strip().translate(_LIGATURES), g[1], g[2], g[3], g[4], g[5]) for g in groups
        ]
        lines = [ln for ln in lines if ln.text]
        if lines and soft:
            lines[-1].text += "-"
            lines[-1].soft = True
        return lines


def _turn(ln: _Line, turn: int) -> None:
    """Rotate a box so text that runs up (turn=1) or down (turn=-1) runs left to right."""
    x0, y0, x1, y1 = ln.x0, ln.y0, ln.x1, ln.y1
    if turn == 1:
        ln.x0, ln.x1, ln.y0, ln.y1 = y0, y1, -x1, -x0
    else:
        ln.x0, ln.x1, ln.y0, ln.y1 = -y1, -y0, x0, x1
    ln.left, ln.right = ln.x0, ln.x1


# --- tables --------------------------------------------------------------------------------


def _looks_tabular(lines: list[_Line]) -> bool:
    """Cheap text signal for a table: spread-out lines, or short pieces side by side."""
    spread = 0
    for ln in lines:
        n = len(ln.text)
        if n >= 5 and ln.text.count(" ") >= 2 and ln.x1 - ln.x0 > 0.9 * n * ln.h:
            spread += 1
            if spread >= 2:
                return True
    by_y = sorted(lines, key=lambda ln: -ln.yc)
    side_rows = short_rows = 0
    for i, ln in enumerate(by_y):
        row = [ln]
        for other in by_y[i + 1 :]:
            if ln.yc - other.yc > 0.4 * ln.h:
                break
            if other.x0 > ln.x1 or other.x1 < ln.x0:
                row.append(other)
        if len(row) > 1:
            side_rows += 1
            short_rows += any(len(x.text.split()) <= 4 for x in row)
    return side_rows >= 2 and short_rows >= max(2, side_rows / 2)


class _Drawing:
    """What a page draws besides text, from PDFium page objects: one pass, bounds of shapes only.

    Thin shapes and rectangle sides are kept as ruling edges; the largest image
    tells a scan from a page with a photo.
    """

    def __init__(self, page: Any) -> None:
        import pypdfium2.raw as raw

        self.drawn = False
        self.image_share = 0.0
        self.vertical: list[tuple[float, float, float]] = []  # x, y0, y1
        self.horizontal: list[float] = []  # y
        self.grid_paths = False  # one path holding many segments: a table drawn in one go
        from casebook.importers.pdfgrid import Rules

        self.rules = Rules()  # segments with their extents, for reading the grid itself
        box = [ctypes.c_float() for _ in range(4)]
        refs = [ctypes.byref(v) for v in box]
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        fill_ref, stroke_ref = ctypes.byref(fill), ctypes.byref(stroke)
        get_object, get_type, bounds = (
            raw.FPDFPage_GetObject,
            raw.FPDFPageObj_GetType,
            raw.FPDFPageObj_GetBounds,
        )
        handle = page.raw
        image_area = 0.0
        for i in range(raw.FPDFPage_CountObjects(handle)):
            obj = get_object(handle, i)
            kind = get_type(obj)
            if kind == FPDF_PAGEOBJ_TEXT or not bounds(obj, *refs):
                continue
            self.drawn = True
            x0, y0, x1, y1 = (v.value for v in box)
            w, h = x1 - x0, y1 - y0
            if kind != FPDF_PAGEOBJ_PATH:
                image_area = max(image_area, w * h)
                continue
            if w <= 3 and h >= 6:
                self.vertical.append(((x0 + x1) / 2, y0, y1))
                self.rules.vertical.append(((x0 + x1) / 2, y0, y1))
            elif h <= 3 and w >= 6:
                self.horizontal.append((y0 + y1) / 2)
                self.rules.horizontal.append(((y0 + y1) / 2, x0, x1))
            elif (
                w >= 6
                and h >= 6
                and raw.FPDFPath_GetDrawMode(obj, fill_ref, stroke_ref)
                and stroke.value
            ):
                # stroked boxes only: filled ones are shading and highlights behind text
                self.vertical += [(x0, y0, y1), (x1, y0, y1)]
                self.horizontal += [y0, y1]
                if raw.FPDFPath_CountSegments(obj) > 5:
                    self.rules.add_path_segments(obj)  # a grid drawn as one path, or several lines
                else:
                    self.rules.add_box(x0, y0, x1, y1)
                if raw.FPDFPath_CountSegments(obj) > 12:
                    self.grid_paths = True
            elif w >= 6 and h >= 6 and raw.FPDFPath_CountSegments(obj) <= 5:
                # a filled box: not a rule for the cheap signal above, but the edge of a
                # shaded cell (a header row without inner borders) when reading the grid
                self.rules.add_box(x0, y0, x1, y1)
        px0, py0, px1, py1 = page.get_bbox()
        area = (px1 - px0) * (py1 - py0)
        self.image_share = image_area / area if area > 0 else 0.0

    def ruled_table(self, lines: list[_Line]) -> bool:
        """Do vertical rules cut at least two rows of text into two or more cells?"""
        if self.grid_paths and _looks_tabular(lines):
            return True
        if not self.vertical or len(self.horizontal) < 2:
            return False
        rules = _merge_rules(self.vertical)
        rows: dict[int, set[int]] = {}
        for ln in lines:
            yc = ln.yc
            cross = [x for x, y0, y1 in rules if y0 <= yc <= y1]
            if not cross:
                continue
            before = sum(1 for x in cross if x <= ln.x0 + 2)
            inner = sum(1 for x in cross if ln.x0 + 2 < x < ln.x1 - 2)
            if not inner and before in (0, len(cross)):
                continue  # beside the rules, not between them
            cells = rows.setdefault(round(yc / 2), set())
            cells.update(range(before, before + inner + 1))
        return sum(1 for c in rows.values() if len(c) >= 2) >= 2


def _merge_rules(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Vertical edges at one x that touch become one rule (Word draws a border per cell)."""
    by_x: dict[int, list[tuple[float, float]]] = {}
    for x, y0, y1 in edges:
        by_x.setdefault(round(x), []).append((y0, y1))
    out = []
    for x, spans in by_x.items():
        spans.sort()
        lo, hi = spans[0]
        for y0, y1 in spans[1:]:
            if y0 <= hi + 2:
                hi = max(hi, y1)
            else:
                out.append((float(x), lo - 1, hi + 1))
                lo, hi = y0, y1
        out.append((float(x), lo - 1, hi + 1))
    return out


class _Plumber:
    """pdfplumber, opened only when a page needs its table finder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pdf: Any = None
        self.failed = False
        self.warnings: list[str] = []

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()

    def tables(self, page: _Page, index: int) -> None:
        if self.failed:
            return
        try:
            if self.pdf is None:
                import pdfplumber

                self.pdf = pdfplumber.open(self.path)
            pp = self.pdf.pages[index]
            found = pp.find_tables()
            if not found:
                return
            x_off, y_top = float(pp.mediabox[0]), float(pp.mediabox[3])
            tables = [(t.bbox, t.extract()) for t in found]
        except Exception:  # noqa: BLE001 - pdfminer fails in many ways; the text is still there
            self.failed = True
            self.warnings.append("table detection failed; tables are kept as plain lines")
            return
        for (x0, top, x1, bottom), cells in tables:
            _place_table(page, (x_off + x0, y_top - bottom, x_off + x1, y_top - top), cells)


def _place_table(
    page: _Page, bbox: tuple[float, float, float, float], cells: list[list[str | None]]
) -> bool:
    """Replace the page's lines inside ``bbox`` (PDF coordinates) by the table's rows, if they agree."""
    rows = [r for r in (_row_text(row) for row in cells) if r]
    if sum(1 for r in rows if " | " in r) < 2:
        return False  # a framed paragraph or a one-column box, not a table
    box = _Line("", *bbox, 1.0)
    inside = [
        ln
        for ln in page.lines
        if box.x0 - 1 <= (ln.x0 + ln.x1) / 2 <= box.x1 + 1 and box.y0 - 1 <= ln.yc <= box.y1 + 1
    ]
    found_words = set(_WORDS.findall(" ".join(rows).lower()))
    line_words = _WORDS.findall(" ".join(ln.text for ln in inside).lower())
    if not line_words or sum(w in found_words for w in line_words) < 0.6 * len(line_words):
        return False  # the table finder saw another page geometry (rotation, odd boxes): keep the lines
    box.h = sorted(ln.h for ln in inside)[len(inside) // 2]
    box.rows = rows
    keep = set(map(id, inside))
    page.lines = [ln for ln in page.lines if id(ln) not in keep]
    page.lines.append(box)
    return True


def _pdfium_tables(page: Any, p: _Page, drawing: _Drawing) -> bool:
    """Tables read from the page's own rules and text (see ``pdfgrid``); False when none is found."""
    from casebook.importers import pdfgrid

    found = pdfgrid.grids(drawing.rules)
    if not found:
        return False
    textpage = page.get_textpage()
    try:
        placed = False
        for grid, cells in zip(found, pdfgrid.grid_cells(textpage, found), strict=True):
            placed |= _place_table(p, (grid.x0, grid.y0, grid.x1, grid.y1), cells)
        return placed
    finally:
        textpage.close()


def _row_text(row: list[str | None]) -> str:
    cells = []
    for cell in row:
        if cell is None:
            continue
        text = _join_lines([c.strip() for c in cell.translate(_LIGATURES).split("\n") if c.strip()])
        if text:
            cells.append(text)
    return " | ".join(cells)


# --- headers, footers, page numbers, line numbers -----------------------------------------


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove lines repeating in the page margins (digits ignored) and bare page numbers.

    A candidate must also stand apart from the body: a line set at normal leading
    above or below body text is the body's own first or last line, even if its
    wording recurs (a repeated table header, a stock phrase at a column top).
    """
    if not pages:
        return
    seen: Counter[str] = Counter()
    zones: list[list[tuple[_Line, str, bool, int]]] = []
    for p in pages:
        zone = _margin_lines(p)
        zones.append(zone)
        seen.update({key for _ln, key, _edge, _side in zone})
    need = 2 if len(pages) <= 3 else 3  # page 1 of a short report often has no header
    for p, zone in zip(pages, zones, strict=True):
        candidates = {
            id(ln): side
            for ln, key, edge, side in zone
            if (len(pages) >= 2 and seen[key] >= need)
            or (edge and _PAGE_NUMBER.match(ln.text) and len(p.lines) > 1)
        }
        if not candidates:
            continue
        drop = {key for key, side in candidates.items() if side == 0}
        by_id = {id(ln): ln for ln in p.lines}
        memo: dict[int, bool] = {}
        for key, side in candidates.items():
            if side and _apart(by_id[key], side, p.lines, candidates, memo):
                drop.add(key)
        if drop:
            p.lines = [ln for ln in p.lines if id(ln) not in drop]
            p.margin = [ln for ln in p.margin if id(ln) not in drop]


def _apart(
    ln: _Line, side: int, lines: list[_Line], candidates: dict[int, int], memo: dict[int, bool]
) -> bool:
    """Does more than normal leading separate a top (side 1) or bottom (-1) line from the body?

    Whitespace to the next line towards the body decides; a line set close to it
    only goes if that line is a candidate too and stands apart (a two-line header).
    """
    if id(ln) in memo:
        return memo[id(ln)]
    memo[id(ln)] = False
    nearest: _Line | None = None
    gap = 0.0
    for other in lines:
        if other is ln or other.x0 >= ln.x1 or other.x1 <= ln.x0:
            continue
        if side == 1 and other.yc < ln.yc:
            d = ln.y0 - other.y1
        elif side == -1 and other.yc > ln.yc:
            d = other.y0 - ln.y1
        else:
            continue
        if nearest is None or d < gap:
            nearest, gap = other, d
    if nearest is None or gap >= 0.6 * ln.h:
        result = True
    elif candidates.get(id(nearest)) == side:
        result = _apart(nearest, side, lines, candidates, memo)
    else:
        result = False
    memo[id(ln)] = result
    return result


def _margin_lines(p: _Page) -> list[tuple[_Line, str, bool, int]]:
    """Lines near the top (1) or bottom (-1) edge or in the side margin (0), with their
    digit-free key and whether they are outermost."""
    height = p.top - p.bottom
    lines = [ln for ln in p.lines if ln.rows is None]
    if height <= 0 or not lines:
        return []
    top_cut = p.top - _MARGIN * height
    bottom_cut = p.bottom + _MARGIN * height
    by_top = sorted(lines, key=lambda ln: -ln.y1)
    out: list[tuple[_Line, str, bool, int]] = []
    picked: set[int] = set()
    for rank, ln in enumerate(by_top[:4]):
        if ln.yc >= top_cut:
            out.append((ln, _key(ln.text), rank < 2, 1))
            picked.add(id(ln))
    for rank, ln in enumerate(sorted(lines, key=lambda ln: ln.y0)[:4]):
        if ln.yc <= bottom_cut and id(ln) not in picked:
            out.append((ln, _key(ln.text), rank < 2, -1))
    out += [(ln, _key(ln.text), False, 0) for ln in p.margin]
    return out


def _key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def _drop_line_numbers(p: _Page) -> None:
    """Transcripts number their lines in the margin: five or more numbers stacked in one
    column left of all other text, alone on a line or set apart before the line's text."""
    spans: list[tuple[float, float, _Line]] = []
    for ln in p.lines:
        if ln.number is not None:
            spans.append((ln.x0, ln.number[1], ln))
        elif len(ln.text) <= 3 and _LINE_NUMBER.match(ln.text):
            spans.append((ln.x0, ln.x1, ln))
    if len(spans) < 5:
        return
    spans.sort(key=lambda s: s[0])
    clusters: list[list[tuple[float, float, _Line]]] = []
    for span in spans:
        if clusters and span[0] <= max(s[1] for s in clusters[-1]) + 1:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    for cluster in clusters:
        if len(cluster) < 5:
            continue
        members = {id(s[2]) for s in cluster}
        right = max(s[1] for s in cluster)
        text_left = [ln.number[2] for ln in p.lines if id(ln) in members and ln.number]
        text_left += [ln.x0 for ln in p.lines if id(ln) not in members]
        values = [int(s[2].text.split()[0]) for s in sorted(cluster, key=lambda s: -s[2].yc)]
        rising = sum(b > a for a, b in zip(values, values[1:], strict=False)) >= 0.8 * (
            len(values) - 1
        )
        if not rising or (text_left and min(text_left) <= right + 1):
            continue
        kept = []
        for ln in p.lines:
            if id(ln) not in members:
                kept.append(ln)
            elif ln.number is not None:
                ln.text = ln.text[ln.number[0] :]
                ln.x0 = ln.left = ln.number[2]
                ln.number = None
                kept.append(ln)
        p.lines = kept


# --- reading order -------------------------------------------------------------------------


def _reading_order(lines: list[_Line]) -> list[_Line]:
    if not lines:
        return []
    hs = sorted(ln.h for ln in lines)
    h = hs[len(hs) // 2]
    out: list[_Line] = []
    _order(lines, min(ln.x0 for ln in lines), _right_edge(lines), 0, out, [0], max(3.0, 0.5 * h), h)
    return out


def _right_edge(lines: list[_Line]) -> float:
    """Right edge of a column, robust against one overlong line (a URL in the margin)."""
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    return ends[min(len(ends) - 1, len(ends) // 10)]


def _order(
    items: list[_Line],
    left: float,
    right: float,
    col: int,
    out: list[_Line],
    ids: list[int],
    gap: float,
    h: float,
) -> None:
    """Recursive XY cut: columns first; else bands, read column by column where they share a gutter."""
    cols = _vertical_split(items, gap)
    if len(cols) > 1:
        for c in cols:
            ids[0] += 1
            _order(c, min(ln.x0 for ln in c), _right_edge(c), ids[0], out, ids, gap, h)
        return
    bands = _bands(items)
    if len(bands) == 1:
        _emit(items, left, right, col, out)
        return
    covs = [_coverage(band, gap) for band in bands]
    groups: list[tuple[list[_Line], list[list[float]]]] = []
    cur, cov = list(bands[0]), covs[0]
    low = min(ln.y0 for ln in bands[0])
    for band, band_cov in zip(bands[1:], covs[1:], strict=True):
        if len(cov) == 1 and len(band_cov) == 1:
            (a0, a1), (b0, b1) = cov[0], band_cov[0]
            merged = cov + band_cov if b0 >= a1 + gap or a0 >= b1 + gap else None
        else:
            merged = _merge(cov, band_cov, gap)
        # a band joins the bands above if they keep a common gutter and no wide empty strip
        # separates them (a date under a title, or a figure between two blocks of columns)
        if merged is not None and len(merged) > 1 and low - max(ln.y1 for ln in band) <= 2 * h:
            cur += band
            cov = merged
        else:
            groups.append((cur, cov))
            cur, cov = list(band), band_cov
        low = min(low, min(ln.y0 for ln in band))
    groups.append((cur, cov))
    plain: list[_Line] = []  # consecutive groups without a gutter are read top to bottom at once
    for g, g_cov in groups:
        if len(g_cov) > 1:
            _emit(plain, left, right, col, out)
            plain = []
            _order(g, left, right, col, out, ids, gap, h)
        else:
            plain += g
    _emit(plain, left, right, col, out)


def _emit(items: list[_Line], left: float, right: float, col: int, out: list[_Line]) -> None:
    """Top to bottom; pieces on one visual row left to right."""
    items = sorted(items, key=lambda ln: -ln.yc)
    row: list[_Line] = []
    for ln in items:
        if row and row[0].yc - ln.yc > 0.5 * min(row[0].h, ln.h):
            _flush_row(row, left, right, col, out)
            row = []
        row.append(ln)
    _flush_row(row, left, right, col, out)


def _flush_row(row: list[_Line], left: float, right: float, col: int, out: list[_Line]) -> None:
    for ln in sorted(row, key=lambda ln: ln.x0):
        ln.col, ln.left, ln.right = col, left, right
        out.append(ln)


def _coverage(items: list[_Line], gap: float) -> list[list[float]]:
    if len(items) == 1:
        return [[items[0].x0, items[0].x1]]
    spans = sorted([ln.x0, ln.x1] for ln in items)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a < merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _merge(a: list[list[float]], b: list[list[float]], gap: float) -> list[list[float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(a + b):
        if merged and x0 < merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def _vertical_split(items: list[_Line], gap: float) -> list[list[_Line]]:
    cov = _coverage(items, gap)
    if len(cov) < 2:
        return [items]
    cols: list[list[_Line]] = [[] for _ in cov]
    for ln in items:
        for i, (_a, b) in enumerate(cov):
            if ln.x0 <= b:
                cols[i].append(ln)
                break
    return [c for c in cols if c]


def _bands(items: list[_Line]) -> list[list[_Line]]:
    """Groups of lines whose cores (middle 60% of the box height) overlap vertically."""
    ordered = sorted(items, key=lambda ln: -(ln.yc + 0.3 * ln.h))
    bands: list[list[_Line]] = []
    low = 0.0
    for ln in ordered:
        top = ln.yc + 0.3 * ln.h
        if bands and top > low:
            bands[-1].append(ln)
            low = min(low, ln.yc - 0.3 * ln.h)
        else:
            bands.append([ln])
            low = ln.yc - 0.3 * ln.h
    return bands


# --- paragraphs ----------------------------------------------------------------------------


class _Paragraphs:
    """Ordered lines of all pages to blocks."""

    def __init__(self, pages: list[_Page]) -> None:
        self.pages = pages
        lines = [ln for p in pages for ln in p.lines if ln.rows is None]
        sizes: Counter[float] = Counter()
        for ln in lines:
            sizes[_size(ln)] += len(ln.text)
        self.body = _weighted_median(sizes) if sizes else 10.0
        # a size is a heading size when it is clearly larger than body text and rare: in a
        # specification full of 9pt code listings the 11pt prose is not a heading
        total = sum(sizes.values()) or 1
        heading_sizes = sorted(
            (s for s, n in sizes.items() if s >= 1.15 * self.body and n < 0.1 * total), reverse=True
        )
        self.levels = {s: min(i + 1, 6) for i, s in enumerate(heading_sizes)}
        self._line_habits()
        label_lines = [ln.text for ln in lines if ":" in ln.text[:60]]
        self.trusted = speakers.trusted_labels(label_lines)

    def _line_habits(self) -> None:
        """The document's usual gap between lines of a paragraph, and whether an indented
        line usually follows a short one (first-line indents) or a full one (hanging indents)."""
        gaps: list[float] = []
        indented = after_short = 0
        for p in self.pages:
            prev: _Line | None = None
            for ln in p.lines:
                if (
                    prev is not None
                    and ln.col == prev.col
                    and ln.rows is None
                    and prev.rows is None
                ):
                    if abs(ln.h - prev.h) <= 0.15 * prev.h and ln.y1 < prev.yc:
                        gaps.append((prev.y0 - ln.y1) / prev.h)
                        if ln.x0 > prev.x0 + max(1.5, 0.4 * ln.h):
                            indented += 1
                            after_short += self._short(prev, ln)
                prev = ln
        gaps.sort()
        self.usual_gap = gaps[len(gaps) // 2] if gaps else 0.2
        self.first_line_indents = indented > 0 and after_short * 2 >= indented

    def _big(self, ln: _Line) -> bool:
        return len(ln.text) <= 150 and _size(ln) in self.levels

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        for p in self.pages:
            para: list[_Line] = []
            lines = p.lines
            for i, ln in enumerate(lines):
                if ln.rows is not None:
                    self._flush(para, p.number, out)
                    para = []
                    out += [Block(r, kind="table_row", page=p.number) for r in ln.rows]
                    continue
                if para and self._breaks(para, ln, lines[i + 1] if i + 1 < len(lines) else None):
                    self._flush(para, p.number, out)
                    para = []
                para.append(ln)
            self._flush(para, p.number, out)
            for ln in p.margin:
                out.append(Block(ln.text, page=p.number))
        return out

    def _flush(self, para: list[_Line], page: int, out: list[Block]) -> None:
        if not para:
            return
        text = _join_lines([ln.text for ln in para])
        first = para[0]
        if all(self._big(ln) for ln in para) and len(text) <= 200 and text[-1] not in ".,;":
            out.append(Block(text, kind="heading", level=self.levels[_size(first)], page=page))
        elif (
            len(para) == 1
            and first.bold
            and len(text) <= 120
            and text[-1] not in ".,;:!?"
            and any(c.isalpha() for c in text)
            and first.h >= 0.85 * self.body
        ):
            out.append(Block(text, kind="heading", level=min(len(self.levels) + 1, 6), page=page))
        else:
            out.append(Block(text, page=page))

    def _breaks(self, para: list[_Line], ln: _Line, nxt: _Line | None) -> bool:
        prev = para[-1]
        big = self._big(ln)
        if big != self._big(prev) or abs(ln.h - prev.h) > 0.15 * max(ln.h, prev.h):
            return True
        if _BULLET.match(ln.text) or self._label(ln.text) or _TOC_ENTRY.search(prev.text):
            return True
        ind = max(1.5, 0.4 * ln.h)
        if ln.col != prev.col:
            if big:
                return False
            return (
                ln.x0 - ln.left > ind or self._short(prev, ln) or bool(_ENUMERATOR.match(ln.text))
            )
        if ln.y1 >= prev.yc:  # beside or above the previous line: same visual row
            return False
        if (prev.y0 - ln.y1) / prev.h > self.usual_gap + 0.45:
            return True
        if big:
            return False
        if _ENUMERATOR.match(ln.text) and abs(ln.x0 - prev.x0) > ind:
            return True
        if prev.text.endswith("-") and ln.text[:1].islower():
            return False
        if ln.x0 > prev.x0 + ind:
            if len(para) >= 2:
                return True
            # after a single line: a hanging indent goes on at this depth, a first-line
            # indent returns to the left edge on the next line
            hanging = nxt is not None and nxt.col == ln.col and abs(nxt.x0 - ln.x0) <= ind
            listed = _BULLET.match(prev.text) or _ENUMERATOR.match(prev.text)
            if self.first_line_indents and not (hanging or listed):
                return True
        elif len(para) >= 2 and ln.x0 < min(x.x0 for x in para[1:]) - ind:
            return True
        return self._short(prev, ln)

    def _short(self, prev: _Line, ln: _Line) -> bool:
        """Did the previous line stop early, although the next line's first word would have fit?"""
        room = prev.right - prev.x1
        ind = max(1.5, 0.4 * prev.h)
        if (
            prev.x0 - prev.left > ind
            and ln.x0 - ln.left > ind
            and abs(prev.x0 + prev.x1 - ln.x0 - ln.x1) < 2 * ind
        ):
            # centred lines: the free space lies on both sides
            room = (prev.right - prev.left) - (prev.x1 - prev.x0)
        cw = (prev.x1 - prev.x0) / max(len(prev.text), 1)
        word = ln.text.split(maxsplit=1)[0] if ln.text else ""
        return room > (len(word) + 2) * cw + 0.3 * prev.h

    def _label(self, text: str) -> bool:
        if _CAPS_LABEL.match(text):
            return True
        if ":" not in text[:60]:
            return False
        m = speakers.match_label(text)
        return bool(m and m.label and speakers.label_key(m.label) in self.trusted)


def _size(ln: _Line) -> float:
    return round(ln.h * 2) / 2


def _weighted_median(counts: Counter[float]) -> float:
    total = sum(counts.values())
    acc = 0
    for size in sorted(counts):
        acc += counts[size]
        if acc * 2 >= total:
            return size
    return max(counts)


def _join_lines(lines: list[str]) -> str:
    if not lines:
        return ""
    text = lines[0]
    for nxt in lines[1:]:
        text = _join(text, nxt)
    return text


def _join(prev: str, cur: str) -> str:
    """Join two lines of one paragraph, undoing end-of-line hyphenation."""
    if not prev:
        return cur
    if not cur:
        return prev
    last = prev[-1]
    if last == "\u00ad":
        return prev[:-1] + cur
    if last in "-\u2010":
        head = prev[:-1]
        before = head[-1:] if head else ""
        if not before or before.isspace():
            return prev + " " + cur
        first = cur[0]
        if before.isalpha() and first.islower():
            m = _WORD_END.search(head)
            nxt = _WORD_START.match(cur)
            if nxt and nxt.group(1).lower() in _CONJUNCTIONS:
                return prev + " " + cur
            if m and _hyphen_belongs(m.group(1), cur, head):
                return prev + cur
            return head + cur
        if before.isalnum() and first.isalnum():
            return prev + cur
        return prev + " " + cur
    if last in "–—/@" and len(prev) > 1 and not prev[-2].isspace():
        return prev + cur
    return prev + " " + cur


def _hyphen_belongs(word: str, cur: str, head: str) -> bool:
    lower = word.lower()
    if lower in _KEEP_HYPHEN or word.isupper() or any(c.isdigit() for c in word):
        return True
    token = cur.split(maxsplit=1)[0]
    tail = head.rsplit(maxsplit=1)[-1] if head.strip() else ""
    if any(c in token or c in tail for c in "./@"):
        return True
    return (lower[-1] + cur[0].lower()) in _VOWEL_CLASH


def _mend_page_hyphens(blocks: list[Block]) -> None:
    """A word split over a page break ("samenwer-" | "king") is completed on the first page."""
    for i in range(len(blocks) - 1):
        a, b = blocks[i], blocks[i + 1]
        if a.kind != "paragraph" or b.kind != "paragraph" or a.page == b.page:
            continue
        if not a.text.endswith("-") or not b.text[:1].islower():
            continue
        word, _, rest = b.text.partition(" ")
        joined = _join(a.text, word)
        if " " in joined[len(a.text) - 1 :]:
            continue
        a.text = joined
        b.text = rest.strip()
    blocks[:] = [b for b in blocks if b.text]
