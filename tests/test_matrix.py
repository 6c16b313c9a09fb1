"""Matrices over a hand-built project whose every cell is worked out by hand below.

The project (built by ``build_hand_project``, also used by the query,
framework and round tests):

* Aland (krimp=ja): D1 interview 2021 with Anna (mbo, respondent R-anna);
  D2 interview 2022 with the same Anna (R-anna again: one respondent, two
  interviews); D3 progress report 2022 (no turns, no role).
* Bland (krimp=nee): D4 interview 2022, role bedrijfsleven, a group
  interview with Kees and Lotte and no respondent id (so two respondents).
* Cland (krimp=ja): no documents.

Codings c1…c17 (coders anouk and bram) include overlapping codings (c3 spans
c1 and c2; c17 has the same span as c15), a child and grandchild of BEL, a
coding of a parent code itself (c10 on BEV, c17 on BEL) and a coding inside
an interviewer turn (c6).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.codes.io import import_codebook
from casebook.core.cases import set_case_attribute
from casebook.core.codings import code_quote
from casebook.core.documents import DocumentMeta, import_file
from casebook.errors import InvalidInput
from casebook.store.project import Project
from casebook.synthesis.axes import NONE_LABEL
from casebook.synthesis.matrix import (
    ANY,
    MatrixSpec,
    build_matrix,
    cell_passages,
    compute,
    matrix_passages,
    plan_matrix,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

D1 = (
    "Interviewer: Hoe gaat het met de tijd?\n"
    "Anna: Er is weinig tijd. Het rooster zit vol.\n"
    "Interviewer: En de visie van de regio?\n"
    "Anna: De visie is helder. We werken goed samen met het vmbo.\n"
)
D2 = (
    "Interviewer: Wat is er veranderd sinds vorig jaar?\n"
    "Anna: De tijd blijft krap. Toch groeit de samenwerking.\n"
    "Het vmbo komt nu elke week langs.\n"
    "Interviewer: Hoe ziet u de toekomst?\n"
    "Anna: Met vertrouwen.\n"
)
D3 = (
    "Voortgang\n"
    "De regio heeft een gezamenlijke visie vastgesteld.\n"
    "Door personeelstekort is de planning vertraagd.\n"
)
D4 = (
    "Interviewer: Wat merkt het bedrijf ervan?\n"
    "Kees: We hebben geen tijd voor stages.\n"
    "Lotte: Maar de visie spreekt ons aan.\n"
    "Interviewer: Nog iets?\n"
    "Kees: Het rooster van de school is lastig.\n"
    "Lotte: Samen met het mbo lukt veel.\n"
)

CODINGS = [
    ("c1", "D1", "BEL.TIJD", "Er is weinig tijd.", "anouk"),
    ("c2", "D1", "BEL.TIJD.RUIMTE", "Het rooster zit vol.", "anouk"),
    ("c3", "D1", "BEL.TIJD", "Er is weinig tijd. Het rooster zit vol.", "bram"),
    ("c4", "D1", "BEV.VISIE", "De visie is helder.", "anouk"),
    ("c5", "D1", "SAM.VMBO_MBO", "We werken goed samen met het vmbo.", "anouk"),
    ("c6", "D1", "BEV.VISIE", "En de visie van de regio?", "anouk"),
    ("c7", "D2", "BEL.TIJD", "De tijd blijft krap.", "anouk"),
    ("c8", "D2", "SAM.VMBO_MBO", "Toch groeit de samenwerking.", "anouk"),
    ("c9", "D2", "SAM.VMBO_MBO", "Het vmbo komt nu elke week langs.", "bram"),
    ("c10", "D2", "BEV", "Met vertrouwen.", "anouk"),
    ("c11", "D3", "BEV.VISIE", "De regio heeft een gezamenlijke visie vastgesteld.", "anouk"),
    ("c12", "D3", "BEL.TIJD", "Door personeelstekort is de planning vertraagd.", "bram"),
    ("c13", "D4", "BEL.TIJD", "We hebben geen tijd voor stages.", "anouk"),
    ("c14", "D4", "BEV.VISIE", "Maar de visie spreekt ons aan.", "anouk"),
    ("c15", "D4", "BEL.TIJD.RUIMTE", "Het rooster van de school is lastig.", "anouk"),
    ("c16", "D4", "SAM.VMBO_MBO", "Samen met het mbo lukt veel.", "bram"),
    ("c17", "D4", "BEL", "Het rooster van de school is lastig.", "bram"),
]
L = {name: len(quote) for name, _d, _c, quote, _k in CODINGS}


def build_hand_project(project: Project, folder: Path) -> dict[str, str]:
    """Import D1–D4, set case attributes, apply c1–c17; returns names → ids (D1…, c1…, Aland…)."""
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    docs = {
        "D1": (
            "aland-mbo-2021.txt",
            D1,
            DocumentMeta(case="Aland", role="mbo", round="2021", respondent="R-anna"),
        ),
        "D2": (
            "aland-mbo-2022.txt",
            D2,
            DocumentMeta(case="Aland", role="mbo", round="2022", respondent="R-anna"),
        ),
        "D3": (
            "aland-vgr-2022.txt",
            D3,
            DocumentMeta(case="Aland", kind="progress_report", round="2022"),
        ),
        "D4": (
            "bland-bedrijf-2022.txt",
            D4,
            DocumentMeta(case="Bland", role="bedrijfsleven", round="2022"),
        ),
    }
    ids: dict[str, str] = {}
    for key, (name, text, meta) in docs.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        outcome = import_file(project, path, meta)
        assert outcome.status == "imported", outcome.message
        ids[key] = outcome.document_id
    for case, krimp in (("Aland", "ja"), ("Bland", "nee"), ("Cland", "ja")):
        from casebook.core.cases import ensure_case

        ids[case] = ensure_case(project, case)
        set_case_attribute(project, ids[case], "krimp", krimp)
    for name, doc, code, quote, coder in CODINGS:
        ids[name] = code_quote(project, ids[doc], code, quote, coder=coder)
    return ids


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def table_of(m) -> dict[str, dict[str, int]]:
    """The matrix as {row label: {col label: value}}, totals under 'Total'."""
    out = {r.label: {c.label: m.value(r.key, c.key) for c in m.cols} for r in m.rows}
    for r in m.rows:
        out[r.label]["Total"] = m.row_totals.get(r.key, 0)
    out["Total"] = {c.label: m.col_totals.get(c.key, 0) for c in m.cols}
    out["Total"]["Total"] = m.total
    return out


def level1(measure: str, **kw) -> MatrixSpec:
    return MatrixSpec("case", "code", measure, level=1, **kw)


def test_the_import_gives_the_turns_the_hand_counts_assume(hand) -> None:
    project, ids = hand
    turns = project.query(
        "SELECT document_id, label, speaker_kind FROM segments WHERE kind = 'turn' ORDER BY document_id, start"
    )
    labels = {
        d: [t["label"] for t in turns if t["document_id"] == ids[d]]
        for d in ("D1", "D2", "D3", "D4")
    }
    assert labels["D1"] == ["Interviewer", "Anna", "Interviewer", "Anna"]
    assert labels["D2"] == ["Interviewer", "Anna", "Interviewer", "Anna"]
    assert labels["D3"] == []
    assert labels["D4"] == ["Interviewer", "Kees", "Lotte", "Interviewer", "Kees", "Lotte"]


def test_case_by_code_segments(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, level1("segments"))) == {
        "Aland": {"BEL": 5, "BEV": 4, "SAM": 3, "Total": 12},
        "Bland": {"BEL": 3, "BEV": 1, "SAM": 1, "Total": 5},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 8, "BEV": 5, "SAM": 4, "Total": 17},
    }


def test_case_by_code_documents(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, level1("documents"))) == {
        "Aland": {"BEL": 3, "BEV": 3, "SAM": 2, "Total": 3},
        "Bland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 1},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 4, "BEV": 4, "SAM": 3, "Total": 4},
    }


def test_case_by_code_respondents(hand) -> None:
    # Aland: Anna (R-anna, two interviews: once) and the progress report D3; c6 is the interviewer.
    # Bland: Kees and Lotte, told apart by their turn labels.
    project, _ = hand
    assert table_of(build_matrix(project, level1("respondents"))) == {
        "Aland": {"BEL": 2, "BEV": 2, "SAM": 1, "Total": 2},
        "Bland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 2},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 3, "BEV": 3, "SAM": 2, "Total": 4},
    }


def test_respondent_with_two_interviews_counts_once(hand) -> None:
    project, _ = hand
    spec = MatrixSpec("case", "round", "respondents", filters=["role=mbo"])
    assert table_of(build_matrix(project, spec)) == {
        "Aland": {"2021": 1, "2022": 1, "Total": 1},
        "Bland": {"2021": 0, "2022": 0, "Total": 0},
        "Cland": {"2021": 0, "2022": 0, "Total": 0},
        "Total": {"2021": 1, "2022": 1, "Total": 1},
    }
    # Without the respondent id the two interviews would be two people.
    project.conn.execute("UPDATE documents SET respondent = NULL")
    assert build_matrix(project, spec).row_totals[hand[1]["Aland"]] == 2


def test_case_by_code_cases_and_presence(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, level1("cases"))) == {
        "Aland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 1},
        "Bland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 1},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 2, "BEV": 2, "SAM": 2, "Total": 2},
    }
    assert table_of(build_matrix(project, level1("presence"))) == {
        "Aland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 3},
        "Bland": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 3},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 2, "BEV": 2, "SAM": 2, "Total": 6},
    }


def test_case_by_code_characters_count_overlaps_once(hand) -> None:
    project, _ = hand
    a_bel = L["c3"] + L["c7"] + L["c12"]  # c1 and c2 lie inside c3
    a_bev = L["c4"] + L["c6"] + L["c10"] + L["c11"]
    a_sam = L["c5"] + L["c8"] + L["c9"]
    b_bel = L["c13"] + L["c15"]  # c17 covers the same text as c15
    b_bev, b_sam = L["c14"], L["c16"]
    assert table_of(build_matrix(project, level1("characters"))) == {
        "Aland": {"BEL": a_bel, "BEV": a_bev, "SAM": a_sam, "Total": a_bel + a_bev + a_sam},
        "Bland": {"BEL": b_bel, "BEV": b_bev, "SAM": b_sam, "Total": b_bel + b_bev + b_sam},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {
            "BEL": a_bel + b_bel,
            "BEV": a_bev + b_bev,
            "SAM": a_sam + b_sam,
            "Total": a_bel + a_bev + a_sam + b_bel + b_bev + b_sam,
        },
    }
    assert (L["c3"], L["c13"], L["c15"]) == (39, 32, 36)


def test_coder_filter(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, level1("segments", filters=["coder=anouk"]))) == {
        "Aland": {"BEL": 3, "BEV": 4, "SAM": 2, "Total": 9},
        "Bland": {"BEL": 2, "BEV": 1, "SAM": 0, "Total": 3},
        "Cland": {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0},
        "Total": {"BEL": 5, "BEV": 5, "SAM": 2, "Total": 12},
    }


def test_coder_by_case(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, MatrixSpec("coder", "case", "segments"))) == {
        "anouk": {"Aland": 9, "Bland": 3, "Cland": 0, "Total": 12},
        "bram": {"Aland": 3, "Bland": 2, "Cland": 0, "Total": 5},
        "Total": {"Aland": 12, "Bland": 5, "Cland": 0, "Total": 17},
    }


def test_without_children_a_parent_counts_only_its_own_codings(hand) -> None:
    project, _ = hand
    t = table_of(build_matrix(project, level1("segments", children=False)))
    assert t["Aland"] == {"BEL": 0, "BEV": 1, "SAM": 0, "Total": 1}  # c10
    assert t["Bland"] == {"BEL": 1, "BEV": 0, "SAM": 0, "Total": 1}  # c17


def test_role_by_code_uses_the_turn_and_falls_back_to_the_document(hand) -> None:
    project, _ = hand
    m = build_matrix(project, MatrixSpec("role", "code", "segments", level=1))
    assert [r.label for r in m.rows] == ["bedrijfsleven", "mbo", "interviewer", NONE_LABEL]
    assert table_of(m) == {
        "bedrijfsleven": {"BEL": 3, "BEV": 1, "SAM": 1, "Total": 5},
        "mbo": {"BEL": 4, "BEV": 2, "SAM": 3, "Total": 9},
        "interviewer": {"BEL": 0, "BEV": 1, "SAM": 0, "Total": 1},
        NONE_LABEL: {"BEL": 1, "BEV": 1, "SAM": 0, "Total": 2},
        "Total": {"BEL": 8, "BEV": 5, "SAM": 4, "Total": 17},
    }


def test_role_by_code_respondents(hand) -> None:
    project, _ = hand
    t = table_of(build_matrix(project, MatrixSpec("role", "code", "respondents", level=1)))
    assert t["mbo"] == {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 1}
    assert t["bedrijfsleven"] == {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 2}
    assert t[NONE_LABEL] == {"BEL": 1, "BEV": 1, "SAM": 0, "Total": 1}
    assert "interviewer" not in t


def test_case_attribute_rows_and_filter(hand) -> None:
    project, _ = hand
    assert table_of(build_matrix(project, MatrixSpec("krimp", "code", "documents", level=1))) == {
        "ja": {"BEL": 3, "BEV": 3, "SAM": 2, "Total": 3},
        "nee": {"BEL": 1, "BEV": 1, "SAM": 1, "Total": 1},
        "Total": {"BEL": 4, "BEV": 4, "SAM": 3, "Total": 4},
    }
    m = build_matrix(project, level1("segments", filters=["krimp=nee"]))
    assert [r.label for r in m.rows] == ["Bland"]
    assert m.total == 5


def test_role_filter_documents(hand) -> None:
    project, _ = hand
    t = table_of(build_matrix(project, level1("documents", filters=["role=mbo"])))
    assert t["Aland"] == {"BEL": 2, "BEV": 2, "SAM": 2, "Total": 2}
    assert t["Bland"] == {"BEL": 0, "BEV": 0, "SAM": 0, "Total": 0}


def test_kind_by_code(hand) -> None:
    project, _ = hand
    t = table_of(build_matrix(project, MatrixSpec("kind", "code", "segments", level=1)))
    assert t["interview"] == {"BEL": 7, "BEV": 4, "SAM": 4, "Total": 15}
    assert t["progress_report"] == {"BEL": 1, "BEV": 1, "SAM": 0, "Total": 2}


def test_round_by_code_list(hand) -> None:
    project, _ = hand
    m = build_matrix(project, MatrixSpec("round", "code", "segments", codes=["BEL.TIJD", "SAM"]))
    assert table_of(m) == {
        "2021": {"BEL.TIJD": 3, "SAM": 1, "Total": 4},
        "2022": {"BEL.TIJD": 4, "SAM": 3, "Total": 7},
        "Total": {"BEL.TIJD": 7, "SAM": 4, "Total": 11},
    }


def test_branch_syntax_lists_the_children(hand) -> None:
    project, _ = hand
    m = build_matrix(project, MatrixSpec("case", "code", "segments", codes=["BEL.*"]))
    assert [c.label for c in m.cols] == ["BEL.TIJD"]
    assert m.value(hand[1]["Aland"], m.cols[0].key) == 5


def test_overlapping_columns_do_not_double_the_totals(hand) -> None:
    project, _ = hand
    m = build_matrix(project, MatrixSpec("case", "code", "segments", codes=["BEL", "BEL.TIJD"]))
    assert table_of(m) == {
        "Aland": {"BEL": 5, "BEL.TIJD": 5, "Total": 5},
        "Bland": {"BEL": 3, "BEL.TIJD": 2, "Total": 3},
        "Cland": {"BEL": 0, "BEL.TIJD": 0, "Total": 0},
        "Total": {"BEL": 8, "BEL.TIJD": 7, "Total": 8},
    }


def test_percentages_of_row_and_column(hand) -> None:
    project, ids = hand
    m = build_matrix(project, level1("segments"))
    bel = next(c.key for c in m.cols if c.label == "BEL")
    assert m.percent(ids["Aland"], bel, "row") == pytest.approx(100 * 5 / 12)
    assert m.percent(ids["Aland"], bel, "col") == pytest.approx(100 * 5 / 8)
    assert m.percent(ids["Cland"], bel, "row") is None
    grid = m.grid("row")
    assert grid[1][1] == round(100 * 5 / 12, 1) and grid[1][-1] == 12
    with pytest.raises(InvalidInput):
        build_matrix(project, level1("presence")).grid("row")


def test_cell_passages_match_the_cells(hand) -> None:
    project, ids = hand
    plan = plan_matrix(project, level1("segments"))
    m = compute(project, plan)
    key = {c.label: c.key for c in m.cols}
    names = {v: k for k, v in ids.items()}

    def got(r, c) -> set[str]:
        return {names[p["coding_id"]] for p in cell_passages(project, plan, r, c)}

    assert got(ids["Aland"], key["BEL"]) == {"c1", "c2", "c3", "c7", "c12"}
    assert got(ANY, key["SAM"]) == {"c5", "c8", "c9", "c16"}
    assert got(ids["Bland"], ANY) == {"c13", "c14", "c15", "c16", "c17"}
    assert got(ids["Cland"], key["BEV"]) == set()
    for r in m.rows:
        for c in m.cols:
            assert len(cell_passages(project, plan, r.key, c.key)) == m.value(r.key, c.key)

    role_plan = plan_matrix(project, MatrixSpec("role", "code", "segments", level=1))
    rm = compute(project, role_plan)
    rkey = {c.label: c.key for c in rm.cols}
    assert {
        names[p["coding_id"]] for p in cell_passages(project, role_plan, "interviewer", rkey["BEV"])
    } == {"c6"}
    none_bel = cell_passages(project, role_plan, None, rkey["BEL"])
    assert [names[p["coding_id"]] for p in none_bel] == ["c12"]
    assert none_bel[0]["role"] is None and none_bel[0]["respondent"] == f"d:{ids['D3']}"


def test_matrix_passages_place_a_coding_in_every_cell_it_counts_for(hand) -> None:
    project, _ = hand
    plan = plan_matrix(project, MatrixSpec("case", "code", "segments", codes=["BEL", "BEL.TIJD"]))
    rows = matrix_passages(project, plan)
    assert len(rows) == 8 + 7
    assert {(p["row"], p["column"]) for p in rows} == {
        ("Aland", "BEL"),
        ("Aland", "BEL.TIJD"),
        ("Bland", "BEL"),
        ("Bland", "BEL.TIJD"),
    }


def test_bad_specs_are_one_line_errors(hand) -> None:
    project, _ = hand
    with pytest.raises(InvalidInput, match="measure"):
        build_matrix(project, level1("words"))
    with pytest.raises(InvalidInput, match="cooccurrence"):
        build_matrix(project, MatrixSpec("code", "code"))
    with pytest.raises(InvalidInput, match="neither an axis"):
        build_matrix(project, MatrixSpec("province", "code", level=1))
    with pytest.raises(InvalidInput, match="key=value"):
        build_matrix(project, level1("segments", filters=["mbo"]))
    with pytest.raises(InvalidInput, match="level 9"):
        build_matrix(project, MatrixSpec("case", "code", level=9))


# --- command line and exports -------------------------------------------------


# English and code ids: the words these exports printed before they had --language and --ids.
EN_IDS = ("--language", "en", "--ids")


def run(project: Project, *args: str) -> str:
    from casebook.cli import cli

    result = CliRunner().invoke(
        cli, ["--project", str(project.path), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_json_and_csv(hand) -> None:
    project, _ = hand
    data = json.loads(
        run(
            project,
            "matrix",
            "--rows",
            "case",
            "--cols",
            "code",
            "--level",
            "1",
            "--measure",
            "documents",
            "--json",
        )
    )
    assert data["rows"]["labels"] == ["Aland", "Bland", "Cland"]
    assert data["cells"] == [[3, 3, 2], [1, 1, 1], [0, 0, 0]]
    assert data["row_totals"] == [3, 1, 0] and data["total"] == 4
    rows = list(
        csv.reader(
            io.StringIO(
                run(
                    project,
                    "matrix",
                    "--level",
                    "1",
                    "--filter",
                    "role=mbo",
                    "--csv",
                    "--language",
                    "en",
                    "--ids",
                )
            )
        )
    )
    assert rows[0] == ["case", "BEL", "BEV", "SAM", "Total"]
    assert rows[1] == ["Aland", "4", "2", "3", "9"]
    assert rows[-1] == ["Total", "4", "2", "3", "9"]


def test_cli_cell_lists_passages(hand) -> None:
    project, _ = hand
    data = json.loads(run(project, "matrix", "--level", "1", "--cell", "Bland", "BEL", "--json"))
    assert sorted(p["quote"] for p in data) == sorted(
        [
            "We hebben geen tijd voor stages.",
            "Het rooster van de school is lastig.",
            "Het rooster van de school is lastig.",
        ]
    )


def test_cli_errors_are_one_line(hand) -> None:
    from casebook.cli import cli

    project, _ = hand
    result = CliRunner().invoke(
        cli, ["--project", str(project.path), "matrix", "--rows", "code", "--cols", "code"]
    )
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "cooccurrence" in result.output
    assert "Traceback" not in result.output


def test_xlsx_export_reopens_with_styles_heat_and_passages(hand, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from casebook.synthesis.heat import HIGH, heat_hex

    project, _ = hand
    out = tmp_path / "matrix.xlsx"
    run(project, "matrix", "--level", "1", "--percent", "row", "--xlsx", str(out), *EN_IDS)
    wb = load_workbook(out)
    assert wb.sheetnames == ["segments", "% of row", "Passages"]
    ws = wb["segments"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["case", "BEL", "BEV", "SAM", "Total"]
    assert values[1] == ["Aland", 5, 4, 3, 12]
    assert values[-1] == ["Total", 8, 5, 4, 17]
    assert ws.freeze_panes == "B2"
    assert ws["A1"].font.b and ws["B1"].font.b
    assert ws["B2"].fill.fgColor.rgb.endswith(heat_hex(5, 5)) and heat_hex(
        5, 5
    ) == "{:02X}{:02X}{:02X}".format(*HIGH)
    assert (
        ws["B4"].fill.fgColor.rgb != ws["B2"].fill.fgColor.rgb
    )  # Cland's zero is not shaded like the max
    pct = [[c.value for c in row] for row in wb["% of row"].iter_rows()]
    assert pct[1][1] == round(100 * 5 / 12, 1)
    passages = list(wb["Passages"].iter_rows(values_only=True))
    assert len(passages) == 1 + 17
    assert passages[0][:2] == ("row", "column")


def test_docx_export_reopens_as_a_table(hand, tmp_path: Path) -> None:
    import docx

    project, _ = hand
    out = tmp_path / "matrix.docx"
    run(project, "matrix", "--level", "1", "--measure", "cases", "--docx", str(out), *EN_IDS)
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text.startswith("cases: case × code")
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == ["case", "BEL", "BEV", "SAM", "Total"]
    assert cells[1] == ["Aland", "1", "1", "1", "1"]
    assert cells[-1] == ["Total", "2", "2", "2", "2"]


# --- co-occurrence ------------------------------------------------------------


def test_cooccurrence_by_overlap(hand) -> None:
    from casebook.synthesis.cooccurrence import cooccurrence

    project, _ = hand
    co = cooccurrence(project, ["BEL.TIJD", "BEL.TIJD.RUIMTE", "BEL"])
    key = {c.label: c.key for c in co.codes}
    tijd, ruimte, bel = key["BEL.TIJD"], key["BEL.TIJD.RUIMTE"], key["BEL"]
    # Overlapping pairs of different codings: {c1,c3}, {c2,c3} in D1 and {c15,c17} in D4.
    # {c1,c3}: TIJD–BEL.  {c2,c3}: TIJD–BEL, RUIMTE–TIJD, RUIMTE–BEL.  {c15,c17}: TIJD–BEL, RUIMTE–BEL.
    assert co.count(tijd, bel) == co.count(bel, tijd) == 3
    assert co.count(ruimte, tijd) == 1
    assert co.count(ruimte, bel) == 2
    assert (co.count(tijd, tijd), co.count(ruimte, ruimte), co.count(bel, bel)) == (7, 2, 8)
    tijd_chars = L["c3"] + L["c7"] + L["c12"] + L["c13"] + L["c15"]
    assert co.share(tijd, bel) == pytest.approx(1.0)  # c17 adds no text c15 does not cover
    assert co.share(ruimte, tijd) == pytest.approx((L["c2"] + L["c15"]) / tijd_chars)
    assert co.share(ruimte, ruimte) == 1.0


def test_cooccurrence_by_turn(hand) -> None:
    from casebook.synthesis.cooccurrence import cooccurrence

    project, _ = hand
    co = cooccurrence(project, ["BEL", "BEV", "SAM"], within="turn")
    key = {c.label: c.key for c in co.codes}
    # Turns with BEL: D1 Anna 1, D2 Anna 1, D4 Kees 1 and 2. BEV: D1 interviewer 2, D1 Anna 2,
    # D2 Anna 2, D4 Lotte 1. SAM: D1 Anna 2, D2 Anna 1, D4 Lotte 2. D3 has no turns.
    assert [co.count(key[a], key[a]) for a in ("BEL", "BEV", "SAM")] == [4, 4, 3]
    assert co.count(key["BEL"], key["SAM"]) == 1 and co.count(key["BEV"], key["SAM"]) == 1
    assert co.count(key["BEL"], key["BEV"]) == 0
    assert co.share(key["BEL"], key["SAM"]) == pytest.approx(1 / 6)
    assert co.share(key["BEV"], key["SAM"]) == pytest.approx(1 / 6)
    assert co.share(key["BEL"], key["BEV"]) == 0.0
    anouk = cooccurrence(project, ["BEL", "BEV", "SAM"], within="turn", filters=["coder=anouk"])
    assert anouk.count(key["BEL"], key["SAM"]) == 1  # c7 and c8, both anouk's
    assert anouk.count(key["SAM"], key["SAM"]) == 2  # c5, c8 (c9 and c16 are bram's)


def test_cli_cooccurrence(hand, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    project, _ = hand
    data = json.loads(
        run(project, "cooccurrence", "--codes", "BEL,BEV,SAM", "--within", "turn", "--json")
    )
    assert data["codes"] == ["BEL", "BEV", "SAM"]
    assert data["counts"] == [[4, 0, 1], [0, 4, 1], [1, 1, 3]]
    assert data["jaccard"][0][2] == round(1 / 6, 4)
    out = tmp_path / "co.xlsx"
    run(project, "cooccurrence", "--level", "1", "--xlsx", str(out), *EN_IDS)
    assert load_workbook(out).sheetnames == ["co-occurrence (overlap)", "jaccard"]


def _union(passages) -> int:
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for p in passages:
        by_doc.setdefault(p["document_id"], []).append((p["start"], p["end"]))
    covered = 0
    for spans in by_doc.values():
        chars: set[int] = set()
        for s, e in spans:
            chars.update(range(s, e))
        covered += len(chars)
    return covered


BRUTE = {
    "segments": len,
    "documents": lambda ps: len({p["document_id"] for p in ps}),
    "cases": lambda ps: len({p["case_id"] for p in ps}),
    "respondents": lambda ps: len({p["respondent"] for p in ps} - {None}),
    "characters": _union,
}


@pytest.mark.parametrize(
    "spec",
    [
        MatrixSpec("case", "code", level=1),
        MatrixSpec("case", "code", codes=["BEL", "BEL.TIJD", "BEL.TIJD.RUIMTE", "SAM"]),
        MatrixSpec("code", "role", level=2),
        MatrixSpec("role", "code", children=False),
        MatrixSpec("krimp", "round", codes=["BEV"]),
        MatrixSpec("document", "coder", filters=["round=2022"]),
        MatrixSpec("code", "kind", codes=["*"], filters=["coder=anouk"]),
    ],
)
def test_every_cell_and_total_equals_its_passages_counted_by_brute_force(
    hand, spec: MatrixSpec
) -> None:
    """Each measure recomputed from the passages the drill-down returns, with plain Python."""
    project, _ = hand
    for measure, brute in BRUTE.items():
        plan = plan_matrix(
            project,
            MatrixSpec(
                spec.rows, spec.cols, measure, spec.codes, spec.level, spec.children, spec.filters
            ),
        )
        m = compute(project, plan)
        for r in m.rows:
            for c in m.cols:
                assert m.value(r.key, c.key) == brute(cell_passages(project, plan, r.key, c.key)), (
                    measure,
                    r,
                    c,
                )
            assert m.row_totals.get(r.key, 0) == brute(cell_passages(project, plan, r.key, ANY)), (
                measure,
                r,
            )
        for c in m.cols:
            assert m.col_totals.get(c.key, 0) == brute(cell_passages(project, plan, ANY, c.key)), (
                measure,
                c,
            )
        assert m.total == brute(cell_passages(project, plan, ANY, ANY)), measure


# --- TUI: the matrix screen ----------------------------------------------------


class _Host:
    """A bare Textual app that shows one screen and keeps what it was dismissed with."""

    @staticmethod
    def make(factory):
        from textual.app import App

        class Host(App[None]):
            result: object = "not dismissed"

            def on_mount(self) -> None:
                self.push_screen(factory(), self._done)

            def _done(self, result: object) -> None:
                self.result = result

        return Host()


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_matrix_screen_shows_heat_drills_down_and_jumps(hand, tmp_path: Path) -> None:
    from textual.widgets import DataTable, Select

    from casebook.synthesis.heat import heat_hex
    from casebook.tui.messages import Jump
    from casebook.tui.screens.matrix import CellPassagesScreen, MatrixScreen

    project, ids = hand
    app = _Host.make(lambda: MatrixScreen(project.path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one("#matrix-table", DataTable)
        assert table.row_count == 4  # Aland, Bland, Cland, Total
        assert [str(table.get_cell_at((0, i))) for i in range(5)] == ["Aland", "5", "4", "3", "12"]
        assert [str(table.get_cell_at((3, i))) for i in range(5)] == ["Total", "8", "5", "4", "17"]
        top = table.get_cell_at((0, 1))
        assert top.style.bgcolor.triplet.hex.lstrip("#").upper() == heat_hex(5, 5)

        screen.query_one("#matrix-measure", Select).value = "documents"
        await _settle(app, pilot)
        assert [str(table.get_cell_at((0, i))) for i in range(5)] == ["Aland", "3", "3", "2", "3"]

        table.focus()
        table.move_cursor(row=1, column=1)  # Bland × BEL
        await pilot.press("enter")
        await _settle(app, pilot)
        cell = app.screen
        assert isinstance(cell, CellPassagesScreen)
        assert sorted(p["coding_id"] for p in cell.rows) == sorted(
            [ids["c13"], ids["c15"], ids["c17"]]
        )
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.result, Jump)
        assert app.result.document_id == ids["D4"]


async def test_matrix_screen_exports(hand, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from casebook.tui.screens.matrix import MatrixScreen

    project, _ = hand
    app = _Host.make(
        lambda: MatrixScreen(project.path, MatrixSpec("role", "code", "respondents", level=1))
    )
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        screen.language, screen.ids = "en", True  # the words these assertions were written in
        screen.export("xlsx", tmp_path / "tui.xlsx")
        screen.export("csv", tmp_path / "tui.csv")
        await _settle(app, pilot)
    rows = list(load_workbook(tmp_path / "tui.xlsx")["respondents"].iter_rows(values_only=True))
    assert rows[0] == ("role", "BEL", "BEV", "SAM", "Total")
    assert ("mbo", 1, 1, 1, 1) in rows
    assert (tmp_path / "tui.csv").read_text(encoding="utf-8-sig").splitlines()[
        0
    ] == "role,BEL,BEV,SAM,Total"


def test_codes_without_a_code_axis_narrow_the_passages(hand) -> None:
    project, _ = hand
    m = build_matrix(project, MatrixSpec("case", "round", "segments", codes=["SAM"]))
    assert table_of(m)["Total"] == {"2021": 1, "2022": 3, "Total": 4}
    both = build_matrix(
        project, MatrixSpec("case", "round", "segments", codes=["SAM"], filters=["code=BEL"])
    )
    assert both.total == 0


def test_a_code_axis_holding_every_code_adds_no_code_list_and_ignores_later_codes(hand) -> None:
    """All codes chosen: the query lists none (it would filter nothing); a code made later stays out."""
    from casebook.store.project import new_id, now
    from casebook.synthesis.matrix import measure_sql

    project, _ = hand
    some = plan_matrix(project, level1("segments", children=False))
    assert "k.code_id IN" in measure_sql(some)[0]
    plans = {
        m: plan_matrix(project, MatrixSpec("case", "code", m))
        for m in ("segments", "documents", "characters")
    }
    assert all("k.code_id IN" not in measure_sql(plan)[0] for plan in plans.values())
    before = {m: compute(project, plan) for m, plan in plans.items()}
    row = project.query_one("SELECT * FROM codings ORDER BY id LIMIT 1")
    assert row is not None
    code_id, stamp = new_id(), now()
    with project.transaction():
        project.conn.execute(
            "INSERT INTO codes (id, name, path, created_at, modified_at) VALUES (?, 'LATER', 'LATER', ?, ?)",
            (code_id, stamp, stamp),
        )
        project.conn.execute(
            "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, created_at,"
            " modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_id(),
                row["document_id"],
                code_id,
                row["coder_id"],
                row["start"],
                row["end"],
                row["quote"],
                stamp,
                stamp,
            ),
        )
    for m, plan in plans.items():
        after = compute(project, plan)
        assert (after.cells, after.row_totals, after.col_totals, after.total) == (
            before[m].cells,
            before[m].row_totals,
            before[m].col_totals,
            before[m].total,
        )
