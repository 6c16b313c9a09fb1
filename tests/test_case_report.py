"""Case reports and the codebook in Word, from the demo project."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from casebook.cli import cli
from casebook.errors import InvalidInput
from casebook.privacy.policy import PrivacyOptions
from casebook.reports.case_report import CaseReportOptions, export_case_report, pick_key_quotes
from casebook.reports.codebook_docx import write_codebook_docx
from casebook.reports.quotebank import Quote
from casebook.store.project import Project, open_project
from casebook.writers.wordml import document_text


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Project:
    (tmp_path / "p").mkdir()
    shutil.copy(demo_db, tmp_path / "p" / "casebook.db")
    p = open_project(tmp_path / "p" / "casebook.db", create=False, coder="tester")
    from casebook.synthesis.framework import delete_framework, list_frameworks

    for fw in list_frameworks(
        p
    ):  # these tests build their own framework (the demo's has its own test)
        delete_framework(p, fw["id"])
    yield p
    p.close()


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(str(path)).paragraphs]


def test_case_report_sections_without_framework(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "lindeveen.docx"
    result = export_case_report(demo, "Lindeveen", out, CaseReportOptions(per_theme=2))
    doc = Document(str(out))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("Title", "Casusrapport — regio Lindeveen")
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    # no framework yet: the section is left out, and no page tells the reader to run a command
    assert h1 == ["Kenmerken", "Samenwerkingsnetwerk", "Kerncitaten per thema"]
    assert not any("casebook " in t for _, t in paragraphs)
    # the attribute table holds the case's attributes, labelled and formatted as their definitions say
    table = doc.tables[1]
    shown = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    n_attrs = demo.scalar(
        "SELECT count(*) FROM case_attributes ca JOIN cases c ON c.id = ca.case_id WHERE c.name = 'Lindeveen'"
    )
    assert len(shown) == n_attrs
    assert shown["Subsidie"] == "€ 3.450.000" and shown["Cofinanciering"] == "14 %"
    assert "cofinanciering_pct" not in shown and "regio_type" not in shown
    # the network picture is there when the partner registry is
    assert len(doc.inline_shapes) == 1
    # key quotes: at most two per theme, each attributed by role and round
    quotes = [i for i, (s, _) in enumerate(paragraphs) if s == "Quote"]
    assert quotes and result.quotes == len(quotes)
    for i in quotes:
        assert paragraphs[i + 1][0] == "Quote Attribution"
        assert re.match(r"— [\w -]+, ronde 202[12]$", paragraphs[i + 1][1])
    k = paragraphs.index(("Heading 1", "Kerncitaten per thema"))
    sections = [j for j, (s, _) in enumerate(paragraphs) if s == "Heading 2" and j > k]
    for a, b in zip(sections, [*sections[1:], len(paragraphs)], strict=True):
        assert 1 <= sum(1 for s, _ in paragraphs[a:b] if s == "Quote") <= 2


def test_case_report_with_framework_row(demo: Project, tmp_path: Path) -> None:
    from casebook.synthesis.framework import create_framework, edit_cell

    create_framework(demo, "Samenwerking", ["SAM", "BEL"])
    edit_cell(
        demo,
        "Samenwerking",
        "Lindeveen",
        "SAM",
        summary="Sterke band tussen vmbo en mbo; Marloes Hendriks trekt.",
    )
    out = tmp_path / "lin.docx"
    export_case_report(demo, "Lindeveen", out, CaseReportOptions())
    doc = Document(str(out))
    rows = [[c.text for c in r.cells] for r in doc.tables[3].rows]
    assert rows[0] == ["Thema", "Samenvatting", "Passages"]
    themes = {r[0]: r for r in rows[1:]}
    assert "Sterke band" in next(
        r[1] for name, r in themes.items() if "SAM" in name or "Samenwerking" in name
    )
    n_sam = demo.scalar(
        "SELECT count(*) FROM codings k JOIN codes c ON c.id = k.code_id JOIN documents d ON d.id = k.document_id"
        " JOIN cases s ON s.id = d.case_id WHERE s.name = 'Lindeveen' AND (c.path = 'SAM' OR c.path LIKE 'SAM.%')"
    )
    assert (
        int(next(r[2] for name, r in themes.items() if "SAM" in name or "Samenwerking" in name))
        <= n_sam
    )
    # key quotes follow the framework's themes
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    k = paragraphs.index(("Heading 1", "Kerncitaten per thema"))
    assert [t for s, t in paragraphs[k:] if s == "Heading 2"] == [
        "Samenwerking",
        "Belemmerende factoren",
    ]


def test_pseudonymised_case_report(demo: Project, tmp_path: Path) -> None:
    from casebook.synthesis.framework import create_framework, edit_cell

    create_framework(demo, "Samenwerking", ["SAM"])
    edit_cell(
        demo,
        "Samenwerking",
        "Lindeveen",
        "SAM",
        summary="Marloes Hendriks en ROC De Veenpoort trekken samen op.",
    )
    out = tmp_path / "regio.docx"
    result = export_case_report(
        demo,
        "Lindeveen",
        out,
        CaseReportOptions(),
        PrivacyOptions(persons=True, cases=True, organisations=True),
    )
    text = document_text(out)
    assert "Casusrapport — regio B" in text
    for name in ("Lindeveen", "Marloes", "Hendriks", "Veenpoort", "Veenlanden", "Sanne"):
        assert name not in text
    assert "[programmamanager] en [een mbo-instelling] trekken samen op" in text.lower()
    assert result.key is not None and result.key.exists()
    assert result.leftovers == []


def test_key_quotes_spread_over_voices() -> None:
    def q(resp: str, text: str, cid: str) -> Quote:
        return Quote(
            [cid],
            "c",
            "C",
            "d",
            "doc",
            "interview",
            "2022",
            "x",
            "X",
            "mbo",
            resp,
            ["a"],
            0,
            len(text),
            text,
        )

    long = "x" * 200
    quotes = [
        q("r1", long, "1"),
        q("r1", long, "2"),
        q("r1", long, "3"),
        q("r2", long, "4"),
        q("r3", "kort", "5"),
    ]
    picked = pick_key_quotes(quotes, 3)
    assert sorted({p.respondent for p in picked}) == ["r1", "r2", "r3"]
    assert [p.coding_ids[0] for p in pick_key_quotes(quotes, 2, preferred={"5"})][0] == "5"


def test_codebook_docx(demo: Project, tmp_path: Path) -> None:
    out = tmp_path / "codebook.docx"
    n = write_codebook_docx(demo, out)
    assert n == demo.scalar("SELECT count(*) FROM codes")
    paragraphs = _paragraphs(out)
    headings = [t for s, t in paragraphs if s.startswith("Heading ")]
    unused = demo.scalar(
        "SELECT count(*) FROM codes c WHERE NOT EXISTS (SELECT 1 FROM codings k WHERE k.code_id = c.id)"
    )
    assert unused > 0
    # one heading per code, plus one closing section that lists the unused codes once
    assert len(headings) == n + 1 and headings[-1] == "Niet gebruikte codes"
    assert not any("0 coderingen" in t for _, t in paragraphs)
    label = demo.scalar("SELECT label FROM codes WHERE path = 'BEL.TIJD'")
    i = next(j for j, (s, t) in enumerate(paragraphs) if s == "Heading 2" and t == label)
    block = []
    for s, t in paragraphs[i + 1 :]:
        if s.startswith("Heading"):
            break
        block.append((s, t))
    assert any(t.startswith("Definitie: ") for _, t in block)
    counts = demo.query_one(
        "SELECT count(*) AS n, count(DISTINCT k.document_id) AS d, count(DISTINCT d.case_id) AS c FROM codings k"
        " JOIN codes x ON x.id = k.code_id JOIN documents d ON d.id = k.document_id WHERE x.path = 'BEL.TIJD'"
    )

    def nl(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    line = (
        f"Gebruik: {nl(counts['n'], 'codering', 'coderingen')} in {nl(counts['d'], 'document', 'documenten')}, "
        f"{nl(counts['c'], 'regio', 'regio' + chr(39) + 's')}"
    )
    assert ("Quote Count", line) in [(s, t.split(" · ")[0]) for s, t in block]
    runner = CliRunner()
    res = runner.invoke(
        cli, ["--project", str(demo.path), "export", "codebook", str(tmp_path / "cb.yaml")]
    )
    assert res.exit_code == 0 and (tmp_path / "cb.yaml").exists()


def test_case_report_errors(demo: Project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="ending in .docx"):
        export_case_report(demo, "Lindeveen", tmp_path / "x.pdf")
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "--project",
            str(demo.path),
            "export",
            "case-report",
            "Atlantis",
            str(tmp_path / "a.docx"),
        ],
    )
    assert res.exit_code == 1 and res.output.startswith("error: no case named 'Atlantis'")


@pytest.mark.slow
def test_case_report_renders_in_libreoffice(demo: Project, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; the PDF rendering check needs it")
    out = tmp_path / "ruwaard.docx"
    export_case_report(
        demo, "Ruwaard", out, CaseReportOptions(), PrivacyOptions(persons=True, cases=True)
    )
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
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
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(tmp_path / "ruwaard.pdf"))
    text = " ".join(
        " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).split()
    )
    pdf.close()
    assert "Casusrapport — regio C" in text and "Kerncitaten per thema" in text
    assert "Ruwaard" not in text
    assert "Ingrid" not in text and "Maas" not in text
