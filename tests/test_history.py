from __future__ import annotations

import pytest

from casebook.codes.codebook import resolve_code
from casebook.core import history
from casebook.core.codings import add_coding, recode, remove_coding, set_coding_memo
from casebook.core.documents import set_status
from casebook.core.memos import get_memo, set_memo
from casebook.store.project import open_project


def _codings(project):
    return project.query(
        "SELECT id, code_id, start, end, memo FROM codings ORDER BY start, code_id"
    )


def _apply(project, doc, code, start, end):
    with history.step(project, f"apply {code}"):
        return add_coding(project, doc, resolve_code(project, code)["id"], start, end)


def test_undo_redo_apply_remove_recode_memo(coded_project) -> None:
    project, doc = coded_project
    visie = resolve_code(project, "BEV.VISIE")["id"]
    cid = _apply(project, doc, "BEL.TIJD", 0, 10)
    after_add = _codings(project)
    with history.step(project, "recode"):
        recode(project, cid, "BEV.VISIE")
    with history.step(project, "memo"):
        set_coding_memo(project, cid, "first thought")
    with history.step(project, "remove"):
        remove_coding(project, cid)
    assert _codings(project) == []

    assert history.undo(project).label == "remove"
    assert _codings(project)[0]["memo"] == "first thought"
    history.undo(project)
    assert _codings(project)[0]["memo"] is None
    history.undo(project)
    assert _codings(project)[0]["code_id"] != visie
    assert _codings(project) == after_add
    history.undo(project)
    assert _codings(project) == []
    assert history.undo(project) is None

    for _ in range(4):
        assert history.redo(project) is not None
    assert _codings(project) == []
    assert history.redo(project) is None
    history.undo(project)
    row = _codings(project)[0]
    assert row["code_id"] == visie and row["memo"] == "first thought"


def test_history_survives_restart(coded_project, tmp_path) -> None:
    project, doc = coded_project
    _apply(project, doc, "BEL.TIJD", 0, 10)
    _apply(project, doc, "BEV.VISIE", 12, 20)
    project.close()
    reopened = open_project(tmp_path / "project.db", coder="tester")
    try:
        step = history.undo(reopened)
        assert step.label == "apply BEV.VISIE" and doc in step.document_ids
        assert len(_codings(reopened)) == 1
    finally:
        reopened.close()
    again = open_project(tmp_path / "project.db", coder="tester")
    try:
        assert history.redo(again).label == "apply BEV.VISIE"
        assert len(_codings(again)) == 2
    finally:
        again.close()


def test_new_action_discards_redo(coded_project) -> None:
    project, doc = coded_project
    _apply(project, doc, "BEL.TIJD", 0, 10)
    history.undo(project)
    _apply(project, doc, "BEV.VISIE", 12, 20)
    assert history.redo(project) is None
    assert history.undo(project).label == "apply BEV.VISIE"
    assert history.undo(project) is None


def test_each_coder_has_own_history(coded_project, tmp_path) -> None:
    project, doc = coded_project
    _apply(project, doc, "BEL.TIJD", 0, 10)
    other = open_project(tmp_path / "project.db", coder="someone-else")
    try:
        assert history.undo(other) is None
    finally:
        other.close()
    assert history.undo(project) is not None


def test_memos_and_status_are_undoable(coded_project) -> None:
    project, doc = coded_project
    with history.step(project, "document memo"):
        set_memo(project, "document", doc, "eerste versie")
    with history.step(project, "document memo"):
        set_memo(project, "document", doc, "tweede versie")
    with history.step(project, "done"):
        set_status(project, doc, "done")
    history.undo(project)
    assert project.scalar("SELECT status FROM documents WHERE id = ?", (doc,)) == "new"
    history.undo(project)
    assert get_memo(project, "document", doc) == "eerste versie"
    history.undo(project)
    assert get_memo(project, "document", doc) == ""
    history.redo(project)
    assert get_memo(project, "document", doc) == "eerste versie"


def test_undo_and_redo_are_audited(coded_project) -> None:
    project, doc = coded_project
    _apply(project, doc, "BEL.TIJD", 0, 10)
    history.undo(project)
    history.redo(project)
    actions = [
        r["action"] for r in project.query("SELECT action FROM audit_log WHERE entity = 'coding'")
    ]
    assert actions == ["add", "undo", "redo"]


def test_conflict_is_reported_and_rolls_back(coded_project) -> None:
    project, doc = coded_project
    cid = _apply(project, doc, "BEL.TIJD", 0, 10)
    with history.step(project, "memo"):
        set_coding_memo(project, cid, "x")
    remove_coding(project, cid)  # outside history: e.g. another tool
    with pytest.raises(history.HistoryConflict, match="removed since"):
        history.undo(project)
    assert history.peek_undo(project).label == "memo"


def test_step_without_undoable_change_is_not_recorded(coded_project) -> None:
    project, doc = coded_project
    _apply(project, doc, "BEL.TIJD", 0, 10)
    _apply(project, doc, "BEL.TIJD", 0, 10)  # the same coding again: nothing written
    assert project.scalar("SELECT count(*) FROM undo_steps") == 1
