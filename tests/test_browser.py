"""The served workbench in a real Chromium, driven by Playwright's Python client.

Debian's `chromium` is used through ``executable_path`` (Playwright's own
browser download is never run). The test skips with a reason when either is
missing. The server binds 0.0.0.0 with a token, so the browser goes through
the whole token path (link, cookie, websocket); it connects to 127.0.0.1.

A screenshot of the workbench in the browser is kept under
``$TMPDIR/casebook-artifacts/``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from casebook.store.project import open_project
from tests.serving import serving
from tests.tui.fixtures import OPENERS, build_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = next(
    (
        p
        for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
        if p and Path(p).exists()
    ),
    None,
)

# Collects what the server sends to the page, so the test knows when the workbench is painted.
WATCH_SOCKET = """
window.__painted = '';
const NativeSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new NativeSocket(url, protocols);
  window.__rows = Number(new URL(url).searchParams.get('height'));
  const decoder = new TextDecoder();
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') window.__painted += decoder.decode(event.data);
  });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
"""


def artifacts() -> Path:
    folder = Path(tempfile.gettempdir()) / "casebook-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def codings(path: Path) -> list[dict]:
    p = open_project(path, create=False)
    try:
        return p.query(
            "SELECT k.start, k.end, k.quote, x.path, c.name AS coder FROM codings k"
            " JOIN codes x ON x.id = k.code_id JOIN coders c ON c.id = k.coder_id ORDER BY k.start"
        )
    finally:
        p.close()


def wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


def search_project(path: Path, query: str) -> list[dict]:
    from casebook.core.search import search

    p = open_project(path, create=False)
    try:
        return search(p, query)
    finally:
        p.close()


def shows(page, mark: int, needle: str) -> None:
    """Wait until the screen updates sent after ``mark`` hold ``needle``."""
    try:
        page.wait_for_function(
            "([mark, needle]) => window.__painted.slice(mark).includes(needle)",
            arg=[mark, needle],
            timeout=30_000,
        )
    except Exception:
        print("PAINTED:", page.evaluate("([mark]) => window.__painted.slice(mark)", [mark])[-3000:])
        raise


def open_workbench(context, url: str):
    page = context.new_page()
    page.add_init_script(WATCH_SOCKET)
    page.goto(url)
    page.wait_for_function("window.__painted.includes('lindeveen-mbo-2022')", timeout=90_000)
    page.wait_for_function("window.__painted.includes('Interviewer')", timeout=30_000)
    page.focus(".xterm-helper-textarea")
    return page


def test_browser_session_codes_with_keyboard_and_mouse_in_two_tabs(tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (CI installs Debian's chromium best effort)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    project = build_project(tmp_path / "p", words=400)
    text = open_project(project).query("SELECT text FROM document_texts")[0]["text"]

    with (
        serving(project, "--host", "0.0.0.0", "--port", "0") as served,
        sync_api.sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            link = served.local("/", token=served.token)

            # tab 1: select the first sentence with the keyboard and apply code 1 (BEL.TIJD)
            first = open_workbench(context, link)
            first.keyboard.press("s")
            first.keyboard.press("1")
            coded = wait_for(lambda: codings(project))
            assert [(c["path"], c["coder"]) for c in coded] == [("BEL.TIJD", "tester")]
            sentence = coded[0]
            assert sentence["start"] == 0 and sentence["quote"] == text[: sentence["end"]]
            assert sentence["quote"] in OPENERS  # exactly the interviewer's first question

            # the palette and search answer in the browser as in the terminal
            mark = first.evaluate("window.__painted.length")
            first.keyboard.press("Control+p")
            shows(first, mark, "commands")
            # choose the Search action from the palette (no Escape: a browser's escape is
            # parsed with a delay and could join the next key as alt+key)
            mark = first.evaluate("window.__painted.length")
            first.keyboard.type("Search")
            shows(first, mark, "full text, lemma or fuzzy")
            mark = first.evaluate("window.__painted.length")
            first.keyboard.press("Enter")
            shows(first, mark, "to find, enter to search")  # the cursor splits off the "w"
            first.keyboard.type("technieklokaal")
            first.keyboard.press("Enter")
            expected = len(search_project(project, "technieklokaal"))
            assert expected > 0
            shows(first, mark, f"{expected} hits")
            first.keyboard.press("Escape")

            # tab 2, open at the same time under another coder's name: drag over text with the
            # mouse and apply code 2 (BEV.VISIE)
            second = open_workbench(context, link + "&coder=lead")
            box = second.locator(".xterm-screen").bounding_box()
            assert box is not None
            row_height = box["height"] / second.evaluate("window.__rows")
            y = box["y"] + row_height * 6.5  # the respondent's first line, below the question
            second.mouse.move(box["x"] + box["width"] * 0.30, y)
            second.mouse.down()
            second.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
            second.mouse.up()
            second.keyboard.press("2")
            coded = wait_for(lambda: len(codings(project)) == 2 and codings(project))
            assert coded, "the mouse selection in the second tab was not coded"
            dragged = next(c for c in coded if c["path"] == "BEV.VISIE")
            assert dragged["coder"] == "lead"
            assert dragged["quote"] == text[dragged["start"] : dragged["end"]]
            assert dragged["start"] > sentence["end"] and len(dragged["quote"]) > 5

            # the first tab still works next to the second: undo there takes back its own coder's step
            first.bring_to_front()
            first.focus(".xterm-helper-textarea")
            first.keyboard.press("u")
            assert wait_for(lambda: [c["path"] for c in codings(project)] == ["BEV.VISIE"])

            second.wait_for_timeout(500)  # let the last frame reach the canvas
            shot = artifacts() / "browser-workbench.png"
            second.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            print(f"screenshot: {shot}")
        finally:
            browser.close()
