"""PDF import: real PDFs other people made, and PDFs we draw ourselves with reportlab.

Real files come from ../shared/external; each must import with the text of its
pages (checked word by word against bare PDFium) or be refused with one line.
Generated files pin down one layout behaviour each: running headers, page
numbers, end-of-line hyphens, columns, transcripts with line numbers, pages
without a text layer.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of
from casebook.errors import ImportFailed
from casebook.importers import reader_for
from casebook.importers.assemble import normalise
from casebook.importers.base import ReadResult
from casebook.importers.pdf import PdfReader
from casebook.store.project import Project, open_project

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external"
PDFS = EXTERNAL / "pdfs"
REFI = EXTERNAL / "refi-qda" / "REFI-QDA-1-5.pdf"
REFUSED = {
    "empty.pdf": "the file is empty (0 bytes); nothing to import",
    "password-example.pdf": "the PDF is password-protected; remove the password and import again",
    # a scanned page (Chinese text as an image) whose text layer holds only a date
    "malformed-from-issue-932.pdf": "no text layer on page 1: run OCR first",
}


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    p = open_project(tmp_path / "p.db")
    yield p
    p.close()


def external(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real-world PDFs not present at {path}")
    return path


def read(path: Path) -> ReadResult:
    return PdfReader().read(path)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def full_text(result: ReadResult) -> str:
    return "\n".join(b.text for b in result.blocks)


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def count_rows(project: Project) -> tuple[int, int, int]:
    return (
        project.scalar("SELECT count(*) FROM documents"),
        project.scalar("SELECT count(*) FROM segments"),
        project.scalar("SELECT count(*) FROM document_texts"),
    )


def check_pages_tile(project: Project, doc_id: str, n_pages: int) -> list[str]:
    """Page segments run contiguously from 0 to the end of the text, one per page."""
    text = document_text(project, doc_id)
    pages = segments_of(project, doc_id, "page")
    assert len(pages) == n_pages
    assert [p["label"] for p in pages] == [str(i) for i in range(1, n_pages + 1)]
    assert pages[0]["start"] == 0 and pages[-1]["end"] == len(text)
    for a, b in zip(pages, pages[1:], strict=False):
        assert a["end"] == b["start"] and a["start"] <= a["end"]
    return [text[p["start"] : p["end"]] for p in pages]


# --- real-world PDFs ---------------------------------------------------------------------


def real_pdfs() -> list[Path]:
    """The real PDFs, or the missing folder itself, so that the tests skip with a reason."""
    files = sorted(PDFS.glob("*.pdf")) if PDFS.is_dir() else []
    files += [REFI] if REFI.exists() else []
    return files or [PDFS]


@pytest.mark.parametrize("path", real_pdfs(), ids=lambda p: p.name)
def test_every_real_pdf_imports_with_its_pages_or_is_refused(path: Path) -> None:
    external(path)
    if path.name in REFUSED:
        with pytest.raises(ImportFailed) as info:
            read(path)
        assert info.value.reason == REFUSED[path.name]
        assert "\n" not in str(info.value) and str(info.value).startswith(str(path))
        return
    result = read(path)
    raw = pdfium_pages(path)
    assert result.format == "pdf" and result.n_pages == len(raw)
    pages = [b.page for b in result.blocks]
    assert all(1 <= p <= len(raw) for p in pages) and pages == sorted(pages)
    # every word we keep is on the page we say it is on (or is a word rejoined at a hyphen)
    missing = total = 0
    for block in result.blocks:
        page_words = set(words(raw[block.page - 1]))
        for w in words(block.text):
            total += 1
            missing += w not in page_words and not any(
                w.startswith(p) for p in page_words if len(p) > 2
            )
    assert total and missing / total < 0.01
    # and little of the page text is lost (running headers, page and line numbers are)
    kept = set(words(full_text(result)))
    raw_words = [w for page in raw for w in words(page) if not w.isdigit()]
    assert sum(w in kept for w in raw_words) / len(raw_words) > 0.9


@pytest.mark.parametrize(
    "path", [p for p in real_pdfs() if p.name not in REFUSED], ids=lambda p: p.name
)
def test_real_pdfs_through_the_pipeline(proj: Project, path: Path) -> None:
    external(path)
    outcome = import_file(proj, path, DocumentMeta(case="X", kind="progress_report"))
    assert outcome.status == "imported"
    result = read(path)
    page_texts = check_pages_tile(proj, outcome.document_id, result.n_pages)
    for block in result.blocks:
        if block.kind != "heading":
            assert normalise(block.text) in normalise(page_texts[block.page - 1])
    rows = segments_of(proj, outcome.document_id, "table_row")
    assert len(rows) == sum(b.kind == "table_row" for b in result.blocks)


def test_real_pdf_refusals_leave_the_project_unchanged(proj: Project) -> None:
    external(PDFS)
    for name, reason in REFUSED.items():
        with pytest.raises(ImportFailed) as info:
            import_file(proj, PDFS / name, DocumentMeta(case="X", kind="progress_report"))
        assert info.value.reason == reason
    assert count_rows(proj) == (0, 0, 0)


def test_federal_register_three_columns_in_reading_order() -> None:
    path = external(PDFS / "federal-register-2020-17221.pdf")
    result = read(path)
    page1 = full_text(ReadResult([b for b in result.blocks if b.page == 1], "pdf"))
    col1 = page1.index("This section of the FEDERAL REGISTER contains notices")
    col2 = page1.index("Federal eRulemaking Portal")
    col3 = page1.index("proposal, explain the reason for any recommended change")
    assert col1 < col2 < col3
    # a paragraph that runs from the foot of column 2 into column 3 stays whole
    assert "reference a specific portion of the proposal, explain the reason" in page1
    text = full_text(result)
    assert "VerDate" not in text and "jbell on" not in text  # running footer and margin note
    assert "Federal Register / Vol. 85" not in text  # running header of pages 2-15
    assert "Proposed Rules Federal Register" in text  # page 1's own masthead stays
    assert any("page 8" in w for w in result.warnings)  # a page that holds only a figure


def test_federal_register_paragraphs_and_hyphens() -> None:
    result = read(external(PDFS / "federal-register-2020-17221.pdf"))
    paragraphs = [b.text for b in result.blocks]
    assert any(p.startswith("• Fax: 202–493–2251.") for p in paragraphs)
    assert "Confidential Business Information (CBI)" in paragraphs
    assert any(
        p.startswith("CBI is commercial or financial information that is both") for p in paragraphs
    )
    text = full_text(result)
    assert "Docket No. FAA–2020–0686" in text  # en dash at a line end, no space inserted
    assert "https://www.regulations.gov" in text  # URL broken after the slash
    assert "Soekarno-" in text  # hyphen before a capital stays


def test_scotus_transcript_line_numbers_and_appearance_lines() -> None:
    """The one page is the cover: no JUSTICE turns yet, but numbered lines and an appearance list."""
    result = read(external(PDFS / "scotus-transcript-p1.pdf"))
    paragraphs = [b.text for b in result.blocks]
    assert not any(re.fullmatch(r"\d{1,2}", p) for p in paragraphs)  # margin line numbers gone
    assert not any(re.match(r"\d+ [A-Z]", p) for p in paragraphs)
    assert "APPEARANCES:" in paragraphs
    assert (
        "STEVEN E. MERCER, ESQ., Deputy Attorney General, Los Angeles, Cal.; on behalf of the Petitioner."
        in paragraphs
    )
    assert "CHARLES M. SEVILLA, ESQ., San Diego, Cal.; on behalf of the Respondent." in paragraphs
    assert "JUSTICE" not in full_text(result)


def test_word365_table_and_lists() -> None:
    result = read(external(PDFS / "word365_structure.pdf"))
    rows = [b.text for b in result.blocks if b.kind == "table_row"]
    assert rows == [
        "En-tête 1 | En-tête 2 | En-tête 3",
        "Ligne 1 | Alouette | Farfadet",
        "Linge 2 | Belette | Bibitte",
    ]
    paragraphs = [b.text for b in result.blocks if b.kind == "paragraph"]
    assert paragraphs[:4] == ["Lorem ipsum dolor", "• Liste", "• Liste 2", "• Liste 3"]
    assert "1. Liste numérotée" in paragraphs and "2. Liste numérotée" in paragraphs
    assert result.blocks[0].kind == "heading" and result.blocks[0].text == "Titre"


def test_lorem_ipsum_ruled_table_rows() -> None:
    result = read(external(PDFS / "issue-33-lorem-ipsum.pdf"))
    rows = [b.text for b in result.blocks if b.kind == "table_row" and b.page == 2]
    assert rows[:2] == ["0.47 | 0.40 | 0.03 | 0.31", "0.60 | 0.07 | 0.60 | 0.42"]
    assert "Etincidunt consectetur porro velit sed quaerat." in [b.text for b in result.blocks]


def test_refi_specification_through_the_pipeline(proj: Project) -> None:
    path = external(REFI)
    outcome = import_file(proj, path, DocumentMeta(case="X", kind="progress_report"))
    assert outcome.status == "imported" and outcome.n_pages == 60
    page_texts = check_pages_tile(proj, outcome.document_id, 60)
    assert page_texts[5].startswith("1 Scope\n")  # page 6; the running header "REFI-QDA" is gone
    text = document_text(proj, outcome.document_id)
    assert text.count("\nREFI-QDA\n") == 1  # the title on page 1; the running header is gone
    assert page_texts[0].count("REFI-QDA") == 1
    assert not re.search(r"\n\d{1,2}\n", text)  # page numbers
    sections = [s["label"] for s in segments_of(proj, outcome.document_id, "section")]
    assert "1 Scope" in sections and "4.1 Introduction" in sections and "3.5 Edge" in sections
    # sentences never cross a page boundary: every page holds whole sentences
    bounds = [0]
    for page in page_texts:
        bounds.append(bounds[-1] + len(page))
    for s in segments_of(proj, outcome.document_id, "sentence"):
        assert not any(s["start"] < b < s["end"] - 1 for b in bounds[1:-1])


# --- PDFs we draw ----------------------------------------------------------------------------

SENTENCES = [
    "De werkgroep bespreekt elke maand de planning van het techlab.",
    "Leerlingen uit groep acht bezoeken twee keer per jaar een bedrijf in de haven.",
    "Het keuzevak robotica wordt na de zomer op alle drie scholen aangeboden.",
    "Docenten van het mbo geven gastlessen over installatietechniek en duurzame energie.",
    "De stuurgroep vraagt de scholen om een gezamenlijk rooster voor de praktijkdagen.",
    "Bij de open dag kregen ouders een rondleiding langs de nieuwe lasersnijder.",
    "Een hybride docent werkt drie dagen bij een scheepswerf en twee dagen op school.",
    "De gemeente betaalt de huur van de werkplaats tot het einde van het schooljaar.",
    "In het najaar start een scholing voor leerkrachten uit het primair onderwijs.",
    "De evaluatie laat zien dat leerlingen de praktijkopdrachten waarderen.",
    "Twee bedrijven hebben stageplekken toegezegd voor het komende schooljaar.",
    "De projectsecretaris houdt een overzicht bij van alle afspraken met partners.",
]


def sentences(seed: int, n: int) -> str:
    rng = random.Random(seed)
    return " ".join(f"{rng.choice(SENTENCES)[:-1]} ({seed}.{i})." for i in range(n))


def platypus(path: Path, story: list, *, columns: int = 1, on_page=None) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A4
    margin, gutter = 60, 24
    col = (width - 2 * margin - (columns - 1) * gutter) / columns
    frames = [
        Frame(margin + i * (col + gutter), margin, col, height - 2 * margin, id=f"c{i}")
        for i in range(columns)
    ]
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=on_page or (lambda c, d: None))])
    doc.build(story)


def body_style(size: float = 11):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        "body", fontName="Helvetica", fontSize=size, leading=size * 1.3, spaceAfter=size * 0.8
    )


@pytest.mark.parametrize(
    "footer",
    ["Pagina {n} van 5", "{n}", "- {n} -", "Page {n}"],
    ids=["pagina-n-van", "bare", "dashes", "page-n"],
)
def test_running_header_footer_and_page_numbers(proj: Project, tmp_path: Path, footer: str) -> None:
    from reportlab.platypus import PageBreak, Paragraph

    def furniture(canvas, doc) -> None:
        canvas.setFont("Helvetica", 9)
        canvas.drawString(60, 800, f"Voortgangsrapportage STO-regio Zeewolde {2020 + doc.page}")
        canvas.drawCentredString(297, 30, footer.format(n=doc.page))

    style = body_style()
    story, expected = [], []
    for page in range(1, 6):
        for k in range(2):
            text = sentences(page * 10 + k, 4)
            expected.append((page, text))
            story.append(Paragraph(text, style))
        if page < 5:
            story.append(PageBreak())
    path = tmp_path / "rapportage.pdf"
    platypus(path, story, on_page=furniture)

    result = read(path)
    assert [(b.page, b.text) for b in result.blocks] == expected
    outcome = import_file(proj, path, DocumentMeta(case="Zeewolde", kind="progress_report"))
    page_texts = check_pages_tile(proj, outcome.document_id, 5)
    for page, text in expected:
        assert text in page_texts[page - 1]


def test_hyphenated_line_ends_are_rejoined(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    lines = [
        "In de regio is de samenwer-",
        "king tussen vmbo en mbo in twee jaar",
        "sterk verbeterd. Vooral de mbo-",
        "opleiding techniek groeit, ook in Noord-",
        "Brabant, zowel in de in- en uitstroom",
        "als bij de zee- en luchtvaart. Het",
        "onderzoek naar de auto-",
        "ongelukken in 2020-",
        "2021 en de coördinatie-",
        "overleggen met het ROC loopt nog.",
    ]
    width = max(len(line) for line in lines)
    path = tmp_path / "afbreken.pdf"
    c = canvas.Canvas(str(path))
    y = 760
    for i, line in enumerate(lines):
        c.setFont("Courier", 11)
        text = line if i == len(lines) - 1 else _justify(line, width)
        c.drawString(72, y, text)
        y -= 14
    c.save()

    result = read(path)
    assert [b.text for b in result.blocks] == [
        "In de regio is de samenwerking tussen vmbo en mbo in twee jaar sterk verbeterd. "
        "Vooral de mbo-opleiding techniek groeit, ook in Noord-Brabant, zowel in de in- en uitstroom "
        "als bij de zee- en luchtvaart. Het onderzoek naar de auto-ongelukken in 2020-2021 en de "
        "coördinatieoverleggen met het ROC loopt nog."
    ]


def test_word_hyphenated_across_a_page_break_is_completed_on_the_first_page(
    proj: Project, tmp_path: Path
) -> None:
    from reportlab.pdfgen import canvas

    first = ["Op de laatste bladzijde staat de", "afspraak over de samenwer-"]
    second = ["king met het bedrijfsleven in de regio.", "Daarna volgt de begroting."]
    path = tmp_path / "over-de-grens.pdf"
    c = canvas.Canvas(str(path))
    for page, lines in enumerate((first, second), start=1):
        c.setFont("Courier", 11)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 14 * i, line)
        c.setFont("Helvetica", 9)
        c.drawCentredString(297, 30, f"Pagina {page} van 2")
        c.showPage()
    c.save()
    blocks = [(b.page, b.text) for b in read(path).blocks]
    assert blocks == [
        (1, "Op de laatste bladzijde staat de afspraak over de samenwerking"),
        (2, "met het bedrijfsleven in de regio. Daarna volgt de begroting."),
    ]
    outcome = import_file(proj, path, DocumentMeta(case="X", kind="progress_report"))
    pages = check_pages_tile(proj, outcome.document_id, 2)
    assert pages[0].startswith("Op de laatste") and pages[1].startswith("met het bedrijfsleven")


def _justify(line: str, width: int) -> str:
    """Spread the words of a Courier line to exactly ``width`` characters."""
    parts = line.split(" ")
    gaps = len(parts) - 1
    extra = width - len(line)
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += " " * (1 + extra // gaps + (1 if i < extra % gaps else 0)) + part
    return out


def test_two_columns_read_column_by_column(proj: Project, tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph

    texts = [sentences(100 + k, 5) for k in range(12)]
    path = tmp_path / "kolommen.pdf"
    platypus(path, [Paragraph(t, body_style(10)) for t in texts], columns=2)
    result = read(path)
    assert result.n_pages >= 1
    got = " ".join(b.text for b in result.blocks)
    assert words(got) == words(" ".join(texts))
    # paragraph boundaries survive, apart from the paragraphs that run on into the next column
    # or page, which are split there
    assert sum(b.text in texts for b in result.blocks) >= len(texts) - 2 * result.n_pages
    imported = import_file(proj, path, DocumentMeta(case="X", kind="plan"))
    check_pages_tile(proj, imported.document_id, result.n_pages)


def test_headings_by_font_size(proj: Project, tmp_path: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=18, leading=22, spaceAfter=10)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=8)
    story = [Paragraph("Voortgang Zeewolde", h1), Paragraph("Samenvatting", h2)]
    story += [Paragraph(sentences(k, 4), body_style()) for k in range(3)]
    story += [Paragraph("Begroting", h2), Paragraph(sentences(9, 3), body_style())]
    path = tmp_path / "koppen.pdf"
    platypus(path, story)
    heads = [(b.text, b.level) for b in read(path).blocks if b.kind == "heading"]
    assert heads == [("Voortgang Zeewolde", 1), ("Samenvatting", 2), ("Begroting", 2)]
    outcome = import_file(proj, path, DocumentMeta(case="Zeewolde", kind="progress_report"))
    labels = [s["label"] for s in segments_of(proj, outcome.document_id, "section")]
    assert labels == ["Voortgang Zeewolde", "Samenvatting", "Begroting"]


def test_transcript_with_line_numbers_keeps_speaker_turns(proj: Project, tmp_path: Path) -> None:
    """Hearing transcripts number every line in the margin and start a turn with NAME:."""
    from reportlab.pdfgen import canvas

    lines = [
        "      JUSTICE ADAMS: Ms. Jansen, can the region keep the",
        "  workshop open once the grant has ended?",
        "      MS. JANSEN: Yes, Justice Adams. The municipality",
        "  has promised to pay the rent for two more years,",
        "  and the schools share the cost of the teachers.",
        "      JUSTICE BAKKER: And who decides which school",
        "  offers which profile?",
        "      MS. JANSEN: The steering group does, once a year.",
        "      JUSTICE ADAMS: Thank you.",
    ]
    path = tmp_path / "hearing.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Courier", 12)
    c.drawString(200, 790, "Official - Subject to Final Review")
    y = 740
    for n, line in enumerate(lines, start=1):
        c.drawRightString(90, y, str(n))
        c.drawString(100, y, line)
        y -= 26
    c.drawCentredString(300, 60, "3")
    c.save()

    paragraphs = [b.text for b in read(path).blocks]
    assert paragraphs == [
        "Official - Subject to Final Review",
        "JUSTICE ADAMS: Ms. Jansen, can the region keep the workshop open once the grant has ended?",
        "MS. JANSEN: Yes, Justice Adams. The municipality has promised to pay the rent for two more "
        "years, and the schools share the cost of the teachers.",
        "JUSTICE BAKKER: And who decides which school offers which profile?",
        "MS. JANSEN: The steering group does, once a year.",
        "JUSTICE ADAMS: Thank you.",
    ]
    outcome = import_file(proj, path, DocumentMeta(case="X", kind="interview"))
    turns = [t["label"] for t in segments_of(proj, outcome.document_id, "turn")]
    assert turns == ["JUSTICE ADAMS", "MS. JANSEN", "JUSTICE BAKKER", "MS. JANSEN", "JUSTICE ADAMS"]


def shapes_only(path: Path, pages: int, text_on: tuple[int, ...] = ()) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for page in range(1, pages + 1):
        c.rect(100, 400, 300, 200, fill=1)
        c.circle(300, 300, 50)
        c.line(50, 50, 500, 700)
        if page in text_on:
            c.setFont("Helvetica", 11)
            c.drawString(72, 760, sentences(page, 2)[:90])
            c.drawString(72, 745, sentences(page + 50, 2)[:90])
        c.showPage()
    c.save()


def test_pdf_without_text_layer_is_refused(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    shapes_only(path, 3)
    with pytest.raises(ImportFailed) as info:
        import_file(proj, path, DocumentMeta(case="X", kind="progress_report"))
    assert info.value.reason == "no text layer on pages 1–3: run OCR first"
    assert count_rows(proj) == (0, 0, 0)


def test_scanned_image_page_is_refused_and_partial_pages_warned(
    proj: Project, tmp_path: Path
) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (300, 420), 255)
    ImageDraw.Draw(img).rectangle((40, 40, 260, 120), fill=0)
    scan = tmp_path / "scan-met-datum.pdf"
    c = canvas.Canvas(str(scan))
    c.drawImage(ImageReader(img), 0, 0, 595, 842)
    c.setFont("Helvetica", 9)
    c.drawString(400, 100, "2021 3 31")  # a stamped date is all the text there is
    c.save()
    with pytest.raises(ImportFailed) as info:
        import_file(proj, scan, DocumentMeta(case="X", kind="progress_report"))
    assert info.value.reason == "no text layer on page 1: run OCR first"

    stamped = tmp_path / "met-scan.pdf"
    c = canvas.Canvas(str(stamped))
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, sentences(1, 1))
    c.showPage()
    c.drawImage(ImageReader(img), 0, 0, 595, 842)
    c.setFont("Helvetica", 9)
    c.drawString(400, 100, "Gezien 12-4")
    c.showPage()
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, sentences(3, 1))
    c.save()
    result = read(stamped)
    assert [b.page for b in result.blocks] == [1, 2, 3] and result.blocks[1].text == "Gezien 12-4"
    assert result.warnings == [
        "page 2 is mostly a scanned image with little text; run OCR if text is missing"
    ]

    mixed = tmp_path / "deels.pdf"
    shapes_only(mixed, 4, text_on=(1, 3))
    result = read(mixed)
    assert {b.page for b in result.blocks} == {1, 3}
    assert result.warnings == [
        "no text layer on pages 2, 4 (scanned?); run OCR to include that text"
    ]
    outcome = import_file(proj, mixed, DocumentMeta(case="X", kind="progress_report"))
    check_pages_tile(proj, outcome.document_id, 4)
    assert count_rows(proj)[0] == 1


def test_encrypted_damaged_and_fake_pdfs_are_refused(proj: Project, tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt="geheim")
    c.drawString(72, 760, "Vertrouwelijk verslag van de stuurgroep.")
    c.save()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + bytes(random.Random(3).randrange(256) for _ in range(4000)))
    fake = tmp_path / "notes.pdf"
    fake.write_text(
        "Dit is gewoon een tekstbestand met een verkeerde extensie.\n", encoding="utf-8"
    )
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    cases = {
        locked: "the PDF is password-protected; remove the password and import again",
        damaged: "the file is damaged or not a PDF; re-export or re-download it and import again",
        fake: "the file is damaged or not a PDF; re-export or re-download it and import again",
        empty: "the file is empty (0 bytes); nothing to import",
    }
    for path, reason in cases.items():
        with pytest.raises(ImportFailed) as info:
            import_file(proj, path, DocumentMeta(case="X", kind="progress_report"))
        assert info.value.reason == reason
        assert str(info.value) == f"{path}: {reason}"
    assert count_rows(proj) == (0, 0, 0)

    # an owner password only restricts editing: such a PDF opens and imports
    from reportlab.lib import pdfencrypt

    owner = tmp_path / "owner.pdf"
    c = canvas.Canvas(str(owner), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="x"))
    c.drawString(72, 760, "Alleen de eigenaar mag dit verslag wijzigen.")
    c.save()
    assert [b.text for b in read(owner).blocks] == ["Alleen de eigenaar mag dit verslag wijzigen."]


def test_truncated_pdf_is_refused_and_nothing_is_written(proj: Project, tmp_path: Path) -> None:
    """A PDF cut short (lost cross-reference table and trailer) is refused in one line, whole.

    The readers recover nothing from such a file, so importing what remains is
    not on offer; the refusal must name the file, say what to do, and leave
    the project as it was, ready for the intact file.
    """
    from reportlab.platypus import PageBreak, Paragraph

    path = tmp_path / "heel.pdf"
    platypus(
        path,
        [
            Paragraph(sentences(1, 6), body_style()),
            PageBreak(),
            Paragraph(sentences(2, 6), body_style()),
        ],
    )
    data = path.read_bytes()
    for share in (1 / 3, 2 / 3, 9 / 10):
        cut = tmp_path / f"afgebroken-{round(share * 100)}.pdf"
        cut.write_bytes(data[: int(len(data) * share)])
        with pytest.raises(ImportFailed) as caught:
            import_file(proj, cut, DocumentMeta(case="X", kind="plan"))
        message = str(caught.value)
        assert "\n" not in message and cut.name in message
        assert "damaged" in message and "again" in message
        assert count_rows(proj) == (0, 0, 0)
    outcome = import_file(proj, path, DocumentMeta(case="X", kind="plan"))
    assert outcome.status == "imported"
    check_pages_tile(proj, outcome.document_id, 2)


def test_rotated_text_page_reads_in_order(tmp_path: Path) -> None:
    """A page printed sideways: every line runs bottom to top, the next line to its right."""
    from reportlab.pdfgen import canvas

    text = sentences(7, 6)
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > 60:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    path = tmp_path / "gedraaid.pdf"
    c = canvas.Canvas(str(path))
    c.saveState()
    c.translate(150, 100)
    c.rotate(90)
    c.setFont("Courier", 11)
    for i, row in enumerate(lines):
        c.drawString(0, -i * 14, _justify(row, 60))
    c.drawString(0, -len(lines) * 14, line)
    c.restoreState()
    c.save()
    assert [b.text for b in read(path).blocks] == [text]


def test_table_detection_modes(tmp_path: Path) -> None:
    word365 = external(PDFS / "word365_structure.pdf")
    off = read_with(word365, "off")
    assert not any(b.kind == "table_row" for b in off.blocks)
    assert "Ligne 1 Alouette Farfadet" in full_text(off)  # the rows as plain lines
    assert [b.text for b in read_with(word365, "all").blocks] == [
        b.text for b in read(word365).blocks
    ]
    with pytest.raises(ValueError):
        PdfReader(tables="sometimes")


def read_with(path: Path, tables: str) -> ReadResult:
    return PdfReader(tables=tables).read(path)


def test_reader_is_registered_for_pdf() -> None:
    reader = reader_for(Path("verslag.PDF"))
    assert isinstance(reader, PdfReader) and reader.extensions == (".pdf",)
