"""Opening a project file: pragmas, migrations, transactions and the audit log.

A project is one SQLite file. Every user action runs in one transaction
(``Project.transaction``) that also appends to the audit log, so a crash or
kill leaves either the whole action or none of it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook.errors import ProjectError
from casebook.store.permissions import exposure_warning, make_private, private_umask
from casebook.store.schema import FOREIGN_KEYS_OFF, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> str:
    """UTC timestamps in ISO 8601, so files from coders in any zone sort together."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Project:
    """An open project file.

    casebook's own queries go straight to the ``sqlite3`` connection, and a
    transaction is a BEGIN or a savepoint on it; ``db`` wraps the same
    connection in sqlite-utils' ``Database`` for its table API, built when first
    asked for. Importing sqlite-utils loads numpy (about 0.2 CPU s), which a
    command like ``casebook import`` would otherwise pay on every run.
    """

    path: Path
    conn: sqlite3.Connection
    coder: str = "default"
    created: bool = False  # this call made the file (a failed first action may remove it)
    _coder_ids: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # one-line warnings for the front-end to show
    _db: Any = field(default=None, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            import sqlite_utils  # lazy: sqlite-utils: it imports numpy (about 0.2 CPU s)

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        self.conn.close()

    def is_blank(self) -> bool:
        """Nothing a user made is in here yet: no audited action, no document, code or case."""
        return not self.scalar(
            "SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM documents)"
            " + (SELECT count(*) FROM codes) + (SELECT count(*) FROM cases)"
        )

    def close_discarding_if_new(self) -> bool:
        """Close; if this run created the file and nothing was put in it, remove it again.

        Used when a first command fails (``casebook -p new.db import missing.docx``),
        so a typo does not leave an empty project behind. The files are removed only
        after the connection is closed (docs/decisions.md: no file access while open).
        """
        discard = self.created and self.is_blank()
        self.close()
        if discard:
            for f in project_files(self.path):
                f.unlink(missing_ok=True)
        return discard

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Project]:
        """One user action. Nested calls join the outer action via savepoints."""
        try:
            with _atomic(self.conn):
                yield self
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectError(
                    f"{self.path}: the project is locked by another program; "
                    "close it there and try again"
                ) from exc
            raise

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def coder_id(self, name: str | None = None) -> str:
        """The id of a coder, created on first use."""
        name = (name or self.coder).strip() or "default"
        if name in self._coder_ids:
            return self._coder_ids[name]
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
        if row:
            cid = row[0]
        else:
            cid = new_id()
            with self.transaction():
                self.conn.execute(
                    "INSERT INTO coders (id, name, created_at) VALUES (?, ?, ?)",
                    (cid, name, now()),
                )
        self._coder_ids[name] = cid
        return cid

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: str | None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Append to the audit log; call inside the action's transaction."""
        self.conn.execute(
            "INSERT INTO audit_log (at, coder, action, entity, entity_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                now(),
                self.coder,
                action,
                entity,
                entity_id,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ),
        )

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


@contextmanager
def _atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """All or nothing: a transaction, or inside one a savepoint that can be undone alone."""
    if not conn.in_transaction:
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # an error may already have ended it
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return
    name = f"casebook_{uuid.uuid4().hex}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended the whole transaction
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


