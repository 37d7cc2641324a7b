"""Injected errors surface in PTB as the exceptions real Telegram errors produce."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.local_api import LocalBotApi, SimulatedUser

pytestmark = pytest.mark.asyncio

GENEROUS = 30  # only a hang waits this long


@pytest.fixture
async def ann(api: LocalBotApi) -> SimulatedUser:
    user = api.user(1001, "Ann")
    await user.send("/start")
    return user


async def test_429_raises_retry_after(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    api.fail_next("sendMessage", error_code=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1001, "x")
    assert caught.value.retry_after == timedelta(seconds=7)  # PTB_TIMEDELTA is on (bot/)
    call = api.calls_to("sendMessage")[-1]
    assert (call.status, call.error) == (429, "Too Many Requests: retry after 7")
    assert ann.messages == []
    await bot.send_message(1001, "second try works")
    assert [m.text for m in ann.messages] == ["second try works"]


async def test_fault_times_and_chat_filter(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    ben = api.user(1002, "Ben")
    await ben.send("hi")
    api.fail_next("sendMessage", error_code=500, chat_id=1002, times=2)
    await bot.send_message(1001, "Ann is unaffected")
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(1002, "x")
    await bot.send_message(1002, "third call passes")
    assert [m.text for m in ben.messages] == ["third call passes"]
    assert [m.text for m in ann.messages] == ["Ann is unaffected"]


async def test_custom_description_and_other_methods(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    api.fail_next("answerCallbackQuery", error_code=400, description="Bad Request: custom")
    with pytest.raises(BadRequest, match=r"(?i)custom"):
        await bot.answer_callback_query("whatever")
    api.fail_next("getMe", error_code=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()


async def test_block_and_unblock(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(1001, "before")
    api.block(1001)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(1001, "x")
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_photo(1001, b"img")
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.edit_message_text("y", 1001, sent.message_id)
    api.unblock(1001)
    await bot.send_message(1001, "after")
    assert [m.text for m in ann.messages] == ["before", "after"]


async def test_block_can_emit_my_chat_member(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.get_updates(offset=-1)
    last = (await bot.get_updates())[0].update_id
    api.block(1001, emit_update=True)
    (update,) = await bot.get_updates(offset=last + 1)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.from_user.id == 1001


async def test_user_writing_again_unblocks(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    api.block(1001)
    assert ann.blocked
    await ann.send("/start")
    assert not ann.blocked
    await bot.send_message(1001, "welcome back")


async def test_delay_provokes_client_timeout(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    api.delay_next("sendMessage", 0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(1001, "slow", read_timeout=0.1)
    await bot.send_message(1001, "fast")


async def test_hold_keeps_the_next_call_waiting_until_released(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    held = api.hold_next("sendMessage", chat_id=1001)
    assert not held.arrived
    sending = asyncio.create_task(bot.send_message(1001, "held"))
    await held.wait_arrived()
    # Held in the server: no answer can come before the release.
    assert not sending.done() and ann.messages == []
    await bot.send_message(1001, "not held")  # only the next call is held
    held.release()
    assert (await asyncio.wait_for(sending, GENEROUS)).text == "held"
    assert [m.text for m in ann.messages] == ["not held", "held"]
    assert [call.status for call in api.calls_to("sendMessage")] == [200, 200]


async def test_stop_releases_a_held_call(http: aiohttp.ClientSession) -> None:
    api = LocalBotApi()
    await api.start()
    held = api.hold_next("getMe")
    call = asyncio.create_task(http.get(f"{api.base_url}{api.token}/getMe"))
    await held.wait_arrived()
    await api.stop()
    response = await asyncio.wait_for(call, GENEROUS)
    assert (await response.json())["result"]["username"] == "couples_test_bot"
