"""Quote banks in Word, XLSX and CSV, built from the demo project and read back as files."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from casebook.cli import cli
from casebook.errors import InvalidInput
from casebook.privacy.names import name_variants
from casebook.privacy.policy import PrivacyOptions
from casebook.reports.export import export_quotes
from casebook.reports.quotebank import QuoteOptions, QuoteQuery, build_quote_bank
from casebook.store.project import Project
from casebook.writers.wordml import document_text

HEADING = re.compile(r"^Heading (\d)$")


def _export(
    project: Project,
    out: Path,
    query: QuoteQuery | None = None,
    privacy: PrivacyOptions | None = None,
    **options: object,
):
    return export_quotes(project, out, query or QuoteQuery(), QuoteOptions(**options), privacy)


def _styled(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def _leaf_section_counts(paragraphs: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """For each heading followed by a count line: (heading, number on the line, quotes below it)."""
    out = []
    for i, (style, text) in enumerate(paragraphs):
        m = HEADING.match(style)
        if not m or i + 1 >= len(paragraphs) or paragraphs[i + 1][0] != "Quote Count":
            continue
        level = int(m.group(1))
        stated = int(
            re.match(r"(\d+) (?:citaat|citaten|quote|quotes)", paragraphs[i + 1][1]).group(1)
        )
        found = 0
        for style2, _ in paragraphs[i + 1 :]:
            m2 = HEADING.match(style2)
            if m2 and int(m2.group(1)) <= level:
                break
            if style2 in ("Title",) or style2.startswith("toc"):
                break
            found += style2 == "Quote"
        out.append((text, stated, found))
    return out


def test_word_structure_counts_and_attribution(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "bank.docx"
    result = _export(demo, out, QuoteQuery(merge="none"))
    n_codings = demo.scalar("SELECT count(*) FROM codings")
    assert result.quotes == n_codings
    doc = Document(str(out))
    paragraphs = _styled(doc)
    assert paragraphs[0][0] == "Title" and "Citatenbank" in paragraphs[0][1]
    quotes = [i for i, (s, _) in enumerate(paragraphs) if s == "Quote"]
    assert len(quotes) == n_codings
    # every quote is followed by its attribution line, by role, region and round
    for i in quotes:
        style, text = paragraphs[i + 1]
        assert style == "Quote Attribution"
        assert text.startswith("— ") and "regio " in text and "ronde 20" in text
    # heading 1 = the top-level codes that have quotes, in the codebook's order, then the overview
    tops = [
        r["label"] or r["path"]
        for r in demo.query(
            "SELECT DISTINCT t.path, t.label, t.sort_order FROM codings k JOIN codes c ON c.id = k.code_id"
            " JOIN codes t ON t.path = substr(c.path, 1, instr(c.path || '.', '.') - 1) ORDER BY t.sort_order"
        )
    ]
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    # headings show code labels, never ids (issue 19)
    assert h1[:-1] == tops
    assert not any(re.search(r"\([A-Z_.]+\)$", t) for s, t in paragraphs if s.startswith("Heading"))
    assert h1[-1].startswith("Overzicht")
    # each count line states the number of quotes in its section
    sections = _leaf_section_counts(paragraphs)
    assert len(sections) > 20
    for heading, stated, found in sections:
        assert stated == found, heading
    # table of contents field, and Word is asked to update it on open
    body = doc.element.body.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert doc.settings.element.find(qn("w:updateFields")) is not None
    toc_entries = [t for s, t in paragraphs if s.startswith("toc ")]
    assert toc_entries[: len(h1)] != [] and all(
        t in [p[1] for p in paragraphs] for t in toc_entries
    )
    # closing table: code × case counts that add up to the number of quotes
    table = doc.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Code" and header[-1] == "Totaal"
    cases = [r["name"] for r in demo.query("SELECT name FROM cases ORDER BY name")]
    assert header[1:-1] == [f"regio {c}" for c in cases]
    assert table.rows[-1].cells[-1].text == str(n_codings)
    body_total = sum(int(r.cells[-1].text) for r in table.rows[1:-1])
    assert body_total == n_codings


def test_attribution_of_a_known_quote(demo: Project, tmp_path: Path) -> None:
    row = demo.query_one(
        "SELECT k.quote FROM codings k JOIN documents d ON d.id = k.document_id"
        " WHERE d.name = 'LIN_2022_programmamanager.vtt' ORDER BY k.start LIMIT 1"
    )
    out = tmp_path / "bank.docx"
    _export(demo, out)
    paragraphs = _styled(Document(str(out)))
    first_words = " ".join(row["quote"].split())[:40]
    hits = [i for i, (s, t) in enumerate(paragraphs) if s == "Quote" and first_words in t]
    assert hits
    assert paragraphs[hits[0] + 1][1] == "— programmamanager, regio Lindeveen, ronde 2022"


def test_overlapping_codings_of_two_coders_become_one_quote(demo: Project, tmp_path: Path) -> None:
    query = QuoteQuery(codes=["SAM.VMBO_VMBO"], children=False)
    merged = build_quote_bank(demo, query).quotes
    separate = build_quote_bank(
        demo, QuoteQuery(codes=["SAM.VMBO_VMBO"], children=False, merge="none")
    ).quotes
    assert len(merged) < len(separate)
    both = [q for q in merged if len(q.coders) == 2]
    assert both
    q = both[0]
    text = demo.scalar("SELECT text FROM document_texts WHERE document_id = ?", (q.document_id,))
    assert q.text == " ".join(text[q.start : q.end].split())
    spans = sorted((q.document_id, q.start, q.end) for q in merged)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a[0] != b[0] or a[2] <= b[1]


def test_context_question_is_the_last_interviewer_turn(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "bank.docx"
    _export(demo, out, QuoteQuery(merge="none", kinds=["interview"]), context=True)
    paragraphs = _styled(Document(str(out)))
    questions = [t for s, t in paragraphs if s == "Quote Context"]
    assert questions and all(t.startswith("Vraag: ") for t in questions)
    # recompute one independently: quote turn -> the interviewer turn before it
    k = demo.query_one(
        "SELECT k.document_id, k.start, k.quote FROM codings k JOIN documents d ON d.id = k.document_id"
        " WHERE d.name = 'LIN_2022_programmamanager.vtt' ORDER BY k.start LIMIT 1"
    )
    turn = demo.query_one(
        "SELECT start, end FROM segments WHERE document_id = ? AND kind = 'turn' AND speaker_kind = 'interviewer'"
        " AND end <= ? ORDER BY start DESC LIMIT 1",
        (k["document_id"], k["start"]),
    )
    text = demo.scalar("SELECT text FROM document_texts WHERE document_id = ?", (k["document_id"],))
    question = " ".join(text[turn["start"] : turn["end"]].split())
    assert f"Vraag: {question}" in questions


def test_memos_as_word_comments_and_as_notes(demo: Project, tmp_path: Path) -> None:
    memos = demo.query(
        "SELECT k.memo, o.name FROM codings k JOIN coders o ON o.id = k.coder_id WHERE k.memo <> ''"
    )
    assert memos
    out = tmp_path / "comments.docx"
    _export(demo, out, QuoteQuery(merge="none"))
    doc = Document(str(out))
    comments = list(doc.comments)
    assert len(comments) == len(memos)
    texts = "\n".join(c.text for c in comments)
    for m in memos:
        assert m["memo"] in texts
    assert {c.author for c in comments} <= {m["name"] for m in memos}
    # Each comment is anchored on a quote in the body (the body is written as
    # text; only the commented paragraphs pass through python-docx).
    body = doc.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        ids = sorted(int(el.get(w + "id")) for el in body.iter(w + tag))
        assert ids == sorted(c.comment_id for c in comments), tag
    for start in body.iter(w + "commentRangeStart"):
        assert start.getparent().style == "Quote"
    out2 = tmp_path / "notes.docx"
    _export(demo, out2, QuoteQuery(merge="none"), memos="notes")
    doc2 = Document(str(out2))
    paragraphs = _styled(doc2)
    assert ("Heading 1", "Notities bij citaten") in paragraphs
    notes = [t for s, t in paragraphs if s == "Memo Note"]
    assert len(notes) == len(memos)
    marked = [
        p
        for p in doc2.paragraphs
        if p.style.name == "Quote" and any(r.font.superscript for r in p.runs)
    ]
    assert len(marked) == len(memos)


def test_groupings(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "by-case.docx"
    _export(demo, out, group_by="case-code")
    h1 = [t for s, t in _styled(Document(str(out))) if s == "Heading 1"]
    assert h1 == [
        "Regio Duinmond",
        "Regio Lindeveen",
        "Regio Ruwaard",
        "Overzicht: citaten per code en regio",
    ]
    out = tmp_path / "by-role.docx"
    _export(demo, out, QuoteQuery(codes=["SAM"]), group_by="code-role")
    h4 = {t for s, t in _styled(Document(str(out))) if s == "Heading 4"}
    roles = {
        r["role"] for r in demo.query("SELECT DISTINCT role FROM documents WHERE role IS NOT NULL")
    }
    assert h4 and {t.lower() for t in h4} <= {r.lower() for r in roles} | {
        "(rol onbekend)",
        "interviewer",
    }


def test_english_and_attribution_fields(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "en.docx"
    _export(
        demo,
        out,
        QuoteQuery(cases=["Lindeveen"], roles=["programmamanager"], rounds=["2022"]),
        language="en",
        fields=("role", "case", "round", "kind"),
    )
    paragraphs = _styled(Document(str(out)))
    attributions = {t for s, t in paragraphs if s == "Quote Attribution"}
    assert attributions == {"— programme manager, region Lindeveen, round 2022, interview"}
    assert ("TOC Heading", "Contents") in paragraphs


def test_filters_and_lengths(demo: Project, tmp_path: Path) -> None:
    bank = build_quote_bank(demo, QuoteQuery(roles=["mbo"], min_length=60, max_length=160))
    assert bank.quotes
    assert all(60 <= len(q.text) <= 160 for q in bank.quotes)
    assert all(q.attribution.startswith("— mbo,") for q in bank.quotes)
    only = build_quote_bank(demo, QuoteQuery(codes=["BEL"], children=False, merge="none")).quotes
    assert len(only) == demo.scalar(
        "SELECT count(*) FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path = 'BEL'"
    )
    with_children = build_quote_bank(demo, QuoteQuery(codes=["BEL"], merge="none")).quotes
    assert len(with_children) == demo.scalar(
        "SELECT count(*) FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path LIKE 'BEL.%' OR c.path = 'BEL'"
    )


def test_pseudonymised_word_export_leaves_no_registered_name(demo: Project, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "private.docx"
    result = _export(
        demo,
        out,
        QuoteQuery(merge="none"),
        PrivacyOptions(persons=True, cases=True, organisations=True),
        context=True,
    )
    assert result.key is not None and result.key.exists() and result.key.parent != out_dir
    text = document_text(out)
    # the export scanned for persons without writing to the project; the explicit scan records them
    assert demo.scalar("SELECT count(*) FROM persons") == 0
    from casebook.privacy.registry import scan_persons

    scan_persons(demo)
    persons = demo.query(
        "SELECT p.name FROM persons p WHERE p.status <> 'rejected'"
        " UNION SELECT a.alias FROM person_aliases a JOIN persons p ON p.id = a.person_id WHERE p.status <> 'rejected'"
    )
    assert len(persons) > 10
    for row in persons:
        for v in name_variants(row["name"]) | {row["name"]}:
            if len(v) >= 3:
                assert not re.search(rf"(?<![\w-]){re.escape(v)}(?![\w])", text), v
    for case in ("Lindeveen", "Duinmond", "Ruwaard"):
        assert case not in text
    for org in demo.query("SELECT name FROM organisations"):
        assert org["name"] not in text
    assert "[programmamanager]" in text.lower() or "[Programmamanager]" in text
    assert "regio A" in text and "[een mbo-instelling]" in text.lower()
    key = list(csv.DictReader(result.key.open(encoding="utf-8")))
    by_name = {r["original"]: r for r in key}
    assert by_name["Marloes Hendriks"]["replacement"] == "[programmamanager]"
    assert by_name["Lindeveen"]["replacement"] == "[regio B]"
    assert result.leftovers == []


def test_leftover_names_are_reported_and_strict_fails(demo: Project, tmp_path: Path) -> None:
    k = demo.query_one("SELECT id FROM codings ORDER BY id LIMIT 1")
    with demo.transaction():
        demo.conn.execute(
            "UPDATE codings SET memo = 'navragen bij Gerrit Wolthuis' WHERE id = ?", (k["id"],)
        )
    out = tmp_path / "bank.docx"
    result = _export(demo, out, QuoteQuery(merge="none"), PrivacyOptions(persons=True))
    assert "Gerrit Wolthuis" in result.leftovers
    assert out.exists()
    with pytest.raises(Exception, match="Gerrit Wolthuis") as info:
        export_quotes(
            demo,
            out,
            QuoteQuery(merge="none"),
            QuoteOptions(),
            PrivacyOptions(persons=True),
            strict=True,
        )
    assert type(info.value).__name__ == "NamesLeft"
    assert not out.exists()
    runner = CliRunner()
    res = runner.invoke(
        cli, ["--project", str(demo.path), "persons", "add", "Gerrit Wolthuis", "--role", "docent"]
    )
    assert res.exit_code == 0, res.output
    result = _export(demo, out, QuoteQuery(merge="none"), PrivacyOptions(persons=True))
    assert result.leftovers == []
    assert "[docent]" in document_text(out)


def test_xlsx_and_csv_rows(demo: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    n = demo.scalar(
        "SELECT count(*) FROM codings k JOIN codes c ON c.id = k.code_id WHERE c.path LIKE 'SAM%'"
    )
    out = tmp_path / "sam.csv"
    _export(demo, out, QuoteQuery(codes=["SAM"], merge="none"))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == n
    # headers in the export's language (Dutch by default; issue 19)
    assert all(
        r["Code-id"].startswith("SAM") and r["Code"].count(" / ") >= 1 and r["Bronvermelding"]
        for r in rows
    )
    assert any(r["Respondent"].startswith("r:") for r in rows)
    out = tmp_path / "sam.xlsx"
    _export(
        demo, out, QuoteQuery(codes=["SAM"], merge="none"), PrivacyOptions(persons=True, cases=True)
    )
    wb = load_workbook(out, read_only=True)
    values = list(wb.worksheets[0].iter_rows(values_only=True))
    assert values[0][:2] == ("Code", "Regio") and len(values) == n + 1
    header = list(values[0])
    assert {row[header.index("Regio")] for row in values[1:]} <= {"regio A", "regio B", "regio C"}
    assert all("LIN_" not in str(row[header.index("Document")]) for row in values[1:])
    # internal ids and respondent stand-ins only on the ids sheet
    ids = list(wb.worksheets[-1].iter_rows(values_only=True))
    assert "Respondent" not in header and "Respondent" in ids[0]
    assert all(str(row[ids[0].index("Respondent")] or "R").startswith("R") for row in ids[1:])


def test_bad_input_gives_one_line_errors(demo: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown export format"):
        _export(demo, tmp_path / "bank.pdf")
    with pytest.raises(InvalidInput, match="does not exist"):
        _export(demo, tmp_path / "nowhere" / "bank.docx")
    with pytest.raises(InvalidInput, match="more than --max-length"):
        _export(demo, tmp_path / "b.docx", QuoteQuery(min_length=50, max_length=10))
    with pytest.raises(InvalidInput, match="need at least one --code"):
        _export(demo, tmp_path / "b.docx", QuoteQuery(and_codes=["SAM"]))
    runner = CliRunner()
    base = ["--project", str(demo.path), "export", "quotes"]
    res = runner.invoke(cli, [*base, str(tmp_path / "b.docx"), "--attribution", "role,name"])
    assert res.exit_code == 2 and "unknown attribution field 'name'" in res.output
    assert len(res.output.strip().splitlines()) == 1
    res = runner.invoke(cli, [*base, str(tmp_path / "b.docx"), "--code", "NOPE"])
    assert res.exit_code != 0 and res.output.startswith("error: no code 'NOPE'")
    res = runner.invoke(
        cli, [*base, str(tmp_path / "b.docx"), "--code", "BEL", "--round", "2022", "--context"]
    )
    assert res.exit_code == 0 and "quotes" in res.output


def _pdf_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


@pytest.mark.slow
def test_libreoffice_renders_the_bank(demo: Project, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; the PDF rendering check needs it")
    out = tmp_path / "bank.docx"
    _export(
        demo,
        out,
        QuoteQuery(codes=["SAM"]),
        PrivacyOptions(persons=True, cases=True, organisations=True),
        context=True,
    )
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bank.pdf"
    assert pdf.exists()
    text = " ".join(_pdf_text(pdf).split())
    assert "Citatenbank — STO demo" in text
    assert "Inhoud" in text and "Samenwerking" in text and "(SAM)" not in text
    assert "Overzicht: citaten per code en regio" in text
    assert re.search(
        r"— (programmamanager|mbo|vmbo|bedrijfsleven|po|gemeente), regio [ABC], ronde 202[12]", text
    )
    for name in ("Marloes", "Hendriks", "Lindeveen", "Veenpoort", "Sanne"):
        assert name not in text


def test_wide_overview_table_goes_on_landscape_pages(
    demo: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx.enum.section import WD_ORIENT

    import casebook.reports.quotes_docx as quotes_docx

    out = tmp_path / "narrow.docx"
    _export(demo, out, QuoteQuery(codes=["SAM"]))
    assert len(Document(str(out)).sections) == 1
    monkeypatch.setattr(quotes_docx, "LANDSCAPE_COLUMNS", 3)
    out = tmp_path / "wide.docx"
    _export(demo, out, QuoteQuery(codes=["SAM"]))
    doc = Document(str(out))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert doc.sections[1].page_width > doc.sections[1].page_height
    # the overview table is in the landscape section: after the section break
    body = list(doc.element.body)
    breaks = [i for i, el in enumerate(body) if el.find(".//" + qn("w:sectPr")) is not None]
    table_at = body.index(doc.tables[-1]._tbl)
    assert breaks and table_at > breaks[0]