@contextmanager
def autocommit(conn: sqlite3.Connection) -> Iterator[None]:
    """Statements that SQLite refuses inside a transaction (``journal_mode``, ``backup``)."""
    if conn.in_transaction:
        raise ProjectError("internal: a transaction is open where none may be")
    before = conn.isolation_level
    conn.isolation_level = None
    try:
        yield
    finally:
        conn.isolation_level = before


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")
    with autocommit(conn):
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file up to SCHEMA_VERSION; each step is its own transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ProjectError(
            f"this project was written by a newer casebook (schema {version}, "
            f"this one knows {SCHEMA_VERSION}); upgrade casebook to open it"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[target - 1]
        keys_off = script.lstrip().startswith(FOREIGN_KEYS_OFF)
        with autocommit(conn):
            if keys_off:  # only outside a transaction does this pragma take effect
                conn.execute("PRAGMA foreign_keys = OFF")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _split_sql(script):
                        conn.execute(statement)
                    if keys_off and conn.execute("PRAGMA foreign_key_check").fetchone():
                        raise ProjectError(
                            f"migration {target} would leave dangling references; "
                            "the project is unchanged"
                        )
                    conn.execute(f"PRAGMA user_version = {target}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            finally:
                if keys_off:
                    conn.execute("PRAGMA foreign_keys = ON")
    return SCHEMA_VERSION


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def project_files(path: str | Path) -> list[Path]:
    """The project file and the journal files SQLite keeps beside it."""
    path = Path(path)
    return [path, *(path.with_name(path.name + suffix) for suffix in JOURNAL_SUFFIXES)]


def is_project_file(candidate: str | Path, project_path: str | Path) -> bool:
    """Whether ``candidate`` is the project file or one of its journals (by inode, not name).

    Reading such a file with Python's ``open()`` would drop the process's SQLite
    locks on it (see docs/decisions.md, "No Python file access to an open project").
    ``os.stat`` opens no descriptor, so this check itself is safe.
    """
    try:
        target = Path(candidate).stat()
    except OSError:
        return False
    for f in project_files(project_path):
        try:
            st = f.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def connect(path: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """The one place casebook opens an SQLite connection to a file.

    Why one place: SQLite's locks are POSIX advisory locks, which belong to the
    process and vanish when *any* descriptor of the file is closed, including a
    plain ``open(path).close()`` done to peek at the header. Another process
    then believes it is alone, checkpoints and deletes the -wal this process
    still writes to, and work is lost. So the header is checked through SQLite
    itself (``SQLITE_NOTADB``), and the file is opened with ``mode=rw`` unless
    creating is meant, so a path that vanished is not silently recreated.
    """
    path = Path(path)
    uri = f"{path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.OperationalError as exc:
        raise ProjectError(f"{path}: cannot open the project file ({exc})") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise ProjectError(f"{path}: not a casebook project (not an SQLite file)") from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise
        raise ProjectError(
            f"{path}: cannot open the project ({exc}); is it a casebook file?"
        ) from exc
    return conn


def open_project(path: str | Path, *, create: bool = True, coder: str | None = None) -> Project:
    """Open (and if asked, create) a project file, migrating it forward.

    Only ``os.stat``-based checks happen before ``connect``; the file is never
    opened with Python's ``open()`` (see ``connect`` for why).
    """
    path = Path(path)
    created = False
    if not create and path.is_file() and path.stat().st_size == 0:
        raise ProjectError(
            f"{path}: empty file, not a casebook project; give the path of a project file"
        )
    if not path.exists():
        if not create:
            raise ProjectError(
                f"{path}: no project here; run `casebook import` or `casebook demo` to make one, "
                "or pass --project PATH"
            )
        if path.parent and not path.parent.exists():
            raise ProjectError(f"{path}: folder {path.parent} does not exist; create it first")
        created = True
    elif path.is_dir():
        raise ProjectError(f"{path}: is a folder; give the path of a .db project file")
    exposed = None if created else exposure_warning(path)
    conn: sqlite3.Connection | None = None
    try:
        with private_umask():  # a new project and its -wal/-shm are owner-only
            conn = connect(path, create=create)
            _configure(conn)
            migrate(conn)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise ProjectError(
            f"{path}: cannot open the project ({exc}); is it a casebook file?"
        ) from exc
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    if created:
        make_private(path, sidecars=True)
    project = Project(path=path, conn=conn, created=created)
    if exposed:
        project.notices.append(exposed)
    if coder:
        project.coder = coder
    if project.get_meta("created_at") is None:
        with project.transaction():
            project.set_meta("created_at", now())
            project.set_meta("name", path.stem)
    return project
