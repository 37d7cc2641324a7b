"""Telegram's flood limits in the local server (optional): 429 past the overall or per-chat
pace, and counts of what was accepted. The server's clock is a fake one the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import pytest_asyncio
from telegram import Bot
from telegram.error import RetryAfter

from bot.local_api import LocalBotApi, SendLimits

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def limited(clock: Clock) -> AsyncIterator[tuple[LocalBotApi, Bot]]:
    limits = SendLimits(per_second=4, per_chat=1, chat_burst=3, slack=0, clock=clock)
    async with LocalBotApi(limits=limits) as api:
        for user_id in (1, 2, 3):
            await api.user(user_id, f"User {user_id}").send("/start")
        bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        await bot.initialize()
        yield api, bot
        await bot.shutdown()


async def test_a_chat_past_its_burst_gets_429(
    limited: tuple[LocalBotApi, Bot], clock: Clock
) -> None:
    api, bot = limited
    for n in range(3):
        await bot.send_message(1, f"burst {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "one too many")
    assert caught.value.retry_after == timedelta(seconds=1)
    assert [m.text for m in api.user(1, "User 1").messages] == ["burst 0", "burst 1", "burst 2"]
    await bot.send_message(2, "another chat still gets through")
    clock.now += 1.0
    await bot.send_message(1, "a second later")
    assert api.limits is not None
    assert api.limits.refused == 1
    assert api.limits.busiest_chat_second == 3


async def test_the_bot_past_its_overall_pace_gets_429(
    limited: tuple[LocalBotApi, Bot], clock: Clock
) -> None:
    api, bot = limited
    for chat in (1, 2, 3, 1):
        await bot.send_message(chat, "within four a second")
    with pytest.raises(RetryAfter):
        await bot.send_message(2, "the fifth in a second")
    clock.now += 0.25
    await bot.send_message(3, "a quarter second later there is room for one")
    assert api.limits is not None
    assert api.limits.busiest_second == 5
    assert api.limits.refused == 1


async def test_callback_answers_and_other_calls_are_not_counted(
    limited: tuple[LocalBotApi, Bot],
) -> None:
    api, bot = limited
    for _ in range(10):
        await bot.send_chat_action(1, "typing")
        await bot.get_me()
    assert api.limits is not None
    assert (api.limits.refused, api.limits.busiest_second) == (0, 0)


async def test_without_limits_nothing_is_refused() -> None:
    async with LocalBotApi() as api:
        await api.user(1, "One").send("/start")
        bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        await bot.initialize()
        for n in range(20):
            await bot.send_message(1, f"fast {n}")
        await bot.shutdown()
        assert len(api.user(1, "One").messages) == 20
