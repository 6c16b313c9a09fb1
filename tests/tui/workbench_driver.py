"""A real workbench in its own process, driven line by line from a test.

``python -m tests.tui.workbench_driver PROJECT`` starts the Textual app
headless (``run_test`` + Pilot, the same app ``casebook`` runs) and reads one
command per line on stdin; it answers one JSON line per command on stdout.
The test in ``test_shared_project.py`` uses it to put the workbench in one
process and the command line in another, and to SIGKILL the workbench.

Commands:
  search WORD      open the search screen (a second connection), search, close it
  segments         open coded segments of the coding under the cursor, close it
  code N           go to sentence N of the open document, select it, press shortcut 1
  quit             press q and wait for the app to end
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from casebook.tui.app import make_app

SIZE = (140, 40)


def say(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


async def wait_until(pilot: Any, check: Any, what: str, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        await pilot.pause(0.02)


async def main(project: Path) -> None:
    from textual.widgets import DataTable, Label

    from casebook.tui.screens.coding import CodingScreen
    from casebook.tui.screens.search import SearchScreen
    from casebook.tui.screens.segments import SegmentsScreen

    app = make_app(project, "tester")
    loop = asyncio.get_running_loop()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CodingScreen) and app.screen.reader.model is not None,
            "the first document",
        )
        coding_screen = app.screen
        say(ready=True)
        while True:
            line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if not line:
                return
            command, _, arg = line.partition(" ")
            if command == "search":
                await pilot.press("slash")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, SearchScreen), "search screen"
                )
                app.screen.query_one("#search-query").value = arg
                await pilot.press("enter")
                status = app.screen.query_one("#search-status", Label)
                await wait_until(
                    pilot, lambda status=status: "hit" in str(status.render()), "search results"
                )
                hits = len(app.screen.hits)
                await pilot.press("escape")
                await wait_until(pilot, lambda: app.screen is coding_screen, "back to the reader")
                say(hits=hits)
            elif command == "segments":
                await pilot.press("o")
                await wait_until(pilot, lambda: isinstance(app.screen, SegmentsScreen), "segments")
                table = app.screen.query_one(DataTable)
                await app.workers.wait_for_complete()
                await pilot.pause()
                rows = table.row_count
                await pilot.press("escape")
                await wait_until(pilot, lambda: app.screen is coding_screen, "back to the reader")
                say(rows=rows)
            elif command == "code":
                reader = coding_screen.reader
                model = reader.model
                start = 0
                for _ in range(int(arg)):
                    start = model.next_unit("sentence", start)
                reader.move_to(start)
                await pilot.press("x", "1")
                await pilot.pause()
                row = app.project.query_one(
                    "SELECT k.id, k.start, k.end FROM codings k JOIN coders o ON o.id = k.coder_id "
                    "WHERE o.name = 'tester' AND k.start <= ? AND k.end > ? ORDER BY k.created_at DESC",
                    (start, start),
                )
                say(coding=row)
            elif command == "quit":
                await pilot.press("q")
                await wait_until(pilot, lambda: not app.is_running, "quit", timeout=10)
                say(quit=True)
                return
            else:
                say(error=f"unknown command {command}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
