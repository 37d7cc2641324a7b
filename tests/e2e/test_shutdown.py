"""Graceful shutdown: no new work, work in flight finishes, and `python -m bot` exits 0 on
SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from telegram import Bot

from bot.app import build_application, start_application
from bot.clock import FakeClock
from bot.config import Settings, WebhookSettings
from bot.context import BotApplication
from bot.db import Database
from bot.lifecycle import shutdown
from bot.local_api import LocalBotApi
from bot.runtime import Runtime, runtime_of
from bot.webhook import WebhookServer, start_webhook

ROOT = Path(__file__).resolve().parents[2]
WEBHOOK_URL = "https://bot.example.org/hook"
SECRET = "shutdown-Secret_0123456789"


class SlowTick:
    """A tick hook that takes `seconds`, recording when ticks start, end or are cancelled."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started: list[float] = []
        self.ended: list[float] = []
        self.cancelled = 0
        self.running = asyncio.Event()

    async def __call__(self, bot: Bot, runtime: Runtime) -> None:
        self.started.append(time.monotonic())
        self.running.set()
        try:
            await asyncio.sleep(self.seconds)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        self.ended.append(time.monotonic())


def settings_for(api: LocalBotApi, db: Database, *, tick_seconds: float) -> Settings:
    return Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        tick_seconds=tick_seconds,
        mode="webhook",
        webhook=WebhookSettings(url=WEBHOOK_URL, secret=SECRET, listen="127.0.0.1", port=0),
    )


@pytest.fixture
async def webhook_bot(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> AsyncIterator[tuple[BotApplication, WebhookServer, SlowTick]]:
    """A bot in webhook mode whose repeating tick (every 0.1 s) takes 0.6 s."""
    settings = settings_for(api, db, tick_seconds=0.1)
    application = build_application(settings, database=db, clock=clock)
    slow = SlowTick(0.6)
    runtime_of(application).tick_hooks = [slow]
    assert settings.webhook is not None
    server = await start_webhook(application, settings.webhook)
    api.webhook_fan_out = [server.base_url]
    yield application, server, slow
    if application.running:
        await shutdown(application, server)


async def test_a_tick_in_flight_completes_and_no_new_tick_starts(
    webhook_bot: tuple[BotApplication, WebhookServer, SlowTick],
) -> None:
    application, server, slow = webhook_bot
    await asyncio.wait_for(slow.running.wait(), 10)  # the first tick starts after ~1 s
    begun = time.monotonic()
    assert await shutdown(application, server) is True
    took = time.monotonic() - begun
    assert (len(slow.started), len(slow.ended), slow.cancelled) == (1, 1, 0)
    assert slow.ended[0] <= time.monotonic()
    assert took < 2  # the rest of a 0.6 s tick, not more
    await asyncio.sleep(0.5)  # five more intervals: nothing starts
    assert len(slow.started) == 1
    assert not application.running
    assert application.job_queue is not None and not application.job_queue.scheduler.running


async def test_a_tick_longer_than_the_grace_is_cancelled(
    webhook_bot: tuple[BotApplication, WebhookServer, SlowTick],
) -> None:
    application, server, slow = webhook_bot
    slow.seconds = 30
    await asyncio.wait_for(slow.running.wait(), 10)
    begun = time.monotonic()
    assert await shutdown(application, server, grace=0.5) is False
    assert time.monotonic() - begun < 2
    assert (len(slow.started), len(slow.ended), slow.cancelled) == (1, 0, 1)


async def test_a_request_in_flight_is_answered_and_later_ones_wait(
    api: LocalBotApi, webhook_bot: tuple[BotApplication, WebhookServer, SlowTick]
) -> None:
    application, server, _ = webhook_bot
    ann = api.user(1001, "Ann")
    api.delay_next("sendMessage", 1.0)  # the answer to /help takes a second to send
    await ann.send("/help")
    first = api.state.last_update_id
    async with asyncio.timeout(10):
        while server.in_flight == 0:  # noqa: ASYNC110 (the delivery reached the handler)
            await asyncio.sleep(0.01)
    stopping = asyncio.create_task(shutdown(application, server))
    await asyncio.sleep(0.1)
    await ann.send("/help")  # arrives while shutting down: not handled here
    assert await stopping is True
    assert "/start" in (await ann.next_message(timeout=1)).entities_text
    assert [d.status for d in api.webhook_deliveries if d.update_id == first] == [200]
    assert first in runtime_of(application).handled
    assert api.state.last_update_id not in runtime_of(application).handled
    assert len(api.pending_updates) == 1  # still queued for the next instance
    await ann.expect_silence(0.2)


async def test_polling_mode_shuts_down_the_same_way(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> None:
    settings = settings_for(api, db, tick_seconds=0.1)
    settings = Settings(**{**settings_dict(settings), "mode": "polling", "webhook": None})
    application = build_application(settings, database=db, clock=clock)
    slow = SlowTick(0.6)
    runtime_of(application).tick_hooks = [slow]
    await start_application(application, poll_timeout=1)
    await asyncio.wait_for(slow.running.wait(), 10)
    assert await shutdown(application) is True
    assert application.updater is not None and not application.updater.running
    assert (len(slow.started), len(slow.ended), slow.cancelled) == (1, 1, 0)
    await asyncio.sleep(0.5)
    assert len(slow.started) == 1


def settings_dict(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in Settings.__slots__}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("mode", ["webhook", "polling"])
async def test_sigterm_stops_python_m_bot_with_status_0(
    api: LocalBotApi, tmp_path: Path, mode: str
) -> None:
    port = free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WEBHOOK_", "TELEGRAM_", "BOT_MODE", "DATABASE_URL"))
    }
    environment.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        TELEGRAM_API_BASE_FILE_URL=api.base_file_url,
        BOT_MODE=mode,
        WEBHOOK_URL=WEBHOOK_URL,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
        LOG_LEVEL="INFO",
    )
    api.webhook_fan_out = [f"http://127.0.0.1:{port}"]  # the proxy, in webhook mode
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        ann = api.user(1001, "Ann")
        await ann.send("/start")  # queued until the bot has set its webhook and listens
        greeting = await ann.next_message(timeout=60)
        assert "Pair with my partner" in str(greeting.buttons)
        if mode == "webhook":
            assert api.webhook is not None and api.webhook.url == WEBHOOK_URL
        else:
            assert api.webhook is None and api.calls_to("getUpdates")
        process.send_signal(signal.SIGTERM)
        begun = time.monotonic()
        returncode = await asyncio.wait_for(process.wait(), 30)  # guards against a hang only
        took = time.monotonic() - begun
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.stderr is not None
    stderr = (await process.stderr.read()).decode()
    assert returncode == 0, stderr
    assert "Traceback" not in stderr
    assert SECRET not in stderr
    # From the signal to a clean stop, by the bot's own clock (the interpreter's exit after
    # that is not ours to time on a busy machine: `took` is only reported).
    lines = stderr.splitlines()
    stopping = next(line for line in lines if "stopping: finishing the work in flight" in line)
    assert "bot.lifecycle: stopped" in lines[-1], stderr
    shutdown_seconds = (log_time(lines[-1]) - log_time(stopping)).total_seconds()
    assert shutdown_seconds < 10, f"shutdown took {shutdown_seconds:.2f} s"
    print(f"SIGTERM ({mode}): shutdown {shutdown_seconds:.3f} s, process exit after {took:.2f} s")


def log_time(line: str) -> datetime:
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
