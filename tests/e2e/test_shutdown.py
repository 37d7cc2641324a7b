"""Graceful shutdown: no new work, work in flight finishes, and `python -m bot` exits 0 on
SIGTERM.

Nothing here is timed: a tick or a request is "in flight" because the test holds it there
(HeldTick, `api.hold_next`) until shutdown has taken in no new work (`intake_closed`), and
"within the grace period" is what `shutdown()` did (returned, finished or cancelled the work),
with generous timeouts that only guard against a hang."""

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
from apscheduler.schedulers.base import STATE_PAUSED
from telegram import Bot

from bot import lifecycle
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
GENEROUS = 30  # seconds; only a hang waits this long


class HeldTick:
    """A tick hook that runs until the test releases it (or it is cancelled), counting the
    ticks that start, end and are cancelled. A tick is in flight for exactly as long as the
    test needs, however fast the machine is."""

    def __init__(self) -> None:
        self.started = 0
        self.ended = 0
        self.cancelled = 0
        self.running = asyncio.Event()
        self.release = asyncio.Event()  # set: ticks end at once

    async def __call__(self, bot: Bot, runtime: Runtime) -> None:
        self.started += 1
        self.running.set()
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        self.ended += 1

    async def wait_running(self) -> None:
        async with asyncio.timeout(GENEROUS):  # the first tick starts about 1 s after the start
            await self.running.wait()

    @property
    def counts(self) -> tuple[int, int, int]:
        """(started, ended, cancelled)."""
        return self.started, self.ended, self.cancelled


@pytest.fixture
def intake_closed(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Set once shutdown() has taken its first step, taking no new work: the webhook server
    stopped listening (or the updater stopped polling) and the job queue was paused, which
    is the step's last act."""
    closed = asyncio.Event()
    pause_jobs = lifecycle.pause_jobs

    def pause_and_tell(application: BotApplication) -> None:
        pause_jobs(application)
        closed.set()

    monkeypatch.setattr(lifecycle, "pause_jobs", pause_and_tell)
    return closed


async def wait_set(event: asyncio.Event) -> None:
    async with asyncio.timeout(GENEROUS):
        await event.wait()


def settings_for(api: LocalBotApi, db: Database, *, tick_seconds: float) -> Settings:
    return Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=tick_seconds,
        mode="webhook",
        webhook=WebhookSettings(url=WEBHOOK_URL, secret=SECRET, listen="127.0.0.1", port=0),
    )


