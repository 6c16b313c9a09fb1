"""Word, OpenDocument, caption and plain-text files through the full import pipeline.

Every check reads the text and segments back from the project database, so
the test covers reader, assembly, sentence splitting and storage together.
"""

from __future__ import annotations

import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from casebook.core.documents import DocumentMeta, document_text, import_file, segments_of
from casebook.errors import ImportFailed
from casebook.store.project import Project, open_project

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "external"
QUALCODER = EXTERNAL / "qualcoder-examples"


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    p = open_project(tmp_path / "p.db")
    yield p
    p.close()


@pytest.fixture
def qualcoder() -> Path:
    if not QUALCODER.is_dir():
        pytest.skip(f"real-world examples not present at {QUALCODER}")
    return QUALCODER


class Imported:
    def __init__(self, project: Project, doc_id: str) -> None:
        self.id = doc_id
        self.text = document_text(project, doc_id)
        self.segments = segments_of(project, doc_id)
        self.row = project.query_one("SELECT * FROM documents WHERE id = ?", (doc_id,))

    def of(self, kind: str) -> list[dict]:
        return [s for s in self.segments if s["kind"] == kind]

    def span(self, seg: dict) -> str:
        return self.text[seg["start"] : seg["end"]]

    def turns(self) -> list[tuple[str, str, str]]:
        return [(t["label"], t["speaker_kind"], self.span(t)) for t in self.of("turn")]

    def paragraphs(self) -> list[str]:
        return [self.span(s) for s in self.segments if s["kind"] in ("paragraph", "table_row")]


def run_import(project: Project, path: Path, interviewer: str | None = None) -> Imported:
    outcome = import_file(
        project, path, DocumentMeta(case="X", role="mbo", interviewer=interviewer)
    )
    assert outcome.status == "imported", outcome.message
    return Imported(project, outcome.document_id)


def n_documents(project: Project) -> int:
    return project.scalar("SELECT count(*) FROM documents")


def assert_refused(project: Project, path: Path, *words: str) -> str:
    with pytest.raises(ImportFailed) as err:
        import_file(project, path, DocumentMeta(case="X", role="mbo"))
    message = str(err.value)
    assert "\n" not in message
    assert "Traceback" not in message
    for word in words:
        assert word in message
    assert n_documents(project) == 0
    return message


# --- real files from QualCoder ----------------------------------------------------------


def test_qualcoder_transcript_id_tags(proj: Project, qualcoder: Path) -> None:
    path = qualcoder / "transcript.txt"
    expected = [
        (m.group(1), m.group(2).strip())
        for m in re.finditer(r"^\[(id\d+)\]\s*(.+)$", path.read_text(encoding="utf-8"), re.M)
    ]
    assert len(expected) >= 3
    doc = run_import(proj, path)
    turns = doc.turns()
    assert [t[0] for t in turns] == [label for label, _ in expected]
    assert [t[2] for t in turns] == [body for _, body in expected]
    assert "[id" not in doc.text
    assert {t[1] for t in turns} <= {"interviewer", "respondent"}


def test_qualcoder_word_document(proj: Project, qualcoder: Path) -> None:
    import docx

    path = qualcoder / "ID1.docx"
    expected = [
        " ".join(p.text.split()) for p in docx.Document(str(path)).paragraphs if p.text.strip()
    ]
    doc = run_import(proj, path)
    assert doc.paragraphs() == expected
    assert doc.text == "\n".join(expected)
    assert doc.row["format"] == "docx"
    assert doc.of("turn") == []
    assert "€200" in doc.text


def test_qualcoder_opendocument(proj: Project, qualcoder: Path) -> None:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import P

    path = qualcoder / "ID2.odt"
    paras = load(str(path)).getElementsByType(P)
    expected = [" ".join(teletype.extractText(p).split()) for p in paras]
    expected = [p for p in expected if p]
    doc = run_import(proj, path)
    assert doc.paragraphs() == expected
    assert doc.row["format"] == "odt"
    assert "€200.00" in doc.text
    sentences = doc.of("sentence")
    assert len(sentences) >= len(expected)


