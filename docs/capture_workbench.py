"""Print a text capture of the workbench on the demo project, for the README.

Run from the repository root:  python docs/capture_workbench.py [--document NAME]

Builds the demo project in a temporary folder (as `casebook demo` does), opens
the real app headless at 120x40 on one document and prints the screen as text.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import tempfile
from pathlib import Path


async def capture(project: Path, document: str, width: int = 120, height: int = 40) -> str:
    from rich.console import Console

    from casebook.tui.app import make_app

    app = make_app(project, "anouk")
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause(1.0)
        screen = app.screen
        opener = getattr(screen, "open_document", None)
        if opener is not None:
            from casebook.core.documents import resolve_document

            opener(resolve_document(app.project, document)["id"])
            await pilot.pause(1.0)
        console = Console(
            width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
        )
        console.print(
            app.screen._compositor.render_update(full=True)
        )  # what export_screenshot draws
        return console.export_text()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--document", default="LIN_2022_mbo_Veenpoort.odt")
    args = parser.parse_args()
    from casebook.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "casebook.db"
        build_demo(project)
        print(asyncio.run(capture(project, args.document)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
