from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.errors import ProjectError
from casebook.store.project import connect, open_project
from casebook.store.schema import SCHEMA_VERSION


def test_new_project_has_pragmas_and_version(tmp_path: Path) -> None:
    p = open_project(tmp_path / "x.db")
    assert p.scalar("PRAGMA journal_mode") == "wal"
    assert p.scalar("PRAGMA foreign_keys") == 1
    assert p.scalar("PRAGMA busy_timeout") >= 1000
    assert p.scalar("PRAGMA user_version") == SCHEMA_VERSION
    tables = {r["name"] for r in p.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t in (
        "cases",
        "documents",
        "segments",
        "codes",
        "codings",
        "memos",
        "audit_log",
        "segments_fts",
    ):
        assert t in tables
    p.close()


def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    """A second open runs no migration: no schema change, and the data written in between stays."""
    p = open_project(tmp_path / "x.db")
    with p.transaction():
        p.conn.execute(
            "INSERT INTO cases (id, name, created_at) VALUES ('c1', 'Regio Oost', 'now')"
        )
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
    conn = connect(path, create=True)
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
from casebook.core import cases
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


# --- issue 17: no Python-level open/close of a project that SQLite holds ---------------------

HOLDER = """
import sys, time
from casebook.store.project import open_project
first = open_project(sys.argv[1], create=False)
first.scalar("SELECT count(*) FROM meta")
second = open_project(sys.argv[1], create=False)  # what every TUI worker does
second.close()
print("ready", flush=True)
sys.stdin.readline()
first.close()
"""


def test_a_second_open_keeps_the_first_connections_lock(tmp_path: Path) -> None:
    """After open/close of a second connection, another process still sees the first one's lock.

    SQLite in WAL mode keeps a SHARED lock on the database file while a connection is
    open; a process that can take the EXCLUSIVE lock believes it is alone and deletes
    the -wal on close. F_GETLK asks the kernel whether a write lock on SQLite's shared
    byte range would conflict, i.e. whether the holder's lock survived.
    """
    import fcntl
    import os
    import struct

    path = tmp_path / "held.db"
    open_project(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        shared_first, shared_size = 0x40000000 + 2, 510  # SQLite's PENDING_BYTE + 2, SHARED_SIZE
        fd = os.open(path, os.O_RDWR)  # this test process holds no SQLite connection to it
        try:
            query = struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, shared_first, shared_size, 0)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        finally:
            os.close(fd)
        lock_type = struct.unpack("hhqqi4x", answer)[0]
        assert lock_type != fcntl.F_UNLCK, (
            "the holder's SQLite lock on the project file was dropped"
        )
    finally:
        holder.communicate("\n", timeout=30)


def test_only_the_store_opens_sqlite_connections() -> None:
    """One place opens connections (casebook.store.project.connect), so the rule lives in one place."""
    root = Path(__file__).resolve().parents[1] / "casebook"
    offenders = [
        str(f.relative_to(root))
        for f in root.rglob("*.py")
        if "sqlite3.connect(" in f.read_text(encoding="utf-8")
        and f != root / "store" / "project.py"
    ]
    assert offenders == []


def test_importing_the_project_file_itself_is_refused(coded_project) -> None:
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.errors import ImportFailed

    project, _ = coded_project
    for f in (project.path, project.path.with_name(project.path.name + "-wal")):
        with pytest.raises(ImportFailed, match="the project's own file"):
            import_file(project, f, DocumentMeta(case="X"))