def test_qualcoder_notes(proj: Project, qualcoder: Path) -> None:
    path = qualcoder / "NOTES.txt"
    lines = [
        " ".join(line.split())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    doc = run_import(proj, path)
    assert doc.paragraphs() == lines
    assert doc.of("turn") == []


# --- plain text edge cases --------------------------------------------------------------

SHORT = (
    "I: Hoe is het café ‘quote’ – ë ontvangen?\n"
    "R: Goed. De leerlingen vonden het prachtig.\n"
    "\n"
    "Ze willen volgend jaar weer.\n"
    "I: En de docenten?\n"
    "R: Die zijn enthousiast.\n"
)


def _check_short(doc: Imported) -> None:
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert "café ‘quote’ – ë" in doc.text
    assert [(t[0], t[1]) for t in doc.turns()] == [
        ("I", "interviewer"),
        ("R", "respondent"),
        ("I", "interviewer"),
        ("R", "respondent"),
    ]
    assert (
        doc.turns()[1][2]
        == "Goed. De leerlingen vonden het prachtig.\nZe willen volgend jaar weer."
    )


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda s: s.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"), id="utf8-bom"),
        pytest.param(lambda s: s.replace("\n", "\r\n").encode("cp1252"), id="cp1252-crlf"),
        pytest.param(lambda s: s.encode("utf-16"), id="utf16-native-bom"),
        pytest.param(lambda s: b"\xff\xfe" + s.encode("utf-16-le"), id="utf16-le-bom"),
        pytest.param(lambda s: b"\xfe\xff" + s.encode("utf-16-be"), id="utf16-be-bom"),
    ],
)
def test_encodings_and_line_ends(proj: Project, tmp_path: Path, encode) -> None:
    path = tmp_path / "interview.txt"
    path.write_bytes(encode(SHORT))
    _check_short(run_import(proj, path))


def test_single_short_cp1252_line(proj: Project, tmp_path: Path) -> None:
    """Too little text for charset detection to be sure; Windows-1252 must win over UTF-16."""
    path = tmp_path / "kort.txt"
    path.write_bytes("café ‘quote’ – ë".encode("cp1252"))
    assert run_import(proj, path).text == "café ‘quote’ – ë"


