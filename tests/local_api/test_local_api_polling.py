"""getUpdates long polling, offsets, and a real PTB Application running against the server."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.local_api import LocalBotApi
from bot.update_processing import HandledUpdates, NotifyingUpdateProcessor

pytestmark = pytest.mark.asyncio

# Long polls here outlast any wait in these tests, so a poll that returns was woken by what the
# test did, not by its own timeout; waits are generous and fail loudly instead of timing.
POLL_SECONDS = 120
GENEROUS = 30


async def test_user_message_reaches_get_updates_and_offset_confirms(
    api: LocalBotApi, bot: Bot
) -> None:
    ann = api.user(1001, "Ann", language_code="de", username="ann")
    await ann.send("hello")
    await ann.send("/start@couples_test_bot now")

    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["hello", "/start@couples_test_bot now"]
    first = updates[0].message
    assert first.chat.id == 1001 and first.chat.type == "private"
    assert first.from_user.id == 1001
    assert first.from_user.language_code == "de"
    assert first.from_user.username == "ann"
    assert first.from_user.is_bot is False
    assert first.entities == ()
    command = updates[1].message.entities[0]
    assert (command.type, command.offset, command.length) == ("bot_command", 0, 23)
    assert updates[1].update_id == updates[0].update_id + 1

    # Not confirmed yet: the same updates come again.
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [u.update_id for u in updates]
    # Confirm the first one only.
    rest = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert [u.update_id for u in rest] == [updates[1].update_id]
    assert await bot.get_updates(offset=updates[1].update_id + 1, timeout=0) == ()
    assert api.pending_updates == []


async def test_limit_and_negative_offset(api: LocalBotApi, bot: Bot) -> None:
    ann = api.user(1001, "Ann")
    for i in range(5):
        await ann.send(f"m{i}")
    assert [u.message.text for u in await bot.get_updates(limit=2)] == ["m0", "m1"]
    assert [u.message.text for u in await bot.get_updates(offset=-2)] == ["m3", "m4"]
    # Negative offset forgot the earlier ones.
    assert [u.message.text for u in await bot.get_updates()] == ["m3", "m4"]


async def test_blocking_poll_returns_as_soon_as_an_update_arrives(
    api: LocalBotApi, bot: Bot
) -> None:
    ann = api.user(1001, "Ann")
    # A poll far longer than the wait below: if it returns with the update, the update woke it.
    poll = asyncio.create_task(bot.get_updates(timeout=POLL_SECONDS))
    await api.wait_for_long_poll()
    assert (api.long_polls_waiting, api.long_polls_parked) == (1, 1)
    assert not poll.done()
    await ann.send("wake up")
    updates = await asyncio.wait_for(poll, GENEROUS)
    assert [u.message.text for u in updates] == ["wake up"]
    assert api.long_polls_waiting == 0


async def test_poll_with_pending_update_returns_without_waiting(api: LocalBotApi, bot: Bot) -> None:
    await api.user(1001, "Ann").send("already here")
    parked_before = api.long_polls_parked
    updates = await asyncio.wait_for(bot.get_updates(timeout=POLL_SECONDS), GENEROUS)
    assert len(updates) == 1
    assert api.long_polls_parked == parked_before  # answered at once: it never waited


async def test_poll_times_out_empty(api: LocalBotApi, bot: Bot) -> None:
    start = time.perf_counter()
    assert await asyncio.wait_for(bot.get_updates(timeout=1), GENEROUS) == ()
    assert time.perf_counter() - start >= 0.9  # it did wait (a floor: slowness cannot break it)


async def test_wait_for_long_poll_waits_for_a_parked_request(api: LocalBotApi, bot: Bot) -> None:
    waiter = asyncio.create_task(api.wait_for_long_poll())
    await bot.get_updates(timeout=0)  # answered at once: never parked
    assert not waiter.done()
    poll = asyncio.create_task(bot.get_updates(timeout=POLL_SECONDS))
    await asyncio.wait_for(waiter, GENEROUS)
    assert api.long_polls_waiting == 1 and not poll.done()
    await api.wait_for_long_poll()  # already parked: returns at once
    await api.user(1001, "Ann").send("done")
    assert len(await asyncio.wait_for(poll, GENEROUS)) == 1
    with pytest.raises(TimeoutError):
        await api.wait_for_long_poll(timeout=0.05)  # nobody polls any more


async def test_the_webhook_delivery_loop_is_no_long_poll(api: LocalBotApi, bot: Bot) -> None:
    """The webhook delivery loop waits for updates from start() on, webhook set or not, but
    it is no getUpdates request: the long-poll hooks count only those."""
    await api.state.webhook_notifier.until_waited_on(GENEROUS)  # the loop is waiting now
    assert (api.long_polls_waiting, api.long_polls_parked) == (0, 0)
    with pytest.raises(TimeoutError):
        await api.wait_for_long_poll(timeout=0.05)  # nobody polls
    poll = asyncio.create_task(bot.get_updates(timeout=POLL_SECONDS))
    await api.wait_for_long_poll()
    assert (api.long_polls_waiting, api.long_polls_parked) == (1, 1)
    await api.user(1001, "Ann").send("wakes the poll and the delivery loop")
    assert len(await asyncio.wait_for(poll, GENEROUS)) == 1
    assert (api.long_polls_waiting, api.long_polls_parked) == (0, 1)


async def test_stop_releases_waiting_polls(
    http: aiohttp.ClientSession,
) -> None:
    api = LocalBotApi()
    await api.start()
    url = f"{api.base_url}{api.token}/getUpdates?timeout={POLL_SECONDS}"
    poll = asyncio.create_task(http.get(url))
    await api.wait_for_long_poll()
    await api.stop()
    # Released by the stop, not by its own (much longer) timeout.
    response = await asyncio.wait_for(poll, GENEROUS)
    assert await response.json() == {"ok": True, "result": []}


async def test_newer_poll_terminates_older_with_conflict(
    api: LocalBotApi, http: aiohttp.ClientSession
) -> None:
    url = f"{api.base_url}{api.token}/getUpdates?timeout={POLL_SECONDS}"
    older = asyncio.create_task(http.get(url))
    await api.wait_for_long_poll()  # the older one is parked before the newer one comes
    newer = asyncio.create_task(http.get(url))
    response = await asyncio.wait_for(older, GENEROUS)
    assert response.status == 409
    assert "terminated by other getUpdates request" in (await response.json())["description"]
    await api.user(1001, "Ann").send("for the newer poll")
    response = await asyncio.wait_for(newer, GENEROUS)
    assert len((await response.json())["result"]) == 1


async def test_ptb_sees_conflict_as_conflict_error(api: LocalBotApi, bot: Bot) -> None:
    api.fail_next("getUpdates", error_code=409)
    with pytest.raises(Conflict, match="only one bot instance"):
        await bot.get_updates()


async def test_drop_pending_updates_and_webhook_info(api: LocalBotApi, bot: Bot) -> None:
    await api.user(1001, "Ann").send("old")
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True) is True
    assert await bot.get_updates() == ()


async def test_allowed_updates_filters_update_types(api: LocalBotApi, bot: Bot) -> None:
    ann = api.user(1001, "Ann")
    await ann.send("hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]])
    await bot.send_message(1001, "q", reply_markup=keyboard)
    await ann.press("x")
    await ann.send("after press")
    everything = await bot.get_updates()
    assert [("message" if u.message else "callback_query") for u in everything] == [
        "message",
        "callback_query",
        "message",
    ]
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["hi", "after press"]
    # The filter persists for later calls, like Telegram's.
    await ann.press("x")
    assert len(await bot.get_updates()) == 2


async def _run_application(api: LocalBotApi, application: Application) -> None:  # type: ignore[type-arg]
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)


async def _stop_application(application: Application) -> None:  # type: ignore[type-arg]
    assert application.updater is not None
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_real_application_end_to_end(api: LocalBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message and update.effective_user
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("Yes 💞", callback_data="yes")],
                [InlineKeyboardButton("No", callback_data="no")],
            ]
        )
        await update.effective_message.reply_html(
            f"Hi <b>{update.effective_user.first_name}</b>! Ready?", reply_markup=keyboard
        )

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"You said {query.data}")
        await query.edit_message_text(f"Chosen: {query.data}")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message and update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text.upper())

    handled = HandledUpdates()  # a positive signal that an update was fully handled
    application = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .concurrent_updates(NotifyingUpdateProcessor(handled))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(answer))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await _run_application(api, application)
    try:
        ann = api.user(1001, "Ann")
        await ann.send("/start")
        greeting = await ann.next_message()
        assert greeting.entities_text == "Hi Ann! Ready?"
        assert greeting.buttons == [["Yes 💞"], ["No"]]
        assert greeting.button_data == {"Yes 💞": "yes", "No": "no"}

        query_id = await ann.press("Yes 💞")
        assert (await ann.callback_answer(query_id))["text"] == "You said yes"
        edited = await ann.wait_edit(greeting)
        assert edited is greeting
        assert greeting.entities_text == "Chosen: yes"
        assert greeting.reply_markup is None  # editMessageText without markup drops it
        assert greeting.edits == 1

        await ann.send("quiet please")
        assert (await ann.next_message()).text == "QUIET PLEASE"
        await handled.wait_for(api.state.last_update_id, timeout=GENEROUS)
        ann.assert_no_unread()  # one echo, nothing more
    finally:
        await _stop_application(application)
    # The updater confirmed everything it processed on shutdown.
    assert api.pending_updates == []
