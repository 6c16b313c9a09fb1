from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.codes.codebook import resolve_code
from casebook.core.codings import (
    add_coding,
    check_quotes,
    code_quote,
    codings_at,
    find_quote,
    list_codings,
    recode,
    remove_coding,
    set_coding_memo,
)
from casebook.core.documents import document_text
from casebook.core.memos import get_memo, set_memo
from casebook.errors import Ambiguous, InvalidInput, NotFound


def test_code_by_quote_stores_offsets_and_quote(coded_project) -> None:
    project, doc = coded_project
    cid = code_quote(project, doc, "BEL.TIJD", "De docenten hebben geen ruimte.", memo="rooster!")
    row = project.query_one("SELECT * FROM codings WHERE id = ?", (cid,))
    text = document_text(project, doc)
    assert text[row["start"] : row["end"]] == row["quote"] == "De docenten hebben geen ruimte."
    assert row["memo"] == "rooster!"
    assert project.scalar("SELECT status FROM documents WHERE id = ?", (doc,)) == "in_progress"
    assert project.query_one("SELECT * FROM audit_log WHERE entity = 'coding' AND action = 'add'")


def test_same_coding_twice_is_not_doubled(coded_project) -> None:
    project, doc = coded_project
    a = code_quote(project, doc, "BEL.TIJD", "Die is helder.")
    b = code_quote(project, doc, "BEL.TIJD", "Die is helder.")
    assert a == b
    assert project.scalar("SELECT count(*) FROM codings") == 1


def test_two_coders_same_passage_are_two_codings(coded_project) -> None:
    project, doc = coded_project
    code_quote(project, doc, "BEL.TIJD", "Die is helder.", coder="anouk")
    code_quote(project, doc, "BEL.TIJD", "Die is helder.", coder="bram")
    assert {r["coder"] for r in list_codings(project)} == {"anouk", "bram"}


def test_quote_errors(coded_project) -> None:
    project, doc = coded_project
    with pytest.raises(Ambiguous, match="--occurrence"):
        code_quote(project, doc, "BEL.TIJD", "de ")
    with pytest.raises(NotFound):
        code_quote(project, doc, "BEL.TIJD", "niet in de tekst")
    with pytest.raises(InvalidInput):
        code_quote(project, doc, "BEL.TIJD", "de ", occurrence=99)
    cid = code_quote(project, doc, "BEL.TIJD", "de ", occurrence=2)
    text = document_text(project, doc)
    row = project.query_one("SELECT start FROM codings WHERE id = ?", (cid,))
    assert row["start"] == text.find("de ", text.find("de ") + 1)


def test_offsets_out_of_range(coded_project) -> None:
    project, doc = coded_project
    code = resolve_code(project, "BEL.TIJD")
    with pytest.raises(InvalidInput, match="outside"):
        add_coding(project, doc, code["id"], 5, 10_000)
    with pytest.raises(InvalidInput):
        add_coding(project, doc, code["id"], 7, 7)


def test_remove_recode_memo_and_lookup(coded_project) -> None:
    project, doc = coded_project
    cid = code_quote(project, doc, "BEL.TIJD", "Die is helder.")
    start = project.scalar("SELECT start FROM codings WHERE id = ?", (cid,))
    assert [c["id"] for c in codings_at(project, doc, start + 2)] == [cid]
    recode(project, cid[:8], "BEV.VISIE")
    assert list_codings(project)[0]["code"] == "BEV.VISIE"
    set_coding_memo(project, cid, "helder = visie")
    assert get_memo(project, "coding", cid) == "helder = visie"
    remove_coding(project, cid)
    assert project.scalar("SELECT count(*) FROM codings") == 0
    actions = [
        r["action"]
        for r in project.query("SELECT action FROM audit_log WHERE entity = 'coding' ORDER BY seq")
    ]
    assert actions == ["add", "recode", "memo", "remove"]


def test_memos_on_targets(coded_project) -> None:
    project, doc = coded_project
    set_memo(project, "document", doc, "eerste indruk")
    set_memo(project, "document", doc, "tweede indruk")
    assert get_memo(project, "document", doc) == "tweede indruk"
    assert project.scalar("SELECT count(*) FROM memos") == 1
    set_memo(project, "project", None, "project memo")
    assert get_memo(project, "project", None) == "project memo"
    with pytest.raises(InvalidInput):
        set_memo(project, "planet", None, "x")


