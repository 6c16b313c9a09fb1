"""The workbench in a browser: textual-serve with a token guard in front.

``casebook serve`` calls ``serve``. Each browser tab opens a websocket and
textual-serve starts one workbench process for it (``python -m casebook.tui``
with the web driver), so a tab is a session of its own and two tabs on one
project are two writers on the same SQLite file, as two terminals would be.

Who may connect is decided here, not in textual-serve (it has no access
control): a middleware checks every request — page, static file, download
and websocket — before textual-serve sees it.

- Bound to a loopback address, the server answers only requests whose Host is
  a loopback name (so a web page elsewhere cannot reach it through DNS
  rebinding) and websockets whose Origin is the server itself (so another
  site open in the same browser cannot drive the workbench).
- Bound to any other address, a token is required as well. The printed link
  carries it as ``?token=``; the page answer stores it in a same-site,
  HTTP-only cookie so the websocket and static requests carry it too.

The page is our own (textual-serve's page fetches a web font from Google,
which would tell a third party that a project was opened).
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import logging
import os
import secrets
import shlex
import socket
import subprocess
import sys
import webbrowser
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from aiohttp import web
from textual_serve.server import Server

from casebook.errors import InvalidInput, ProjectError
from casebook.tui.served import SERVED_ENV

MIN_TOKEN = 8
SHUTDOWN_SECONDS = 2.0
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
# No other site may frame the workbench (and catch keystrokes), and no address with the token
# travels on as a Referer.
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def is_loopback(host: str) -> bool:
    """True for localhost and loopback literals; names we cannot judge count as non-loopback."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_of(host_header: str) -> str:
    """The host part of a Host header (``[::1]:8000`` -> ``::1``, ``localhost:8000`` -> ``localhost``)."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def new_token() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Guard:
    """Who may talk to the server: the rules of the module docstring, one decision per request."""

    loopback: bool
    token: str | None
    cookie_name: str

    def refusal(self, request: web.Request) -> str | None:
        """Why this request is refused, or None when it may pass."""
        host_header = request.headers.get("Host", "")
        if self.loopback and not is_loopback(host_of(host_header)):
            return "This workbench answers only at localhost on the machine that serves it."
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{host_header}":
            return (
                "A page from another site tried to reach this workbench; the request was refused."
            )
        if self.token is not None and not self.token_ok(request):
            return (
                "This workbench needs its token. Open the full link that `casebook serve` printed"
                " (it ends in ?token=…), or ask the person who started it for that link."
            )
        return None

    def token_ok(self, request: web.Request) -> bool:
        assert self.token is not None
        offered = request.query.get("token") or request.cookies.get(self.cookie_name) or ""
        return hmac.compare_digest(offered.encode(), self.token.encode())

    def middleware(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        @web.middleware
        async def guard(
            request: web.Request, handler: Callable[..., Awaitable[web.StreamResponse]]
        ):
            reason = self.refusal(request)
            if reason is not None:
                return web.Response(
                    status=403, text=page("Not allowed", reason), content_type="text/html"
                )
            response = await handler(request)
            if not response.prepared:  # a websocket has already answered
                response.headers.update(PAGE_HEADERS)
                if self.token is not None and "token" in request.query:
                    response.set_cookie(
                        self.cookie_name, self.token, httponly=True, samesite="Strict", path="/"
                    )
            return response

        return guard


def page(title: str, message: str) -> str:
    """A plain page for refusals: readable without the terminal emulator."""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>casebook · {html.escape(title)}</title></head>"
        "<body style='font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>"
    )


WORKBENCH_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<script src="{static}js/textual.js"></script>
<style>
  @font-face {{ font-family: 'Roboto Mono'; src: url('{static}fonts/RobotoMono-VariableFont_wght.ttf'); }}
  @font-face {{ font-family: 'Roboto Mono'; font-style: italic;
               src: url('{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf'); }}
  html, body {{ margin: 0; height: 100%; background: #1e1e1e; color: #ddd; font-family: sans-serif; }}
  #terminal {{ position: absolute; inset: 0; }}
  .notice {{ position: absolute; inset: 0; display: flex; align-items: center;
            justify-content: center; flex-direction: column; z-index: 5; background: #1e1e1e; }}
  body.-first-byte .waiting, .ended, #start {{ display: none; }}
  body.-closed .ended {{ display: flex; }}
  button {{ font-size: 1em; padding: .5em 1.5em; margin-top: 1em; }}
</style>
</head>
<body>
<div class="notice waiting"><p>Opening {name} …</p><button id="start" type="button">Start</button></div>
<div class="notice ended"><p>This workbench session has ended. Everything you did is saved in the project.</p>
<button type="button" onclick="window.location.reload()">Open a new session</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}"
     data-font-size="{font_size}"></div>
</body>
</html>
"""


# The coder a tab asked for (``?coder=``), visible while textual-serve starts that tab's process.
_tab_coder: ContextVar[str | None] = ContextVar("casebook_tab_coder", default=None)
MAX_CODER = 40


def coder_name(text: str | None) -> str | None:
    """A coder name from a link, or None when the link gives none; refuses names no one would type."""
    if text is None or not text.strip():
        return None
    name = text.strip()
    if len(name) > MAX_CODER or not name.isprintable():
        raise ValueError(f"a coder name has at most {MAX_CODER} printable characters")
    return name


