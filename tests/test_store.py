from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.errors import ProjectError
from casebook.store.project import open_project
from casebook.store.schema import SCHEMA_VERSION


def test_new_project_has_pragmas_and_version(tmp_path: Path) -> None:
    p = open_project(tmp_path / "x.db")
    assert p.scalar("PRAGMA journal_mode") == "wal"
    assert p.scalar("PRAGMA foreign_keys") == 1
    assert p.scalar("PRAGMA busy_timeout") >= 1000
    assert p.scalar("PRAGMA user_version") == SCHEMA_VERSION
    tables = {r["name"] for r in p.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t in ("cases", "documents", "segments", "codes", "codings", "memos", "audit_log", "segments_fts"):
        assert t in tables
    p.close()


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    """A second open runs no migration: no schema change, and the data written in between stays."""
    p = open_project(tmp_path / "x.db")
    with p.transaction():
        p.conn.execute("INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Regio Oost', 'now')")
    # SQLite bumps the schema cookie on every CREATE/ALTER/DROP, even IF NOT EXISTS ones that act.
    cookie = p.scalar("PRAGMA schema_version")
    p.close()
    p = open_project(tmp_path / "x.db")
    try:
        assert p.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert p.scalar("PRAGMA schema_version") == cookie
        assert p.scalar("SELECT name FROM cases WHERE id = 'c1'") == "Regio Oost"
    finally:
        p.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(ProjectError, match="newer casebook"):
        open_project(path)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text", encoding="utf-8")
    with pytest.raises(ProjectError, match="not a casebook project"):
        open_project(path)


def test_missing_project_without_create(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project here"):
        open_project(tmp_path / "nope.db", create=False)


def test_audit_log_is_append_only(project) -> None:
    with project.transaction():
        project.audit("test", "thing", "1", after={"a": 1})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.conn.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.conn.execute("UPDATE audit_log SET action = 'x'")


def test_coding_check_constraints(coded_project) -> None:
    project, doc_id = coded_project
    code_id = project.scalar("SELECT id FROM codes WHERE path = 'BEL.TIJD'")
    coder_id = project.coder_id()
    with pytest.raises(sqlite3.IntegrityError):
        project.conn.execute(
            "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, created_at, modified_at)"
            " VALUES ('x', ?, ?, ?, 5, 3, 'ab', 'now', 'now')",
            (doc_id, code_id, coder_id),
        )
    with pytest.raises(sqlite3.IntegrityError):
        project.conn.execute(
            "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, created_at, modified_at)"
            " VALUES ('y', ?, ?, ?, 0, 3, 'abcd', 'now', 'now')",
            (doc_id, code_id, coder_id),
        )
    project.conn.rollback()


def test_killed_writer_leaves_committed_rows(tmp_path: Path) -> None:
    """A process killed mid-transaction loses only that transaction."""
    path = tmp_path / "k.db"
    open_project(path).close()
    script = f"""
import os, signal
from casebook.store.project import open_project
from casebook import cases
p = open_project({str(path)!r})
cases.ensure_case(p, "Kept")
p.conn.execute("BEGIN")
p.conn.execute("INSERT INTO cases (id, name, created_at) VALUES ('z', 'Lost', 'now')")
os.kill(os.getpid(), signal.SIGKILL)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode != 0
    p = open_project(path)
    names = [r["name"] for r in p.query("SELECT name FROM cases")]
    assert names == ["Kept"]
    assert p.scalar("PRAGMA integrity_check") == "ok"
    p.close()
