"""worker_project: a worker's own connection, closed however the work ends."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from casebook.errors import CasebookError
from casebook.store.project import open_project
from casebook.tui.workers import worker_project


def test_connection_is_closed_after_the_work_and_after_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_project(path, coder="tester").close()
    with worker_project(path, "tester") as project:
        assert project.coder == "tester" and project.scalar("SELECT 1") == 1
    with pytest.raises(sqlite3.ProgrammingError):
        project.conn.execute("SELECT 1")
    with pytest.raises(RuntimeError), worker_project(path) as failing:
        raise RuntimeError("the work failed")
    with pytest.raises(sqlite3.ProgrammingError):
        failing.conn.execute("SELECT 1")


def test_a_missing_project_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(CasebookError), worker_project(tmp_path / "missing.db"):
        pass
    assert not (tmp_path / "missing.db").exists()