def test_binary_named_txt_is_refused(proj: Project, tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "opname.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000)))
    assert_refused(proj, path, "not a text file")


def test_word_file_named_txt_is_refused(proj: Project, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "verslag.txt"
    d = docx.Document()
    d.add_paragraph("Een gewone alinea.")
    d.save(str(path))
    assert_refused(proj, path, "not a text file")


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n  \t\n"])
def test_empty_file_is_refused(proj: Project, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "leeg.txt"
    path.write_bytes(content)
    assert_refused(proj, path, "empty")


def test_empty_turns_are_dropped(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "gaten.txt"
    path.write_text(
        "I:\nR: Eerste antwoord.\nI:\n\nI: Tweede vraag?\nR:\nI: Derde vraag?\nR: Laatste antwoord.\nI:\n",
        encoding="utf-8",
    )
    doc = run_import(proj, path)
    assert [(t[0], t[2]) for t in doc.turns()] == [
        ("R", "Eerste antwoord."),
        ("I", "Tweede vraag?"),
        ("I", "Derde vraag?"),
        ("R", "Laatste antwoord."),
    ]
    assert all(t["end"] > t["start"] for t in doc.of("turn"))
    assert doc.text == "Eerste antwoord.\nTweede vraag?\nDerde vraag?\nLaatste antwoord."


_SUBJECTS = ["De school", "Onze regio", "Het ROC", "De gemeente", "Een docent", "De techniekcoach",
             "Het installatiebedrijf", "De stuurgroep", "Elke leerling", "De programmaleider"]  # fmt: skip
_VERBS = ["organiseert", "bespreekt", "verbetert", "financiert", "plant", "evalueert", "deelt",
          "ondersteunt", "onderzoekt", "versterkt"]  # fmt: skip
_OBJECTS = ["de doorlopende leerlijn", "een nieuw techlab", "stages bij bedrijven",
            "de samenwerking met het mbo", "gastlessen in het po", "de loopbaanoriëntatie",
            "hybride docenten", "open dagen voor ouders", "het keuzevak robotica", "de werkgroep"]  # fmt: skip
_ADVERBIALS = ["elk kwartaal", "sinds vorig jaar", "met veel enthousiasme", "ondanks de krapte",
               "samen met partners", "in de bovenbouw", "na de zomervakantie", "waar het kan",
               "op eigen initiatief", "zonder extra budget"]  # fmt: skip
_QUESTIONS = [
    "Hoe verloopt",
    "Wat vindt u van",
    "Waarom kiest u voor",
    "Wanneer start",
    "Wie betaalt",
]


def _long_transcript(rng: random.Random, n_words: int) -> tuple[str, list[tuple[str, int]]]:
    """A transcript of ``n_words`` words; returns it and (label, n_paragraphs) per turn."""
    lines: list[str] = []
    turns: list[tuple[str, int]] = []
    words = 0
    while words < n_words:
        question = f"{rng.choice(_QUESTIONS)} {rng.choice(_OBJECTS)}?"
        lines.append(f"{rng.choice(['I', 'Interviewer'])}: {question}")
        turns.append(("I", 1))
        words += len(question.split())
        n_paras = rng.randint(1, 3)
        for i in range(n_paras):
            para = " ".join(
                f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_ADVERBIALS)}."
                for _ in range(rng.randint(2, 6))
            )
            if i == 0:
                stamp = (
                    f"[{words // 9000:02d}:{(words // 150) % 60:02d}:{words % 60:02d}] "
                    if rng.random() < 0.3
                    else ""
                )
                para = f"{stamp}R: {para}"
            lines.append(para)
            words += len(para.split())
        turns.append(("R", n_paras))
    return "\n\n".join(lines) + "\n", turns


def test_long_transcript(proj: Project, tmp_path: Path) -> None:
    text, expected = _long_transcript(random.Random(11), 25_000)
    assert len(text.split()) >= 25_000
    path = tmp_path / "lang.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    doc = run_import(proj, path)
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"25,000 words took {elapsed:.1f}s"
    turns = doc.turns()
    labels = ["I" if t[0] in ("I", "Interviewer") else t[0] for t in turns]
    assert labels == [label for label, _ in expected]
    assert [t[2].count("\n") + 1 for t in turns] == [n for _, n in expected]
    assert {t[1] for t, (label, _) in zip(turns, expected, strict=True) if label == "I"} == {
        "interviewer"
    }
    assert {t[1] for t, (label, _) in zip(turns, expected, strict=True) if label == "R"} == {
        "respondent"
    }
    assert not re.search(r"^(?:I|R|Interviewer):", doc.text, re.M)
    assert "[00:" not in doc.text
    assert len(doc.of("sentence")) > 2000


# --- Word -------------------------------------------------------------------------------


def _bold_label(paragraph, label: str, rest: str, colon_in_bold: bool = True) -> None:
    run = paragraph.add_run(label + (":" if colon_in_bold else ""))
    run.bold = True
    paragraph.add_run(rest if colon_in_bold else ":" + rest)


def _fill_table(document, rows: list[tuple[str, ...]]):
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    return table


def _word_interview(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Interview regio Noord", level=1)
    d.add_paragraph("Gesprek met de programmaleider en een docent.")
    d.add_paragraph("")
    d.add_heading("Samenwerking", level=2)
    _bold_label(d.add_paragraph(), "Sanne", " Hoe verloopt de samenwerking met het ROC?")
    p = d.add_paragraph()
    _bold_label(p, "Piet (ROC Noord)", " Goed, we werken", colon_in_bold=False)
    p.runs[-1].add_break()
    p.add_run("veel samen met bedrijven.")
    d.add_paragraph("Vooral in de bouw.")
    d.add_paragraph("   ")
    _bold_label(d.add_paragraph(), "Sanne", " En het techlab?")
    d.add_heading("Techlab", level=2)
    _fill_table(
        d,
        [
            ("Sanne", "Wie gebruikt het techlab het meest?"),
            ("Piet (ROC Noord)", "Leerlingen uit de bovenbouw, twee middagen per week."),
            ("Sanne", "Komen er ook basisscholen?"),
            ("Piet (ROC Noord)", "Ja, op woensdag."),
        ],
    )
    d.add_heading("Partners", level=2)
    d.add_paragraph("Overzicht van de partners:")
    _fill_table(
        d, [("Partner", "Aantal", "Rol"), ("ROC", "2", "opleider"), ("Bedrijven", "14", "stages")]
    )
    d.add_heading("Afsluiting", level=1)
    d.add_paragraph("Conclusie: de regio is goed op weg.")
    d.save(str(path))


def test_word_interview(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "noord.docx"
    _word_interview(path)
    doc = run_import(proj, path, interviewer="Sanne de Wit")
    assert doc.paragraphs() == [
        "Interview regio Noord",
        "Gesprek met de programmaleider en een docent.",
        "Samenwerking",
        "Hoe verloopt de samenwerking met het ROC?",
        "Goed, we werken veel samen met bedrijven.",
        "Vooral in de bouw.",
        "En het techlab?",
        "Techlab",
        "Wie gebruikt het techlab het meest?",
        "Leerlingen uit de bovenbouw, twee middagen per week.",
        "Komen er ook basisscholen?",
        "Ja, op woensdag.",
        "Partners",
        "Overzicht van de partners:",
        "Partner | Aantal | Rol",
        "ROC | 2 | opleider",
        "Bedrijven | 14 | stages",
        "Afsluiting",
        "Conclusie: de regio is goed op weg.",
    ]
    sections = [(doc.span(s).split("\n")[0], s["level"]) for s in doc.of("section")]
    assert sections == [
        ("Interview regio Noord", 1),
        ("Samenwerking", 2),
        ("Techlab", 2),
        ("Partners", 2),
        ("Afsluiting", 1),
    ]
    partners = next(s for s in doc.of("section") if s["label"] == "Partners")
    assert doc.span(partners).endswith("Bedrijven | 14 | stages")
    assert [doc.span(r) for r in doc.of("table_row")] == [
        "Partner | Aantal | Rol",
        "ROC | 2 | opleider",
        "Bedrijven | 14 | stages",
    ]
    turns = [
        (t["label"], t["speaker_kind"], t["organisation"], doc.span(t)) for t in doc.of("turn")
    ]
    assert turns[:3] == [
        ("Sanne", "interviewer", None, "Hoe verloopt de samenwerking met het ROC?"),
        (
            "Piet",
            "respondent",
            "ROC Noord",
            "Goed, we werken veel samen met bedrijven.\nVooral in de bouw.",
        ),
        ("Sanne", "interviewer", None, "En het techlab?"),
    ]
    assert [(t[0], t[3]) for t in turns[3:7]] == [
        ("Sanne", "Wie gebruikt het techlab het meest?"),
        ("Piet", "Leerlingen uit de bovenbouw, twee middagen per week."),
        ("Sanne", "Komen er ook basisscholen?"),
        ("Piet", "Ja, op woensdag."),
    ]
    assert not any(t[3].startswith("Conclusie") for t in turns)
    assert "Sanne:" not in doc.text and "Piet (ROC Noord)" not in doc.text


def test_word_transcript_table_only(proj: Project, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Transcript focusgroep, 12 april")
    d.add_paragraph("Let op: namen zijn gefingeerd.")
    table = _fill_table(
        d,
        [
            ("Spreker", "Tekst"),
            ("Interviewer", "Welkom allemaal. Wat betekent STO voor jullie school?"),
            ("Docent A", "Vooral nieuwe machines in het praktijklokaal."),
            ("Docent B", "En meer contact met bedrijven uit de buurt."),
            ("Interviewer", "Wat ging er minder goed?"),
            ("Docent A", "De planning. Alles kwam tegelijk."),
        ],
    )
    cell = table.rows[3].cells[1]
    cell.add_paragraph("Een tweede alinea in dezelfde cel.")
    path = tmp_path / "focus.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    turns = doc.turns()
    assert [t[0] for t in turns] == [
        "Interviewer",
        "Docent A",
        "Docent B",
        "Interviewer",
        "Docent A",
    ]
    assert (
        turns[2][2]
        == "En meer contact met bedrijven uit de buurt.\nEen tweede alinea in dezelfde cel."
    )
    assert turns[0][1] == "interviewer"
    assert "Spreker | Tekst" not in doc.text
    assert doc.of("table_row") == []
    assert doc.paragraphs()[:2] == [
        "Transcript focusgroep, 12 april",
        "Let op: namen zijn gefingeerd.",
    ]


def test_word_reader_marks_speakers_only_for_table_transcripts(tmp_path: Path) -> None:
    import docx

    from casebook.importers.word import DocxReader

    rows = [
        ("I", "Hoe gaat het met het techlab?"),
        ("R", "Het draait volop, elke dag."),
        ("I", "Mooi zo."),
    ]
    only_table = docx.Document()
    only_table.add_paragraph("Inleiding zonder sprekers.")
    _fill_table(only_table, rows)
    only_table.save(str(tmp_path / "a.docx"))
    mixed = docx.Document()
    _fill_table(mixed, rows)
    mixed.add_paragraph("I: Nog een vraag buiten de tabel?")
    mixed.add_paragraph("R: Een antwoord buiten de tabel.")
    mixed.save(str(tmp_path / "b.docx"))
    assert DocxReader().read(tmp_path / "a.docx").speakers_marked is True
    assert DocxReader().read(tmp_path / "b.docx").speakers_marked is False


def test_word_mixed_table_and_text_labels(proj: Project, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    _fill_table(d, [("I", "Hoe gaat het met het techlab?"), ("R", "Het draait volop, elke dag.")])
    d.add_paragraph("I: Nog een vraag buiten de tabel?")
    d.add_paragraph("R: Een antwoord buiten de tabel.")
    path = tmp_path / "mix.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    assert [(t[0], t[2]) for t in doc.turns()] == [
        ("I", "Hoe gaat het met het techlab?"),
        ("R", "Het draait volop, elke dag."),
        ("I", "Nog een vraag buiten de tabel?"),
        ("R", "Een antwoord buiten de tabel."),
    ]


def test_word_outline_level_and_dutch_heading_styles(proj: Project, tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    kop = d.styles.add_style("Kop 2", WD_STYLE_TYPE.PARAGRAPH)
    kop.base_style = d.styles["Normal"]
    d.add_paragraph("Regiovisie", style=kop)
    p = d.add_paragraph("Hoofdstuk via overzichtsniveau")
    ppr = p._p.get_or_add_pPr()
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), "2")
    ppr.append(lvl)
    d.add_paragraph("Gewone tekst.")
    path = tmp_path / "kop.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    levels = {doc.span(s).split("\n")[0]: s["level"] for s in doc.of("section")}
    assert levels == {"Regiovisie": 2, "Hoofdstuk via overzichtsniveau": 3}


def test_word_tracked_changes_and_hyperlinks(proj: Project, tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = d.add_paragraph("Het plan ")
    p._p.append(
        parse_xml(
            f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t xml:space="preserve">is goedgekeurd</w:t></w:r></w:ins>'
        )
    )
    p._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>werd afgewezen</w:delText></w:r></w:del>'
        )
    )
    p._p.append(
        parse_xml(
            f'<w:hyperlink {w}><w:r><w:t xml:space="preserve"> door de regio.</w:t></w:r></w:hyperlink>'
        )
    )
    path = tmp_path / "wijzigingen.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    assert doc.text == "Het plan is goedgekeurd door de regio."


def test_word_not_a_zip(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_text("Dit is geen Word-bestand maar platte tekst.", encoding="utf-8")
    message = assert_refused(proj, path)
    assert message.endswith(
        "not a Word document (the file is damaged or not .docx); re-save it from Word"
    )


def test_word_damaged_inside(proj: Project, tmp_path: Path) -> None:
    good = tmp_path / "goed.docx"
    _word_interview(good)
    broken = tmp_path / "beschadigd.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    assert_refused(proj, broken, "not a Word document")


def test_word_truncated_file(proj: Project, tmp_path: Path) -> None:
    good = tmp_path / "goed.docx"
    _word_interview(good)
    cut = tmp_path / "afgebroken.docx"
    cut.write_bytes(good.read_bytes()[:2000])
    assert_refused(proj, cut, "not a Word document")


def test_old_doc_named_docx(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "oud.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert_refused(proj, path, ".doc", "save it as .docx")


def test_empty_word_document(proj: Project, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("   ")
    path = tmp_path / "leeg.docx"
    d.save(str(path))
    assert_refused(proj, path, "no text")


# --- OpenDocument -----------------------------------------------------------------------


def _odt_interview(path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, S, Span

    doc = OpenDocumentText()
    bold = Style(name="Vet", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    doc.text.addElement(H(outlinelevel=1, text="Gesprek regio Zuid"))
    p = P()
    p.addElement(Span(stylename=bold, text="Interviewer:"))
    p.addText(" Wat doet de regio aan techniek in het po?")
    doc.text.addElement(p)
    p = P()
    p.addElement(Span(stylename=bold, text="Karin"))
    p.addText(": We bouwen")
    p.addElement(LineBreak())
    p.addText("een mobiel")
    p.addElement(S(c=3))
    p.addText("techlab.")
    doc.text.addElement(p)
    doc.text.addElement(H(outlinelevel=2, text="Activiteiten"))
    items = List()
    for text in ("Gastlessen op basisscholen.", "Een zomerschool voor leerlingen."):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    doc.text.addElement(items)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for who, what in [
        ("Interviewer", "Hoeveel scholen doen mee?"),
        ("Karin", "Twaalf, en het worden er meer."),
    ]:
        row = TableRow()
        for value in (who, what):
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    data = Table()
    data.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in [("Jaar", "Leerlingen"), ("2021", "340"), ("2022", "410")]:
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        data.addElement(row)
    doc.text.addElement(data)
    doc.text.addElement(P(text=""))
    doc.text.addElement(P(text="Einde van het gesprek."))
    doc.save(str(path))


def test_opendocument_interview(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "zuid.odt"
    _odt_interview(path)
    doc = run_import(proj, path)
    assert doc.paragraphs() == [
        "Gesprek regio Zuid",
        "Wat doet de regio aan techniek in het po?",
        "We bouwen een mobiel techlab.",
        "Activiteiten",
        "Gastlessen op basisscholen.",
        "Een zomerschool voor leerlingen.",
        "Hoeveel scholen doen mee?",
        "Twaalf, en het worden er meer.",
        "Jaar | Leerlingen",
        "2021 | 340",
        "2022 | 410",
        "Einde van het gesprek.",
    ]
    assert [(s["label"], s["level"]) for s in doc.of("section")] == [
        ("Gesprek regio Zuid", 1),
        ("Activiteiten", 2),
    ]
    turns = doc.turns()
    assert [(t[0], t[1]) for t in turns] == [
        ("Interviewer", "interviewer"),
        ("Karin", "respondent"),
        ("Interviewer", "interviewer"),
        ("Karin", "respondent"),
    ]
    assert turns[1][2] == "We bouwen een mobiel techlab."
    assert turns[3][2].startswith("Twaalf, en het worden er meer.")
    assert len(doc.of("table_row")) == 3


def test_opendocument_damaged(proj: Project, tmp_path: Path) -> None:
    good = tmp_path / "goed.odt"
    _odt_interview(good)
    broken = tmp_path / "beschadigd.odt"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    assert_refused(proj, broken, "not an OpenDocument text")
    cut = tmp_path / "afgebroken.odt"
    cut.write_bytes(good.read_bytes()[:1500])
    assert_refused(proj, cut, "not an OpenDocument text")
    garbage = tmp_path / "tekst.odt"
    garbage.write_text("gewone tekst", encoding="utf-8")
    assert_refused(proj, garbage, "not an OpenDocument text")


def test_swapped_extensions_say_what_to_do(proj: Project, tmp_path: Path) -> None:
    word = tmp_path / "word.docx"
    _word_interview(word)
    as_odt = tmp_path / "eigenlijk-word.odt"
    as_odt.write_bytes(word.read_bytes())
    assert_refused(proj, as_odt, "rename it to .docx")
    odt = tmp_path / "odt.odt"
    _odt_interview(odt)
    as_docx = tmp_path / "eigenlijk-odt.docx"
    as_docx.write_bytes(odt.read_bytes())
    assert_refused(proj, as_docx, "rename it to .odt")


# --- captions ---------------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions
Language: nl

NOTE
Opgenomen in Teams. Deze notitie hoort niet in de tekst.

STYLE
::cue { color: yellow }

8d1c6a2e-1f0b-4c77-9b8e-3d2f0a1b2c3d/11-0
00:00:01.200 --> 00:00:03.900
<v Sanne de Wit>Goedemorgen, fijn dat je tijd hebt</v>

8d1c6a2e-1f0b-4c77-9b8e-3d2f0a1b2c3d/12-0
00:00:03.900 --> 00:00:06.000
<v Sanne de Wit>voor dit gesprek over het techlab.</v>

3
00:00:06.500 --> 00:00:09.000 align:start position:10%
<v.loud Piet Jansen>Graag. Het techlab draait <i>nu</i> &amp; <c.yellow>echt</c>.</v>

00:00:09.000 --> 00:00:12.250
<v Piet Jansen>Elke week komen er twee klassen.

00:00:12.250 --> 00:00:14.000
<v Sanne de Wit>Wie begeleidt ze?</v>
<v Piet Jansen>Een hybride docent.</v>
"""


def test_vtt_voices(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "teams.vtt"
    path.write_text(VTT, encoding="utf-8")
    doc = run_import(proj, path, interviewer="Sanne de Wit")
    turns = doc.of("turn")
    assert [(t["label"], t["speaker_kind"], t["time"]) for t in turns] == [
        ("Sanne de Wit", "interviewer", 1.2),
        ("Piet Jansen", "respondent", 6.5),
        ("Sanne de Wit", "interviewer", 12.25),
        ("Piet Jansen", "respondent", 12.25),
    ]
    assert [doc.span(t) for t in turns] == [
        "Goedemorgen, fijn dat je tijd hebt voor dit gesprek over het techlab.",
        "Graag. Het techlab draait nu & echt. Elke week komen er twee klassen.",
        "Wie begeleidt ze?",
        "Een hybride docent.",
    ]
    for unwanted in ("WEBVTT", "NOTE", "notitie", "cue", "-->", "8d1c6a2e", "<", "align:"):
        assert unwanted not in doc.text
    assert doc.row["format"] == "vtt"


def test_vtt_voice_interviewer_by_questions(proj: Project, tmp_path: Path) -> None:
    cues = [
        ("Anna", "Hoe begon het project?"),
        ("Bas", "Met een bijeenkomst op school."),
        ("Anna", "Wie waren erbij?"),
        ("Bas", "De directeur en twee bedrijven."),
    ]
    body = "".join(
        f"00:00:{10 * i:02d}.000 --> 00:00:{10 * i + 9:02d}.000\n<v {who}>{what}\n\n"
        for i, (who, what) in enumerate(cues)
    )
    path = tmp_path / "zoom.vtt"
    path.write_text("WEBVTT\n\n" + body, encoding="utf-8")
    doc = run_import(proj, path)
    assert [(t[0], t[1]) for t in doc.turns()] == [
        ("Anna", "interviewer"),
        ("Bas", "respondent"),
        ("Anna", "interviewer"),
        ("Bas", "respondent"),
    ]


def test_vtt_zoom_style_labels_without_voice_tags(proj: Project, tmp_path: Path) -> None:
    path = tmp_path / "zoom.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:02.000 --> 00:00:04.000\nEva Smit: Welkom bij dit gesprek.\n\n"
        "2\n00:00:04.000 --> 00:00:07.500\nEva Smit: Kun je iets vertellen over de regio?\n\n"
        "3\n00:00:08.000 --> 00:00:12.000\nTom Bakker: Zeker. We zijn met negen scholen.\n\n"
        "4\n00:00:12.000 --> 00:00:15.000\nen een stuk of twintig bedrijven.\n",
        encoding="utf-8",
    )
    doc = run_import(proj, path, interviewer="Eva Smit")
    turns = doc.of("turn")
    assert [(t["label"], t["speaker_kind"], t["time"], doc.span(t)) for t in turns] == [
        (
            "Eva Smit",
            "interviewer",
            2.0,
            "Welkom bij dit gesprek. Kun je iets vertellen over de regio?",
        ),
        (
            "Tom Bakker",
            "respondent",
            8.0,
            "Zeker. We zijn met negen scholen. en een stuk of twintig bedrijven.",
        ),
    ]


def test_srt(proj: Project, tmp_path: Path) -> None:
    srt = (
        "1\r\n00:00:01,000 --> 00:00:03,000\r\nI: Hoe kijkt u <i>terug</i> op het jaar?\r\n\r\n"
        "2\r\n00:00:03,500 --> 00:00:06,000\r\nR: Positief. We hebben\r\nveel bereikt.\r\n\r\n"
        '3\r\n00:00:06,000 --> 00:00:09,000\r\n{\\an8}Vooral met de <font color="#ffff00">bedrijven</font>.\r\n\r\n'
        "4\r\n00:01:30,000 --> 00:01:33,000\r\nI: En volgend jaar?\r\n\r\n"
        "5\r\n00:01:33,000 --> 00:01:36,000\r\nR: Doorgaan, met meer scholen.\r\n"
    )
    path = tmp_path / "opname.srt"
    path.write_bytes(srt.encode("utf-8"))
    doc = run_import(proj, path)
    turns = doc.of("turn")
    assert [(t["label"], t["speaker_kind"], t["time"], doc.span(t)) for t in turns] == [
        ("I", "interviewer", 1.0, "Hoe kijkt u terug op het jaar?"),
        ("R", "respondent", 3.5, "Positief. We hebben veel bereikt. Vooral met de bedrijven."),
        ("I", "interviewer", 90.0, "En volgend jaar?"),
        ("R", "respondent", 93.0, "Doorgaan, met meer scholen."),
    ]
    assert doc.row["format"] == "srt"
    assert "-->" not in doc.text and "<" not in doc.text and "{" not in doc.text


def test_srt_long_monologue_splits_into_paragraphs_of_one_turn(
    proj: Project, tmp_path: Path
) -> None:
    rng = random.Random(5)
    cues = []
    for i in range(60):
        sentence = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_ADVERBIALS)}."
        label = "Respondent: " if i == 0 else ""
        cues.append(
            f"{i + 1}\n00:{i // 20:02d}:{(i * 3) % 60:02d},000 --> 00:{i // 20:02d}:{(i * 3) % 60 + 2:02d},500\n{label}{sentence}\n"
        )
    path = tmp_path / "monoloog.srt"
    path.write_text("\n".join(cues), encoding="utf-8")
    doc = run_import(proj, path)
    turns = doc.of("turn")
    assert len(turns) == 1 and turns[0]["label"] == "Respondent"
    paragraphs = doc.of("paragraph")
    assert len(paragraphs) > 1
    assert turns[0]["start"] == paragraphs[0]["start"] and turns[0]["end"] == paragraphs[-1]["end"]
    assert all(doc.span(p).endswith(".") for p in paragraphs)


@pytest.mark.parametrize(
    ("name", "content"), [("leeg.vtt", "WEBVTT\n\n"), ("geen.srt", "alleen wat tekst\n")]
)
def test_captions_without_cues_are_refused(
    proj: Project, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert_refused(proj, path, "no subtitle cues")


def test_word_transcript_table_with_time_column_and_merged_speaker(
    proj: Project, tmp_path: Path
) -> None:
    import docx

    d = docx.Document()
    table = _fill_table(
        d,
        [
            ("00:00:05", "Interviewer", "Zullen we beginnen?"),
            ("00:00:09", "Respondent", "Ja, prima."),
            ("00:00:15", "", "Ik heb wel weinig tijd."),
            ("00:01:02", "Interviewer", "Dan houden we het kort."),
        ],
    )
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(1, 1).text = "Respondent"
    path = tmp_path / "tijden.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    assert [(t["label"], t["time"], doc.span(t)) for t in doc.of("turn")] == [
        ("Interviewer", 5.0, "Zullen we beginnen?"),
        ("Respondent", 9.0, "Ja, prima.\nIk heb wel weinig tijd."),
        ("Interviewer", 62.0, "Dan houden we het kort."),
    ]
    assert "00:0" not in doc.text


def test_word_text_box_and_nested_table(proj: Project, tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>Tekst in een kader.</w:t></w:r></w:p></w:txbxContent>"
    d = docx.Document()
    p = d.add_paragraph("Alinea met een kader.")
    p._p.append(
        parse_xml(
            f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
            f"<a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
            f"</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}"
            "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    d.add_paragraph("Volgende alinea.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Regio"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Noord"
    inner.cell(0, 1).text = "Zuid"
    path = tmp_path / "kader.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    assert doc.paragraphs() == [
        "Alinea met een kader.",
        "Tekst in een kader.",
        "Volgende alinea.",
        "Regio | Noord | Zuid",
    ]


def test_opendocument_tracked_changes_and_notes(proj: Project, tmp_path: Path) -> None:
    from odf.element import Element
    from odf.namespaces import TEXTNS
    from odf.opendocument import OpenDocumentText
    from odf.text import Note, NoteBody, NoteCitation, P, Section, TrackedChanges

    doc = OpenDocumentText()
    changes = TrackedChanges()
    region = Element(qname=(TEXTNS, "changed-region"), check_grammar=False)
    deletion = Element(qname=(TEXTNS, "deletion"), check_grammar=False)
    deletion.addElement(P(text="Verwijderde zin die niet mag meetellen."))
    region.addElement(deletion)
    changes.addElement(region)
    doc.text.addElement(changes)
    section = Section(name="Deel1")
    p = P(text="De regio groeit")
    note = Note(noteclass="footnote", id="n1")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Bron: jaarverslag."))
    note.addElement(body)
    p.addElement(note)
    p.addText(" snel.")
    section.addElement(p)
    doc.text.addElement(section)
    path = tmp_path / "wijzigingen.odt"
    doc.save(str(path))
    imported = run_import(proj, path)
    assert imported.text == "De regio groeit snel."


def test_vtt_with_bom_and_crlf_reads_the_same(proj: Project, tmp_path: Path) -> None:
    from casebook.importers.captions import VttReader

    plain = tmp_path / "a.vtt"
    plain.write_text(VTT, encoding="utf-8")
    windows = tmp_path / "b.vtt"
    windows.write_bytes(b"\xef\xbb\xbf" + VTT.replace("\n", "\r\n").encode("utf-8"))
    first, second = VttReader().read(plain), VttReader().read(windows)
    assert first.speakers_marked and second.speakers_marked
    assert [(b.speaker, b.time, b.text) for b in first.blocks] == [
        (b.speaker, b.time, b.text) for b in second.blocks
    ]
    assert len(first.blocks) == 4


def test_srt_without_labels_is_not_marked(tmp_path: Path) -> None:
    from casebook.importers.captions import SrtReader

    path = tmp_path / "film.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nEen zin die doorloopt\n\n"
        "2\n00:00:02,000 --> 00:00:04,000\nover twee ondertitels.\n\n"
        "3\n00:00:30,000 --> 00:00:32,000\nNa een lange stilte.\n",
        encoding="utf-8",
    )
    result = SrtReader().read(path)
    assert result.speakers_marked is False
    assert [(b.speaker, b.time, b.text) for b in result.blocks] == [
        (None, 1.0, "Een zin die doorloopt over twee ondertitels."),
        (None, 30.0, "Na een lange stilte."),
    ]


def test_word_bold_lead_ins_in_a_report_are_not_speakers(proj: Project, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Voortgang 2022", level=1)
    _bold_label(d.add_paragraph(), "Techlab Noord", " De bouw is gestart in maart.")
    _bold_label(d.add_paragraph(), "Techlab Zuid", " De vergunning is rond.")
    _bold_label(d.add_paragraph(), "Conclusie", " Beide locaties liggen op schema.")
    _bold_label(d.add_paragraph(), "Let op", " de subsidie loopt af.")
    path = tmp_path / "voortgang.docx"
    d.save(str(path))
    doc = run_import(proj, path)
    assert doc.of("turn") == []
    assert doc.paragraphs()[1:] == [
        "Techlab Noord: De bouw is gestart in maart.",
        "Techlab Zuid: De vergunning is rond.",
        "Conclusie: Beide locaties liggen op schema.",
        "Let op: de subsidie loopt af.",
    ]


def test_opendocument_transcript_table_with_spanned_cells(proj: Project, tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    def cell(text: str, **kw) -> TableCell:
        c = TableCell(**kw)
        c.addElement(P(text=text))
        return c

    doc = OpenDocumentText()
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    rows = [
        [cell("Interviewer"), cell("Wat levert de samenwerking op?")],
        [cell("Karin", numberrowsspanned=2), cell("Meer stageplekken in de regio.")],
        [CoveredTableCell(), cell("En docenten die weer in het bedrijf meedraaien.")],
        [cell("Pauze van vijf minuten.", numbercolumnsspanned=2), CoveredTableCell()],
        [cell("Interviewer"), cell("Wat kan er beter?")],
    ]
    for cells in rows:
        tr = TableRow()
        for c in cells:
            tr.addElement(c)
        table.addElement(tr)
    doc.text.addElement(table)
    path = tmp_path / "gespannen.odt"
    doc.save(str(path))
    imported = run_import(proj, path)
    assert [(t[0], t[2]) for t in imported.turns()] == [
        ("Interviewer", "Wat levert de samenwerking op?"),
        (
            "Karin",
            "Meer stageplekken in de regio.\nEn docenten die weer in het bedrijf meedraaien.\n"
            "Pauze van vijf minuten.",
        ),
        ("Interviewer", "Wat kan er beter?"),
    ]
