"""End-to-end fixtures: the real PTB BotApplication polling a local Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest

from bot.app import build_application, start_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import LocalBotApi, SimulatedUser
from bot.ratelimit import SlidingWindow
from bot.runtime import runtime_of

StartBot = Callable[[], Awaitable[BotApplication]]


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    server = LocalBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def start_bot(api: LocalBotApi, db: Database, clock: FakeClock) -> AsyncIterator[StartBot]:
    """Starts a bot process (call again after stopping one to simulate a restart)."""
    running: list[BotApplication] = []
    settings = Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        telegram_chat_rate_limit=0,  # scripted users read fast; pacing has its own tests
        tick_seconds=0,  # tests run the tick themselves, after moving the clock
    )

    async def start() -> BotApplication:
        application = build_application(settings, database=db, clock=clock)
        # Scripted users type far faster than people: flood limits are tested on their own.
        runtime = runtime_of(application)
        runtime.flood = SlidingWindow(100_000, timedelta(seconds=10))
        runtime.relays = SlidingWindow(100_000, timedelta(minutes=10))
        await start_application(application, poll_timeout=1)
        running.append(application)
        return application

    yield start
    for application in running:
        if application.running or (application.updater and application.updater.running):
            await stop_application(application)


@pytest.fixture
async def bot(start_bot: StartBot) -> BotApplication:
    return await start_bot()


SETTLE_TIMEOUT = 30  # generous: only a bot that never finishes waits this long


async def settled(api: LocalBotApi, application: BotApplication) -> None:
    """Wait for the positive signal that the bot finished handling every update sent so far
    (not Telegram's confirmation, which PTB sends as soon as it has queued an update).

    Different users' updates are handled at once, so this waits until the newest one is done
    and no earlier one is still being handled.
    The signal belongs to one bot process: after a restart, pass the new application, and
    only once it was sent an update (a tick needs no settling: it returns when it is done).
    """
    last = api.state.last_update_id
    if not last:
        return  # nothing was ever sent
    try:
        await runtime_of(application).handled.wait_for(last, timeout=SETTLE_TIMEOUT)
    except TimeoutError:
        raise AssertionError(
            f"the bot did not finish handling update {last} within {SETTLE_TIMEOUT}s "
            f"({len(api.pending_updates)} update(s) not yet fetched/confirmed)"
        ) from None


async def quiet(api: LocalBotApi, application: BotApplication, *people: SimulatedUser) -> None:
    """Nothing more was sent to these people once the bot handled everything sent so far."""
    await settled(api, application)
    for person in people:
        person.assert_no_unread()


async def pair_up(api: LocalBotApi, a: SimulatedUser, b: SimulatedUser) -> None:
    """Pair two users through the deep link, consuming the messages it produces."""
    await a.send("/pair")
    invite = await a.wait_for("t.me/")
    code = invite.entities_text.split("?start=", 1)[1].split()[0]
    await b.send(f"/start {code}")
    await b.wait_for(a.first_name)
    await a.wait_for(b.first_name)
    await a.wait_for(predicate=lambda m: m.reply_markup is not None)  # time zone question
    await b.wait_for(predicate=lambda m: m.reply_markup is not None)
