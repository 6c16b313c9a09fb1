"""Automatic backups before anything destructive (merges, codebook restructuring)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from casebook.store.permissions import make_private, private_dir, private_umask
from casebook.store.project import Project, connect


def backup_dir(project_path: Path) -> Path:
    return project_path.parent / f"{project_path.name}.backups"


def backup(project: Project, reason: str) -> Path:
    """Copy the live project (WAL included) with SQLite's online backup API.

    Never a file copy: reading the project with Python's ``open()`` would drop
    this process's SQLite locks on it (docs/decisions.md).
    """
    folder = private_dir(backup_dir(project.path))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reason)[:40]
    target = folder / f"{project.path.stem}-{stamp}-{safe}.db"
    with private_umask():
        dest = connect(target, create=True)
        try:
            project.conn.backup(dest)
        finally:
            dest.close()
    make_private(target, sidecars=True)
    return target


def list_backups(project: Project) -> list[Path]:
    folder = backup_dir(project.path)
    return sorted(folder.glob("*.db")) if folder.exists() else []
