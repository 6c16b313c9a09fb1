"""The workbench and the command line share one project file: nothing is lost.

The workbench runs in its own process (``workbench_driver``: the real app,
headless, driven by Pilot) and opens extra connections the way a user does
(search, coded segments). This test process plays the second terminal: it
runs real ``casebook`` commands (the click CLI, in this process) that read
and write codings. Then the workbench codes and is killed (SIGKILL) or quits.
Every coding either side reported must be in the file afterwards, and the
workbench must never hold a deleted -wal or -shm (which is how the lost
codings looked from outside: ``/proc/PID/fd`` pointing at ``(deleted)``).

Each test runs 20 rounds on the same project, so codings of earlier rounds
must survive the later ones too.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.cli import cli
from casebook.store.project import open_project
from tests.tui.fixtures import build_project

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 20

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path("/proc/self/fd").is_dir(), reason="needs /proc to inspect descriptors"
    ),
]


class Workbench:
    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.tui.workbench_driver", str(project)],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.read().get("ready"), "the workbench did not start"

    def read(self, timeout: float = 180.0) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise AssertionError(f"the workbench did not answer within {timeout} s")
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise AssertionError(f"the workbench ended: {self.proc.stderr.read()[-3000:]}")
        return json.loads(line)

    def ask(self, command: str) -> dict:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.read()
        assert "error" not in answer, answer
        return answer

    def deleted_journal_files(self) -> list[str]:
        """Descriptors of this process that point at a deleted -wal or -shm (lsof's view)."""
        found = []
        fd_dir = Path(f"/proc/{self.proc.pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if "(deleted)" in target and ("-wal" in target or "-shm" in target):
                found.append(target)
        return found

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.close_pipes()

    def quit(self) -> None:
        assert self.ask("quit") == {"quit": True}
        self.proc.stdin.close()
        assert self.proc.wait(timeout=20) == 0, self.proc.stderr.read()[-3000:]
        self.close_pipes()

    def close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe and not pipe.closed:
                pipe.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.close_pipes()


def casebook(project: Path, *args: str) -> str:
    """One `casebook` command as the second terminal runs it."""
    result = CliRunner().invoke(cli, ["--project", str(project), "--coder", "cli", *args])
    assert result.exit_code == 0, result.output
    return result.output


def cli_code(project: Path, document: str, start: int, end: int) -> str:
    out = casebook(
        project, "code", document, "--code", "BEL.GELD", "--start", str(start), "--end", str(end)
    )
    return out.strip().splitlines()[-1]


def coding_ids(project: Path) -> set[str]:
    p = open_project(project, create=False)
    try:
        assert p.scalar("PRAGMA integrity_check") == "ok"
        return {r["id"] for r in p.query("SELECT id FROM codings")}
    finally:
        p.close()


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, str, dict[str, str]]:
    project = build_project(tmp_path / "p", words=1500)
    p = open_project(project, create=False)
    try:
        document = p.scalar("SELECT id FROM documents")
    finally:
        p.close()
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(TEXTUAL_ANIMATIONS="none", CASEBOOK_CONFIG_DIR=str(tmp_path / "config"))
    return project, document, env


def one_round(
    project: Path, document: str, env: dict[str, str], n: int, reported: set[str]
) -> Workbench:
    bench = Workbench(project, env)
    try:
        assert bench.ask("search docenten")["hits"] > 0
        casebook(project, "stats")
        reported.add(cli_code(project, document, 20 * n, 20 * n + 5))
        assert bench.deleted_journal_files() == []
        coded = bench.ask(f"code {2 * n + 1}")["coding"]  # every other sentence: no merging
        assert coded, "the workbench did not code"
        reported.add(coded["id"])
        assert bench.ask("segments")["rows"] > 0
        casebook(project, "codings")
        reported.add(cli_code(project, document, 20 * n + 10, 20 * n + 15))
        assert bench.deleted_journal_files() == []
    except BaseException:
        bench.stop()
        raise
    return bench


def test_sigkilled_workbench_and_cli_lose_nothing(shared) -> None:
    project, document, env = shared
    reported: set[str] = set()
    for n in range(ROUNDS):
        bench = one_round(project, document, env, n, reported)
        bench.kill()
        missing = reported - coding_ids(project)
        assert not missing, f"round {n + 1}: {len(missing)} reported codings are not in the file"
    assert len(reported) == 3 * ROUNDS


def test_quitting_workbench_and_cli_lose_nothing(shared) -> None:
    project, document, env = shared
    reported: set[str] = set()
    for n in range(ROUNDS):
        bench = one_round(project, document, env, n, reported)
        bench.quit()
        missing = reported - coding_ids(project)
        assert not missing, f"round {n + 1}: {len(missing)} reported codings are not in the file"
    assert len(reported) == 3 * ROUNDS