@pytest.fixture
async def webhook_bot(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> AsyncIterator[tuple[BotApplication, WebhookServer, HeldTick]]:
    """A bot in webhook mode whose repeating tick (every 0.1 s) runs until it is released."""
    settings = settings_for(api, db, tick_seconds=0.1)
    application = build_application(settings, database=db, clock=clock)
    held = HeldTick()
    runtime_of(application).tick_hooks = [held]
    assert settings.webhook is not None
    server = await start_webhook(application, settings.webhook)
    api.webhook_fan_out = [server.base_url]
    yield application, server, held
    held.release.set()
    if application.running:
        await shutdown(application, server)


def assert_jobs_paused(application: BotApplication) -> None:
    """No tick starts while shutdown waits for the work in flight: the scheduler is paused."""
    assert application.job_queue is not None
    assert application.job_queue.scheduler.state == STATE_PAUSED


def assert_jobs_stopped(application: BotApplication) -> None:
    """No tick can start any more: the job queue's scheduler is shut down."""
    assert application.job_queue is not None
    assert not application.job_queue.scheduler.running


async def test_a_tick_in_flight_completes_and_no_new_tick_starts(
    webhook_bot: tuple[BotApplication, WebhookServer, HeldTick], intake_closed: asyncio.Event
) -> None:
    application, server, tick = webhook_bot
    await tick.wait_running()
    stopping = asyncio.create_task(shutdown(application, server))
    await wait_set(intake_closed)  # jobs paused while the tick is still in flight
    assert_jobs_paused(application)
    assert tick.counts == (1, 0, 0) and not stopping.done()  # shutdown waits for the tick
    tick.release.set()  # the tick finishes; with the jobs paused, no next one starts
    async with asyncio.timeout(GENEROUS):
        assert await stopping is True  # everything in flight finished within the grace
    assert tick.counts == (1, 1, 0)  # the tick in flight completed, and it was the only one
    assert not application.running
    assert_jobs_stopped(application)


async def test_a_tick_longer_than_the_grace_is_cancelled(
    webhook_bot: tuple[BotApplication, WebhookServer, HeldTick],
) -> None:
    application, server, tick = webhook_bot  # the tick is never released: it would run forever
    await tick.wait_running()
    loop = asyncio.get_running_loop()
    begun = loop.time()
    async with asyncio.timeout(GENEROUS):  # returning at all means it did not wait forever
        assert await shutdown(application, server, grace=0.5) is False
    assert loop.time() - begun >= 0.45  # a floor: the tick was given its grace first
    assert tick.counts == (1, 0, 1)  # cancelled, not finished
    assert not application.running
    assert_jobs_stopped(application)


async def test_a_request_in_flight_is_answered_and_later_ones_wait(
    api: LocalBotApi,
    webhook_bot: tuple[BotApplication, WebhookServer, HeldTick],
    intake_closed: asyncio.Event,
) -> None:
    application, server, tick = webhook_bot
    tick.release.set()  # ticks end at once here: this test is about a request
    ann = api.user(1001, "Ann")
    answer = api.hold_next("sendMessage")  # the answer to /help waits until released
    await ann.send("/help")
    first = api.state.last_update_id
    await answer.wait_arrived(GENEROUS)
    assert server.in_flight == 1  # the delivery of /help is being handled
    stopping = asyncio.create_task(shutdown(application, server))
    await wait_set(intake_closed)
    await ann.send("/help")  # arrives while shutting down: not handled here
    assert not stopping.done()  # shutdown waits for the request in flight
    answer.release()
    async with asyncio.timeout(GENEROUS):
        assert await stopping is True
    assert "/start" in (await ann.next_message()).entities_text
    assert [d.status for d in api.webhook_deliveries if d.update_id == first] == [200]
    assert first in runtime_of(application).handled
    assert api.state.last_update_id not in runtime_of(application).handled
    assert len(api.pending_updates) == 1  # still queued for the next instance
    # The application has stopped: nothing more can come from it.
    assert not application.running
    ann.assert_no_unread()


async def test_polling_mode_shuts_down_the_same_way(
    api: LocalBotApi, db: Database, clock: FakeClock, intake_closed: asyncio.Event
) -> None:
    settings = settings_for(api, db, tick_seconds=0.1)
    settings = Settings(**{**settings_dict(settings), "mode": "polling", "webhook": None})
    application = build_application(settings, database=db, clock=clock)
    tick = HeldTick()
    runtime_of(application).tick_hooks = [tick]
    await start_application(application, poll_timeout=1)
    try:
        await tick.wait_running()
        stopping = asyncio.create_task(shutdown(application))
        await wait_set(intake_closed)  # polling stopped, jobs paused, the tick still in flight
        assert application.updater is not None and not application.updater.running
        assert_jobs_paused(application)
        assert tick.counts == (1, 0, 0) and not stopping.done()
        tick.release.set()
        async with asyncio.timeout(GENEROUS):
            assert await stopping is True
        assert tick.counts == (1, 1, 0)
        assert not application.running
        assert_jobs_stopped(application)
    finally:
        tick.release.set()
        if application.running:
            await shutdown(application)


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
    # The bot logged that it began stopping, then stopped with nothing cancelled: what was in
    # flight finished within the grace period. (That a shutdown past the grace cancels and
    # returns is test_a_tick_longer_than_the_grace_is_cancelled; how long this one took on
    # this machine is only reported.)
    lines = stderr.splitlines()
    stopping = next(line for line in lines if "stopping: finishing the work in flight" in line)
    assert lines[-1].endswith("bot.lifecycle: stopped"), stderr
    shutdown_seconds = (log_time(lines[-1]) - log_time(stopping)).total_seconds()
    print(f"SIGTERM ({mode}): shutdown {shutdown_seconds:.3f} s, process exit after {took:.2f} s")


def log_time(line: str) -> datetime:
    return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
