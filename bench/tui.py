"""Workbench speed on a long transcript: open, extend a selection, apply a code.

Run from the repository root:  python bench/tui.py [--words N] [--codings N] [--keys N]

It builds a project with a generated transcript of 25,000 words carrying 500
codings (and a copy of the same document without codings), drives the app
headless and prints, each against its own target:

- time to open the document and paint it, with and without codings (target:
  ratio <= 2);
- median and 95th percentile of one selection-extension keypress (target:
  median <= 16 ms);
- the same for one apply-code action, database commit and undo step included
  (target: median <= 16 ms); both again with margin labels on (``L``).
  Each run codes a fresh copy of the project, and an apply key that found
  its passage coded with that code already (a cheap "already coded" answer,
  no coding written) is left out of the apply figures and counted apart;
  each action passes or fails on its own, never pooled with another;
- the same figure for Textual's stock read-only TextArea moving a selection
  on the same text, as a baseline (no target).

Each figure is the handler time (measured by ``casebook.tui.timing``) plus
the wait from the handler's end until the screen has been painted with its
result: the bench asks for callbacks with Textual's public
``call_after_refresh``, which run once the messages the keypress caused are
handled and the screen is updated (see ``watch_updates``; no private Textual
timers). Frame pacing would add up to 1/60 s, so the bench sets Textual's
documented ``TEXTUAL_FPS`` to 1000 (pacing under 1 ms). The Pilot round trip
is not included; a floor (the callbacks with nothing to paint) is printed.
Beside each figure the bench prints the main thread's CPU time from the
handler's end until painted: on a shared machine the wall-clock figure
also holds the time the process waited for a core, and the CPU figure
tells that wait apart from the work the keypress caused.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("TEXTUAL_FPS", "1000")  # read when Textual is first imported

SIZE = (160, 50)


def build(folder: Path, words: int, n_codings: int) -> tuple[Path, Path, str]:
    """Two project files holding the same transcript: one with codings, one without."""
    from casebook.codes.codebook import all_codes
    from casebook.core.documents import list_documents
    from casebook.store.project import new_id, now, open_project
    from tests.tui.fixtures import build_project

    plain = build_project(folder, words=words, name="plain.db")
    coded = folder / "coded.db"
    shutil.copy(plain, coded)
    p = open_project(coded, coder="bench")
    try:
        doc = list_documents(p)[0]
        text = p.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc["id"],))
        codes = [c["id"] for c in all_codes(p)]
        rng = random.Random(3)
        coder_id = p.coder_id()
        stamp = now()
        rows = set()
        while len(rows) < n_codings:
            start = rng.randrange(0, len(text) - 2000)
            end = start + rng.randint(20, 1500)
            rows.add((start, end, rng.choice(codes)))
        with p.transaction():
            p.conn.executemany(
                "INSERT INTO codings (id, document_id, code_id, coder_id, start, end, quote, created_at,"
                " modified_at) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (new_id(), doc["id"], c, coder_id, s, e, text[s:e], stamp, stamp)
                    for s, e, c in rows
                ],
            )
        n_words = len(text.split())
    finally:
        p.close()
    return coded, plain, f"{n_words} words, {len(text)} characters"


def watch_updates(app: Any) -> Any:
    """Switch the app's stopwatch on; each record gets the wait until the screen shows it.

    ``casebook.tui.timing.timed`` appends a record when a handler ends. At that
    moment a callback is queued with ``call_after_refresh``, and from it a
    second one: the first may run before a widget's repaint request reaches
    the screen, the second runs only after the update that follows. The
    record's ``refresh`` is the time until the second runs (an upper bound;
    the bench prints the same two hops with nothing to paint as a floor).
    Returns the records still waiting.
    """
    from casebook.tui.timing import Stopwatch

    waiting: list[Any] = []

    class Records(list):
        def append(self, record: Any) -> None:
            super().append(record)
            waiting.append(record)
            done, cpu = time.perf_counter(), time.thread_time()

            def painted() -> None:
                record.refresh = time.perf_counter() - done
                record.cpu = time.thread_time() - cpu
                waiting.remove(record)

            app.call_after_refresh(lambda: app.call_after_refresh(painted))

    app.stopwatch = Stopwatch(records=Records())
    return waiting


async def settle(pilot: Any, waiting: list[Any]) -> None:
    """Wait until every timed action has been painted, so no figure holds the next key's work."""
    for _ in range(200):
        await pilot.pause()
        if not waiting:
            return
    raise SystemExit("a timed action never reached the screen")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(name: str, records: list[Any]) -> str:
    handler = [r.handler * 1000 for r in records]
    total = [r.total * 1000 for r in records]
    cpu = [getattr(r, "cpu", 0.0) * 1000 for r in records]
    return (
        f"{name:<34} n={len(records):<4} handler median {statistics.median(handler):6.2f} ms"
        f"  p95 {pct(handler, 0.95):6.2f} ms | until painted median {statistics.median(total):6.2f} ms"
        f"  p95 {pct(total, 0.95):6.2f} ms | CPU after handler {statistics.median(cpu):6.2f} ms"
    )


async def measure_open(path: Path, repeat: int) -> tuple[list[float], int, int]:
    from casebook.tui.app import make_app

    app = make_app(path, "bench")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        waiting = watch_updates(app)
        doc_id = screen.document["id"]
        from casebook.tui.timing import timed

        for _ in range(repeat):
            with timed(app, "open"):
                screen.open_document(doc_id)
            await settle(pilot, waiting)
        totals = [r.total for r in app.stopwatch.records]
        model = screen.reader.model
        return totals, len(model.rows), len(model.codings)


