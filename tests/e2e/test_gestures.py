"""Hugs: /hug and the 💞 under the daily messages reach the partner with a "💞 back" button;
three a day per person, counted in the sender's own day and zone; a fourth gets a kind
answer and reaches nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import Gesture
from tests.e2e.conftest import pair_up, quiet

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    # 10:00 in Auckland (UTC+12 in June): Ann's day ends fourteen hours from now.
    clock.set(datetime(2026, 6, 8, 22, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    await ann.send("/timezone Pacific/Auckland")
    await ann.wait_for("Auckland")
    return ann, ben


def is_hug(message: BotMessage) -> bool:
    return "💞 back" in message.button_data


async def test_a_hug_and_a_hug_back_then_the_fourth_is_refused_kindly(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock, db: Database
) -> None:
    ann, ben = couple
    await ann.send("/hug")
    assert (await ann.wait_for("Sent to Ben")).entities_text == "💞 Sent to Ben."
    hug = await ben.wait_for(predicate=is_hug)
    assert "Ann" in hug.entities_text and hug.buttons == [["💞 back"]]

    await ben.callback_answer(await ben.press("💞 back", hug))
    assert (await ben.wait_edit(hug)).buttons == []  # a hug is answered once
    back = await ann.wait_for(predicate=is_hug)
    assert back.entities_text == "💞 Ben hugs you back."

    # Three hours on, past midnight in UTC but the same day in Auckland. The 💞 under the
    # check-in question is a hug too: Ann's second and third of her day.
    clock.advance(timedelta(hours=3))
    await ann.send("/checkin")
    mood = await ann.wait_for("How are you feeling")
    assert mood.buttons[-1] == ["💞 Send a hug"]
    for _ in range(2):
        answer = await ann.callback_answer(await ann.press("💞 Send a hug", mood))
        assert answer["text"] == "💞 Sent to Ben."
        await ben.wait_for(predicate=is_hug)

    await ann.send("/hug")
    refused = await ann.next_message()
    assert "3 hugs for Ben today" in refused.entities_text
    answer = await ann.callback_answer(await ann.press("💞 Send a hug", mood))
    assert "3 hugs for Ben today" in answer["text"]
    await quiet(api, bot, ben)
    async with db.transaction() as s:
        count = await s.execute(select(func.count(Gesture.id)).where(Gesture.from_user_id == 1001))
        assert count.scalar_one() == 3

    # Ben's own hugs count apart: his hug back was his first.
    await ben.send("/hug")
    assert "Sent to Ann" in (await ben.next_message()).entities_text
    await ann.wait_for(predicate=is_hug)

    # Midnight in Auckland (still the 9th in UTC): a new day for Ann.
    clock.advance(timedelta(hours=11, minutes=1))
    await ann.send("/hug")
    assert "Sent to Ben" in (await ann.next_message()).entities_text
    await ben.wait_for(predicate=is_hug)


async def test_the_appreciation_prompt_carries_the_hug_button(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, ben = couple
    await ann.send("/appreciate")
    prompt = await ann.wait_for("pass them on to Ben")
    assert prompt.buttons == [["💞 Send a hug"]]
    await ann.callback_answer(await ann.press("💞 Send a hug", prompt))
    await ben.wait_for(predicate=is_hug)


async def test_hug_without_a_partner(api: LocalBotApi, bot: Application) -> None:
    cat = api.user(1003, "Cat")
    await cat.send("/hug")
    assert "not paired" in (await cat.next_message()).entities_text
