"""The one filter model (core.filters.PassageFilter) and query builder (core.query).

Uses the hand-built project of test_matrix (D1–D4, codings c1…c17): each filter
field must narrow to exactly the passages whose own column has the value, lists
must AND together, empty lists must restrict nothing, and values must travel as
bound parameters. The last tests check that retrieval, the quote bank, coding
queries and matrices choose the same passages for the same filter.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_matrix import build_hand_project

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.filters import PassageFilter, parse_filters, passages
from casebook.core.query import Sql, Where, fetch_passages
from casebook.core.retrieval import coded_segments
from casebook.reports.quotebank import QuoteQuery, build_quote_bank
from casebook.store.project import Project
from casebook.synthesis.matrix import MatrixSpec, cell_passages, plan_matrix
from casebook.synthesis.queries import CodingQuery, run_query


@pytest.fixture
def hand(project: Project, tmp_path: Path) -> tuple[Project, dict[str, str]]:
    return project, build_hand_project(project, tmp_path)


def names(hand, rows, key: str = "coding_id") -> set[str]:
    by_id = {v: k for k, v in hand[1].items()}
    return {by_id[r[key]] for r in rows}


ALL = {f"c{i}" for i in range(1, 18)}


# --- the builder -----------------------------------------------------------------------


def test_where_skips_missing_values_and_binds_the_rest() -> None:
    w = Where().equal("a", None).equal("b", "").among("c", []).among("d", None)
    assert w == [] and w.sql() == "" and w.params == []
    w.equal("a", "x").among("c", ["1", "2"]).equal("n", "Y", nocase=True).add("z > ?", 3)
    assert w.sql() == " WHERE a = ? AND c IN (?, ?) AND n = ? COLLATE NOCASE AND z > ?"
    assert w.params == ["x", "1", "2", "Y", 3]


def test_user_values_are_never_written_into_the_sql(hand) -> None:
    project = hand[0]
    evil = "x' OR '1'='1"
    f = PassageFilter(
        case_ids=[evil], document_ids=[evil], kinds=[evil], roles=[evil], document_roles=[evil],
        rounds=[evil], coder_ids=[evil], code_ids=[evil], attributes=[(evil, [evil])],
    )  # fmt: skip
    text, params = f.sql().render("k.id")
    assert evil not in text and "'1'" not in text
    assert params.count(evil) == 10
    assert project.query(text, params) == []


def test_sql_copy_does_not_share_conditions() -> None:
    a = Sql(where=Where().add("1 = ?", 1))
    b = a.copy()
    b.where.add("2 = ?", 2)
    assert len(a.where) == 1 and len(b.where) == 2 and isinstance(b.where, Where)


# --- each field narrows ------------------------------------------------------------------


def test_empty_filter_keeps_every_passage(hand) -> None:
    assert names(hand, passages(hand[0])) == ALL
    assert names(hand, passages(hand[0], PassageFilter())) == ALL
    assert names(hand, passages(hand[0], PassageFilter(case_ids=[], roles=[]))) == ALL


@pytest.mark.parametrize(
    "field, column, value",
    [
        ("case_ids", "case_id", "Bland"),
        ("document_ids", "document_id", "D2"),
        ("kinds", "kind", "progress_report"),
        ("rounds", "round", "2021"),
        ("roles", "role", "interviewer"),
        ("roles", "role", "mbo"),
        ("code_ids", "code_id", None),
    ],
)
def test_each_field_narrows_to_its_own_column(hand, field, column, value) -> None:
    project, ids = hand
    every = passages(project)
    if field == "code_ids":
        value = resolve_code(project, "SAM.VMBO_MBO")["id"]
    elif field in ("case_ids", "document_ids"):
        value = ids[value]
    want = {r["coding_id"] for r in every if (r[column] or "").lower() == value.lower()}
    assert want and len(want) < len(every)
    got = passages(project, PassageFilter(**{field: [value]}))
    assert {r["coding_id"] for r in got} == want


def test_coder_document_role_and_case_attribute_narrow(hand) -> None:
    project, ids = hand
    bram = project.scalar("SELECT id FROM coders WHERE name = 'bram'")
    assert names(hand, passages(project, PassageFilter(coder_ids=[bram]))) == {
        "c3", "c9", "c12", "c16", "c17",
    }  # fmt: skip
    mbo = names(hand, passages(project, PassageFilter(document_roles=["mbo"])))
    assert mbo == {f"c{i}" for i in range(1, 11)}  # D1 and D2
    krimp = passages(project, parse_filters(project, ["krimp=ja"]))
    assert {r["case_name"] for r in krimp} == {"Aland"}
    assert names(hand, krimp) == {f"c{i}" for i in range(1, 13)}


def test_lists_or_within_and_across(hand) -> None:
    project, ids = hand
    both = passages(project, PassageFilter(rounds=["2021", "2022"]))
    assert names(hand, both) == ALL
    f = PassageFilter(case_ids=[ids["Aland"]], rounds=["2022"])
    one = names(hand, passages(project, PassageFilter(case_ids=[ids["Aland"]])))
    two = names(hand, passages(project, PassageFilter(rounds=["2022"])))
    assert names(hand, passages(project, f)) == one & two == {f"c{i}" for i in range(7, 13)}
    code = descendants(project, resolve_code(project, "BEL")["id"])
    f.code_ids = code
    assert names(hand, passages(project, f)) == {"c7", "c12"}


# --- the users share it ------------------------------------------------------------------


def test_retrieval_quote_bank_queries_and_matrix_choose_the_same_passages(hand) -> None:
    project, ids = hand
    bel = resolve_code(project, "BEL")["id"]
    items = ["case=Aland", "round=2022"]
    want = {"c7", "c12"}
    through_filter = passages(project, parse_filters(project, [*items, "code=BEL"]))
    assert names(hand, through_filter) == want
    retrieval = coded_segments(project, bel, case="aland", round="2022")
    assert names(hand, retrieval, "id") == want
    query = run_query(project, CodingQuery(["BEL"]), parse_filters(project, items))
    assert names(hand, query) == want
    bank = build_quote_bank(
        project, QuoteQuery(codes=["BEL"], cases=["Aland"], rounds=["2022"], merge="none")
    )
    assert {names(hand, [{"c": c}], "c").pop() for q in bank.quotes for c in q.coding_ids} == want
    plan = plan_matrix(project, MatrixSpec("case", "code", codes=["BEL"], filters=items))
    assert names(hand, cell_passages(project, plan)) == want
    # and the rows themselves agree: one definition of a passage
    assert [r["coding_id"] for r in fetch_passages(project, plan.filters.sql())] != []


def test_role_filter_agrees_between_retrieval_and_synthesis(hand) -> None:
    project, _ids = hand
    for role in ("mbo", "interviewer", "bedrijfsleven"):
        retrieval = names(hand, coded_segments(project, role=role), "id")
        synthesis = names(hand, passages(project, parse_filters(project, [f"role={role}"])))
        assert retrieval == synthesis and retrieval, role


def test_an_unknown_case_or_coder_in_retrieval_finds_nothing(hand) -> None:
    project, _ids = hand
    assert coded_segments(project, case="Nowhere") == []
    assert coded_segments(project, coder="nobody") == []
    assert len(coded_segments(project)) == 17


def test_parameters_survive_sqlite_quoting(hand) -> None:
    # A round written with a quote is matched as a value, not as SQL.
    project, _ids = hand
    f = PassageFilter(rounds=["2022' OR 1=1 --"])
    assert passages(project, f) == []
    with pytest.raises(sqlite3.ProgrammingError):
        project.conn.execute(*PassageFilter(rounds=["a"]).sql().render("k.id")[:1])
