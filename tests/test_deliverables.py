"""Issue 19: deliverables a team lead can send on — one language, no internal ids, clean tables,
right counts, pictures for A4, spreadsheets with number formats, files with the usual mode."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import shutil
import stat
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from casebook.cli import cli
from casebook.messages import MESSAGES, catalogue_words, format_money, format_percent, plural
from casebook.privacy.policy import PrivacyOptions
from casebook.privacy.pseudonymise import Pseudonymiser
from casebook.reports.case_report import CaseReportOptions, export_case_report
from casebook.reports.codebook_docx import write_codebook_docx
from casebook.reports.export import export_quotes
from casebook.reports.quotebank import QuoteOptions, QuoteQuery, mark_cuts
from casebook.store.project import Project
from casebook.writers.fit import fit_columns

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _deliverables(demo: Project, folder: Path, language: str = "nl") -> dict[str, Path]:
    out = {
        "bank": folder / f"bank-{language}.docx",
        "case": folder / f"case-{language}.docx",
        "codebook": folder / f"codebook-{language}.docx",
    }
    export_quotes(
        demo,
        out["bank"],
        QuoteQuery(),
        QuoteOptions(context=True, language=language),
        PrivacyOptions(persons=True, organisations=True, language=language),
    )
    export_case_report(
        demo,
        "Lindeveen",
        out["case"],
        CaseReportOptions(language=language),
        PrivacyOptions(persons=True, language=language),
    )
    write_codebook_docx(demo, out["codebook"], language=language)
    return out


def _template_text(path: Path) -> str:
    """What our templates wrote: everything but quotes, questions, memos and table cells of data."""
    doc = Document(str(path))
    skip = {"Quote", "Quote Context"}
    chunks = []
    for p in doc.paragraphs:
        if p.style.name in skip:
            continue
        runs = p.runs
        if len(runs) > 1 and runs[0].bold and runs[0].text.endswith(": "):
            chunks.append(runs[0].text)  # "Definitie: " — what follows is the codebook's own text
        elif p.style.name != "Normal" or not runs:
            chunks.append(p.text)
    for table in doc.tables:
        chunks += [c.text for c in table.rows[0].cells]  # headers
        chunks += [r.cells[0].text for r in table.rows[1:]]  # row labels
    return "\n".join(chunks)


def _visible_words(path: Path) -> Counter[str]:
    doc = Document(str(path))
    chunks = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            chunks += [c.text for c in row.cells]
    return Counter(w for chunk in chunks for w in WORD.findall(chunk))


def _table_words(path: Path) -> set[str]:
    doc = Document(str(path))
    return {
        w
        for t in doc.tables
        for r in t.rows
        for c in r.cells
        for w in WORD.findall(c.text)
        if len(w) >= 3
    }


def _pdf_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def test_word_deliverables_render_without_broken_words_or_code_ids(
    demo: Project, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed; install libreoffice-writer-nogui to render the PDFs"
        )
    files = _deliverables(demo, tmp_path)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, files.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    ids = [r["path"] for r in demo.query("SELECT path FROM codes")]
    for name, docx in files.items():
        pdf = tmp_path / "pdf" / (docx.stem + ".pdf")
        assert pdf.exists(), name
        text = _pdf_text(pdf)
        pdf_words = Counter(WORD.findall(text))
        docx_words = _visible_words(docx)
        # a word broken across two lines inside a table cell is missing from the PDF as a whole word
        broken = sorted(w for w in _table_words(docx) if pdf_words[w] < docx_words[w])
        assert broken == [], f"{name}: words broken in table cells: {broken[:10]}"
        # no code id in headings (nor anywhere a reader looks)
        for code_id in ids:
            if "." in code_id or "_" in code_id:
                assert code_id not in text, (name, code_id)
            assert f"({code_id})" not in text, (name, code_id)


def _english_only() -> set[str]:
    """Catalogue words that exist only in English: not Dutch template words, not Dutch words at all."""
    import spacy_lookups_data

    table = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
    lemmas = json.loads(gzip.open(table).read())
    dutch = {w.lower() for w in lemmas} | {w.lower() for w in lemmas.values()}
    return {
        w for w in catalogue_words("en") - catalogue_words("nl") if w not in dutch and len(w) > 2
    }


def test_dutch_deliverables_contain_no_english_template_words(
    demo: Project, tmp_path: Path
) -> None:
    english = _english_only()
    assert len(english) > 30 and {"region", "coded"} <= english
    files = _deliverables(demo, tmp_path)
    for name, path in files.items():
        words = {w.lower() for w in WORD.findall(_template_text(path))}
        assert not (words & english), (name, sorted(words & english))
    # and the English ones are English: the same check the other way round finds Dutch
    files_en = _deliverables(demo, tmp_path, "en")
    words = {w.lower() for w in WORD.findall(_template_text(files_en["case"]))}
    assert "kenmerken" not in words and "region" in words


def test_graph_drawing_speaks_the_language(demo: Project, tmp_path: Path) -> None:
    import matplotlib

    from casebook.core.cases import resolve_case
    from casebook.partners.draw import draw_graph
    from casebook.partners.graph import Filters, build_graph

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in the SVG
    try:
        case_id = resolve_case(demo, "Lindeveen")["id"]
        g = build_graph(demo, Filters(case_id=case_id, proposed=True))
        svgs = {}
        for lang in ("nl", "en"):
            out = tmp_path / f"g-{lang}.svg"
            draw_graph(g, out, language=lang, proposed=True)
            svgs[lang] = out.read_text(encoding="utf-8")
    finally:
        matplotlib.rcParams["svg.fonttype"] = "path"
    nl, en = svgs["nl"], svgs["en"]
    assert "Type organisatie" in nl and "vermelding" in nl and "voorgesteld" in nl
    for english in (
        "organisation type",
        "node size",
        "coded passage",
        "not in any coded collaboration",
        "mentions",
    ):
        assert english not in nl.lower()
    assert "Organisation type" in en and "proposed" in en
    # unlinked organisations are named in one line, not drawn as a grid of dots
    isolated = [v for v in g.nodes if g.degree(v) == 0]
    if isolated:
        assert re.search(r"\d+ organisaties? zonder voorgestelde samenwerking", nl)


def test_graph_command_language_and_proposal_hint(demo: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "g.png"
    res = runner.invoke(
        cli,
        [
            "--project",
            str(demo.path),
            "graph",
            "--case",
            "Ruwaard",
            "--out",
            str(out),
            "--language",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    assert out.exists() and out.stat().st_size > 1000
    if "0 links" in res.output:
        assert "--proposed" in res.output


def test_case_report_counts_and_quotes_once(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "case.docx"
    result = export_case_report(demo, "Lindeveen", out, CaseReportOptions(per_theme=3))
    doc = Document(str(out))
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    title_table = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert int(title_table["Aantal citaten"]) == len(quotes) == result.quotes
    assert len(quotes) == len(set(quotes)), "a key quote appears under two themes"
    # a quote cut inside a sentence says so
    for q in quotes:
        body = q.strip("“”")
        assert body[:1].isupper() or body.startswith("[") or body[:1].isdigit(), q
    props = doc.core_properties
    assert props.author == "STO demo" and props.title.startswith("Casusrapport")
    assert props.created.year >= 2025 and "python-docx" not in (props.comments or "")


def test_document_properties_are_the_projects(demo: Project, tmp_path: Path) -> None:
    import zipfile

    demo.set_meta("team", "Onderzoeksteam STO")
    files = _deliverables(demo, tmp_path)
    for path in files.values():
        props = Document(str(path)).core_properties
        assert props.author == "Onderzoeksteam STO", path.name
        assert props.title and props.created.year >= 2025
        assert props.comments != "generated by python-docx"
        app = zipfile.ZipFile(path).read("docProps/app.xml").decode()
        assert "<Application>casebook</Application>" in app and "Macintosh" not in app


def test_quote_cuts_are_marked() -> None:
    text = "We begonnen in 2021. En dat we een duidelijke visie hadden, hielp enorm. Daarna ging het snel."
    whole = "En dat we een duidelijke visie hadden, hielp enorm."
    start = text.index(whole)
    assert mark_cuts(whole, text, start, start + len(whole)) == whole
    inner = "dat we een duidelijke visie hadden"
    s = text.index(inner)
    assert mark_cuts(inner, text, s, s + len(inner)) == "[…] dat we een duidelijke visie hadden […]"


def test_code_role_grouping_uses_the_source_kind(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "roles.docx"
    export_quotes(demo, out, QuoteQuery(), QuoteOptions(group_by="code-role"))
    groups = {p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 4"}
    assert "Voortgangsrapportage" in groups
    assert "(rol onbekend)" not in groups


def test_replacements_read_as_dutch() -> None:
    p = Pseudonymiser()
    p.add("organisation", "HVD", "[een brancheorganisatie]")
    p.add("organisation", "Gemeente Ruwaard", "[de gemeente]")
    out = p.replace("De HVD betaalt de helft. Wij spraken met de Gemeente Ruwaard.")
    assert out == "[Een brancheorganisatie] betaalt de helft. Wij spraken met [de gemeente]."


def test_export_does_not_write_to_the_project(demo: Project, tmp_path: Path) -> None:
    before = (
        demo.scalar("SELECT count(*) FROM persons"),
        demo.scalar("SELECT count(*) FROM audit_log"),
        demo.get_meta("persons.scanned_at"),
    )
    export_quotes(
        demo, tmp_path / "q.docx", QuoteQuery(), QuoteOptions(), PrivacyOptions(persons=True)
    )
    after = (
        demo.scalar("SELECT count(*) FROM persons"),
        demo.scalar("SELECT count(*) FROM audit_log"),
        demo.get_meta("persons.scanned_at"),
    )
    assert before == after


def test_counts_plurals_and_number_formats() -> None:
    assert (
        plural("nl", "codings_n", 1) == "1 codering"
        and plural("nl", "codings_n", 2) == "2 coderingen"
    )
    assert plural("nl", "regions_n", 1) == "1 regio" and plural("nl", "regions_n", 3) == "3 regio's"
    assert plural("en", "regions_n", 1) == "1 region"
    assert plural("nl", "documents_n", 1200) == "1.200 documenten"
    assert (
        format_money(3450000, "nl") == "€ 3.450.000" and format_money(3450000, "en") == "€3,450,000"
    )
    assert format_percent(99.5, "nl") == "99,5 %" and format_percent(14, "nl") == "14 %"
    assert set(MESSAGES["nl"]) == set(MESSAGES["en"])


def test_columns_fit_their_longest_word() -> None:
    rows = [
        ["Document", "Soort", "Ronde", "Rol", "Coderingen"],
        ["voortgangsrapportage 3", "voortgangsrapportage", "2021", "programmamanager", 34],
    ]
    fit = fit_columns(rows, 9070, bold_rows={0})
    from casebook.writers.fit import CELL_PADDING, text_width

    assert sum(fit.widths) <= 9070 and not fit.too_wide
    for j, (word, bold) in enumerate(
        [
            ("voortgangsrapportage", False),
            ("voortgangsrapportage", False),
            ("Ronde", True),
            ("programmamanager", False),
            ("Coderingen", True),
        ]
    ):
        assert fit.widths[j] >= text_width(word, fit.size, bold=bold) + CELL_PADDING - 1, word
    wide = [[f"kolomkop{i}" for i in range(30)], list(range(30))]
    assert fit_columns(wide, 9070).too_wide


def test_spreadsheets_have_headers_formats_and_print_settings(
    demo: Project, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "q.xlsx"
    export_quotes(demo, out, QuoteQuery(codes=["SAM"]), QuoteOptions())
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.title == "Citaten"
    header = [c.value for c in ws[1]]
    assert (
        "Citaat" in header
        and "Regio" in header
        and "code" not in header
        and "coding_ids" not in header
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1"
    ids = wb.worksheets[-1]
    assert "Coderings-id's" in [c.value for c in ids[1]]
    runner = CliRunner()
    m = tmp_path / "m.xlsx"
    res = runner.invoke(
        cli,
        [
            "--project",
            str(demo.path),
            "matrix",
            "--rows",
            "case",
            "--cols",
            "code",
            "--level",
            "1",
            "--xlsx",
            str(m),
        ],
    )
    assert res.exit_code == 0, res.output
    ws = load_workbook(m).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert any(c.number_format == "#,##0" for row in ws.iter_rows(min_row=2) for c in row)


def test_agreement_workbook_number_formats(demo: Project, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "agree.xlsx"
    res = CliRunner().invoke(
        cli, ["--project", str(demo.path), "agreement", "--xlsx", str(out), "--resamples", "50"]
    )
    assert res.exit_code == 0, res.output
    ws = load_workbook(out)["pooled"]
    header = [c.value for c in ws[1]]
    col = header.index("percent agreement") + 1
    assert ws.cell(row=2, column=col).number_format == "0.0%"
    assert ws.cell(row=2, column=header.index("Krippendorff's alpha") + 1).number_format == "0.000"
    assert ws.page_setup.fitToWidth == 1


def test_csv_takes_a_path_like_xlsx(demo: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "m.csv"
    res = runner.invoke(
        cli,
        [
            "--project",
            str(demo.path),
            "matrix",
            "--rows",
            "case",
            "--cols",
            "code",
            "--level",
            "1",
            "--csv",
            str(out),
            "--language",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][0] == "case" and len(rows) >= 4
    res = runner.invoke(
        cli,
        [
            "--project",
            str(demo.path),
            "matrix",
            "--rows",
            "case",
            "--cols",
            "code",
            "--level",
            "1",
            "--language",
            "en",
            "--csv",
        ],
    )
    assert res.exit_code == 0 and res.output.startswith("case,")
    seg = tmp_path / "s.csv"
    res = runner.invoke(
        cli, ["--project", str(demo.path), "segments", "--code", "SAM", "--csv", str(seg)]
    )
    assert res.exit_code == 0, res.output
    assert seg.exists() and len(seg.read_text(encoding="utf-8-sig").splitlines()) > 2


def test_shared_deliverables_have_the_usual_mode(demo: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    old = os.umask(0o022)
    try:
        for name in ("p.qdpx", "c.qdc"):
            res = runner.invoke(
                cli, ["--project", str(demo.path), "qdpx", "export", str(tmp_path / name)]
            )
            assert res.exit_code == 0, res.output
            mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
            assert mode == 0o644, (name, oct(mode))
    finally:
        os.umask(old)
