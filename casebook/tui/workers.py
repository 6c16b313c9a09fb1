"""A project connection of its own for each piece of work off the main thread.

SQLite connections belong to the thread that made them, so a Textual
worker (``@work(thread=True)``) opens the project itself and must close it
however the work ends; screens that read once and let go use the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casebook.store.project import Project, open_project


@contextmanager
def worker_project(path: Path, coder: str | None = None) -> Iterator[Project]:
    """Open an existing project at ``path`` (as ``coder``) and close it when the block ends."""
    project = open_project(path, create=False, coder=coder)
    try:
        yield project
    finally:
        project.close()
