"""Round comparison over the hand-built project of test_matrix.

Round 2021: only D1 (Aland). Round 2022: D2 and D3 (Aland), D4 (Bland).
Cland has no documents, Bland none in 2021.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_matrix import build_hand_project

from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project
from casebook.synthesis.rounds import compare_rounds


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def rows(cmp) -> list[tuple[str, str, int, int, int, str]]:
    return [(c.case, c.code, c.a, c.b, c.diff, c.status) for c in cmp.cells]


def test_counts_differences_and_status(hand) -> None:
    project, _ = hand
    cmp = compare_rounds(project, "2021", "2022", level=2)
    assert rows(cmp) == [
        ("Aland", "BEL.TIJD", 3, 2, -1, "fewer"),  # c1 c2 c3 → c7 c12
        ("Aland", "BEV.VISIE", 2, 1, -1, "fewer"),  # c4 c6 → c11
        ("Aland", "SAM.VMBO_MBO", 1, 2, 1, "more"),  # c5 → c8 c9
        ("Bland", "BEL.TIJD", 0, 2, 2, "only B"),  # Bland was not in 2021
        ("Bland", "BEV.VISIE", 0, 1, 1, "only B"),
        ("Bland", "SAM.VMBO_MBO", 0, 1, 1, "only B"),
    ]
    assert cmp.new_passages() == []


def test_new_and_gone_with_new_passages(hand) -> None:
    project, _ = hand
    cmp = compare_rounds(project, "2021", "2022", codes=["BEV", "BEL.TIJD"], children=False)
    assert rows(cmp) == [
        ("Aland", "BEV", 0, 1, 1, "new"),  # c10, coded on BEV itself
        ("Aland", "BEL.TIJD", 2, 2, 0, "same"),  # c1 c3 → c7 c12
        ("Bland", "BEL.TIJD", 0, 1, 1, "only B"),  # c13
    ]
    assert [p["quote"] for p in cmp.new_passages()] == ["Met vertrouwen."]
    gone = compare_rounds(project, "2021", "2022", codes=["BEL.TIJD.RUIMTE"])
    assert rows(gone) == [
        ("Aland", "BEL.TIJD.RUIMTE", 1, 0, -1, "gone"),
        ("Bland", "BEL.TIJD.RUIMTE", 0, 1, 1, "only B"),
    ]


def test_other_measures_and_filters(hand) -> None:
    project, _ = hand
    docs = compare_rounds(project, "2021", "2022", codes=["BEL"], measure="documents")
    assert rows(docs)[0] == ("Aland", "BEL", 1, 2, 1, "more")  # D1 → D2 D3
    resp = compare_rounds(project, "2021", "2022", codes=["BEL"], measure="respondents")
    assert rows(resp)[0] == ("Aland", "BEL", 1, 2, 1, "more")  # Anna → Anna and the report
    pres = compare_rounds(project, "2021", "2022", codes=["BEL"], measure="presence")
    assert rows(pres)[0] == ("Aland", "BEL", 1, 1, 0, "same")
    interviews = compare_rounds(project, "2021", "2022", codes=["BEL"], filters=["kind=interview"])
    assert rows(interviews)[0] == (
        "Aland",
        "BEL",
        3,
        1,
        -2,
        "fewer",
    )  # c7 only; c12 is in the report


def test_bad_rounds(hand) -> None:
    project, _ = hand
    with pytest.raises(NotFound, match="2021, 2022"):
        compare_rounds(project, "2020", "2022")
    with pytest.raises(InvalidInput):
        compare_rounds(project, "2022", "2022")
    with pytest.raises(InvalidInput, match="round"):
        compare_rounds(project, "2021", "2022", filters=["round=2022"])


def test_cli_json_docx_and_xlsx(hand, tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    from casebook.cli import cli

    project, _ = hand
    base = [
        "--project",
        str(project.path),
        "compare-rounds",
        "2021",
        "2022",
        "--codes",
        "BEV,BEL.TIJD",
        "--no-children",
        "--language",
        "en",
        "--ids",
    ]
    out = CliRunner().invoke(cli, [*base, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [(c["case"], c["code"], c["status"]) for c in data["cells"]][0] == (
        "Aland",
        "BEV",
        "new",
    )
    assert data["cells"][0]["new_passages"][0]["quote"] == "Met vertrouwen."

    path = tmp_path / "nieuw.docx"
    out = CliRunner().invoke(cli, [*base, "--docx", str(path)])
    assert out.exit_code == 0, out.output
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "What is new in 2022 compared with 2021"
    assert "Aland" in texts and "Bland" in texts
    assert any("Met vertrouwen." in t and t.startswith("BEV — mbo") for t in texts)
    first = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert first == [
        ["code", "2021", "2022", "difference", "status"],
        ["BEV", "0", "1", "1", "new"],
        ["BEL.TIJD", "2", "2", "0", "same"],
    ]

    xl = tmp_path / "nieuw.xlsx"
    out = CliRunner().invoke(cli, [*base, "--xlsx", str(xl)])
    assert out.exit_code == 0, out.output
    wb = load_workbook(xl)
    assert wb.sheetnames == ["2021 vs 2022", "new in 2022"]
    grid = list(wb["2021 vs 2022"].iter_rows(values_only=True))
    assert grid[1] == ("Aland", "BEV", 0, 1, 1, "new")
    assert wb["2021 vs 2022"]["F2"].fill.fgColor.rgb.endswith("C7E9C0")
    new = list(wb["new in 2022"].iter_rows(values_only=True))
    assert len(new) == 2 and "Met vertrouwen." in new[1]
