"""PDF files: PDFium reads the text layer, our own layout code puts it in order.

Why PDFium and not pdfplumber for the text: PDFium extracts a page about 50x
faster than pdfminer (on which pdfplumber is built), and researchers import whole
folders of long progress reports. The work happens in stages, one module each,
in this order:

- ``extract``: PDFium's lines with their boxes (``geometry``), vertical margin
  text kept apart, turned pages turned back.
- ``tables``: ruled tables found from the page's own drawing (``grid``), with
  pdfplumber's table finder as the fallback; a table's rows replace its lines.
  ``tables="auto"`` (default) looks only where a cheap signal says a ruled
  table is likely, ``tables="all"`` on every page, ``tables="off"`` never.
- ``running``: running headers and footers, page numbers and transcript line
  numbers removed.
- ``order``: reading order by a recursive XY cut, columns first.
- ``paragraphs`` and ``hyphenation``: lines into paragraphs and headings,
  end-of-line hyphens undone; a paragraph never spans two pages.

Pages without a text layer (scans, drawings; told apart by the same pass over
the page objects that finds the tables) are reported: if no page has text the
import is refused ("run OCR first"), otherwise the pages are listed in the
warnings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casebook.errors import ImportFailed
from casebook.importers import limits
from casebook.importers.base import ReadResult
from casebook.importers.pdf.extract import Extractor
from casebook.importers.pdf.geometry import Page
from casebook.importers.pdf.hyphenation import mend_page_hyphens
from casebook.importers.pdf.order import reading_order
from casebook.importers.pdf.paragraphs import Paragraphs
from casebook.importers.pdf.running import drop_line_numbers, drop_running_lines
from casebook.importers.pdf.tables import Drawing
from casebook.importers.pdf.tables import Plumber as _Plumber
from casebook.importers.pdf.tables import pdfium_tables as _pdfium_tables

# Looked up here at call time, so a test or the bench can swap the PDFium grid reader
# (``_pdfium_tables``) or pdfplumber's finder (``_Plumber.tables``) for one run.
__all__ = ["PdfReader"]

_SPARSE_CHARS = 50  # below this many characters a page is checked for being a scan


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
        import pypdfium2 as pdfium  # PDFium is a native library; loaded only when a PDF is read

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
        import pypdfium2 as pdfium  # PDFium is a native library; loaded only when a PDF is read

        n_pages = len(doc)
        if n_pages == 0:
            raise ImportFailed(path, "the PDF has no pages; nothing to import")
        pages: list[Page] = []
        extractor = Extractor()
        n_chars = 0  # stop early when the text outgrows the limit (a hostile PDF)
        cap = limits.max_chars()  # read once: the settings file is not read again per page
        for i in range(n_pages):
            try:
                page = doc[i]
            except pdfium.PdfiumError:
                page = None
            p = Page(i + 1)
            p.status = "unreadable"
            if page is not None:
                try:
                    # one text page serves the lines and the grid tables (opening one costs ~1 ms)
                    textpage = page.get_textpage()
                    try:
                        p = extractor.page(page, i + 1, textpage)
                        drawing = Drawing(page)
                        p.drawn = drawing.drawn
                        p.image_share = drawing.image_share
                        if p.lines and self.tables != "off":
                            if self.tables == "all" or drawing.ruled_table(p.lines):
                                if not _pdfium_tables(page, p, drawing, textpage):
                                    plumber.tables(p, i)
                    finally:
                        textpage.close()
                except pdfium.PdfiumError:
                    p = Page(i + 1)
                    p.status = "unreadable"
                finally:
                    page.close()
            pages.append(p)
            n_chars += sum(len(line.text) for line in p.lines)
            if n_chars > cap:
                limits.check_text(path, n_chars)

        with_text = [p for p in pages if p.lines or p.margin]
        drop_running_lines(with_text)
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
            drop_line_numbers(p)
            p.lines = reading_order(p.lines)
        blocks = Paragraphs(with_text).blocks()
        mend_page_hyphens(blocks)
        return ReadResult(blocks, format="pdf", n_pages=n_pages, warnings=warnings)


def _set_status(p: Page) -> None:
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


def _page_warnings(pages: list[Page]) -> list[str]:
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
