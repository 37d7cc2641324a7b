"""Simulated users and groups: message cursors, waiting helpers, events and bot settings."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    MenuButtonDefault,
)
from telegram.error import BadRequest

from bot.local_api import LocalBotApi, SimulatedUser

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def ann(api: LocalBotApi) -> SimulatedUser:
    user = api.user(1001, "Ann", last_name="Lee", username="annlee", language_code="fr")
    await user.send("/start")
    return user


async def test_user_identity_and_idempotent_creation(api: LocalBotApi, ann: SimulatedUser) -> None:
    assert (ann.id, ann.chat_id, ann.first_name, ann.language_code) == (1001, 1001, "Ann", "fr")
    assert api.user(1001, "Someone else") is ann
    assert ann.to_json() == {
        "id": 1001,
        "is_bot": False,
        "first_name": "Ann",
        "last_name": "Lee",
        "username": "annlee",
        "language_code": "fr",
    }
    assert api.pending_updates[0]["message"]["chat"] == {
        "id": 1001,
        "type": "private",
        "first_name": "Ann",
        "last_name": "Lee",
        "username": "annlee",
    }


async def test_next_message_consumes_in_order(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    for text in ("one", "two"):
        await bot.send_message(1001, text)
    assert (await ann.next_message()).text == "one"
    assert (await ann.next_message()).text == "two"
    late = asyncio.create_task(ann.next_message(timeout=30))
    await ann.watched()  # next_message is waiting before "three" is sent
    assert not late.done()
    await bot.send_message(1001, "three")
    assert (await late).text == "three"
    assert [m.text for m in ann.messages] == ["one", "two", "three"]


async def test_next_message_timeout_explains_what_happened(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.send_message(1001, "earlier reply")
    await ann.next_message()
    with pytest.raises(BadRequest):
        await bot.send_message(1001, "<b>broken", parse_mode="HTML")
    with pytest.raises(AssertionError) as caught:
        await ann.next_message(timeout=0.1)
    report = str(caught.value)
    assert "no new bot message within 0.10s" in report
    assert "earlier reply" in report
    assert "sendMessage: Bad Request: can't parse entities" in report


async def test_wait_for_skips_and_consumes(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    for text in ("noise 1", "<b>target</b> here", "after"):
        await bot.send_message(1001, text, parse_mode="HTML")
    found = await ann.wait_for("target here")  # matches the visible text
    assert found.text == "<b>target</b> here"
    assert (await ann.next_message()).text == "after"

    await bot.send_message(
        1001,
        "a",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]]),
    )
    with_buttons = await ann.wait_for(predicate=lambda m: bool(m.buttons))
    assert with_buttons.entities_text == "a"

    await bot.send_message(1001, "unrelated")
    with pytest.raises(AssertionError, match=r"(?s)'missing'.*skipped while waiting.*unrelated"):
        await ann.wait_for("missing", timeout=0.1)
    with pytest.raises(AssertionError):
        await ann.next_message(timeout=0.05)  # "unrelated" was consumed by wait_for


async def test_wait_for_waits_for_future_messages(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    async def later() -> None:
        await ann.watched()  # wait_for is waiting before anything is sent
        await bot.send_message(1001, "skip me")
        await bot.send_message(1001, "the one")

    task = asyncio.create_task(later())
    assert (await ann.wait_for("one", timeout=30)).text == "the one"
    await task


async def test_expect_silence(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    await bot.send_message(1001, "before the window")  # unconsumed, but not new in the window
    await ann.expect_silence(0.05)

    async def speak() -> None:
        await ann.watched()  # expect_silence is listening before the bot speaks
        await bot.send_message(1001, "surprise")

    task = asyncio.create_task(speak())
    # A message during the window fails at once; the generous window is never waited out.
    with pytest.raises(AssertionError, match="surprise"):
        await ann.expect_silence(30)
    await task


async def test_watched_waits_for_a_waiter(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    watcher = asyncio.create_task(ann.watched())
    await bot.send_message(1001, "there before anyone asks")
    assert not watcher.done()  # a message is not a waiter
    assert (await ann.next_message()).text == "there before anyone asks"
    assert not watcher.done()  # a reader that found its message at once never waited
    reader = asyncio.create_task(ann.next_message(timeout=30))
    await asyncio.wait_for(watcher, 30)
    assert not reader.done()
    await ann.watched()  # someone is already waiting: returns at once
    await bot.send_message(1001, "now")
    assert (await reader).text == "now"
    with pytest.raises(TimeoutError):
        await ann.watched(timeout=0.05)  # nobody waits any more


async def test_wait_edit(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    sent = await bot.send_message(1001, "draft")
    message = await ann.next_message()

    async def edit_later() -> None:
        await ann.watched()  # wait_edit is waiting before the edit
        await bot.edit_message_text("final", 1001, sent.message_id)

    task = asyncio.create_task(edit_later())
    assert (await ann.wait_edit(message)).entities_text == "final"
    await task
    with pytest.raises(AssertionError, match="was not edited"):
        await ann.wait_edit(message, timeout=0.05)


async def test_callback_answer_timeout(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    await bot.send_message(
        1001,
        "q",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]]),
    )
    query_id = await ann.press("x")
    with pytest.raises(AssertionError, match="not answered"):
        await ann.callback_answer(query_id, timeout=0.05)


async def test_group_messages(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    ben = api.user(1002, "Ben")
    group = api.group(-500, "Ann & Ben")
    assert api.group(-500, "other title") is group
    await bot.get_updates(offset=-1)
    last = (await bot.get_updates())[0].update_id
    await group.send(ben, "/checkin@couples_test_bot today")
    await group.send(ann, "hello all")
    first, second = await bot.get_updates(offset=last + 1)
    assert first.message is not None and second.message is not None
    assert first.message.chat.type == "group" and first.message.chat.title == "Ann & Ben"
    assert first.message.from_user is not None and first.message.from_user.first_name == "Ben"
    assert first.message.entities[0].length == len("/checkin@couples_test_bot")
    assert second.message.from_user is not None and second.message.from_user.id == 1001

    # Ben never wrote privately, but the bot can talk in the group.
    sent = await bot.send_message(-500, "Hi group", reply_to_message_id=first.message.message_id)
    assert sent.chat.type == "group"
    message = await group.next_message()
    assert message.text == "Hi group" and message.chat_id == -500
    assert group.messages == [message]
    assert ann.messages == []
    ann.assert_no_unread()  # every send above was awaited: nothing can still come


async def test_event_feed(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    async with api.events() as events:
        await ann.send("hi")
        sent = await bot.send_message(
            1001,
            "hello",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]]),
        )
        query_id = await ann.press("ok")
        await bot.answer_callback_query(query_id, text="noted")
        await bot.edit_message_text("bye", 1001, sent.message_id)
        await bot.send_chat_action(1001, "typing")
        await bot.delete_message(1001, sent.message_id)
        received = [await events.next(timeout=1) for _ in range(7)]
    assert [e["type"] for e in received] == [
        "message",
        "message",
        "callback_query",
        "callback_answer",
        "edit",
        "chat_action",
        "delete",
    ]
    assert all(e["chat_id"] == 1001 for e in received)
    assert received[0]["from_bot"] is False and received[0]["message"]["text"] == "hi"
    assert received[1]["from_bot"] is True and received[1]["message"]["text"] == "hello"
    assert (
        received[3]["text"] == "noted" and received[3]["message"]["message_id"] == sent.message_id
    )
    assert received[4]["message"]["text"] == "bye"
    assert [e["seq"] for e in received] == sorted(e["seq"] for e in received)
    assert api.feed.subscriber_count == 0
    assert list(api.feed.history)[-7:] == received


async def test_event_queue_subscription(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    queue = api.subscribe()
    await bot.send_message(1001, "x")
    event = queue.get_nowait()
    assert event["type"] == "message" and event["message"]["text"] == "x"
    api.unsubscribe(queue)
    await bot.send_message(1001, "y")
    assert queue.empty()


async def test_commands_per_scope_and_language(
    api: LocalBotApi, bot: Bot, ann: SimulatedUser
) -> None:
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("pair", "Pair up")])
    await bot.set_my_commands([BotCommand("start", "Démarrer")], language_code="fr")
    await bot.set_my_commands(
        [BotCommand("help", "Help")], scope=BotCommandScopeAllPrivateChats(), language_code="de"
    )
    await bot.set_my_commands([BotCommand("mine", "Just Ann")], scope=BotCommandScopeChat(1001))
    assert api.commands[("default", "")] == [
        {"command": "start", "description": "Start"},
        {"command": "pair", "description": "Pair up"},
    ]
    assert api.commands[("default", "fr")] == [{"command": "start", "description": "Démarrer"}]
    assert api.commands[("all_private_chats", "de")] == [{"command": "help", "description": "Help"}]
    assert ("chat:1001", "") in api.commands

    fr = await bot.get_my_commands(language_code="fr")
    assert [(c.command, c.description) for c in fr] == [("start", "Démarrer")]
    assert await bot.get_my_commands(language_code="es") == ()
    assert [c["command"] for c in api.effective_commands(1001, "fr")] == ["mine"]
    assert [c["command"] for c in api.effective_commands(2002, "de")] == ["help"]
    assert [c["command"] for c in api.effective_commands(2002, "fr")] == ["start"]
    assert [c["command"] for c in api.effective_commands(2002, "es")] == ["start", "pair"]

    assert await bot.delete_my_commands(language_code="fr")
    assert ("default", "fr") not in api.commands
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_menu_button_and_descriptions(api: LocalBotApi, bot: Bot, ann: SimulatedUser) -> None:
    assert isinstance(await bot.get_chat_menu_button(), MenuButtonCommands)
    await bot.set_chat_menu_button(1001, MenuButtonDefault())
    assert isinstance(await bot.get_chat_menu_button(1001), MenuButtonDefault)
    await bot.set_my_description("Rituals for two", language_code="en")
    assert (await bot.get_my_description("en")).description == "Rituals for two"
    await bot.set_my_short_description("Short")
    assert (await bot.get_my_short_description()).short_description == "Short"
    assert (await bot.get_my_name()).name == "Couples"
    assert await bot.close() is True
    assert await bot.log_out() is True
