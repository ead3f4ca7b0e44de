"""`lobby-tui serve`: the app in a browser (textual-serve), one session of the app per browser tab.

Each tab's websocket starts `python -m lobby_tui --db <absolute path> --lang <lang>` as a process of its
own (textual-serve's AppService) on the shared database; the store commits every confirm before the
screen moves on, and the board re-reads the database every few seconds, so tablets see each other's
visits. Each browser is its own device (a tablet): the page gives it a device id to keep (the `lobby_tablet`
cookie), its websocket hands that id to its session, and every record the session writes carries it, so
two tablets' shifts and visits never mix and a tablet's shift is still its own after a reload. Queue
numbers come from the one counter in the shared database, so they stay unique across tablets.
The page asks nothing of the internet (textual-serve's page links a web font; it is left out).

Against a hostile network (issue 14): a request whose Host header names no host this server was told to
serve is refused (a DNS-rebinding page has its own name and our address), so is a session beyond the
caps (MAX_SESSIONS in all, MAX_UNSIGNED not yet signed in: each costs ~43 MB), and every answer carries
Content-Security-Policy, X-Frame-Options: DENY and X-Content-Type-Options: nosniff. Served beyond this
machine, the sessions never show a demo database's sign-ins (LOBBY_TUI_HIDE_DEMO). Each session's app
writes "signed_in" to its own state file ($LOBBY_TUI_SERVE_STATE) once a PIN was right.

Stopping (Ctrl+C or SIGTERM): stop listening, close every tab's websocket, ask each session's app to
quit, wait for it (terminating one that does not quit in time), then exit 0. Nothing confirmed is lost:
it is already committed; a visit greeted but not yet confirmed stays "in progress", as after a crash.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lobby_tui.commands.common import UsageError, resolve_db
from lobby_tui.i18n import tr
from lobby_tui.log import log_event

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
QUIT_GRACE_SECONDS = 5.0  # how long a session's app may take to quit before it is terminated
MAX_SESSIONS = 12  # sessions at once, in all (--max-sessions): ~43 MB each
MAX_UNSIGNED = 4  # of those, not signed in yet (--max-unsigned): a page opening tabs gets no further
SIGNED_IN = "signed_in"
GOOGLE_FONT_LINK = (
    '<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("serve", parents=[common], help="serve the app to browsers, one session per tab")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", default=str(DEFAULT_PORT), help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name the tablets use for this PC (e.g. lobby-pc.branch.local); addresses need none",
    )
    parser.add_argument("--max-sessions", default=str(MAX_SESSIONS), help=f"sessions at once (default {MAX_SESSIONS})")
    parser.add_argument(
        "--max-unsigned", default=str(MAX_UNSIGNED), help=f"sessions not signed in yet (default {MAX_UNSIGNED})"
    )
    parser.set_defaults(run=run)


def session_command(
    db: Path, lang: str, device: str | None = None, *, loopback: bool = True, state: Path | None = None
) -> str:
    """The shell command textual-serve runs for each tab; `exec`, so the session is the app itself.
    With `device` (the tablet's id), every record the session writes carries it (LOBBY_TUI_DEVICE).
    Served beyond this machine, a demo database's sign-ins are never shown (LOBBY_TUI_HIDE_DEMO). With
    `state`, the app tells the server there when it has signed in (LOBBY_TUI_SERVE_STATE)."""
    import shlex
    import sys

    env = {"LOBBY_TUI_DEVICE": device, "LOBBY_TUI_HIDE_DEMO": None if loopback else "1"}
    env["LOBBY_TUI_SERVE_STATE"] = str(state) if state is not None else None
    exports = "".join(f"export {name}={shlex.quote(value)}; " for name, value in env.items() if value)
    return exports + "exec " + shlex.join([sys.executable, "-m", "lobby_tui", "--db", str(db), "--lang", lang])


# ---------------------------------------------------------------- tablets: one device id per browser

DEVICE_COOKIE = "lobby_tablet"
DEVICE_COOKIE_MAX_AGE = 10 * 365 * 24 * 3600


def tablet_id(value: str | None) -> str | None:
    """The device id a browser's cookie holds, if it is one we hand out (a UUID); else None."""
    import uuid

    if not value:
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return str(parsed) if str(parsed) == value.lower() else None


def keep_tablet_id(request: Any, response: Any) -> str:
    """The browser's device id: the one its cookie holds, or a new one it is asked to keep. The page's
    websocket carries the cookie to its session (handle_websocket), so a tablet stays the same device
    across reloads: its shift, its visits and the shifts figures tell it apart from the others."""
    import uuid

    device = tablet_id(request.cookies.get(DEVICE_COOKIE)) or str(uuid.uuid4())
    response.set_cookie(
        DEVICE_COOKIE, device, max_age=DEVICE_COOKIE_MAX_AGE, path="/", httponly=True, samesite="Strict"
    )
    return device


def _ip(text: str) -> Any:
    import ipaddress

    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def allowed_host(header: str, *, bound: str, port: int, names: tuple[str, ...] | list[str]) -> bool:
    """Whether a request's Host header names this server: the address it listens on (any address
    when it listens on all of them), localhost for a loopback server, a --allow-host name, and the
    port it listens on. A name that merely resolves to us (DNS rebinding) is not enough."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit("//" + header)
        name, given = parts.hostname, parts.port
    except ValueError:
        return False
    if not name or (given or 80) != port:
        return False
    name = name.lower().rstrip(".")
    if name in {n.lower().rstrip(".") for n in names}:
        return True
    ip, bound_ip = _ip(name), _ip(bound)
    if bound_ip is None:  # listening on a name: that name
        return name == bound.lower().rstrip(".")
    if bound_ip.is_loopback or bound_ip.is_unspecified:
        if name == "localhost" or (ip is not None and ip.is_loopback):
            return True
    if ip is None:
        return False
    return bool(bound_ip.is_unspecified or ip == bound_ip)


def parse_port(text: str, lang: str) -> int:
    try:
        port = int(text.strip())
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise UsageError(f"lobby-tui serve: {tr('serve.port_bad', lang, text=text[:20])}")
    return port


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _count(text: str, lang: str) -> int:
    try:
        n = int(str(text).strip())
    except ValueError:
        n = 0
    if n < 1:
        raise UsageError(f"lobby-tui serve: {tr('serve.count_bad', lang, text=str(text)[:20])}")
    return n


def run(args: argparse.Namespace, lang: str) -> int:
    import asyncio

    from lobby_tui.store import LobbyStore

    port = parse_port(args.port, lang)
    max_sessions = _count(getattr(args, "max_sessions", str(MAX_SESSIONS)), lang)
    max_unsigned = _count(getattr(args, "max_unsigned", str(MAX_UNSIGNED)), lang)
    host = args.host.strip()
    if not host or any(c.isspace() for c in host):
        raise UsageError(f"lobby-tui serve: {tr('serve.host_empty', lang)}")
    path = resolve_db(getattr(args, "db", None)).resolve()
    store = LobbyStore(path)
    try:
        store.check()  # a bad file is reported now, once, not in every tab
        staff = store.staff_count()
    finally:
        store.close()
    if staff == 0 and not is_loopback(host):
        # With no staff yet, the first browser would create the first supervisor: not for a network.
        raise UsageError(f"lobby-tui serve: {tr('serve.no_staff', lang, path=path)}")
    loopback = is_loopback(host)
    server = LobbyServer(
        session_command(path, lang, loopback=loopback),
        lang=lang,
        db=path,
        loopback=loopback,
        names=tuple(getattr(args, "allow_host", []) or ()),
        max_sessions=max_sessions,
        max_unsigned=max_unsigned,
    )
    return asyncio.run(server.serve(host, port, path))


class LobbyServer:
    """textual-serve's page and AppService, with the sessions tracked so that stopping ends them all."""

    def __init__(
        self,
        command: str,
        *,
        lang: str,
        grace: float = QUIT_GRACE_SECONDS,
        db: Path | None = None,
        loopback: bool = True,
        bound: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        names: tuple[str, ...] = (),
        max_sessions: int = MAX_SESSIONS,
        max_unsigned: int = MAX_UNSIGNED,
    ) -> None:
        import tempfile

        self.command = command
        self.db = db  # given: each session runs as its tablet's own device (session_command)
        self.loopback = loopback
        self.lang = lang
        self.grace = grace
        self.bound, self.port, self.names = bound, port, names
        self.max_sessions, self.max_unsigned = max_sessions, max_unsigned
        self.sessions: dict[Any, Any] = {}  # AppService -> its WebSocketResponse
        self.states: dict[object, Path] = {}  # each session (from its handshake on): its state file
        self.state_dir = Path(tempfile.mkdtemp(prefix="lobby-tui-serve-"))  # 0700, this user's only
        self.handlers: set[Any] = set()  # the websocket handlers' tasks
        self.stopping = False
        self.script_hashes = ""

    # ------------------------------------------------------------ guarding the door

    def unsigned(self) -> int:
        """Sessions whose app has not said "signed in" (yet, or any more)."""
        count = 0
        for state in self.states.values():
            try:
                count += state.read_text(encoding="utf-8").strip() != SIGNED_IN
            except OSError:
                count += 1
        return count

    def _guard(self) -> Any:
        """aiohttp middleware: a request for a host this server does not serve is refused (421)."""
        import sys

        from aiohttp import web

        @web.middleware
        async def guard(request: Any, handler: Any) -> Any:
            if not allowed_host(request.host, bound=self.bound, port=self.port, names=self.names):
                print(f"lobby-tui: {tr('serve.bad_host', self.lang, host=request.host[:60])}", file=sys.stderr)
                raise web.HTTPMisdirectedRequest(text="421 Misdirected Request\n")
            return await handler(request)

        return guard

    async def _security_headers(self, request: Any, response: Any) -> None:
        """On every answer, the refusals too: the page may not be framed, sniffed or given scripts
        from anywhere but here (its one inline script by its hash)."""
        host = request.host
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' {self.script_hashes}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws://{host} wss://{host}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"

    # ------------------------------------------------------------ the web application

    def make_app(self) -> Any:
        import aiohttp_jinja2
        import jinja2
        import textual_serve
        from aiohttp import web
        from textual_serve.download_manager import DownloadManager

        base = Path(textual_serve.__file__).parent
        page = (base / "templates" / "app_index.html").read_text(encoding="utf-8")
        page = page.replace(GOOGLE_FONT_LINK, "")  # tablets on a branch network reach no web fonts
        # Downloads (exports) as link clicks, not popups a browser blocks: lobby_tui/web/download.js
        # (served from here: the policy's script-src 'self' lets it run).
        page = page.replace("<head>", '<head>\n    <script src="/lobby/download.js"></script>', 1)
        self.script_hashes = _script_hashes(page)
        app = web.Application(middlewares=[self._guard()])
        app.on_response_prepare.append(self._security_headers)
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": page}), autoescape=True)
        self.downloads = DownloadManager()
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/lobby", Path(__file__).resolve().parent.parent / "web", name="lobby"),
                web.static("/static", base / "static", name="static"),
            ]
        )
        return app

    async def handle_index(self, request: Any) -> Any:
        import aiohttp_jinja2

        # The page's own address, as the browser reached it: right for 127.0.0.1, a LAN address or a name.
        scheme = "wss" if request.secure else "ws"
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        context = {
            "font_size": font_size,
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": tr("app.title", self.lang)},
            "ping_url": "",
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        keep_tablet_id(request, response)
        return response

    async def handle_download(self, request: Any) -> Any:
        """A file an app session delivered (App.deliver_binary: an export made on this tablet), streamed
        to the browser as a download. The key is single-use and unguessable (a uuid4 the session made)."""
        from urllib.parse import quote

        from aiohttp import web

        try:
            meta = await self.downloads.get_download_metadata(request.match_info["key"])
        except KeyError:
            raise web.HTTPNotFound() from None
        response = web.StreamResponse()
        response.content_type = meta.mime_type or "application/octet-stream"
        if meta.encoding:
            response.charset = meta.encoding
        name = Path(meta.file_name).name
        ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        response.headers["Content-Disposition"] = (
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        )
        await response.prepare(request)
        async for chunk in self.downloads.download(request.match_info["key"]):
            await response.write(chunk)
        await response.write_eof()
        log_event("serve.download", mime=response.content_type)
        return response

    async def handle_websocket(self, request: Any) -> Any:
        import sys
        from urllib.parse import urlsplit

        from aiohttp import web

        if self.stopping:
            raise web.HTTPServiceUnavailable()
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc.lower() != request.host.lower():
            # Another web site's page, opened on a tablet, may not drive a session of the app.
            raise web.HTTPForbidden()
        waiting = self.unsigned()
        if len(self.states) >= self.max_sessions or waiting >= self.max_unsigned:
            message = tr("serve.full", self.lang, total=len(self.states), waiting=waiting)
            print(f"lobby-tui: {message}", file=sys.stderr)
            raise web.HTTPServiceUnavailable(text=message + "\n")
        token = object()  # counted from here on, before anything is awaited: the caps hold under a rush
        state = self.state_dir / f"session-{id(token)}"
        self.states[token] = state
        try:
            return await self._session(request, state)
        finally:
            self.states.pop(token, None)
            state.unlink(missing_ok=True)

    async def _session(self, request: Any, state: Path) -> Any:
        import asyncio
        import shlex
        import sys
        import uuid

        from aiohttp import WSMsgType, web
        from textual_serve.app_service import AppService

        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)  # not a websocket request: aiohttp answers it with an error
        task = asyncio.current_task()
        self.handlers.add(task)
        service = None

        async def close() -> None:  # AppService awaits this and wants None; aiohttp's close returns a bool
            await websocket.close()

        try:
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            if self.db is not None:  # the tablet's device id, from the cookie its page was given
                device = tablet_id(request.cookies.get(DEVICE_COOKIE)) or str(uuid.uuid4())
                command = session_command(self.db, self.lang, device, loopback=self.loopback, state=state)
            else:  # a command given as it is (the tests'): only the state file is added
                command = f"export LOBBY_TUI_SERVE_STATE={shlex.quote(str(state))}; {self.command}"
            service = AppService(
                command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.downloads,
            )
            self.sessions[service] = websocket
            await service.start(width, height)
            log_event("serve.session_open", sessions=len(self.sessions), peer=request.remote)
            # An app that ends by itself (or fails to start) closes its tab's websocket: the page says so.
            assert service._task is not None  # start() has made it
            service._task.add_done_callback(lambda _: asyncio.ensure_future(websocket.close()))
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = message.json()
                kind = envelope[0]
                data: Any = envelope[1] if len(envelope) > 1 else None
                if kind == "stdin":
                    await service.send_bytes(data.encode("utf-8"))
                elif kind == "resize":
                    await service.set_terminal_size(data["width"], data["height"])
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception as exc:  # a malformed message from a browser ends that tab's session only
            print(
                f"lobby-tui: {tr('cli.unexpected', self.lang, detail=f'{type(exc).__name__}: {exc}')}", file=sys.stderr
            )
        finally:
            if service is not None:
                await self.end_session(service)
                self.sessions.pop(service, None)
                log_event("serve.session_closed", sessions=len(self.sessions))
            if not websocket.closed:
                await websocket.close()
            self.handlers.discard(task)
        return websocket

    async def end_session(self, service: Any) -> None:
        """Ask the session's app to quit; terminate it if it has not within the grace time, then kill."""
        import asyncio
        import sys

        process = service._process  # textual-serve is pinned: AppService keeps its process here
        try:
            await asyncio.wait_for(service.stop(), self.grace)
        except (TimeoutError, Exception):
            pass
        if process is None or process.returncode is not None:
            return
        try:
            await asyncio.wait_for(process.wait(), self.grace)
            return
        except TimeoutError:
            pass
        print(f"lobby-tui: {tr('serve.session_killed', self.lang, pid=process.pid)}", file=sys.stderr)
        for stop in (process.terminate, process.kill):
            try:
                stop()
            except ProcessLookupError:
                return
            try:
                await asyncio.wait_for(process.wait(), 2.0)
                return
            except TimeoutError:
                continue

    # ------------------------------------------------------------ running and stopping

    async def serve(self, host: str, port: int, db: Path) -> int:
        import asyncio
        import signal
        import sys

        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = await self.start(host, port)
        shown = f"[{host}]" if ":" in host else host
        out = sys.stderr
        print(tr("serve.listening", self.lang, url=f"http://{shown}:{port}/", path=db), file=out)
        if is_loopback(host):
            print(tr("serve.loopback_only", self.lang), file=out)
        print(tr("serve.every_session", self.lang), file=out)
        print(tr("serve.stop_hint", self.lang), file=out, flush=True)
        log_event("serve.start", host=host, port=port)
        await stop.wait()
        print(tr("serve.stopping", self.lang, n=len(self.sessions)), file=out, flush=True)
        await self.shutdown(runner)
        log_event("serve.stop")
        print(tr("serve.stopped", self.lang), file=out, flush=True)
        return 0

    async def start(self, host: str, port: int) -> Any:
        """Listen on host:port; an address that cannot be used is a UsageError (exit status 2)."""
        import errno

        from aiohttp import web

        self.bound = host
        runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=self.grace)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
            self.port = runner.addresses[0][1]  # port 0: the one the system chose
        except OSError as exc:
            await runner.cleanup()
            if exc.errno == errno.EADDRINUSE:
                key = "serve.port_in_use"
            elif exc.errno == errno.EACCES:
                key = "serve.port_denied"
            else:
                key = "serve.host_bad"
            detail = exc.strerror or str(exc)
            raise UsageError(f"lobby-tui serve: {tr(key, self.lang, host=host, port=port, detail=detail)}") from None
        return runner

    async def shutdown(self, runner: Any) -> None:
        """No new tabs; close every tab's websocket; each session's app quits (or is ended); stop."""
        import asyncio

        from aiohttp import WSCloseCode

        self.stopping = True
        for websocket in list(self.sessions.values()):
            try:
                await asyncio.wait_for(
                    websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping"), self.grace
                )
            except (TimeoutError, Exception):
                pass
        if self.handlers:  # each handler ends its session's app on its way out
            await asyncio.wait(set(self.handlers), timeout=self.grace * 3)
        for service in list(self.sessions):  # a handler that did not finish: end its app here
            await self.end_session(service)
        await runner.cleanup()
        import shutil

        shutil.rmtree(self.state_dir, ignore_errors=True)


def _script_hashes(page: str) -> str:
    """CSP sources for the page's inline scripts: each one's sha256, so no other inline script runs."""
    import base64
    import hashlib
    import re

    found = re.findall(r"<script>(.*?)</script>", page, re.S)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in found)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
