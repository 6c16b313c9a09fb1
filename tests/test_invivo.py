"""In-vivo codes: one parent, a name from the quote made unique, the quote as label."""

from __future__ import annotations

from casebook.codes.invivo import INVIVO_PARENT, add_invivo_code, unique_invivo_path
from casebook.core import history
from casebook.core.codings import add_coding


def test_first_invivo_code_makes_the_parent_once(project) -> None:
    first = add_invivo_code(project, "een vaste middag")
    second = add_invivo_code(project, "de planning  van\nhet team")
    assert first.path == f"{INVIVO_PARENT}.EEN_VASTE_MIDDAG"
    assert second.path == f"{INVIVO_PARENT}.DE_PLANNING_VAN_HET_TEAM"
    assert project.scalar("SELECT count(*) FROM codes WHERE path = ?", (INVIVO_PARENT,)) == 1
    row = project.query_one("SELECT label FROM codes WHERE id = ?", (second.id,))
    assert row == {"label": "de planning van het team"}  # whitespace folded


def test_the_same_words_twice_get_a_numbered_name(project) -> None:
    names = [add_invivo_code(project, "vaste middag").path for _ in range(3)]
    assert names == [
        f"{INVIVO_PARENT}.VASTE_MIDDAG",
        f"{INVIVO_PARENT}.VASTE_MIDDAG_2",
        f"{INVIVO_PARENT}.VASTE_MIDDAG_3",
    ]
    assert unique_invivo_path(project, "vaste middag") == f"{INVIVO_PARENT}.VASTE_MIDDAG_4"


def test_a_long_quote_is_shortened_in_the_label(project) -> None:
    code = add_invivo_code(project, "woord " * 30)
    label = project.scalar("SELECT label FROM codes WHERE id = ?", (code.id,))
    assert len(label) == 81 and label.endswith("…")


def test_one_undo_takes_the_coding_and_the_codes_it_made(coded_project) -> None:
    project, doc = coded_project
    with history.step(project, "in-vivo code"):
        code = add_invivo_code(project, "vaste middag")
        add_coding(project, doc, code.id, 0, 11)
    history.undo(project)
    assert project.scalar("SELECT count(*) FROM codes WHERE path LIKE 'INVIVO%'") == 0
    assert project.scalar("SELECT count(*) FROM codings") == 0