class WorkbenchServer(Server):
    """textual-serve's server with our guard, our page and a socket bound before anything starts.

    ``/ws/{coder}`` lets each tab code under its own name (the page takes it
    from ``?coder=``); plain ``/ws`` uses the coder the server was started for.
    """

    def __init__(
        self,
        project_path: Path,
        coder: str,
        sock: socket.socket,
        guard: Guard,
        name: str,
        on_ready: Callable[[], None],
    ):
        host, port = sock.getsockname()[:2]
        self.project_path = project_path
        self.coder = coder
        super().__init__(
            workbench_command(project_path, coder), host=host, port=port, title=f"casebook · {name}"
        )
        self.sock = sock
        self.guard = guard
        self.name = name
        self.on_ready = on_ready

    @property
    def command(self) -> str:  # read by textual-serve when a tab connects
        return workbench_command(self.project_path, _tab_coder.get() or self.coder)

    @command.setter
    def command(self, value: str) -> None:
        """textual-serve sets a fixed command; ours is built per tab instead."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard.middleware())
        app.router.add_get("/ws/{coder}", self.handle_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        self.on_ready()

    def gone(self) -> web.Response | None:
        """A clear page when the project file went away after the server started."""
        if self.project_path.exists():
            return None
        message = (
            f"The project file {self.project_path} is no longer there. Put it back, or stop "
            "`casebook serve` and start it again with --project."
        )
        return web.Response(
            status=410, text=page("Project not found", message), content_type="text/html"
        )

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if (missing := self.gone()) is not None:
            return missing
        try:
            coder = coder_name(request.match_info.get("coder"))
        except ValueError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        reset = _tab_coder.set(coder)
        try:
            return await super().handle_websocket(request)
        finally:
            _tab_coder.reset(reset)

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        if (missing := self.gone()) is not None:
            return missing
        try:
            font_size = max(8, min(40, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        try:
            coder = coder_name(request.query.get("coder"))
        except ValueError as exc:
            return web.Response(
                status=400, text=page("Coder name", f"?coder=: {exc}."), content_type="text/html"
            )
        base = f"{request.scheme}://{request.host}"
        scheme = "wss" if request.scheme == "https" else "ws"
        socket_path = "/ws" + (f"/{quote(coder, safe='')}" if coder else "")
        text = WORKBENCH_PAGE.format(
            title=html.escape(self.title + (f" · {coder}" if coder else "")),
            name=html.escape(self.name),
            static=html.escape(f"{base}/static/"),
            websocket=html.escape(f"{scheme}://{request.host}{socket_path}"),
            font_size=font_size,
        )
        return web.Response(text=text, content_type="text/html")

    def run(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
        # Open tabs keep their websocket handlers running; on ctrl+c they get a few seconds, then
        # are cancelled, and textual-serve tells each workbench process to quit.
        web.run_app(
            self._make_app(),
            sock=self.sock,
            print=lambda *args: None,
            shutdown_timeout=SHUTDOWN_SECONDS,
        )


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or one clear error: nothing is started when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InvalidInput(
            f"--host {host}: not an address of this machine ({exc.strerror})"
        ) from None
    family, _type, _proto, _name, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    if (
        os.name != "nt"
    ):  # let a restarted server reuse the port at once; Windows would let two share it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(100)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise InvalidInput(
                f"port {port} on {host} is already in use (another casebook serve?); "
                "choose another with --port"
            ) from None
        raise InvalidInput(
            f"cannot listen on {host} port {port}: {exc.strerror}; check --host and --port"
        ) from None
    sock.setblocking(False)
    return sock


def link(host: str, port: int, token: str | None) -> str:
    """The address to open: the bound host (this machine's name for a wildcard bind) plus the token."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    url = f"http://{shown}:{port}/"
    return url + (f"?token={quote(token, safe='')}" if token else "")


def workbench_command(project_path: Path, coder: str) -> str:
    """The shell command textual-serve runs for each tab: this interpreter, no PATH lookup."""
    parts = [sys.executable, "-m", "casebook.tui", str(project_path.resolve()), coder]
    if os.name == "nt":
        return subprocess.list2cmdline(parts)
    return "exec " + " ".join(
        shlex.quote(p) for p in parts
    )  # the shell makes way for the workbench


def serve(
    project_path: Path,
    coder: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    open_browser: bool = False,
    name: str | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Serve the workbench until interrupted. The caller has checked that the project opens."""
    if not project_path.exists():
        raise ProjectError(
            f"{project_path}: no project here; run `casebook demo` or `casebook import` first"
        )
    project_path = project_path.resolve()
    if token is not None and len(token) < MIN_TOKEN:
        raise InvalidInput(
            f"--token: use at least {MIN_TOKEN} characters (or leave it out to get one)"
        )
    loopback = is_loopback(host)
    if not loopback and token is None:
        token = new_token()
    sock = bind(host, port)
    bound_port = sock.getsockname()[1]
    url = link(host, bound_port, token)
    guard = Guard(loopback=loopback, token=token, cookie_name=f"casebook_token_{bound_port}")
    os.environ[SERVED_ENV] = "1"

    def ready() -> None:
        say(f"serving {project_path} to the browser for coder {coder}")
        if not loopback:
            say("anyone on the network who has this link can open the project; share it with care")
        say(f"open {url}")
        say(
            f"each browser tab is its own session, coding as {coder}; to code under another name, open"
        )
        say(f"  {url}{'&' if token else '?'}coder=NAME")
        say("ctrl+c stops the server")
        sys.stdout.flush()
        if open_browser and not webbrowser.open(url):
            say("no web browser found on this machine; open the link above in one")

    server = WorkbenchServer(project_path, coder, sock, guard, name or project_path.name, ready)
    try:
        server.run()
    finally:
        sock.close()
