"""``python -m casebook.tui PROJECT.db [CODER]``: the workbench without the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

from casebook.config import current_coder
from casebook.errors import CasebookError
from casebook.tui.app import run


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: python -m casebook.tui PROJECT.db [CODER]")
    try:
        run(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else current_coder())
    except CasebookError as exc:
        sys.exit(f"error: {exc}")


main()
