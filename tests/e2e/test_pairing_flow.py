"""Pairing as two people experience it in Telegram."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot.clock import FakeClock
from bot.local_api import LocalBotApi
from tests.e2e.conftest import pair_up, quiet


def code_from(text: str) -> str:
    return text.split("/join ", 1)[1].split()[0]


async def test_start_greets_and_offers_pairing(api: LocalBotApi, bot: Application) -> None:
    ann = api.user(1001, "Ann")
    await ann.send("/start")
    greeting = await ann.next_message()
    assert "Hi Ann!" in greeting.entities_text
    assert "check-in" in greeting.entities_text
    assert greeting.buttons == [["💞 Pair with my partner"]]


async def test_pairing_by_deep_link(api: LocalBotApi, bot: Application) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await ann.send("/start")
    await ann.next_message()
    await ann.press("💞 Pair with my partner")
    invite = await ann.next_message()
    assert "https://t.me/couples_test_bot?start=" in invite.entities_text
    code = code_from(invite.entities_text)
    assert f"?start={code}" in invite.entities_text

    await ben.send(f"/start {code}")
    to_ben = await ben.next_message()
    assert "You are now paired with Ann" in to_ben.entities_text
    to_ann = await ann.wait_for("Ben accepted your invite")
    assert "paired" in to_ann.entities_text
    for person in (ann, ben):
        question = await person.wait_for("time zone")
        assert ["London", "Berlin", "Madrid"] in question.buttons

    await ben.send("/start")
    assert "You are paired with Ann" in (await ben.next_message()).entities_text


async def test_pairing_with_join_command(api: LocalBotApi, bot: Application) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await ann.send("/pair")
    code = code_from((await ann.next_message()).entities_text)
    await ben.send("/join")
    assert "/join Ab3dE5fG7hJ9" in (await ben.next_message()).entities_text
    await ben.send(f"/join {code}")
    assert "paired with Ann" in (await ben.next_message()).entities_text
    await ann.wait_for("Ben accepted your invite")


async def test_bad_codes_each_get_a_clear_answer(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> None:
    ann, ben, cat = api.user(1001, "Ann"), api.user(1002, "Ben"), api.user(1003, "Cat")
    await ann.send("/pair")
    code = code_from((await ann.next_message()).entities_text)

    await ann.send(f"/join {code}")
    assert "your own invite" in (await ann.next_message()).entities_text

    await ben.send("/join WRONGCODE123")
    assert "I don't know that invite code" in (await ben.next_message()).entities_text

    clock.advance(hours=24, minutes=1)
    await ben.send(f"/start {code}")
    assert "expired" in (await ben.next_message()).entities_text

    await ann.send("/pair")
    fresh = code_from((await ann.wait_for("/join")).entities_text)
    await ben.send(f"/join {fresh}")
    await ben.wait_for("paired with Ann")
    # A third person cannot use the used code, nor can anyone join a couple.
    await cat.send(f"/join {fresh}")
    assert "already used" in (await cat.next_message()).entities_text
    await ben.send("/pair")
    assert "already paired with Ann" in (await ben.wait_for("/unpair")).entities_text


async def test_guessing_codes_is_locked_out(
    api: LocalBotApi, bot: Application, clock: FakeClock
) -> None:
    ann, eve = api.user(1001, "Ann"), api.user(1066, "Eve")
    await ann.send("/pair")
    code = code_from((await ann.next_message()).entities_text)
    for i in range(5):
        await eve.send(f"/join guess{i:08d}")
        assert "I don't know that invite code" in (await eve.next_message()).entities_text
    await eve.send(f"/join {code}")
    locked = await eve.next_message()
    assert "Too many wrong codes" in locked.entities_text
    assert "10 minutes" in locked.entities_text
    clock.advance(timedelta(minutes=10, seconds=1))
    await eve.send(f"/join {code}")
    assert "paired with Ann" in (await eve.next_message()).entities_text


async def test_group_chats_are_refused(api: LocalBotApi, bot: Application) -> None:
    ann = api.user(1001, "Ann")
    group = api.group(-5001, "Family")
    await group.send(ann, "/pair")
    answer = await group.next_message()
    assert "only work in a private chat" in answer.entities_text
    assert "@couples_test_bot" in answer.entities_text
    await quiet(api, bot, ann)


async def test_unpair_asks_then_tells_both(api: LocalBotApi, bot: Application) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)

    await ann.send("/unpair")
    confirm = await ann.next_message()
    assert confirm.buttons == [["Yes, end it", "Cancel"]]
    assert "/pause" in confirm.entities_text  # the gentler option, before confirming
    assert "/export" in confirm.entities_text
    await ann.press("Cancel", confirm)
    cancelled = await ann.wait_edit(confirm)
    assert "nothing changed" in cancelled.entities_text

    await ann.send("/unpair")
    confirm = await ann.next_message()
    yes_data = confirm.button_data["Yes, end it"]
    await ann.press("Yes, end it", confirm)
    done = await ann.wait_edit(confirm)
    assert "Your pairing with Ben has ended." in done.entities_text
    assert "/export" in done.entities_text and "365 days" in done.entities_text
    assert done.reply_markup is None
    ended = (await ben.next_message()).entities_text
    assert "Your pairing with Ann has ended." in ended and "/export" in ended

    # the old confirmation button is harmless now
    query_id = await ann.press_data(yes_data, confirm)
    answer = await ann.callback_answer(query_id)
    assert "no longer valid" in answer["text"]
    await ann.send("/unpair")
    assert "not paired with anyone" in (await ann.next_message()).entities_text


async def test_a_redelivered_update_changes_nothing_twice(
    api: LocalBotApi, bot: Application
) -> None:
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await ann.send("/pair")
    first = code_from((await ann.next_message()).entities_text)
    pair_update = api.state.last_update_id
    # Redeliver into a parked long poll (it parked after fetching "/pair", so it returns the
    # copy); a poll that only started afterwards would confirm "/pair" and drop the copy.
    await api.wait_for_long_poll()
    api.redeliver()  # Telegram sends "/pair" again, as after a crash before confirming it
    # The first invite was not replaced by a second one: it still works. (Updates are handled
    # in order, so once Ben's is done, the copy of "/pair" was handled before it.)
    await ben.send(f"/join {first}")
    assert "paired with Ann" in (await ben.next_message()).entities_text
    assert "Ben accepted your invite" in (await ann.next_message()).entities_text
    await ann.wait_for("time zone")
    await quiet(api, bot, ann)
    fetched = [
        update["update_id"]
        for call in api.calls_to("getUpdates")
        if call.ok
        for update in call.result
    ]
    assert fetched.count(pair_update) == 2  # the copy did reach the bot
