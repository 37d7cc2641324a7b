"""The playground keeps away from real people: ids no Telegram account has, never DATABASE_URL,
never a database with real users, and an access token beyond loopback. No browser needed."""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.db import upgrade_database
from bot.playground import Playground
from bot.playground.safety import (
    PLAYGROUND_USER_BASE,
    TOKEN_COOKIE,
    NotAPlaygroundDatabase,
    is_loopback,
)
from tests.playground.conftest import wait_bot_text
from tests.playground.test_cli import environment, start, stop

REAL_USER_ID = 123_456_789


def user_ids(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM users ORDER BY id")]


def a_real_bots_database(path: Path) -> None:
    """A migrated database with one real Telegram user in it."""
    upgrade_database(f"sqlite+aiosqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO users (id, chat_id, first_name, timezone, is_active, "
            "inactive_notice_sent, created_at) VALUES (?, ?, 'Real', 'UTC', 1, 0, "
            "'2026-01-01 00:00:00')",
            (REAL_USER_ID, REAL_USER_ID),
        )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_loopback_addresses() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "example.org"):
        assert not is_loopback(host), host


async def test_playground_people_have_ids_no_telegram_account_has(tmp_path: Path) -> None:
    path = tmp_path / "own.sqlite3"
    async with Playground(database_url=f"sqlite:///{path}", poll_timeout=1) as playground:
        await playground.start("127.0.0.1", 0)
        assert playground.access_token is None  # loopback: none needed
        session = await playground.start_session(*_defaults())
        await wait_bot_text(playground, "b", "America/New_York")
        ids = [p.user_id for p in session.participants.values()]
    assert all(i >= PLAYGROUND_USER_BASE for i in ids)
    assert PLAYGROUND_USER_BASE == 2**52  # Telegram ids have at most 52 significant bits
    assert user_ids(path) == sorted(ids)
    # The playground's own database can be used again.
    async with Playground(database_url=f"sqlite:///{path}", poll_timeout=1) as again:
        await again.start("127.0.0.1", 0)


def _defaults() -> tuple[object, object]:
    from bot.playground.session import DEFAULTS

    return DEFAULTS["a"], DEFAULTS["b"]


async def test_a_database_with_real_users_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "real.sqlite3"
    a_real_bots_database(path)
    before = digest(path)
    playground = Playground(database_url=f"sqlite:///{path}", poll_timeout=1)
    with pytest.raises(NotAPlaygroundDatabase, match="1 user the playground did not create"):
        await playground.start("127.0.0.1", 0)
    assert playground.application is None
    assert digest(path) == before
    assert user_ids(path) == [REAL_USER_ID]


async def test_a_database_with_real_users_but_no_migrations_is_refused(tmp_path: Path) -> None:
    """Checked before migrating: an older schema is not upgraded on the way to refusing."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, first_name TEXT)")
        connection.execute("INSERT INTO users VALUES (42, 'Early')")
    with pytest.raises(NotAPlaygroundDatabase):
        await Playground(database_url=f"sqlite:///{path}", poll_timeout=1).start("127.0.0.1", 0)
    with sqlite3.connect(path) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    assert tables == {"users"}


# ---------------------------------------------------------------------- beyond loopback


@pytest.fixture
async def open_playground() -> AsyncIterator[Playground]:
    """A playground listening on every address (so it needs its access token)."""
    server = Playground(poll_timeout=1)
    await server.start("0.0.0.0", 0)
    yield server
    await server.stop()


async def test_beyond_loopback_every_request_needs_the_token(
    open_playground: Playground,
) -> None:
    token = open_playground.access_token
    assert token is not None and len(token) >= 32
    assert open_playground.entry_url.endswith(f"/?token={token}")
    base = f"http://127.0.0.1:{open_playground.port}"
    async with aiohttp.ClientSession(
        base_url=base, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as anyone:
        for path in ("/", "/api/state", "/api/events", "/static/app.js", "/files/x/y.jpg"):
            assert (await anyone.get(path)).status == 403, path
        assert (await anyone.post("/api/session", json={})).status == 403
        assert (await anyone.get("/api/state?token=wrong")).status == 403
        anyone.cookie_jar.update_cookies({TOKEN_COOKIE: "wrong"})
        assert (await anyone.get("/api/state")).status == 403

    # A browser keeps cookies of an address like 127.0.0.1; aiohttp only when told to.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=base, cookie_jar=jar) as visitor:
        first = await visitor.get(f"/?token={token}", allow_redirects=False)
        assert first.status == 303 and first.headers["Location"] == "/"  # the token leaves the URL
        cookie = first.cookies[TOKEN_COOKIE]
        assert cookie.value == token and cookie["httponly"] and cookie["samesite"] == "Strict"
        assert (await visitor.get("/")).status == 200  # by cookie from now on
        assert (await visitor.get("/api/state")).status == 200
        assert (await visitor.post("/api/session", json={})).status == 200
    async with aiohttp.ClientSession(base_url=base) as script:
        assert (await script.get(f"/api/state?token={token}")).status == 200


async def test_every_start_has_a_new_token() -> None:
    tokens = set()
    for _ in range(2):
        async with Playground(poll_timeout=1) as playground:
            await playground.start("0.0.0.0", 0)
            tokens.add(playground.access_token)
    assert len(tokens) == 2


# ---------------------------------------------------------------------- the command


def run_playground_command(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot", "playground", *args],
        cwd=cwd,
        env=environment(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stderr


def test_the_command_never_reads_database_url(tmp_path: Path) -> None:
    production = tmp_path / "production.sqlite3"
    a_real_bots_database(production)
    before = digest(production)
    process, line = start(
        ["playground", "--port", "0"], tmp_path, environment(DATABASE_URL=f"sqlite:///{production}")
    )
    try:
        assert line.startswith("Playground: http://127.0.0.1:"), line
        assert "token=" not in line  # loopback
    finally:
        code, rest = stop(process)
    assert code == 0, rest
    assert digest(production) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["production.sqlite3"]


def test_the_command_refuses_a_database_with_real_users(tmp_path: Path) -> None:
    production = tmp_path / "production.sqlite3"
    a_real_bots_database(production)
    before = digest(production)
    code, stderr = run_playground_command(
        ["--port", "0", "--database-url", f"sqlite:///{production}"], tmp_path
    )
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "refuses" in stderr and "did not create" in stderr
    assert digest(production) == before


def test_the_command_prints_the_access_link_beyond_loopback(tmp_path: Path) -> None:
    process, line = start(
        ["playground", "--host", "0.0.0.0", "--port", "0"], tmp_path, environment()
    )
    try:
        match = re.search(r"http://0\.0\.0\.0:(\d+)/\?token=([\w-]+)", line)
        assert match, line
        port, token = match.groups()
        assert "anyone on your network with this link" in line
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/state", timeout=10)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"{base}/api/state?token={token}", timeout=10) as answer:
            assert answer.status == 200
    finally:
        code, _ = stop(process)
    assert code == 0


async def test_nothing_is_left_running(tmp_path: Path) -> None:
    """The refused start leaves no task or server behind (a clean event loop)."""
    path = tmp_path / "real.sqlite3"
    a_real_bots_database(path)
    with pytest.raises(NotAPlaygroundDatabase):
        await Playground(database_url=f"sqlite:///{path}", poll_timeout=1).start("127.0.0.1", 0)
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert others == []
