"""The workbench in a browser against the workbench in a terminal: opening and one keypress.

Run from the repository root:  python bench/serve.py [--words N] [--codings N] [--keys N] [--loads N]

It builds the project bench/tui.py uses (a generated transcript with codings),
serves it with the real `casebook serve` on 127.0.0.1 and drives Debian's
Chromium with Playwright (``executable_path``; skipped with a message when
either is missing). It prints side by side:

- opening: in the browser, from navigation start to the moment the first
  screen holding the document arrives (and the next animation frame, when it
  is on screen); it includes starting a Python process for the tab. In the
  terminal: interpreter start plus imports (a fresh ``python -c 'import
  casebook.tui.app'``) and, in process, building the app until the document is
  in the reader.
- one selection-extension keypress (``w``): in the browser, from the page's
  keydown event to the first screen update arriving over the websocket (and to
  the next animation frame); in the terminal, the in-app handler time plus the
  screen update it causes, timed as bench/tui.py does (no Pilot round trip).

Target: the browser keypress median <= 50 ms on localhost.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MARK = "lindeveen-mbo-2022"  # the document every bench project holds

# Timestamps taken inside the page, so the figures hold no Playwright round trips.
INSTRUMENT = """
window.__bench = {text: '', opened: null, first: null, painted: null, paintedFrame: null,
                  key: null, keyName: null, replies: [], frames: [], idle: 0};
const NativeSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new NativeSocket(url, protocols);
  const decoder = new TextDecoder();
  socket.addEventListener('open', () => { window.__bench.opened = performance.now(); });
  socket.addEventListener('message', (event) => {
    const now = performance.now();
    if (typeof event.data === 'string') return;
    const b = window.__bench;
    if (b.first === null) b.first = now;
    if (b.painted === null) {
      b.text += decoder.decode(event.data);
      if (b.text.includes('MARK')) {
        b.painted = now;
        requestAnimationFrame(() => { b.paintedFrame = performance.now(); });
      }
      return;
    }
    if (b.key === null) { b.idle += 1; return; }
    const start = b.key, name = b.keyName;
    b.key = null;
    b.replies.push([name, now - start]);
    requestAnimationFrame(() => b.frames.push([name, performance.now() - start]));
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
window.addEventListener('keydown', (event) => {
  window.__bench.key = performance.now();
  window.__bench.keyName = event.key;
}, true);
""".replace("MARK", MARK)


def load_terminal_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_tui", REPO / "bench" / "tui.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<52} n={len(values):<4} median {statistics.median(values):8.2f} ms"
        f"  p95 {pct(values, 0.95):8.2f} ms"
    )


def chromium() -> str | None:
    for candidate in (
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def browser_figures(project: Path, loads: int, keys: int) -> dict[str, list[float]] | None:
    executable = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: skipped (the playwright package is not installed)")
        return None
    if executable is None:
        print("browser: skipped (no chromium on this machine)")
        return None
    from tests.serving import serving

    figures: dict[str, list[float]] = {
        "opened": [],
        "first": [],
        "load": [],
        "load_frame": [],
        "key": [],
        "key_frame": [],
    }
    with serving(project, "--port", "0") as served, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.add_init_script(INSTRUMENT)
            page = None
            for _ in range(loads):
                if page is not None:
                    page.close()  # one tab at a time: each load starts a fresh workbench process
                page = context.new_page()
                page.goto(served.local("/"))
                page.wait_for_function("window.__bench.paintedFrame !== null", timeout=120_000)
                figures["opened"].append(page.evaluate("window.__bench.opened"))
                figures["first"].append(page.evaluate("window.__bench.first"))
                figures["load"].append(page.evaluate("window.__bench.painted"))
                figures["load_frame"].append(page.evaluate("window.__bench.paintedFrame"))
            assert page is not None
            page.wait_for_timeout(1500)  # let the opening settle
            idle_before = page.evaluate("window.__bench.idle")
            page.wait_for_timeout(2000)
            idle = page.evaluate("window.__bench.idle") - idle_before
            page.focus(".xterm-helper-textarea")
            for _ in range(keys):
                for key in ("Escape", "w", "w", "w"):
                    page.keyboard.press(key)
                    page.wait_for_function("window.__bench.key === null", timeout=10_000)
                    page.wait_for_timeout(40)  # let the rest of this key's frames drain
            replies = page.evaluate("window.__bench.replies")
            frames = page.evaluate("window.__bench.frames")
            figures["key"] = [ms for name, ms in replies if name == "w"]
            figures["key_frame"] = [ms for name, ms in frames if name == "w"]
            print(
                f"browser: {idle} unprompted screen updates in 2 s of idling (would skew key figures)"
            )
        finally:
            browser.close()
    return figures


async def terminal_open(project: Path, repeat: int) -> list[float]:
    from casebook.tui.app import make_app

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        app = make_app(project, "bench")
        async with app.run_test(size=(160, 50)) as pilot:
            while getattr(getattr(app.screen, "reader", None), "model", None) is None:
                await pilot.pause(0.001)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def import_time(repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import casebook.tui.app"], check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=25_000)
    parser.add_argument("--codings", type=int, default=500)
    parser.add_argument("--keys", type=int, default=30, help="rounds of escape + three w presses")
    parser.add_argument(
        "--loads", type=int, default=5, help="page loads (each starts a workbench process)"
    )
    args = parser.parse_args()

    terminal_bench = load_terminal_bench()
    folder = Path(tempfile.mkdtemp(prefix="casebook-bench-serve-"))
    try:
        coded, _plain, size = terminal_bench.build(folder, args.words, args.codings)
        print(
            f"transcript: {size}, {args.codings} codings; browser viewport 1400x900, terminal 160x50"
        )

        browser = browser_figures(coded, args.loads, args.keys)

        imports = import_time(args.loads)
        opened = asyncio.run(terminal_open(coded, args.loads))
        extends, _applies = asyncio.run(terminal_bench.measure_keys(coded, max(10, args.keys // 3)))
        terminal_keys = [r.total * 1000 for r in extends]

        print("\nopening the workbench")
        if browser:
            print(line("browser: navigation -> websocket open", browser["opened"]))
            print(line("browser: navigation -> first screen bytes", browser["first"]))
            print(line("browser: navigation -> document screen arrives", browser["load"]))
            print(
                line("browser: navigation -> that screen on the next frame", browser["load_frame"])
            )
        print(line("terminal: interpreter start + imports", imports))
        print(line("terminal: app built -> document in the reader", opened))
        total = statistics.median(imports) + statistics.median(opened)
        print(f"{'terminal: sum of the two medians':<52}        median {total:8.2f} ms")
        if browser:
            print(
                f"{'ratio browser / terminal (medians)':<52}               {statistics.median(browser['load']) / total:8.2f}"
            )

        print("\none keypress: w (extend the selection by a word)")
        if browser:
            print(line("browser: keydown -> screen update arrives", browser["key"]))
            print(line("browser: keydown -> next frame after it", browser["key_frame"]))
        print(line("terminal: handler + screen update (in-app)", terminal_keys))
        if browser:
            median = statistics.median(browser["key"])
            ratio = median / statistics.median(terminal_keys)
            print(f"{'ratio browser / terminal (medians)':<52}               {ratio:8.2f}")
            verdict = "met" if median <= 50 else "NOT met"
            print(f"target browser keypress median <= 50 ms: {verdict} ({median:.2f} ms)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
