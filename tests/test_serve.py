"""`casebook serve`: who may connect, one session per tab, and bad input as one clear line.

The server runs for real in a child process (tests/serving.py); requests go
to 127.0.0.1 only. A bind to 0.0.0.0 counts as non-loopback, so the token
rules apply while the traffic stays on this machine.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from casebook.tui.serve import host_of, is_loopback, link
from tests.serving import serve_command, serving
from tests.tui.fixtures import build_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "p", words=300)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_loopback_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("[::1]") and is_loopback("127.8.9.10")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("::")
    assert not is_loopback("workstation.example")  # a name we cannot judge needs the token
    assert host_of("localhost:8000") == "localhost" and host_of("[::1]:8000") == "::1"
    assert host_of("127.0.0.1") == "127.0.0.1"
    assert link("127.0.0.1", 8000, None) == "http://127.0.0.1:8000/"
    assert link("::1", 8000, "a b/c") == "http://[::1]:8000/?token=a%20b%2Fc"


def test_non_loopback_bind_refuses_requests_without_the_token(project: Path) -> None:
    with serving(project, "--host", "0.0.0.0", "--port", "0") as served:
        assert served.token and len(served.token) >= 16  # generated, since none was given
        printed = "".join(served.output)
        assert "share it with care" in printed and f"?token={served.token}" in served.url

        status, body, _ = get(served.local("/"))
        assert status == 403 and "needs its token" in body
        assert get(served.local("/", token="not-the-token"))[0] == 403
        assert get(served.local("/static/js/textual.js"))[0] == 403
        assert get(served.local("/download/anything"))[0] == 403

        status, body, headers = get(served.local("/", token=served.token))
        assert status == 200 and "textual-terminal" in body and "casebook · test project" in body
        cookie = headers["Set-Cookie"]
        assert f"casebook_token_{served.port}={served.token}" in cookie and "HttpOnly" in cookie
        assert "googleapis" not in body  # the page fetches nothing from elsewhere
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "no-referrer"
        name_value = cookie.split(";")[0]
        assert get(served.local("/static/js/textual.js"), {"Cookie": name_value})[0] == 200
        wrong = f"casebook_token_{served.port}=guess"
        assert get(served.local("/static/js/textual.js"), {"Cookie": wrong})[0] == 403


async def test_websocket_needs_the_token_and_each_tab_is_its_own_session(project: Path) -> None:
    with serving(project, "--host", "0.0.0.0", "--port", "0", "--token", "s3cret-token") as served:
        assert served.token == "s3cret-token"
        ws_url = f"ws://127.0.0.1:{served.port}/ws?width=100&height=30"
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url)
            assert refused.value.status == 403

        cookie = {f"casebook_token_{served.port}": served.token}
        async with aiohttp.ClientSession(cookies=cookie) as session:
            tabs = [await session.ws_connect(ws_url), await session.ws_connect(ws_url)]
            try:
                for tab in tabs:  # both sessions paint a workbench of their own
                    painted = b""
                    while b"lindeveen-mbo-2022" not in painted:
                        message = await tab.receive(timeout=60)
                        assert message.type == aiohttp.WSMsgType.BINARY, message
                        painted += message.data
                running = workbenches(served.process.pid)
                assert running is None or len(running) == 2  # two tabs, two workbench processes
            finally:
                for tab in tabs:
                    await tab.close()
        deadline = time.monotonic() + 30
        while (running := workbenches(served.process.pid)) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert not running  # a closed tab leaves no process behind


def workbenches(server_pid: int) -> list[str] | None:
    """The workbench processes the server runs (None where pgrep is missing)."""
    try:
        found = subprocess.run(
            ["pgrep", "-f", "-P", str(server_pid), "casebook.tui"], capture_output=True, text=True
        )
    except FileNotFoundError:
        return None
    return found.stdout.split()


async def test_loopback_bind_refuses_other_hosts_and_other_sites(project: Path) -> None:
    with serving(project, "--port", "0") as served:
        assert served.token is None and served.url.startswith("http://127.0.0.1:")
        assert get(served.local("/"))[0] == 200
        status, body, _ = get(served.local("/") + "?coder=Anouk%20B")
        assert status == 200 and f"ws://127.0.0.1:{served.port}/ws/Anouk%20B" in body
        status, body, _ = get(served.local("/") + "?coder=" + "x" * 41)
        assert status == 400 and "coder name" in body
        assert get(served.local("/"), {"Host": f"localhost:{served.port}"})[0] == 200
        status, body, _ = get(served.local("/"), {"Host": f"rebound.example:{served.port}"})
        assert status == 403 and "only at localhost" in body
        async with aiohttp.ClientSession() as session:
            ws_url = f"ws://127.0.0.1:{served.port}/ws"
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, origin="http://elsewhere.example")
            assert refused.value.status == 403
            tab = await session.ws_connect(ws_url, origin=f"http://127.0.0.1:{served.port}")
            assert (await tab.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
            await tab.close()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""  # nothing was served, no link printed
    return lines[0]


def test_port_in_use_is_one_line_and_nothing_starts(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        line = one_line_error(run_cli(*serve_command(project, "--port", str(port))))
    assert f"port {port}" in line and "in use" in line and "--port" in line


def test_missing_project_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    line = one_line_error(run_cli(*serve_command(missing, "--port", "0")))
    assert str(missing) in line and "casebook demo" in line
    assert not missing.exists()


def test_bad_host_and_short_token_are_one_line(project: Path) -> None:
    line = one_line_error(run_cli(*serve_command(project, "--host", "203.0.113.7", "--port", "0")))
    assert "203.0.113.7" in line and "--host" in line
    line = one_line_error(run_cli(*serve_command(project, "--port", "0", "--token", "short")))
    assert "--token" in line


def test_serve_is_registered_and_help_stays_light() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom casebook.cli import cli\n"
        "r = CliRunner().invoke(cli, ['serve', '--help'])\nassert r.exit_code == 0, r.output\n"
        "assert '--token' in r.output\n"
        "print(','.join(m for m in ('aiohttp', 'textual_serve', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


async def test_ctrl_c_with_an_open_tab_stops_the_server_and_its_workbench(project: Path) -> None:
    with serving(project, "--port", "0") as served:
        async with aiohttp.ClientSession() as session:
            tab = await session.ws_connect(f"ws://127.0.0.1:{served.port}/ws?width=100&height=30")
            assert (await tab.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
            running = workbenches(served.process.pid)
            assert running is None or len(running) == 1
            served.process.send_signal(signal.SIGINT)
            code = await asyncio.to_thread(served.process.wait, 30)
            assert code == 0
            for pid in (
                running or []
            ):  # the workbench quits too (gone, or a zombie awaiting its reaper)
                deadline = time.monotonic() + 30
                while (state := process_state(pid)) not in (
                    "",
                    "Z",
                ) and time.monotonic() < deadline:
                    await asyncio.sleep(0.2)
                assert state in ("", "Z")


def process_state(pid: str) -> str:
    return subprocess.run(
        ["ps", "-o", "stat=", "-p", pid], capture_output=True, text=True
    ).stdout.strip()


def test_a_project_removed_while_serving_gets_a_clear_page(project: Path) -> None:
    with serving(project, "--port", "0") as served:
        assert get(served.local("/"))[0] == 200
        moved = project.with_name("elsewhere.db")
        project.rename(moved)
        status, body, _ = get(served.local("/"))
        assert status == 410 and "no longer there" in body and str(project.resolve()) in body
        assert get(served.local("/ws"))[0] == 410  # and no workbench process is started for it
        assert workbenches(served.process.pid) in (None, [])