def test_find_quote_occurrences() -> None:
    assert find_quote("a b a b", "a", 2) == (4, 5)
    with pytest.raises(Ambiguous):
        find_quote("a b a b", "a")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_property_quote_equals_text_slice(coded_project, data) -> None:
    project, doc = coded_project
    text = document_text(project, doc)
    code = resolve_code(project, "SAM.VMBO_MBO")
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    cid = add_coding(
        project, doc, code["id"], start, end, coder=data.draw(st.sampled_from(["a", "b"]))
    )
    row = project.query_one("SELECT start, end, quote FROM codings WHERE id = ?", (cid,))
    assert row["quote"] == text[row["start"] : row["end"]]
    assert check_quotes(project) == []


# --- issue 17 point 6: one coder's overlapping codings of one code are one passage ------------


def _span(project, doc, quote):
    from casebook.core.codings import find_quote

    return find_quote(document_text(project, doc), quote)


def test_reapplying_a_covered_range_changes_nothing_and_adds_no_undo_step(coded_project) -> None:
    from casebook.core import history
    from casebook.core.codings import apply_coding

    project, doc = coded_project
    code = resolve_code(project, "BEL.TIJD")["id"]
    start, end = _span(
        project, doc, "Eerlijk gezegd kost het veel tijd. De docenten hebben geen ruimte."
    )
    with history.step(project, "first"):
        first = apply_coding(project, doc, code, start, end)
    audit_rows = project.scalar("SELECT count(*) FROM audit_log")
    steps = project.scalar("SELECT count(*) FROM undo_steps")
    inner = _span(project, doc, "De docenten hebben geen ruimte.")
    with history.step(project, "again"):
        again = apply_coding(project, doc, code, *inner)
    assert (first.status, again.status, again.id) == ("added", "exists", first.id)
    assert project.scalar("SELECT count(*) FROM audit_log") == audit_rows
    assert project.scalar("SELECT count(*) FROM undo_steps") == steps


def test_overlapping_and_touching_codings_merge_and_undo_restores_the_pieces(coded_project) -> None:
    from casebook.core import history
    from casebook.core.codings import apply_coding

    project, doc = coded_project
    code = resolve_code(project, "BEL.TIJD")["id"]
    text = document_text(project, doc)
    a = _span(project, doc, "Eerlijk gezegd kost het veel tijd.")
    b = _span(project, doc, "De docenten hebben geen ruimte.")
    set_coding_memo(project, add_coding(project, doc, code, *a), "eerste")
    add_coding(project, doc, code, *b)
    other_coder = add_coding(project, doc, code, a[0], b[1], coder="bram")
    assert project.scalar("SELECT count(*) FROM codings") == 3
    # a range from inside the first sentence to the space before the second touches both
    with history.step(project, "bridge"):
        merged = apply_coding(project, doc, code, a[0] + 8, b[0])
    assert merged.status == "merged" and len(merged.merged) == 2
    rows = project.query("SELECT * FROM codings WHERE id != ? ORDER BY start", (other_coder,))
    assert [(r["start"], r["end"]) for r in rows] == [(a[0], b[1])]
    assert rows[0]["quote"] == text[a[0] : b[1]] and rows[0]["memo"] == "eerste"
    # strictly touching: end == start merges too
    c = _span(project, doc, "We plannen nu een vaste middag in het rooster.")
    d_end = c[1]
    add_coding(project, doc, code, c[0], c[0] + 10)
    assert apply_coding(project, doc, code, c[0] + 10, d_end).status == "merged"
    assert (
        project.scalar("SELECT count(*) FROM codings WHERE start = ? AND end = ?", (c[0], d_end))
        == 1
    )
    # undo the bridge step? the touching merge came later; undo twice gets the pieces back
    history.undo(project)
    history.undo(project)
    pieces = project.query(
        "SELECT start, end FROM codings WHERE id != ? AND end <= ? ORDER BY start",
        (other_coder, b[1]),
    )
    assert [(r["start"], r["end"]) for r in pieces] == [a, b]


def test_matrix_counts_a_twice_coded_passage_once(coded_project) -> None:
    from casebook.synthesis.matrix import MatrixSpec, build_matrix

    project, doc = coded_project
    code = resolve_code(project, "BEL.TIJD")["id"]
    a = _span(project, doc, "Eerlijk gezegd kost het veel tijd. De docenten hebben geen ruimte.")
    b = _span(project, doc, "De docenten hebben geen ruimte.")
    add_coding(project, doc, code, a[0], a[0] + 20)
    add_coding(project, doc, code, a[0] + 10, a[1])
    add_coding(project, doc, code, *b)
    matrix = build_matrix(project, MatrixSpec(rows="case", cols="code", codes=["BEL.TIJD"]))
    assert matrix.total == 1
