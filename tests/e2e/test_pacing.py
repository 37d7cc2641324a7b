"""Every message and edit the bot sends to a chat keeps Telegram's per-chat pace (a burst of
three, then one a second): replies as well as relays to the partner. The local server
enforces the limits here and answers 429 past them; the bot must never get one, and must
drop nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import build_application, start_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import LocalBotApi, SendLimits
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, settled

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi(limits=SendLimits(per_second=30, per_chat=1, chat_burst=3)) as server:
        yield server


@pytest.fixture
async def paced_bot(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> AsyncIterator[BotApplication]:
    settings = Settings(  # the default limits: 30 a second, one a second per chat
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        tick_seconds=0,
    )
    application = build_application(settings, database=db, clock=clock)
    await start_application(application, poll_timeout=1)
    yield application
    await stop_application(application)


def sent_to(api: LocalBotApi, chat_id: int) -> list[float]:
    """When the server accepted each message to the chat."""
    return [
        call.at
        for call in api.calls_to("sendMessage")
        if call.status == 200 and call.params.get("chat_id") == chat_id
    ]


async def test_a_burst_of_commands_gets_paced_replies(
    api: LocalBotApi, paced_bot: BotApplication
) -> None:
    ann = api.user(1001, "Ann")
    for _ in range(5):
        await ann.send("/help")
    for _ in range(5):
        await ann.wait_for("/checkin")
    await settled(api, paced_bot)
    assert api.limits is not None
    assert api.limits.refused == 0
    times = sent_to(api, ann.id)
    assert len(times) == 5
    # three at once, then one a second: the fifth leaves two seconds after the first
    assert times[4] - times[0] >= 1.9
    assert api.limits.busiest_chat_second <= 3


async def test_relays_to_the_partner_are_paced_and_none_is_dropped(
    api: LocalBotApi, paced_bot: BotApplication
) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    ben.mark_all_read()
    words = [f"thank you for thing {n}" for n in range(4)]
    for text in words:
        await ann.send(f"/appreciate {text}")
    for text in words:
        await ben.wait_for(text)
    await settled(api, paced_bot)
    assert api.limits is not None
    assert api.limits.refused == 0
    times = sent_to(api, ben.id)
    assert times[-1] - times[-4] >= 0.9  # four in a row to one chat: not all at once


async def test_scheduled_prompts_share_the_chats_pace_with_replies(
    api: LocalBotApi, paced_bot: BotApplication, clock: FakeClock
) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    for _ in range(3):  # the chat's burst goes on replies...
        await ann.send("/help")
    for _ in range(3):
        await ann.wait_for("/checkin")
    clock.set(datetime(2026, 3, 8, 19, 0, tzinfo=UTC))  # ...then Sunday's recap is due
    await tick(paced_bot)
    await ann.wait_for(predicate=lambda m: m.photo is not None)
    await ann.wait_for("Your week with Ben")
    await settled(api, paced_bot)
    assert api.limits is not None
    assert api.limits.refused == 0  # the tick waited for the chat's pace
    assert api.limits.busiest_chat_second <= 3
