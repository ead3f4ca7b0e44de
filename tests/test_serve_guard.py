"""`lobby-tui serve` against a hostile network (issue 14, item 12): the Host header must name a host it
serves (DNS rebinding), sessions are capped before sign-in and in total, every answer carries the
browser's security headers, and a server reachable beyond this machine never shows the demo sign-ins.
In process, with aiohttp's test client; the sessions are `sleep`, not the app (tests/browser runs it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from lobby_tui.commands.serve import LobbyServer, allowed_host, session_command


async def client_for(lobby: LobbyServer) -> TestClient:
    client = TestClient(TestServer(lobby.make_app(), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.mark.parametrize(
    ("bound", "host", "ok"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "evil.example:8000", False),  # a rebinding page: its name, our address
        ("127.0.0.1", "127.0.0.1:9999", False),
        ("192.168.10.5", "192.168.10.5:8000", True),
        ("192.168.10.5", "10.0.0.1:8000", False),
        ("192.168.10.5", "lobby.branch.example:8000", False),
        ("0.0.0.0", "192.168.10.5:8000", True),  # every address: any address literal, never a name
        ("0.0.0.0", "attacker.example:8000", False),
        ("0.0.0.0", "", False),
    ],
)
def test_the_host_header_must_name_a_served_host(bound: str, host: str, ok: bool) -> None:
    assert allowed_host(host, bound=bound, port=8000, names=()) is ok


def test_names_given_with_allow_host_are_served() -> None:
    assert allowed_host("lobby.branch.example:8000", bound="0.0.0.0", port=8000, names=("lobby.branch.example",))


async def test_a_rebinding_page_gets_no_page_and_no_session() -> None:
    lobby = LobbyServer("exec sleep 60", lang="en", bound="127.0.0.1", port=0, grace=0.5)
    client = await client_for(lobby)
    try:
        lobby.port = client.port
        good = await client.get("/")
        assert good.status == 200
        for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
            assert name in good.headers
        assert good.headers["X-Frame-Options"] == "DENY" and good.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in good.headers["Content-Security-Policy"]
        static = await client.get("/static/css/xterm.css")
        assert static.status == 200 and static.headers["X-Content-Type-Options"] == "nosniff"
        for path in ("/", "/ws", "/static/css/xterm.css"):
            bad = await client.get(path, headers={"Host": f"evil.example:{client.port}"})
            assert bad.status == 421 and bad.headers["X-Frame-Options"] == "DENY", path
        assert not lobby.sessions
    finally:
        await client.close()


async def test_sessions_are_capped_before_sign_in_and_in_total(tmp_path: Path) -> None:
    lobby = LobbyServer(
        "exec sleep 60", lang="en", bound="127.0.0.1", port=0, grace=0.5, max_sessions=2, max_unsigned=1
    )
    client = await client_for(lobby)
    lobby.port = client.port
    sockets = []
    try:
        sockets.append(await client.ws_connect("/ws?width=80&height=24"))
        await until(lambda: len(lobby.sessions) == 1)
        with pytest.raises(WSServerHandshakeError) as refused:  # one is waiting for its sign-in already
            await client.ws_connect("/ws?width=80&height=24")
        assert refused.value.status == 503
        [state] = lobby.states.values()
        state.write_text("signed_in")  # what the session's app writes once a PIN was right
        sockets.append(await client.ws_connect("/ws?width=80&height=24"))
        await until(lambda: len(lobby.sessions) == 2)
        for state in lobby.states.values():
            state.write_text("signed_in")
        with pytest.raises(WSServerHandshakeError) as full:  # the total
            await client.ws_connect("/ws?width=80&height=24")
        assert full.value.status == 503
    finally:
        for websocket in sockets:
            await websocket.close()
        await client.close()
        for service in list(lobby.sessions):
            await lobby.end_session(service)


async def until(condition, tries: int = 400) -> None:  # noqa: ANN001
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


def test_beyond_loopback_the_sessions_never_show_the_demo_sign_ins(tmp_path: Path) -> None:
    assert "LOBBY_TUI_HIDE_DEMO" not in session_command(tmp_path / "lobby.db", "en", loopback=True)
    assert "export LOBBY_TUI_HIDE_DEMO=1; " in session_command(tmp_path / "lobby.db", "en", loopback=False)
