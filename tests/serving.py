"""Start the real `casebook serve` in a child process for the tests and the benchmark.

Only ever talks to this machine: the server binds a local address and the
tests connect to 127.0.0.1 (or the loopback name they test).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Served:
    process: subprocess.Popen
    url: str  # as printed by the server
    port: int
    token: str | None
    output: list[str]

    def local(self, path: str = "/", token: str | None = None) -> str:
        """The address on 127.0.0.1, with a token if one is given."""
        query = f"?token={token}" if token is not None else ""
        return f"http://127.0.0.1:{self.port}{path}{query}"


def serve_command(project: Path, *args: str, coder: str = "tester") -> list[str]:
    return [sys.executable, "-m", "casebook", "--coder", coder, "serve", "-p", str(project), *args]


@contextmanager
def serving(project: Path, *args: str, timeout: float = 60.0) -> Iterator[Served]:
    """Run `casebook serve -p PROJECT ARGS` until the block ends; wait for the printed link."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        serve_command(project, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    output: list[str] = []
    found = threading.Event()

    def read() -> None:  # a thread keeps reading, so a chatty server never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("open "):
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        while not found.wait(0.2):
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("casebook serve did not start:\n" + "".join(output))
        url = next(line.split()[1] for line in output if line.startswith("open "))
        parts = urlsplit(url)
        token = parse_qs(parts.query).get("token", [None])[0]
        yield Served(process, url, parts.port or 80, token, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
