"""Undo of a step that created a code (in-vivo coding) removes the code only when unused."""

from __future__ import annotations

from casebook.codes import codebook
from casebook.core import history
from casebook.core.codings import add_coding


def _in_vivo(project, doc: str, name: str, start: int, end: int) -> str:
    with history.step(project, "in-vivo code"):
        if project.query_one("SELECT id FROM codes WHERE path = 'INVIVO'") is None:
            codebook.add_code(project, "INVIVO", label="In-vivo codes")
        code = codebook.add_code(project, f"INVIVO.{name}", label=name.lower())
        add_coding(project, doc, code, start, end)
    return code


def test_undo_and_redo_remove_and_restore_the_created_code(coded_project) -> None:
    project, doc = coded_project
    code = _in_vivo(project, doc, "VASTE_MIDDAG", 0, 11)
    history.undo(project)
    assert project.scalar("SELECT count(*) FROM codes WHERE path LIKE 'INVIVO%'") == 0
    assert project.scalar("SELECT count(*) FROM codings") == 0
    history.redo(project)
    row = project.query_one("SELECT id, path, label FROM codes WHERE id = ?", (code,))
    assert row == {"id": code, "path": "INVIVO.VASTE_MIDDAG", "label": "vaste_middag"}
    assert project.scalar("SELECT code_id FROM codings") == code


def test_undo_keeps_a_code_something_else_uses(coded_project) -> None:
    project, doc = coded_project
    first = _in_vivo(project, doc, "EERSTE", 0, 11)
    # another coder's coding on the same code, outside this coder's steps
    add_coding(project, doc, first, 20, 30, coder="someone-else")
    second = _in_vivo(project, doc, "TWEEDE", 40, 50)
    history.undo(project)  # the second step: its code goes, the shared group stays
    assert project.scalar("SELECT count(*) FROM codes WHERE id = ?", (second,)) == 0
    assert project.scalar("SELECT count(*) FROM codes WHERE path = 'INVIVO'") == 1
    history.undo(project)  # the first step: its coding goes, the code stays (still used)
    assert project.scalar("SELECT count(*) FROM codes WHERE id = ?", (first,)) == 1
    assert project.scalar("SELECT count(*) FROM codings WHERE code_id = ?", (first,)) == 1
