"""`lobby-tui serve`: the app in a browser (textual-serve), one session of the app per browser tab.

Each tab's websocket starts `python -m lobby_tui --db <absolute path> --lang <lang>` as a process of its
own (textual-serve's AppService) on the shared database; the store commits every confirm before the
screen moves on, and the board re-reads the database every few seconds, so tablets see each other's
visits. Each browser is its own device (a tablet): the page gives it a device id to keep (the `lobby_tablet`
cookie), its websocket hands that id to its session, and every record the session writes carries it, so
two tablets' shifts and visits never mix and a tablet's shift is still its own after a reload. Queue
numbers come from the one counter in the shared database, so they stay unique across tablets.
The page asks nothing of the internet (textual-serve's page links a web font; it is left out).

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
GOOGLE_FONT_LINK = (
    '<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("serve", parents=[common], help="serve the app to browsers, one session per tab")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", default=str(DEFAULT_PORT), help=f"port to listen on (default {DEFAULT_PORT})")
    parser.set_defaults(run=run)


def session_command(db: Path, lang: str, device: str | None = None) -> str:
    """The shell command textual-serve runs for each tab; `exec`, so the session is the app itself.
    With `device` (the tablet's id), every record the session writes carries it (LOBBY_TUI_DEVICE)."""
    import shlex
    import sys

    command = "exec " + shlex.join([sys.executable, "-m", "lobby_tui", "--db", str(db), "--lang", lang])
    return f"export LOBBY_TUI_DEVICE={shlex.quote(device)}; {command}" if device else command


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


def run(args: argparse.Namespace, lang: str) -> int:
    import asyncio

    from lobby_tui.store import LobbyStore

    port = parse_port(args.port, lang)
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
    server = LobbyServer(session_command(path, lang), lang=lang, db=path)
    return asyncio.run(server.serve(host, port, path))


class LobbyServer:
    """textual-serve's page and AppService, with the sessions tracked so that stopping ends them all."""

    def __init__(self, command: str, *, lang: str, grace: float = QUIT_GRACE_SECONDS, db: Path | None = None) -> None:
        self.command = command
        self.db = db  # given: each session runs as its tablet's own device (session_command)
        self.lang = lang
        self.grace = grace
        self.sessions: dict[Any, Any] = {}  # AppService -> its WebSocketResponse
        self.handlers: set[Any] = set()  # the websocket handlers' tasks
        self.stopping = False

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
        # Downloads (exports) as link clicks, not popups a browser blocks: lobby_tui/web/download.js.
        page = page.replace("<head>", '<head>\n    <script src="/lobby/download.js"></script>', 1)
        app = web.Application()
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
        import asyncio
        import sys
        import uuid
        from urllib.parse import urlsplit

        from aiohttp import WSMsgType, web
        from textual_serve.app_service import AppService

        if self.stopping:
            raise web.HTTPServiceUnavailable()
        origin = request.headers.get("Origin")
        if origin and urlsplit(origin).netloc.lower() != request.host.lower():
            # Another web site's page, opened on a tablet, may not drive a session of the app.
            raise web.HTTPForbidden()
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
            command = self.command
            if self.db is not None:  # the tablet's device id, from the cookie its page was given
                device = tablet_id(request.cookies.get(DEVICE_COOKIE)) or str(uuid.uuid4())
                command = session_command(self.db, self.lang, device)
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

        runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=self.grace)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
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


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
