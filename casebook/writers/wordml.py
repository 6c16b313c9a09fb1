"""A small, fast WordprocessingML writer on top of python-docx.

One class, one module: every paragraph, table and field shares the writer's part list
and style names.

python-docx builds a document one element at a time, which is slow for a
bank of thousands of quotes. Here the body is written as XML text and put
into ``word/document.xml`` as it is when the file is saved; a python-docx
``Document`` still provides the package, styles, footer and comments. Only Word's built-in styles and a
few named paragraph styles are used, so the report team can restyle the whole
document from the style gallery.

The table of contents is a real TOC field (``TOC \\o "1-3" \\h \\z \\u``). Its
cached result lists the headings, linked to bookmarks, without page numbers;
Word recomputes it with page numbers when the document opens (the document
asks it to via ``w:updateFields``). LibreOffice 7.4 does not update fields
when converting, so a PDF made with ``soffice --convert-to pdf`` shows the
cached list.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from casebook import __version__ as version
from casebook.errors import InvalidInput
from casebook.writers.files import saving
from casebook.writers.fit import fit_columns, text_width

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
A4 = (11906, 16838)  # twips
MARGIN = 1418  # 2.5 cm
BODY_FONT = "Calibri"
BODY_MARK = "casebook-body"  # where save() puts the body text

# Named styles this writer adds; everything else is built in.
CUSTOM_STYLES = {
    "QuoteAttribution": "Quote Attribution",
    "QuoteContext": "Quote Context",
    "QuoteCount": "Quote Count",
    "ReportNote": "Report Note",
    "MemoNote": "Memo Note",
}


def x(text: Any) -> str:
    """Text made safe for XML: escaped, control characters dropped."""
    return escape(_CONTROL.sub("", "" if text is None else str(text)))


def run(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    superscript: bool = False,
    size: int | None = None,
    colour: str | None = None,
) -> str:
    props = ""
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    if colour:
        props += f'<w:color w:val="{colour}"/>'
    if size:
        props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    if superscript:
        props += '<w:vertAlign w:val="superscript"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{x(text)}</w:t></w:r>'


@dataclass
class TocEntry:
    level: int
    text: str
    bookmark: str


@dataclass
class WordWriter:
    language: str = "nl"
    parts: list[str] = field(default_factory=list)
    toc_entries: list[TocEntry] = field(default_factory=list)
    comments: list[tuple[int, str, str]] = field(default_factory=list)  # (part index, text, author)
    _toc_at: int | None = None
    _bookmark: int = 0
    _landscape_from: int | None = None
    doc: Any = None

    def __post_init__(self) -> None:
        # python-docx is slow to import; only Word output needs it
        from docx import Document

        self.doc = Document()
        self._setup()

    # --- document setup -------------------------------------------------------------

    def _setup(self) -> None:
        # python-docx is slow to import; only Word output needs it
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor, Twips

        doc = self.doc
        section = doc.sections[0]
        section.page_width, section.page_height = Twips(A4[0]), Twips(A4[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Twips(MARGIN))
        styles = doc.styles
        lang = "nl-NL" if self.language == "nl" else "en-GB"
        for el in styles.element.iter(f"{{{W_NS}}}lang"):
            el.set(f"{{{W_NS}}}val", lang)
            break
        for el in styles.element.iter(f"{{{W_NS}}}rFonts"):
            # One sans body font instead of the template's theme font (Cambria).
            for attr in list(el.attrib):
                del el.attrib[attr]
            for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
                el.set(f"{{{W_NS}}}{attr}", BODY_FONT)
            break
        quote = styles["Quote"]
        quote.paragraph_format.left_indent = Twips(567)
        quote.paragraph_format.right_indent = Twips(567)
        quote.paragraph_format.space_after = Pt(2)
        quote.paragraph_format.keep_with_next = True
        quote.font.color.rgb = RGBColor(0x26, 0x26, 0x26)

        def add(style_id: str, base: str, **fmt: Any) -> Any:
            style = styles.add_style(CUSTOM_STYLES[style_id], WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(f"{{{W_NS}}}styleId", style_id)
            style.base_style = styles[base]
            style.quick_style = True
            pf, font = style.paragraph_format, style.font
            pf.left_indent = fmt.get("indent")
            pf.space_before = fmt.get("before", Pt(0))
            pf.space_after = fmt.get("after", Pt(6))
            if fmt.get("keep"):
                pf.keep_with_next = True
            if fmt.get("align") is not None:
                pf.alignment = fmt["align"]
            font.size = fmt.get("size")
            font.italic = fmt.get("italic")
            if fmt.get("colour"):
                font.color.rgb = fmt["colour"]
            return style

        grey = RGBColor(0x59, 0x59, 0x59)
        add(
            "QuoteAttribution",
            "Normal",
            indent=Twips(567),
            after=Pt(12),
            size=Pt(9),
            colour=RGBColor(0x40, 0x40, 0x40),
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            italic=False,
        )
        add(
            "QuoteContext",
            "Normal",
            indent=Twips(567),
            after=Pt(2),
            size=Pt(9),
            colour=grey,
            keep=True,
        )
        add("QuoteCount", "Normal", after=Pt(8), size=Pt(9), colour=grey, italic=True, keep=True)
        add("ReportNote", "Normal", after=Pt(6), size=Pt(9), colour=grey, italic=True)
        add("MemoNote", "Normal", after=Pt(4), size=Pt(9))
        for level in (1, 2, 3):
            toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            toc.element.set(f"{{{W_NS}}}styleId", f"TOC{level}")
            toc.base_style = styles["Normal"]
            toc.paragraph_format.left_indent = Twips(240 * (level - 1))
            toc.paragraph_format.space_after = Pt(2 if level > 1 else 4)
            if level == 1:
                toc.font.bold = True
        self._footer_page_numbers()
        self._update_fields_on_open()
        self.properties(title="", author="casebook")

    def _footer_page_numbers(self) -> None:
        # python-docx is slow to import; only Word output needs it
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import parse_xml

        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p._p.append(
            parse_xml(
                f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            )
        )

    def _update_fields_on_open(self) -> None:
        # python-docx is slow to import; only Word output needs it
        from docx.oxml import parse_xml

        settings = self.doc.settings.element
        el = parse_xml(f'<w:updateFields xmlns:w="{W_NS}" w:val="true"/>')
        later = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")
        for child in settings:
            if any(child.tag == f"{{{W_NS}}}{name}" for name in later):
                child.addprevious(el)
                return
        settings.append(el)

    def properties(
        self, *, title: str, author: str, language: str | None = None, subject: str | None = None
    ) -> None:
        """File › Properties from the project, not python-docx's template defaults."""
        props = self.doc.core_properties
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        props.title = title
        props.author = author
        props.last_modified_by = author
        props.created = stamp
        props.modified = stamp
        props.revision = 1
        props.comments = ""
        props.subject = subject or ""
        props.keywords = ""
        props.category = ""
        props.language = "nl-NL" if (language or self.language) == "nl" else "en-GB"
        self._app_properties()

    def _app_properties(self) -> None:
        """docProps/app.xml names the application that wrote the file: casebook, not Word for Mac."""
        for rel in self.doc.part.package.parts:
            if str(rel.partname) == "/docProps/app.xml":
                xml = rel.blob.decode("utf-8")
                xml = re.sub(
                    r"<Application>[^<]*</Application>", "<Application>casebook</Application>", xml
                )
                xml = re.sub(
                    r"<AppVersion>[^<]*</AppVersion>",
                    f"<AppVersion>{_app_version(version)}</AppVersion>",
                    xml,
                )
                xml = re.sub(r"<Template>[^<]*</Template>", "<Template>Normal.dotm</Template>", xml)
                rel._blob = xml.encode("utf-8")

    # --- content --------------------------------------------------------------------

    def paragraph(
        self,
        content: str,
        style: str | None = None,
        *,
        keep_next: bool = False,
        page_break_before: bool = False,
        align: str | None = None,
        raw: bool = False,
    ) -> int:
        """Add a paragraph; ``content`` is text, or run XML when ``raw``. Returns its index."""
        ppr = ""
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        if page_break_before:
            ppr += "<w:pageBreakBefore/>"
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        body = content if raw else (run(content) if content else "")
        self.parts.append(f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{body}</w:p>")
        return len(self.parts) - 1

    def heading(
        self, level: int, text: str, *, page_break_before: bool = False, toc: bool = True
    ) -> int:
        style = "Title" if level == 0 else f"Heading{min(max(level, 1), 9)}"
        self._bookmark += 1
        name = f"_Toc{self._bookmark:08d}"
        ppr = f'<w:pStyle w:val="{style}"/>' + ("<w:pageBreakBefore/>" if page_break_before else "")
        self.parts.append(
            f'<w:p><w:pPr>{ppr}</w:pPr><w:bookmarkStart w:id="{self._bookmark}" w:name="{name}"/>'
            f'{run(text)}<w:bookmarkEnd w:id="{self._bookmark}"/></w:p>'
        )
        if toc and 1 <= level <= 3:
            self.toc_entries.append(TocEntry(level, text, name))
        return len(self.parts) - 1

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def toc(self, title: str, note: str) -> None:
        """Reserve the place of the table of contents; it is written when the headings are known."""
        self.parts.append(f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>{run(title)}</w:p>')
        self._toc_at = len(self.parts)
        self.parts.append("")
        self.paragraph(note, "ReportNote")

    def comment(self, index: int, text: str, author: str) -> None:
        self.comments.append((index, text, author))

    def table(
        self,
        rows: list[list[Any]],
        *,
        header: bool = True,
        totals: bool = False,
        numeric_from: int = 1,
        size: int | None = None,
        shade: str = "D9E2F3",
        widths: list[int] | None = None,
        fills: dict[tuple[int, int], tuple[str, bool]] | None = None,
        rotate_header: bool = False,
    ) -> int:
        """A 'Table Grid' table fitted to its content: bold shaded header row repeated on every page,
        numbers right-aligned, optional totals row. ``widths`` only weighs how spare room is shared;
        ``fills`` maps (row, column) to a cell colour and whether its text is white (heat maps).
        ``rotate_header`` sets the column headers (all but the first) bottom-to-top, so a
        matrix with many long code labels fits its page without breaking words."""
        if not rows:
            return len(self.parts) - 1
        n_cols = max(len(r) for r in rows)
        bold_rows = {0} if header else set()
        if totals:
            bold_rows.add(len(rows) - 1)
        rotate_header = rotate_header and header
        measured = rows
        if rotate_header:  # a turned header is as wide as one line of text, however long it is
            measured = [[rows[0][0] if rows[0] else "", *(["8"] * (n_cols - 1))], *rows[1:]]
        fit = fit_columns(
            measured, self.text_width(), size=size or 22, bold_rows=bold_rows, hints=widths
        )
        if fit.too_wide and self._landscape_from is None:
            self.landscape_from_here()
            fit = fit_columns(
                measured, self.text_width(), size=size or 22, bold_rows=bold_rows, hints=widths
            )
        widths = fit.widths
        cell_size = fit.size if fit.size != 22 else size
        header_height = 0
        if rotate_header:
            header_height = 260 + max(
                (text_width(str(v or ""), fit.size, True) for v in rows[0][1:]), default=0
            )
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
            ' w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
        ]
        for i, row in enumerate(rows):
            is_head = header and i == 0
            is_total = totals and i == len(rows) - 1
            height = (
                f'<w:trHeight w:val="{header_height}" w:hRule="atLeast"/>'
                if is_head and header_height
                else ""
            )
            trpr = (
                f"<w:trPr><w:cantSplit/>{height}<w:tblHeader/></w:trPr>"
                if is_head
                else "<w:trPr><w:cantSplit/></w:trPr>"
            )
            cells = []
            for j in range(n_cols):
                value = row[j] if j < len(row) else ""
                tcpr = f'<w:tcW w:w="{widths[j]}" w:type="dxa"/>'
                fill = (fills or {}).get((i, j))
                if is_head or is_total:
                    tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade if is_head else "F2F2F2"}"/>'
                elif fill:
                    tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill[0].lstrip("#")}"/>'
                if is_head and header_height:
                    turn = '<w:textDirection w:val="btLr"/>' if j > 0 else ""
                    tcpr += f'{turn}<w:vAlign w:val="bottom"/>'
                numeric = _numeric(value) and j >= numeric_from
                jc = '<w:jc w:val="right"/>' if numeric else ""
                spacing = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                text = "" if value is None or value == "" else str(value)
                r = (
                    run(
                        text,
                        bold=is_head or is_total or (j == 0 and not numeric and header is False),
                        size=cell_size,
                        colour="FFFFFF" if fill and fill[1] else None,
                    )
                    if text
                    else ""
                )
                cells.append(
                    f"<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr>{spacing}{jc}</w:pPr>{r}</w:p></w:tc>"
                )
            out.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))
        # Word needs a paragraph between two tables and after a table that ends a cell or section.
        self.paragraph("", None)
        return len(self.parts) - 2

    def text_width(self) -> int:
        """Twips between the margins on the current page (landscape once ``landscape_from_here``)."""
        return (A4[1] if self._landscape_from is not None else A4[0]) - 2 * MARGIN

    def landscape_from_here(self) -> None:
        """Everything added after this point goes on landscape pages (wide tables)."""
        self._landscape_from = len(self.parts)

    def picture(self, path: Path, width_cm: float) -> None:
        """Pictures go through python-docx (it manages the image part); placed at save time."""
        # python-docx is slow to import; only Word output needs it
        from docx.shared import Cm

        self.doc.add_picture(str(path), width=Cm(width_cm))
        pic = (
            self.doc.element.body[-2]
            if self.doc.element.body[-1].tag.endswith("sectPr")
            else self.doc.element.body[-1]
        )
        # lxml loads only when a file is read or written as XML
        from lxml import etree

        xml = etree.tostring(pic, encoding="unicode")
        pic.getparent().remove(pic)
        self.parts.append(_strip_ns_decls(xml))

    # --- writing --------------------------------------------------------------------

    def _toc_xml(self) -> str:
        entries = self.toc_entries
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if not entries:
            return f"<w:p>{begin}{end}</w:p>"
        out = []
        for i, e in enumerate(entries):
            link = f'<w:hyperlink w:anchor="{e.bookmark}" w:history="1">{run(e.text)}</w:hyperlink>'
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{e.level}"/></w:pPr>'
                f"{begin if i == 0 else ''}{link}{end if i == len(entries) - 1 else ''}</w:p>"
            )
        return "".join(out)

    def save(self, path: Path) -> Path:
        """Write the package: python-docx writes every part but the body, which is spliced in as text.

        Parsing thousands of paragraphs into python-docx's tree only to serialise
        them again cost most of an export's time; the body is already well-formed
        WordprocessingML text, so it goes into ``word/document.xml`` as it is.
        Only paragraphs that carry a comment are parsed (python-docx anchors the
        comment on their runs and writes the comments part).
        """
        # lxml loads only when a file is read or written as XML
        from lxml import etree

        path = Path(path)
        if path.suffix.lower() != ".docx":
            raise InvalidInput(f"{path}: give a file name ending in .docx")
        parts = list(self.parts)
        if self._toc_at is not None:
            parts[self._toc_at] = self._toc_xml()
        for index, text, author in self.comments:
            parts[index] = self._with_comment(parts[index], text, author)
        body = self.doc.element.body
        sect = body[-1] if body[-1].tag == f"{{{W_NS}}}sectPr" else None
        if self._landscape_from is not None and sect is not None:
            # From the very first part the whole document is landscape: no empty portrait page.
            if self._landscape_from > 0:
                holder = etree.Element(f"{{{W_NS}}}p")
                etree.SubElement(holder, f"{{{W_NS}}}pPr").append(copy.deepcopy(sect))
                parts.insert(
                    self._landscape_from,
                    _strip_ns_decls(etree.tostring(holder, encoding="unicode")),
                )
            size = sect.find(f"{{{W_NS}}}pgSz")
            size.set(f"{{{W_NS}}}w", str(A4[1]))
            size.set(f"{{{W_NS}}}h", str(A4[0]))
            size.set(f"{{{W_NS}}}orient", "landscape")
        marker = etree.Comment(BODY_MARK)
        if sect is not None:
            sect.addprevious(marker)
        else:
            body.append(marker)
        try:
            with saving(path):
                self._write_package(path, "".join(parts))
        finally:
            marker.getparent().remove(marker)
        return path

    def _with_comment(self, paragraph: str, text: str, author: str) -> str:
        """The paragraph's XML with a comment anchored on its runs (python-docx writes the comment)."""
        # python-docx and lxml are slow to import; only Word output needs them
        from docx.oxml import parse_xml
        from docx.text.paragraph import Paragraph
        from lxml import etree

        p_el = parse_xml(f'<w:body xmlns:w="{W_NS}">{paragraph}</w:body>')[0]
        runs = Paragraph(p_el, self.doc._body).runs
        if not runs:
            return paragraph
        initials = "".join(w[0] for w in author.split()[:3]).upper() or "C"
        self.doc.add_comment(
            runs, text=_CONTROL.sub("", text), author=author or "casebook", initials=initials
        )
        return _strip_ns_decls(etree.tostring(p_el, encoding="unicode"))

    def _write_package(self, path: Path, body_xml: str) -> None:
        """python-docx's package with the body text put where the marker comment stands."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        mark = f"<!--{BODY_MARK}-->".encode()
        document = self.doc.part.partname.membername
        with (
            zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == document:
                    if data.count(mark) != 1:
                        raise RuntimeError("the document body marker was not written once")
                    data = data.replace(mark, body_xml.encode("utf-8"))
                out.writestr(info.filename, data)


def _app_version(version: str) -> str:
    """app.xml wants XX.YYYY."""
    parts = (version.split(".") + ["0", "0"])[:2]
    return (
        f"{int(parts[0]):02d}.{int(parts[1]):04d}" if all(p.isdigit() for p in parts) else "00.0001"
    )


def _numeric(value: Any) -> bool:
    """Numbers, and numbers already formatted for the reader ("€ 3.450.000", "99,5 %")."""
    if isinstance(value, int | float):
        return True
    return (
        isinstance(value, str)
        and bool(re.fullmatch(r"[€$]?\s?[\d.,]+\s?%?", value.strip()))
        and any(ch.isdigit() for ch in value)
    )


def _strip_ns_decls(xml: str) -> str:
    """An element serialised on its own carries namespace declarations; the body wrapper declares w."""
    return re.sub(r'\sxmlns:w="[^"]+"', "", xml, count=1)


def document_text(path: Path) -> str:
    """All the text a reader could see: body, tables, headers/footers and comments."""
    # python-docx is slow to import; only Word output needs it
    from docx import Document

    doc = Document(str(path))
    chunks = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                chunks.append(cell.text)
    for section in doc.sections:
        chunks += [p.text for p in section.footer.paragraphs]
        chunks += [p.text for p in section.header.paragraphs]
    try:
        for c in doc.comments:
            chunks.append(c.text)
    except AttributeError:
        pass
    return "\n".join(chunks)
