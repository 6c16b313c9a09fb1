"""Matrix-family exports in one language with code labels (issue 19), written by one function
for the command line and the workbench, which also share one code/filter syntax (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from test_matrix import _Host, _settle, build_hand_project

from casebook.cli import cli
from casebook.errors import InvalidInput
from casebook.messages import MESSAGES
from casebook.store.project import Project
from casebook.synthesis.choice import (
    CodeChoice,
    matrix_spec,
    parse_codes,
    parse_filter_items,
    theme_refs,
)
from casebook.synthesis.matrix import MatrixSpec

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# The hand project's code ids (paths) and labels (tests/fixtures/small-codebook.yaml).
TOP = {"BEL": "Belemmerende factoren", "BEV": "Bevorderende factoren", "SAM": "Samenwerking"}


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def run(project: Project, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--project", str(project.path), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    chunks = [p.text for p in doc.paragraphs]
    chunks += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(chunks)


# --- one syntax for codes and filters --------------------------------------------------


def test_code_syntax_is_the_same_for_options_and_a_typed_field() -> None:
    assert parse_codes("level:1") == CodeChoice(None, 1)
    assert parse_codes("Level 2") == CodeChoice(None, 2)
    assert parse_codes([], 1) == CodeChoice(None, 1)  # --level 1
    assert parse_codes(["level:1"], 1) == CodeChoice(None, 1)  # both say the same level
    assert parse_codes("BEL.*, SAM") == CodeChoice(["BEL.*", "SAM"], None)
    assert parse_codes(["BEL.*,SAM"]) == parse_codes(["BEL.*", "SAM"]) == parse_codes("BEL.*; SAM")
    assert parse_codes("") == parse_codes(None) == CodeChoice(None, None)
    assert CodeChoice(["BEL.*", "SAM"]).text() == "BEL.*, SAM" and CodeChoice(None, 2).text() == (
        "level:2"
    )
    with pytest.raises(InvalidInput, match="one level"):
        parse_codes(["level:2"], 1)
    with pytest.raises(InvalidInput, match="not both"):
        parse_codes("BEL, level:1")
    with pytest.raises(InvalidInput, match="number"):
        parse_codes("level:top")
    assert parse_filter_items("role=mbo; round=2021,2022\nkrimp=ja") == [
        "role=mbo",
        "round=2021,2022",
        "krimp=ja",
    ]
    assert parse_filter_items(("role=mbo", "round=2022")) == ["role=mbo", "round=2022"]
    assert theme_refs("BEL.TIJD; BEV.*") == theme_refs(["BEL.TIJD,BEV.*"]) == ["BEL.TIJD", "BEV.*"]
    with pytest.raises(InvalidInput, match="themes are codes"):
        theme_refs("level:1")


def test_cli_and_screen_fields_give_the_same_spec() -> None:
    cli_spec = matrix_spec("role", "code", "documents", ("BEL.*,SAM",), None, True, ("round=2022",))
    tui_spec = matrix_spec("role", "code", "documents", "BEL.*, SAM", None, True, "round=2022")
    assert (
        cli_spec
        == tui_spec
        == MatrixSpec("role", "code", "documents", ["BEL.*", "SAM"], None, True, ["round=2022"])
    )
    assert matrix_spec("case", "code", "segments", (), 1) == matrix_spec(
        "case", "code", "segments", "level:1"
    )


def test_cli_accepts_level_in_codes_and_filters_joined_by_semicolons(hand) -> None:
    project, _ = hand
    base = ["matrix", "--csv", "--ids", "--language", "en"]
    assert run(project, *base, "--codes", "level:1") == run(project, *base, "--level", "1")
    joined = run(project, *base, "--level", "1", "--filter", "role=mbo; round=2022")
    apart = run(project, *base, "--level", "1", "--filter", "role=mbo", "--filter", "round=2022")
    assert joined == apart
    result = CliRunner().invoke(
        cli, ["--project", str(project.path), "matrix", "--codes", "BEL", "--level", "2"]
    )
    assert result.exit_code != 0 and "not both" in result.output
    assert "Traceback" not in result.output


# --- language and labels ---------------------------------------------------------------


def test_dutch_with_labels_is_the_default(hand) -> None:
    project, _ = hand
    rows = csv_rows(run(project, "matrix", "--level", "1", "--csv"))
    assert rows[0] == ["regio", *TOP.values(), "Totaal"]
    assert rows[-1][0] == "Totaal" and rows[1][:2] == ["Aland", "5"]
    en = csv_rows(run(project, "matrix", "--level", "1", "--csv", "--language", "en"))
    assert en[0] == ["case", *TOP.values(), "Total"]
    ids = csv_rows(run(project, "matrix", "--level", "1", "--csv", "--ids"))
    assert ids[0] == ["regio", "BEL", "BEV", "SAM", "Totaal"]
    assert en[1:-1] == rows[1:-1] == ids[1:-1]  # the numbers do not change


def test_labels_of_children_kinds_and_none_and_attribute_titles(hand) -> None:
    from casebook.core.cases import describe_attribute

    project, _ = hand
    rows = csv_rows(run(project, "matrix", "--rows", "kind", "--codes", "BEL.*,BEV.*", "--csv"))
    assert rows[0] == ["soort", "Tijd", "Visie", "Totaal"]
    assert [r[0] for r in rows[1:]] == ["interview", "voortgangsrapportage", "Totaal"]
    en = csv_rows(
        run(project, "matrix", "--rows", "kind", "--level", "1", "--csv", "--language", "en")
    )
    assert [r[0] for r in en[1:]] == ["interview", "progress report", "Total"]
    roles = csv_rows(run(project, "matrix", "--rows", "role", "--level", "1", "--csv"))
    assert roles[-2][0] == "(geen)"  # the progress report has no role
    describe_attribute(project, "krimp", label="Krimpregio", language="nl")
    describe_attribute(project, "krimp", label="Shrinking region", language="en")
    assert csv_rows(run(project, "matrix", "--rows", "krimp", "--level", "1", "--csv"))[0][0] == (
        "Krimpregio"
    )
    assert (
        csv_rows(
            run(project, "matrix", "--rows", "krimp", "--level", "1", "--csv", "--language", "en")
        )[0][0]
        == "Shrinking region"
    )


def test_two_codes_with_one_label_are_told_apart_by_their_parents(hand) -> None:
    from casebook.codes.codebook import add_code

    project, _ = hand
    add_code(project, "BEL.OVERIG", label="Overig")
    add_code(project, "BEV.OVERIG", label="Overig")
    rows = csv_rows(run(project, "matrix", "--codes", "BEL.OVERIG,BEV.OVERIG,SAM", "--csv"))
    assert rows[0][1:-1] == [
        "Belemmerende factoren / Overig",
        "Bevorderende factoren / Overig",
        "Samenwerking",
    ]


def test_a_cell_is_found_by_label_id_or_total_in_either_language(hand) -> None:
    project, _ = hand
    base = ["matrix", "--level", "1", "--json", "--cell"]
    by_id = json.loads(run(project, *base, "Bland", "BEL"))
    assert len(by_id) == 3
    assert json.loads(run(project, *base, "Bland", "Belemmerende factoren")) == by_id
    whole = json.loads(run(project, *base, "Totaal", "BEL"))
    assert whole == json.loads(run(project, *base, "Total", "BEL")) and len(whole) == 8


def test_json_keeps_keys_and_ids_and_shows_labels(hand) -> None:
    project, _ = hand
    data = json.loads(run(project, "matrix", "--level", "1", "--json"))
    assert data["measure"] == "segments" and data["measure_name"] == "gecodeerde passages"
    assert data["columns"]["axis"] == "code" and data["rows"]["axis"] == "regio"
    assert data["columns"]["labels"] == list(TOP.values())
    assert data["columns"]["ids"] == list(TOP)
    ids = json.loads(run(project, "matrix", "--level", "1", "--json", "--ids"))
    assert (
        ids["columns"]["labels"] == list(TOP) and ids["columns"]["keys"] == data["columns"]["keys"]
    )


def test_dutch_workbook_and_word_table(hand, tmp_path: Path) -> None:
    project, _ = hand
    xl = tmp_path / "m.xlsx"
    run(project, "matrix", "--level", "1", "--percent", "row", "--xlsx", str(xl))
    wb = load_workbook(xl)
    assert wb.sheetnames == ["gecodeerde passages", "% van rijtotaal", "Passages"]
    first = [c.value for c in wb.worksheets[0][1]]
    assert first == ["regio", *TOP.values(), "Totaal"]
    passages = list(wb["Passages"].iter_rows(values_only=True))
    assert passages[0][:3] == ("rij", "kolom", "regio") and "citaat" in passages[0]
    code_at = passages[0].index("code")
    labels = {*TOP.values(), "Tijd", "Ruimte in rooster", "Visie", "Vmbo–mbo"}
    assert {p[code_at] for p in passages[1:]} <= labels and "Tijd" in {p[code_at] for p in passages}
    assert {p[1] for p in passages[1:]} == set(TOP.values())
    assert "voortgangsrapportage" in {p[passages[0].index("soort")] for p in passages[1:]}

    word = tmp_path / "m.docx"
    run(
        project,
        "matrix",
        "--level",
        "1",
        "--measure",
        "cases",
        "--filter",
        "role=mbo",
        "--docx",
        str(word),
    )
    doc = Document(str(word))
    assert doc.paragraphs[0].text == "regio's: regio × code (role=mbo)"
    assert doc.paragraphs[1].text == "Filters: role=mbo."
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["regio", *TOP.values(), "Totaal"]
    assert doc.core_properties.language == "nl-NL"
    text = docx_text(word)
    pct = tmp_path / "pct.docx"
    run(project, "matrix", "--level", "1", "--percent", "row", "--docx", str(pct))
    assert [c.text for c in Document(str(pct)).tables[0].rows[1].cells] == [
        "Aland",
        "41,7",  # 5 of 12, written the Dutch way
        "33,3",
        "25,0",  # one decimal throughout the column
        "12",
    ]
    run(
        project,
        "matrix",
        "--level",
        "1",
        "--percent",
        "row",
        "--docx",
        str(pct),
        "--language",
        "en",
    )
    assert Document(str(pct)).tables[0].rows[1].cells[1].text == "41.7"
    for code_id in ("BEL", "BEV", "SAM", "BEL.TIJD"):
        assert code_id not in WORD.findall(text)


def test_cooccurrence_rounds_and_framework_speak_the_language(hand, tmp_path: Path) -> None:
    from casebook.synthesis.framework import create_framework, edit_cell

    project, _ = hand
    co = csv_rows(run(project, "cooccurrence", "--level", "1", "--csv"))
    assert co[0] == ["code", *TOP.values()]
    assert [r[0] for r in co[1:]] == list(TOP.values())
    xl = tmp_path / "co.xlsx"
    run(project, "cooccurrence", "--level", "1", "--within", "turn", "--xlsx", str(xl))
    assert load_workbook(xl).sheetnames == ["samen voorkomen (spreekbeurt)", "jaccard"]
    word = tmp_path / "co.docx"
    run(project, "cooccurrence", "--level", "1", "--docx", str(word), "--language", "en")
    assert Document(str(word)).paragraphs[0].text == "Co-occurrence by overlap"

    rounds = ["compare-rounds", "2021", "2022", "--codes", "BEV,BEL.TIJD", "--no-children"]
    grid = csv_rows(run(project, *rounds, "--csv"))
    assert grid[0] == ["regio", "code", "2021", "2022", "verschil", "status"]
    assert grid[1] == ["Aland", "Bevorderende factoren", "0", "1", "1", "nieuw"]
    assert grid[2][1] == "Tijd" and grid[2][-1] == "gelijk"
    word = tmp_path / "r.docx"
    run(project, *rounds, "--docx", str(word))
    texts = [p.text for p in Document(str(word)).paragraphs]
    assert texts[0] == "Wat is nieuw in 2022 ten opzichte van 2021"
    assert texts[1] == "Maat: gecodeerde passages." and "Nieuw in 2022:" in texts
    assert any(t.startswith("Bevorderende factoren — mbo") for t in texts)
    xl = tmp_path / "r.xlsx"
    run(project, *rounds, "--xlsx", str(xl))
    wb = load_workbook(xl)
    assert wb.sheetnames == ["2021 vs 2022", "nieuw in 2022"]
    assert wb["2021 vs 2022"]["F2"].value == "nieuw"
    assert wb["2021 vs 2022"]["F2"].fill.fgColor.rgb.endswith("C7E9C0")

    create_framework(project, "Knelpunten", ["BEL.TIJD", "BEV.VISIE"])
    edit_cell(project, "Knelpunten", "Aland", "BEL.TIJD", summary="Tijd is krap.")
    word = tmp_path / "f.docx"
    run(project, "framework", "export", "Knelpunten", "--docx", str(word))
    doc = Document(str(word))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads == ["Knelpunten", "Tijd", "Visie"]
    assert [c.text for c in doc.tables[0].rows[0].cells] == [
        "regio",
        "samenvatting",
        "onderbouwende passages",
    ]
    xl = tmp_path / "f.xlsx"
    run(project, "framework", "export", "Knelpunten", "--xlsx", str(xl), "--ids")
    sheet = list(load_workbook(xl)["Knelpunten"].iter_rows(values_only=True))
    assert sheet[0] == ("regio", "BEL.TIJD", "BEV.VISIE")


def _words(value: object) -> set[str]:
    """Words of the catalogue's texts (values only: its keys are our own identifiers)."""
    if isinstance(value, str):
        return {w.lower() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", value))}
    if isinstance(value, dict):
        return set().union(*(_words(v) for v in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_words(v) for v in value))
    return set()


def _english_only() -> set[str]:
    """Words only the English side of the catalogue prints."""
    return {w for w in _words(MESSAGES["en"]) - _words(MESSAGES["nl"]) if len(w) > 2}


def test_dutch_matrix_exports_contain_no_english_template_words(hand, tmp_path: Path) -> None:
    project, _ = hand
    english = _english_only()
    assert {"segments", "total", "difference", "summary"} <= english
    outputs = {
        "matrix": ["matrix", "--level", "1", "--percent", "col"],
        "roles": ["matrix", "--rows", "role", "--level", "1", "--measure", "respondents"],
        "co": ["cooccurrence", "--level", "1", "--jaccard"],
        "rounds": ["compare-rounds", "2021", "2022", "--level", "1"],
    }
    for name, args in outputs.items():
        word = tmp_path / f"{name}.docx"
        run(project, *args, "--docx", str(word))
        found = {w.lower() for w in WORD.findall(docx_text(word))} & english
        assert not found, (name, sorted(found))
        xl = tmp_path / f"{name}.xlsx"
        run(project, *args, "--xlsx", str(xl))
        wb = load_workbook(xl)
        cells = [
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(max_row=1, values_only=True)
            for v in row
            if v is not None
        ] + wb.sheetnames
        found = {w.lower() for c in cells for w in WORD.findall(c)} & english
        assert not found, (name, sorted(found))
    assert set(MESSAGES["nl"]) == set(MESSAGES["en"])


# --- one export function for both front ends --------------------------------------------


async def test_cli_and_workbench_write_identical_files_through_one_function(
    hand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import casebook.cli.synthesis as cli_synthesis
    import casebook.synthesis.matrix_export as mx
    import casebook.tui.screens.matrix as matrix_screen
    from casebook.tui.screens.matrix import MatrixScreen

    project, _ = hand
    calls: list[tuple[str, str, bool]] = []
    real = mx.export_matrix

    def spy(project, plan, m, path, options=None, *, kind=None):
        calls.append((Path(path).parent.name, kind or "", bool(options and options.ids)))
        return real(project, plan, m, path, options, kind=kind)

    # the front ends hold the function under their own module names
    for module in (mx, cli_synthesis, matrix_screen):
        monkeypatch.setattr(module, "export_matrix", spy)
    (tmp_path / "cli").mkdir()
    (tmp_path / "tui").mkdir()
    args = ["--rows", "role", "--codes", "BEL.*,SAM", "--measure", "documents"]
    args += ["--filter", "round=2022", "--percent", "row", "--language", "en"]
    for kind in ("xlsx", "docx"):
        run(project, "matrix", *args, f"--{kind}", str(tmp_path / "cli" / f"m.{kind}"))
    run(project, "matrix", *args, "--csv", str(tmp_path / "cli" / "m.csv"))

    spec = matrix_spec("role", "code", "documents", "BEL.*, SAM", None, True, "round=2022")
    app = _Host.make(lambda: MatrixScreen(project.path, spec))
    async with app.run_test(size=(160, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        screen.query_one("#matrix-percent").value = "row"
        screen.query_one("#matrix-language").value = "en"
        await _settle(app, pilot)
        assert (screen.percent, screen.language, screen.ids) == ("row", "en", False)
        for kind in ("xlsx", "docx", "csv"):
            screen.export(kind, tmp_path / "tui" / f"m.{kind}")
            await _settle(app, pilot)

    assert sorted(c[:2] for c in calls if c[0] == "tui") == [
        ("tui", "csv"),
        ("tui", "docx"),
        ("tui", "xlsx"),
    ]
    assert sorted(c[:2] for c in calls if c[0] == "cli") == [("cli", "docx"), ("cli", "xlsx")]
    assert (tmp_path / "cli" / "m.csv").read_bytes() == (tmp_path / "tui" / "m.csv").read_bytes()
    cli_wb, tui_wb = (load_workbook(tmp_path / d / "m.xlsx") for d in ("cli", "tui"))
    assert cli_wb.sheetnames == tui_wb.sheetnames == ["documents", "% of row", "Passages"]
    for a, b in zip(cli_wb.worksheets, tui_wb.worksheets, strict=True):
        assert list(a.iter_rows(values_only=True)) == list(b.iter_rows(values_only=True))
    assert docx_text(tmp_path / "cli" / "m.docx") == docx_text(tmp_path / "tui" / "m.docx")
    assert "Tijd" in docx_text(tmp_path / "tui" / "m.docx")


async def test_screen_says_what_is_wrong_with_typed_codes(hand) -> None:
    from textual.widgets import Input, Label

    from casebook.tui.screens.matrix import MatrixScreen

    project, _ = hand
    app = _Host.make(lambda: MatrixScreen(project.path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        field = screen.query_one("#matrix-codes", Input)
        field.value = "BEL, level:2"
        field.focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert app.screen is screen
        assert "not both" in str(screen.query_one("#matrix-status", Label).render())
        field.value = "BEL.*, SAM"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert [c.label for c in screen.matrix.cols] == ["BEL.TIJD", "SAM"]


def test_front_ends_hold_no_matrix_writer_and_no_sql() -> None:
    root = Path(__file__).resolve().parent.parent / "casebook"
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b")
    for rel in ("cli/synthesis.py", "tui/screens/matrix.py"):
        text = (root / rel).read_text(encoding="utf-8")
        assert not sql.search(text), rel
        assert "csv.writer" not in text and "Sheet(" not in text, rel
        assert "def parse_codes" not in text and "split_values(codes)" not in text, rel
    assert "export_matrix" in (root / "cli/synthesis.py").read_text(encoding="utf-8")
    assert "export_matrix" in (root / "tui/screens/matrix.py").read_text(encoding="utf-8")


def test_a_wide_matrix_is_one_landscape_page_with_turned_headers(
    demo: Project, tmp_path: Path
) -> None:
    """The demo's 13 top-level codes with Dutch labels: too wide for a page unless turned upright."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    word = tmp_path / "wide.docx"
    run(demo, "matrix", "--level", "1", "--measure", "documents", "--docx", str(word))
    doc = Document(str(word))
    assert len(doc.sections) == 1 and doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    head = doc.tables[0].rows[0]
    turned = [c._tc.tcPr.find(qn("w:textDirection")) is not None for c in head.cells]
    assert turned[0] is False and all(turned[1:])
    narrow = tmp_path / "narrow.docx"
    run(demo, "matrix", "--rows", "code", "--cols", "round", "--level", "1", "--docx", str(narrow))
    doc = Document(str(narrow))
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert all(c._tc.tcPr.find(qn("w:textDirection")) is None for c in doc.tables[0].rows[0].cells)


def test_matrix_word_table_renders_through_libreoffice(demo: Project, tmp_path: Path) -> None:
    """The Dutch Word table renders with no word broken inside a cell and no code id in sight."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; install libreoffice to render the PDF")
    import pypdfium2 as pdfium

    word = tmp_path / "m.docx"
    run(demo, "matrix", "--level", "1", "--measure", "documents", "--docx", str(word))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(word),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = pdfium.PdfDocument(str(tmp_path / "pdf" / "m.pdf"))
    try:
        assert len(pdf) == 1
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    pdf_words = set(WORD.findall(text))
    table_words = {
        w
        for t in Document(str(word)).tables
        for r in t.rows
        for c in r.cells
        for w in WORD.findall(c.text)
    }
    assert table_words - pdf_words == set()  # a word broken across lines would be missing
    for code_id in (r["path"] for r in demo.query("SELECT path FROM codes")):
        if "." in code_id or "_" in code_id:
            assert code_id not in text
    assert "Totaal" in text
