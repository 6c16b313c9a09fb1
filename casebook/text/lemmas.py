"""The Dutch lemma lookup table, prepared once on disk so each import reads only its own words.

spaCy's lookup lemmatizer loads the whole table from ``spacy-lookups-data``
(about 210,000 words, a gzipped JSON file) into a hashed table when the
pipeline is initialised: close to a CPU second at every start of ``casebook``,
while an import looks up a few thousand distinct words. So the table is copied
once into a small SQLite file in the user's cache folder (``$XDG_CACHE_HOME``
or ``~/.cache``, folder ``casebook``) and later processes ask it word by word.

Nothing is downloaded: the copy is made from the file the installed
``spacy-lookups-data`` package ships, and its name carries that file's path,
size and modification time, so an upgraded package gets a fresh copy. A
lookup gives exactly what spaCy's table gives (``table.get(word, default)``).
If the cache folder cannot be written, the table is read into memory as before.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from casebook.errors import CasebookError
from casebook.store.project import connect


class Lookup(Protocol):
    def get(self, word: str, default: str) -> str: ...


class _Cached:
    """Words looked up in the prepared SQLite copy, one indexed query each.

    A connection per thread: the workbench analyses imports in worker threads.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self._db().execute("SELECT lemma FROM lemma LIMIT 1").fetchall()  # a usable copy?

    def _db(self) -> sqlite3.Connection:
        db = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = connect(self.path)
        return db

    def get(self, word: str, default: str) -> str:
        row = self._db().execute("SELECT lemma FROM lemma WHERE word = ?", (word,)).fetchone()
        return default if row is None else row[0]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "casebook"


def source(lang: str = "nl") -> Path | None:
    """The lemma lookup file spaCy itself would load for ``lang``, if the data package is installed."""
    # spaCy takes a second to import; only building a new copy needs its registry
    from spacy.util import registry

    if lang not in registry.lookups:
        return None
    path = registry.lookups.get(lang).get("lemma_lookup")
    if not path:
        return None
    path = Path(path)  # spaCy reads the plain file if there is one, else the gzipped one
    return path if path.exists() else path.with_name(path.name + ".gz")


def table(lang: str = "nl") -> Lookup | None:
    """The lemma table for ``lang``, or None when ``spacy-lookups-data`` has none."""
    src = source(lang)
    if src is None or not src.exists():
        return None
    stat = src.stat()
    tag = hashlib.sha256(f"{src.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    prepared = cache_dir() / f"lemma-{lang}-{tag[:16]}.sqlite"
    if not prepared.exists():
        data = _read(src)
        try:
            _prepare(prepared, data)
        except OSError:  # a read-only home or a full disk: keep the table in memory
            return data
    try:
        return _Cached(prepared)
    except (sqlite3.Error, CasebookError):  # a damaged copy: this process reads the table itself
        return _read(src)


def _read(src: Path) -> dict[str, str]:
    if src.suffix != ".gz":
        return json.loads(src.read_text(encoding="utf8"))
    with gzip.open(src, "rt", encoding="utf8") as fh:
        return json.load(fh)


def _prepare(target: Path, data: dict[str, str]) -> None:
    """Write the copy under a temporary name and rename it, so a reader never sees half a table."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        db = connect(tmp, create=True)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("CREATE TABLE lemma (word TEXT PRIMARY KEY, lemma TEXT) WITHOUT ROWID")
            db.executemany("INSERT INTO lemma VALUES (?, ?)", sorted(data.items()))
            db.commit()
        finally:
            db.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.Error, CasebookError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(str(exc)) from exc
