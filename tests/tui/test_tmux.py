"""The real `casebook` binary in tmux: apply a code with keys, quit, or be killed.

A private tmux server (``-L``) is used so the test's environment reaches
the program and no user session is touched.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from casebook.store.project import open_project
from tests.tui.fixtures import build_project

pytestmark = [pytest.mark.tmux, pytest.mark.slow]

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed", allow_module_level=True)


def _command() -> list[str]:
    # the casebook of this interpreter first: a `casebook` earlier on PATH may be another install
    beside = Path(sys.executable).parent / "casebook"
    exe = str(beside) if beside.exists() else shutil.which("casebook")
    return [exe] if exe else [sys.executable, "-m", "casebook"]


class Tmux:
    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"casebook-test-{uuid.uuid4().hex[:8]}"
        self.session = "cb"
        self.config = tmp_path / "config"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )

    def start(self, project: Path) -> None:
        # pytest exports COLUMNS=80 LINES=24, which would beat the real pane size
        env = f"-u COLUMNS -u LINES CASEBOOK_CONFIG_DIR={shlex.quote(str(self.config))} TEXTUAL_ANIMATIONS=none"
        cmd = " ".join(
            shlex.quote(c)
            for c in [*_command(), "--project", str(project), "--coder", "tester", "tui"]
        )
        # default-size first: otherwise the program may start at 80x24 before the window grows
        self.run(
            "start-server",
            ";",
            "set-option",
            "-g",
            "default-size",
            "140x40",
            ";",
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "140",
            "-y",
            "40",
            f"exec env {env} {cmd}",
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:  # one at a time: tmux would glue an escape to the next key
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.session, check=False).returncode == 0

    def pid(self) -> int:
        return int(
            self.run("list-panes", "-t", self.session, "-F", "#{pane_pid}").stdout.split()[0]
        )

    def close(self) -> None:
        self.run("kill-server", check=False)


@pytest.fixture
def tmux(tmp_path: Path):
    t = Tmux(tmp_path)
    yield t
    t.close()


def _codings(path: Path) -> list[dict]:
    p = open_project(path, create=False)
    try:
        return p.query("SELECT x.path, k.quote FROM codings k JOIN codes x ON x.id = k.code_id")
    finally:
        p.close()


def _first_sentence(path: Path) -> str:
    p = open_project(path, create=False)
    try:
        row = p.query_one(
            "SELECT start, end, document_id FROM segments WHERE kind = 'sentence' ORDER BY start"
        )
        text = p.scalar(
            "SELECT text FROM document_texts WHERE document_id = ?", (row["document_id"],)
        )
        return text[row["start"] : row["end"]]
    finally:
        p.close()


def test_apply_with_keys_then_quit(tmux: Tmux, tmp_path: Path) -> None:
    project = build_project(tmp_path / "p", words=400)
    tmux.start(project)
    tmux.wait_for("casebook · test project")
    tmux.wait_for("Interviewer")
    tmux.keys("x", "1")
    tmux.wait_for("TIJD 1/1 Tijd")
    tmux.keys("q")
    deadline = time.monotonic() + 15
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive(), "casebook did not quit on q"
    assert _codings(project) == [{"path": "BEL.TIJD", "quote": _first_sentence(project)}]


def test_sigkill_right_after_apply_keeps_the_coding(tmux: Tmux, tmp_path: Path) -> None:
    project = build_project(tmp_path / "p", words=400)
    tmux.start(project)
    tmux.wait_for("Interviewer")
    pid = tmux.pid()
    tmux.keys("x", "2")
    tmux.wait_for("VISIE 1/1 Visie")  # drawn after the commit, in the same handler
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [r["path"] for r in _codings(project)] == ["BEV.VISIE"]
