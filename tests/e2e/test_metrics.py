"""/healthz and /metrics on METRICS_PORT: the figures move with ticks and handled updates, the
server listens on loopback only, and /healthz says 503 once the database stops answering."""

from __future__ import annotations

import math
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from bot.app import build_application, start_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.context import BotApplication
from bot.db import Database, make_engine
from bot.local_api import LocalBotApi
from bot.metrics import Metrics, metrics_of
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, settled

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def monitored(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> AsyncIterator[tuple[BotApplication, str]]:
    """A bot with METRICS_PORT set (and METRICS_LISTEN left at its default)."""
    port = free_port()
    settings = Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=0,
        metrics_port=port,
    )
    application = build_application(settings, database=db, clock=clock)
    await start_application(application, poll_timeout=1)
    try:
        yield application, f"http://127.0.0.1:{port}"
    finally:
        await stop_application(application)


async def scrape(http: aiohttp.ClientSession, base: str) -> Samples:
    async with http.get(f"{base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        body = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def health(http: aiohttp.ClientSession, base: str) -> tuple[int, str]:
    async with http.get(f"{base}/healthz") as response:
        return response.status, (await response.text()).strip()


async def make_unreachable(db: Database) -> None:
    """The database stops answering: its engine disposed and the database gone (SQLite: the
    file replaced by a directory; PostgreSQL: an address where nothing listens)."""
    await db.dispose()
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.mkdir()  # noqa: ASYNC240
    else:
        db.engine = make_engine(url.set(host="127.0.0.1", port=1).render_as_string(False))


async def test_figures_move_and_health_follows_the_database(
    api: LocalBotApi, db: Database, clock: FakeClock, monitored: tuple[BotApplication, str]
) -> None:
    application, base = monitored
    async with aiohttp.ClientSession() as http:
        assert await health(http, base) == (200, "ok")
        before = await scrape(http, base)
        assert value(before, "couples_prompts_total", outcome="sent") == 0
        assert value(before, "couples_update_handling_seconds_count") == 0

        ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
        clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
        await pair_up(api, ann, ben)
        await ann.send("/timezone Berlin")
        await ann.next_message()
        await settled(api, application)
        handled = await scrape(http, base)
        updates = value(handled, "couples_update_handling_seconds_count")
        assert updates == 3  # /pair, /start <code>, /timezone
        assert value(handled, "couples_update_handling_seconds_sum") > 0

        clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))  # Ann's noon appreciation is due
        due = await scrape(http, base)
        assert value(due, "couples_due_backlog") >= 1
        api.fail_next("sendMessage", error_code=429, retry_after=1, chat_id=ann.chat_id)
        await tick(application)
        await ann.next_message()
        after = await scrape(http, base)
        assert value(after, "couples_prompts_total", outcome="sent") >= 1
        assert value(after, "couples_telegram_429_total") == 1
        assert value(after, "couples_tick_duration_seconds_count") == 1
        assert value(after, "couples_tick_duration_seconds_sum") >= 1.0  # waited out the 429
        assert value(after, "couples_due_backlog") < value(due, "couples_due_backlog")

        clock.advance(timedelta(days=3))  # down for three days: what was due is now too late
        await tick(application)
        late = await scrape(http, base)
        assert value(late, "couples_prompts_total", outcome="skipped_late") >= 1
        assert value(late, "couples_tick_duration_seconds_count") == 2

        await make_unreachable(db)
        assert await health(http, base) == (503, "database")
        unreachable = await scrape(http, base)  # /metrics still answers, backlog unknown
        assert math.isnan(value(unreachable, "couples_due_backlog"))


def listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on `port` (Linux: /proc/net/tcp*)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


async def test_the_endpoint_listens_on_loopback_and_stops_with_the_bot(
    monitored: tuple[BotApplication, str],
) -> None:
    application, base = monitored
    port = int(base.rsplit(":", 1)[1])
    if not Path("/proc/net/tcp").exists():  # noqa: ASYNC240
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    assert listening_addresses(port) == ["0100007F"]  # 127.0.0.1, and nothing else
    await stop_application(application)
    assert listening_addresses(port) == []
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await health(http, base)


async def test_metrics_are_per_application(api: LocalBotApi, db: Database) -> None:
    """Two applications in one process count apart (no global registry)."""
    settings = Settings(token=api.token, database_url=db.url, tick_seconds=0)
    first = metrics_of(build_application(settings, database=db))
    second = metrics_of(build_application(settings, database=db))
    assert isinstance(first, Metrics) and isinstance(second, Metrics)
    first.telegram_429.inc()
    assert b"couples_telegram_429_total 1.0" in first.render()
    assert b"couples_telegram_429_total 0.0" in second.render()
