"""A coding session in the real binary at 80×24 and at 160×48, margin labels on (issue 15)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

from tests.tui.fixtures import build_project
from tests.tui.test_tmux import Tmux, _codings, _command

pytestmark = [pytest.mark.tmux, pytest.mark.slow]


class SizedTmux(Tmux):
    def start_sized(self, project: Path, width: int, height: int) -> None:
        env = f"-u COLUMNS -u LINES CASEBOOK_CONFIG_DIR={shlex.quote(str(self.config))} TEXTUAL_ANIMATIONS=none"
        cmd = " ".join(
            shlex.quote(c)
            for c in [*_command(), "--project", str(project), "--coder", "tester", "tui"]
        )
        size = f"{width}x{height}"
        self.run(
            "start-server", ";", "set-option", "-g", "default-size", size, ";",
            "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
            f"exec env {env} {cmd}",
        )  # fmt: skip


@pytest.fixture
def sized(tmp_path: Path):
    t = SizedTmux(tmp_path)
    yield t
    t.close()


@pytest.mark.parametrize("width, height", [(80, 24), (160, 48)])
def test_coding_session_with_margin_labels(
    sized: SizedTmux, tmp_path: Path, width: int, height: int
) -> None:
    project = build_project(tmp_path / "p", words=400)
    sized.start_sized(project, width, height)
    sized.wait_for("Interviewer")
    screen = sized.wait_for("q Quit", timeout=10)
    footer = screen.rstrip("\n").splitlines()[-1]
    assert "Quit" in footer and "Help" in footer, footer
    assert len(screen.splitlines()[0]) <= width

    sized.keys("L", "x", "1")  # labels on, code the first sentence BEL.TIJD
    screen = sized.wait_for("TIJD 1/1")
    margin = [line for line in screen.splitlines() if line.split("▕", 1)[-1].startswith("TIJD")]
    assert margin, screen

    sized.keys("Escape", ")", ")", "x", "2")  # another sentence BEV.VISIE
    screen = sized.wait_for("VISIE 1/1")
    assert any(line.split("▕", 1)[-1].startswith("VISIE") for line in screen.splitlines()), screen

    sized.keys("u")  # undo the VISIE coding: its label leaves the margin
    screen = sized.wait_for("VISIE 0/0")
    assert not any(line.split("▕", 1)[-1].startswith("VISIE") for line in screen.splitlines())

    sized.keys("L")  # labels off again: the margin is gone, the stripes stay
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        screen = sized.screen()
        if not any(line.split("▕", 1)[-1].startswith("TIJD") for line in screen.splitlines()):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(screen)

    sized.keys("q")
    deadline = time.monotonic() + 15
    while sized.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not sized.alive(), "casebook did not quit on q"
    assert [r["path"] for r in _codings(project)] == ["BEL.TIJD"]
