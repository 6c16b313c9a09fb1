"""What a workbench process knows about being served to a browser (no web imports here).

``casebook serve`` sets ``CASEBOOK_SERVED`` for the workbench processes it
starts. A colleague in a browser may sit at another machine, so a file the
workbench writes is named with the machine it is on.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

SERVED_ENV = "CASEBOOK_SERVED"


def served() -> bool:
    return bool(os.environ.get(SERVED_ENV))


def written_where(path: Path) -> str:
    """The full path of a written file, plus the server's name when the workbench runs in a browser."""
    where = str(Path(path).resolve())
    if served():
        where += f" on the server machine ({socket.gethostname()})"
    return where


def on_server(text: str) -> str:
    """A prompt for a path, saying whose disk the path is on when the workbench runs in a browser."""
    return f"{text} (a path on the server machine)" if served() else text
