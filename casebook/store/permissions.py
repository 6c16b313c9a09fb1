"""Owner-only modes for files that hold personal data.

Project files, their -wal/-shm companions, backups, coder packs and
pseudonymisation keys hold interview transcripts and the real names behind
every pseudonym, so they are created readable by their owner only (0600
files, 0700 folders) whatever the umask says. Exports meant to be shared are
not touched here and keep the usual modes.

Everything works on paths (``os.stat``/``os.chmod``) and on the process
umask: a database file is never opened or closed from Python while SQLite
may hold it, because closing any descriptor of a file drops SQLite's POSIX
locks on it.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_SIDECARS = ("-wal", "-shm", "-journal")
_umask_lock = threading.Lock()


@contextmanager
def private_umask() -> Iterator[None]:
    """Files created inside the block are owner-only (SQLite gives -wal/-shm the db's mode too)."""
    with _umask_lock:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


def make_private(path: Path, *, sidecars: bool = False) -> None:
    """Set 0600 on a file (and its SQLite companions when asked); missing files are skipped."""
    targets = [path] + ([Path(f"{path}{s}") for s in _SIDECARS] if sidecars else [])
    for target in targets:
        try:
            if stat.S_IMODE(target.stat().st_mode) & 0o077:
                os.chmod(target, PRIVATE_FILE)
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: the warning on open says what to do
            continue


def private_dir(folder: Path) -> Path:
    """Create a folder owner-only, or tighten one that casebook made earlier."""
    with private_umask():
        folder.mkdir(parents=True, exist_ok=True)
    try:
        if stat.S_IMODE(folder.stat().st_mode) & 0o077:
            os.chmod(folder, PRIVATE_DIR)
    except PermissionError:
        pass
    return folder


def exposure_warning(path: Path) -> str | None:
    """One line when others may read the project, with the command that fixes it."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o044:
        return None
    who = "everyone" if mode & 0o004 else "your group"
    return (
        f"{path}: the project (interview texts, real names) is readable by {who}; "
        f"make it private with: chmod go-rwx '{path}'*"
    )
