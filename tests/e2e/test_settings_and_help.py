"""Time zone, language, help, and answers to anything unexpected."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import Application, CommandHandler

from bot.db import Database
from bot.local_api import LocalBotApi
from bot.models import User
from tests.e2e.conftest import pair_up


async def stored_user(db: Database, user_id: int) -> User:
    async with db.transaction() as s:
        user = (await s.execute(select(User).where(User.id == user_id))).scalar_one()
    return user


async def test_timezone_by_city_name_and_buttons(
    api: LocalBotApi, bot: Application, db: Database
) -> None:
    ann = api.user(1001, "Ann")
    await ann.send("/timezone")
    question = await ann.next_message()
    assert "UTC" in question.entities_text
    assert any("New York" in row for row in question.buttons)

    await ann.send("/timezone new york")
    assert "America/New_York" in (await ann.next_message()).entities_text
    assert (await stored_user(db, 1001)).timezone == "America/New_York"

    await ann.press("Berlin", question)
    edited = await ann.wait_edit(question)
    assert "Europe/Berlin" in edited.entities_text
    assert (await stored_user(db, 1001)).timezone == "Europe/Berlin"

    await ann.send("/timezone Atlantis")
    error = await ann.next_message()
    assert "couldn't find a time zone called “Atlantis”" in error.entities_text
    assert "/timezone Berlin" in error.entities_text
    assert (await stored_user(db, 1001)).timezone == "Europe/Berlin"


async def test_german_user_is_answered_in_german(api: LocalBotApi, bot: Application) -> None:
    jonas = api.user(2001, "Jonas", language_code="de-AT")
    await jonas.send("/start")
    greeting = await jonas.next_message()
    assert "Hallo Jonas!" in greeting.entities_text
    assert greeting.buttons == [["💞 Mit meinem Schatz verbinden"]]
    await jonas.send("/timezone Wien")
    assert "Ich habe keine Zeitzone „Wien“ gefunden" in (await jonas.next_message()).entities_text
    await jonas.send("/timezone vienna")
    assert "Deine Zeitzone ist jetzt Europe/Vienna" in (await jonas.next_message()).entities_text


async def test_language_switch_by_command_and_button(api: LocalBotApi, bot: Application) -> None:
    ann = api.user(1001, "Ann", language_code="en")
    await ann.send("/language de")
    assert "Ab jetzt spreche ich Deutsch mit dir." in (await ann.next_message()).entities_text
    await ann.send("/help")
    assert "Deinen Schatz einladen" in (await ann.next_message()).entities_text

    await ann.send("/language klingon")
    error = await ann.next_message()
    assert "„klingon“ spreche ich noch nicht" in error.entities_text
    assert error.buttons == [
        ["English", "Deutsch", "Español", "Français"],
        ["Português (Brasil)", "Русский", "Українська"],
    ]
    await ann.press("English", error)
    assert "speak English" in (await ann.wait_edit(error)).entities_text
    await ann.send("/help")
    assert "Invite your partner" in (await ann.next_message()).entities_text


async def test_partner_messages_use_the_partners_language(
    api: LocalBotApi, bot: Application
) -> None:
    ann = api.user(1001, "Ann", language_code="en")
    jonas = api.user(2001, "Jonas", language_code="de")
    await ann.send("/pair")
    code = (await ann.next_message()).entities_text.split("/join ", 1)[1].split()[0]
    await jonas.send(f"/join {code}")
    assert "Du bist jetzt mit Ann verbunden" in (await jonas.next_message()).entities_text
    assert "Jonas accepted your invite" in (await ann.next_message()).entities_text


async def test_help_lists_commands_and_commands_are_registered(
    api: LocalBotApi, bot: Application
) -> None:
    ann = api.user(1001, "Ann")
    await ann.send("/help")
    text = (await ann.next_message()).entities_text
    for command in ("/start", "/pair", "/join", "/timezone", "/language", "/unpair", "/help"):
        assert command in text
    english = api.commands[("default", "en")]
    german = api.commands[("default", "de")]
    assert [c["command"] for c in english] == [c["command"] for c in german]
    assert {"command": "pair", "description": "Deinen Schatz einladen"} in german
    assert ("default", "") in api.commands


async def test_help_groups_the_commands_by_theme_in_the_menus_order(
    api: LocalBotApi, bot: Application
) -> None:
    """/help shows each theme's heading, then its commands; the command menu lists every
    command in the same order; each listed command answers, and each command that answers is
    listed."""
    ann = api.user(1001, "Ann", language_code="de")
    await ann.send("/help")
    lines = (await ann.next_message()).entities_text.splitlines()
    headings = [line for line in lines if line and not line.startswith("/") and "—" not in line]
    assert headings[1:-1] == [
        "Jeden Tag",
        "Gemeinsam",
        "Unsere Geschichte",
        "Einstellungen",
        "Privatsphäre",
    ]
    listed = [line.split(" — ", 1)[0].removeprefix("/") for line in lines if line.startswith("/")]
    menu = [c["command"] for c in api.commands[("default", "de")]]
    assert listed == menu == [c["command"] for c in api.commands[("default", "en")]]
    section = lines[lines.index("Jeden Tag") : lines.index("Gemeinsam")]
    assert {"/hug", "/checkin", "/appreciate"} <= {line.split(" ")[0] for line in section}
    story = lines[lines.index("Unsere Geschichte") : lines.index("Einstellungen")]
    assert "/days" in {line.split(" ")[0] for line in story}
    answering = {
        command
        for group in bot.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert set(menu) == answering


async def test_unknown_input_gets_a_hint(api: LocalBotApi, bot: Application) -> None:
    ann = api.user(1001, "Ann")
    await ann.send("/dance")
    assert "I don't know the command /dance" in (await ann.next_message()).entities_text
    await ann.send("hello?")
    assert "/help" in (await ann.next_message()).entities_text
    await ann.send_sticker()
    assert "/help" in (await ann.next_message()).entities_text


async def test_names_with_markup_are_shown_literally(api: LocalBotApi, bot: Application) -> None:
    ann = api.user(1001, "<b>Ann</b> & <i>Co")
    ben = api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    await ben.send("/start")
    assert "paired with <b>Ann</b> & <i>Co" in (await ben.next_message()).entities_text