async def measure_keys(
    path: Path, n: int, labels: bool = False
) -> tuple[list[Any], list[Any], list[Any], int]:
    """Selection extensions and apply-code actions on a fresh copy of ``path``.

    A copy, because a run codes passages: a second run on the same file would
    find them coded already and time the cheap "already coded" answer. Only
    applies that changed the document's codings count as apply figures; the
    number that did not is returned so the bench can say so.
    """
    from casebook.tui.app import make_app

    fresh = path.with_name(f"{path.stem}-keys-{'labels' if labels else 'plain'}{path.suffix}")
    shutil.copy(path, fresh)
    app = make_app(fresh, "bench")
    unchanged: list[Any] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        waiting = watch_updates(app)
        reader = app.screen.reader
        if labels:
            await pilot.press("L")
        reader.move_to(len(reader.model.text) // 3, centre=True)
        await pilot.pause()
        shortcuts = "123"
        for i in range(n):
            # each key gets its own screen update, so no figure carries another key's repaint
            for key in (
                "escape",
                "right_parenthesis",
                "right_parenthesis",
                "s",
                "w",
                "s",
                shortcuts[i % 3],
            ):
                before = set(reader.model.codings) if key == shortcuts[i % 3] else None
                await pilot.press(key)
                await settle(pilot, waiting)
                if before is not None and set(reader.model.codings) == before:
                    unchanged.append(app.stopwatch.records[-1])
        from casebook.tui.timing import Timing

        for _ in range(40):  # the floor: the same callbacks with nothing to paint
            app.stopwatch.records.append(Timing("floor", 0.0))
            await settle(pilot, waiting)
        records = app.stopwatch.records
        warm = len(records) // 10
        extends = [r for r in records[warm:] if r.action == "extend"]
        applies = [
            r for r in records[warm:] if r.action == "apply" and all(r is not u for u in unchanged)
        ]
        floor = [r for r in records if r.action == "floor"]
        return extends, applies, floor, len(unchanged)


async def measure_textarea(text: str, n: int) -> list[Any]:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from casebook.tui.timing import Stopwatch, timed

    class TimedArea(TextArea):
        def action_cursor_word_right(self, select: bool = False) -> None:
            with timed(self.app, "textarea"):
                super().action_cursor_word_right(select)

    class Baseline(App[None]):
        stopwatch: Stopwatch | None = None

        def compose(self) -> ComposeResult:
            yield TimedArea(text, read_only=True, soft_wrap=True)

    app = Baseline()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        area = app.query_one(TimedArea)
        area.focus()
        area.move_cursor((len(area.document.lines) // 3, 0))
        await pilot.pause()
        waiting = watch_updates(app)
        for _ in range(n):
            await pilot.press("ctrl+shift+right")
            await settle(pilot, waiting)
        records = app.stopwatch.records
        return records[len(records) // 10 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=25_000)
    parser.add_argument("--codings", type=int, default=500)
    parser.add_argument(
        "--keys", type=int, default=80, help="apply actions to time (3 extensions each)"
    )
    parser.add_argument("--opens", type=int, default=7)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="casebook-bench-"))
    try:
        t0 = time.perf_counter()
        coded, plain, size = build(folder, args.words, args.codings)
        print(
            f"transcript: {size}; project built in {time.perf_counter() - t0:.1f} s; terminal {SIZE[0]}x{SIZE[1]}"
        )

        with_codings, rows, n_codings = asyncio.run(measure_open(coded, args.opens))
        without, _rows, _n = asyncio.run(measure_open(plain, args.opens))
        a, b = statistics.median(with_codings) * 1000, statistics.median(without) * 1000
        print(f"open + paint, {n_codings} codings ({rows} display rows)   median {a:7.2f} ms")
        print(f"open + paint, no codings                       median {b:7.2f} ms")
        verdicts = [("open ratio", a / b, 2.0, "")]
        print(f"ratio with / without codings                   {a / b:7.2f}   (target <= 2)")

        extends, applies, floor, skipped = asyncio.run(measure_keys(coded, args.keys))
        print(summary("floor: callbacks, nothing to paint", floor))
        print(summary("selection extension (w / s)", extends))
        print(summary("apply code (commit + undo step)", applies))
        l_extends, l_applies, _, l_skipped = asyncio.run(
            measure_keys(coded, args.keys, labels=True)
        )
        print(summary("extension, margin labels on", l_extends))
        print(summary("apply, margin labels on", l_applies))
        print(
            f"apply keys left out (the passage was coded with that code already): "
            f"{skipped} of {args.keys}, labels on {l_skipped} of {args.keys}"
        )
        for name, records in (
            ("selection extension", extends),
            ("apply code", applies),
            ("extension, margin labels on", l_extends),
            ("apply, margin labels on", l_applies),
        ):
            verdicts.append(
                (f"{name} median", statistics.median(r.total for r in records) * 1000, 16.0, " ms")
            )

        from casebook.core.documents import document_text, list_documents
        from casebook.store.project import open_project

        p = open_project(plain)
        text = document_text(p, list_documents(p)[0]["id"])
        p.close()
        baseline = asyncio.run(measure_textarea(text, args.keys * 2))
        print(summary("baseline: TextArea word selection", baseline))
        for name, value, target, unit in verdicts:
            verdict = "met" if value <= target else "NOT met"
            print(f"{name:<30} {value:7.2f}{unit:<3}  target <= {target:g}{unit}: {verdict}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
