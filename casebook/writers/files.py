"""Saving a deliverable: the ways a save fails, each as one line the user can act on.

Every writer (Word, spreadsheets, CSV) saves through here, so a missing
folder, a file held open by Excel or a folder with the file's name reads the
same whichever export hit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from casebook.errors import InvalidInput


@contextmanager
def saving(path: Path | str) -> Iterator[None]:
    """Turn the OS errors of writing ``path`` into InvalidInput naming the file and what to do."""
    path = Path(path)
    try:
        yield
    except IsADirectoryError as exc:
        ending = f" ending in {path.suffix}" if path.suffix else ""
        raise InvalidInput(f"{path}: is a folder; give a file name{ending}") from exc
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: folder {path.parent} does not exist; create it first") from exc
    except PermissionError as exc:
        raise InvalidInput(
            f"{path}: cannot write here (permission denied, or the file is open elsewhere)"
        ) from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write here ({exc.strerror or exc})") from exc


def open_for_writing(path: Path | str, encoding: str = "utf-8") -> TextIO:
    """A text file opened for a CSV writer (``newline=""``), with save errors as one line."""
    with saving(path):
        return Path(path).open("w", newline="", encoding=encoding)
