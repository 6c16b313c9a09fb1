"""Coding queries over the hand-built project of test_matrix (see its docstring for c1…c17)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_matrix import build_hand_project

from casebook.core.filters import parse_filters
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project
from casebook.synthesis.queries import CodingQuery, parse_relation, run_query


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def names(hand, rows) -> set[str]:
    by_id = {v: k for k, v in hand[1].items()}
    return {by_id[r["coding_id"]] for r in rows}


def q(hand, codes, *, and_=(), not_=(), within="overlap", children=True, filters=()):
    project = hand[0]
    rows = run_query(
        project,
        CodingQuery(list(codes), list(and_), list(not_), within, children),
        parse_filters(project, filters),
    )
    return names(hand, rows)


def test_by_code_with_and_without_descendants(hand) -> None:
    assert q(hand, ["BEL"]) == {"c1", "c2", "c3", "c7", "c12", "c13", "c15", "c17"}
    assert q(hand, ["BEL"], children=False) == {"c17"}
    assert q(hand, ["BEL.TIJD.RUIMTE"]) == {"c2", "c15"}


def test_or_widens(hand) -> None:
    assert q(hand, ["BEV.VISIE", "SAM"]) == {"c4", "c6", "c11", "c14", "c5", "c8", "c9", "c16"}


def test_and_by_turn_paragraph_and_sentence_distance(hand) -> None:
    # D2: Anna's turn holds c7 and c8 in one paragraph (two sentences) and c9 in the next paragraph.
    assert q(hand, ["SAM"], and_=["BEL"], within="turn") == {"c8", "c9"}
    assert q(hand, ["SAM"], and_=["BEL"], within="paragraph") == {"c8"}
    assert q(hand, ["SAM"], and_=["BEL"], within="sentences:0") == set()
    # D4: c16 (Lotte) is the sentence right after c15/c17 (Kees): other turn, one sentence on.
    assert q(hand, ["SAM"], and_=["BEL"], within="sentences:1") == {"c8", "c16"}
    assert q(hand, ["SAM"], and_=["BEL"], within="sentences:2") == {"c8", "c9", "c16"}
    assert q(hand, ["BEL.TIJD"], and_=["SAM"], within="turn") == {"c7"}


def test_and_by_overlap(hand) -> None:
    # c15 and c17 share their span; c2 lies inside c3 but c3 is BEL.TIJD, not BEL itself.
    assert q(hand, ["BEL.TIJD.RUIMTE"], and_=["BEL"], children=False) == {"c15"}
    assert q(hand, ["BEL.TIJD.RUIMTE"], and_=["BEL.TIJD"], children=False) == {"c2"}
    assert q(hand, ["BEL"], and_=["BEV"]) == set()


def test_and_of_two_codes_needs_both(hand) -> None:
    # In D2's first Anna turn: c7 BEL.TIJD, c8 and c9 SAM. No BEV there (c10 is the last turn).
    assert q(hand, ["SAM"], and_=["BEL", "BEV"], within="turn") == set()
    # D1's last Anna turn: c4 BEV.VISIE and c5 SAM.
    assert q(hand, ["SAM"], and_=["BEV"], within="turn") == {"c5"}


def test_not(hand) -> None:
    assert q(hand, ["BEL.TIJD"], not_=["SAM"], within="turn") == {
        "c1",
        "c2",
        "c3",
        "c12",
        "c13",
        "c15",
    }
    # A passage is related to itself: NOT a child drops the child's own passages too,
    # even in a report without turns (c11).
    assert q(hand, ["BEV"], not_=["BEV.VISIE"], within="turn") == {"c10"}
    # c17 (BEL itself) shares Kees's turn with c15 (BEL.TIJD.RUIMTE).
    assert q(hand, ["BEL"], not_=["BEL.TIJD"], within="turn") == set()


def test_filters(hand) -> None:
    assert q(hand, ["BEL"], filters=["role=mbo"]) == {"c1", "c2", "c3", "c7"}
    assert q(hand, ["BEL"], filters=["round=2021"]) == {"c1", "c2", "c3"}
    assert q(hand, ["BEL"], filters=["coder=bram"]) == {"c3", "c12", "c17"}
    assert q(hand, ["BEL"], filters=["case=Bland"]) == {"c13", "c15", "c17"}
    assert q(hand, ["BEV"], filters=["role=interviewer"]) == {"c6"}
    assert q(hand, ["BEV", "BEL"], filters=["kind=progress_report"]) == {"c11", "c12"}
    assert q(hand, ["BEL"], filters=["krimp=nee"]) == {"c13", "c15", "c17"}
    assert q(hand, ["BEL"], filters=["round=2022", "role=bedrijfsleven,mbo"]) == {
        "c7",
        "c13",
        "c15",
        "c17",
    }


def test_coder_filter_applies_to_both_sides(hand) -> None:
    assert q(hand, ["SAM"], and_=["BEL"], within="turn", filters=["coder=bram"]) == set()
    assert (
        q(hand, ["BEL.TIJD.RUIMTE"], and_=["BEL"], children=False, filters=["coder=anouk"]) == set()
    )


def test_matched_lists_the_related_codes(hand) -> None:
    project = hand[0]
    rows = run_query(project, CodingQuery(["SAM"], ["BEL"], within="turn"))
    by = {r["quote"]: r["matched"] for r in rows}
    assert by["Toch groeit de samenwerking."] == ["BEL.TIJD"]


def test_passage_context(hand) -> None:
    project, ids = hand
    rows = run_query(project, CodingQuery(["BEV.VISIE"]))
    by = {names(hand, [r]).pop(): r for r in rows}
    assert by["c6"]["role"] == "interviewer" and by["c6"]["respondent"] is None
    assert by["c4"]["role"] == "mbo" and by["c4"]["respondent"] == "r:R-anna"
    assert by["c14"]["speaker"] == "Lotte" and by["c14"]["respondent"] == f"d:{ids['D4']}:lotte"
    assert by["c11"]["kind"] == "progress_report" and by["c11"]["case_name"] == "Aland"


def test_bad_queries(hand) -> None:
    project = hand[0]
    with pytest.raises(InvalidInput, match="within"):
        parse_relation("chapter")
    with pytest.raises(NotFound):
        run_query(project, CodingQuery(["NOPE"]))
    with pytest.raises(NotFound, match="coder"):
        parse_filters(project, ["coder=nobody"])
    with pytest.raises(InvalidInput, match="case attribute"):
        parse_filters(project, ["province=Zeeland"])


def test_cli_segments(hand) -> None:
    from casebook.cli import cli

    project, _ = hand
    base = ["--project", str(project.path), "segments"]
    out = CliRunner().invoke(
        cli, [*base, "--code", "SAM", "--and", "BEL", "--within", "turn", "--json"]
    )
    assert out.exit_code == 0, out.output
    assert sorted(r["quote"] for r in json.loads(out.output)) == [
        "Het vmbo komt nu elke week langs.",
        "Toch groeit de samenwerking.",
    ]
    out = CliRunner().invoke(
        cli,
        [*base, "--code", "BEL", "--role", "mbo", "--round", "2021", "--coder", "anouk", "--csv"],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert sorted(r["quote"] for r in rows) == ["Er is weinig tijd.", "Het rooster zit vol."]
    assert {r["role"] for r in rows} == {"mbo"}
    out = CliRunner().invoke(
        cli, [*base, "--code", "BEL", "--not", "BEL.TIJD", "--within", "chapter"]
    )
    assert out.exit_code == 2 and "within" in out.output and "Traceback" not in out.output
    out = CliRunner().invoke(cli, [*base, "--code", "BEL", "--case", "Bland"])
    assert out.exit_code == 0 and "3 passages" in out.output
