"""Let's negotiate: counter-proposals go back and forth with accept / no / counter again until
one side accepts or says no; both see the agreed version, and a week later the asker is asked
whether it happened. Forged taps with another couple's real ids change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import FollowUp, Request
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann = api.user(1001, "Ann")
    jonas = api.user(1002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    return ann, jonas


def three_buttons(message: BotMessage) -> bool:
    return len(message.buttons) == 1 and len(message.buttons[0]) == 3


async def negotiating(ann: SimulatedUser, jonas: SimulatedUser) -> BotMessage:
    """Ann asks, Jonas negotiates and suggests; Ann's message with the counter-proposal."""
    await ann.send("/ask Could you cook on Friday?")
    await ann.next_message()
    request = await jonas.next_message()
    await jonas.press(request.buttons[0][2], request)  # let's negotiate
    await ann.wait_for("negotiate")
    ask = await jonas.wait_for(predicate=lambda m: m.reply_markup is None and "500" in m.text)
    await jonas.send("Saturday works better", reply_to=ask)
    counter = await ann.wait_for("Saturday works better")
    assert counter.buttons == [["Accept", "No", "Counter again"]]
    await jonas.wait_for("Ann")  # "sent to Ann"
    return counter


async def test_rounds_until_agreed_then_a_follow_up_a_week_later(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple, db: Database
) -> None:
    ann, jonas = couple
    counter = await negotiating(ann, jonas)
    first_accept = counter.button_data["Accept"]

    # Round two: Ann counters again; Jonas gets her version with the same three buttons.
    await ann.press("Counter again", counter)
    assert "Your answer: Counter again" in (await ann.wait_edit(counter)).entities_text
    ask = await ann.wait_for("What would you suggest instead?")
    await ann.send("Saturday, and I'll do the dishes", reply_to=ask)
    assert "Sent to Jonas" in (await ann.wait_for("Sent to")).entities_text
    second = await jonas.wait_for("I'll do the dishes")
    assert three_buttons(second) and "Could you cook on Friday?" in second.entities_text

    # Ann's round-one Accept is stale now.
    stale = await ann.press_data(first_accept, counter)
    assert "Already done" in (await ann.callback_answer(stale))["text"]

    await jonas.press(second.buttons[0][0], second)  # accept
    await jonas.wait_edit(second)
    agreed = await ann.wait_for("You and Jonas agreed on")
    assert "Saturday, and I'll do the dishes" in agreed.entities_text
    jonas_agreed = await jonas.wait_for("Saturday, and I'll do the dishes")
    assert "Ann" in jonas_agreed.entities_text
    await quiet(api, bot, ann, jonas)

    # A week later, only the asker is asked whether it happened.
    clock.advance(timedelta(days=7) - timedelta(minutes=1))
    await tick(bot)
    assert not [m for m in ann.unread if "Did it happen?" in m.entities_text]
    clock.advance(timedelta(minutes=1))
    await tick(bot)
    check = await ann.wait_for("Did it happen?")
    assert "Saturday, and I'll do the dishes" in check.entities_text
    assert check.buttons == [["Yes", "Not yet", "Let it go"]]
    assert not [m for m in jonas.unread if "dishes" in m.entities_text]
    await ann.press("Not yet", check)
    assert "ask again in a week" in (await ann.wait_for("Thanks for telling me")).entities_text

    clock.advance(timedelta(days=7))
    await tick(bot)
    check = await ann.wait_for("Did it happen?")
    await ann.press("Yes", check)
    await ann.wait_for("Lovely")
    async with db.transaction() as s:
        row = (await s.execute(select(Request))).scalar_one()
        assert (row.status, row.rounds, row.check_reply, row.checks_sent) == ("agreed", 2, "yes", 2)
        assert (await s.execute(select(FollowUp))).first() is None


async def test_no_ends_the_negotiation_for_both(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple, db: Database
) -> None:
    ann, jonas = couple
    counter = await negotiating(ann, jonas)
    counter_again = counter.button_data["Counter again"]
    await ann.press("No", counter)
    assert "Your answer: No" in (await ann.wait_edit(counter)).entities_text
    told = await jonas.wait_for("Could you cook on Friday?")
    assert "Ann" in told.entities_text and told.reply_markup is None
    again = await ann.press_data(counter_again, counter)
    assert "Already done" in (await ann.callback_answer(again))["text"]
    clock.advance(timedelta(days=8))
    await tick(bot)
    assert not [m for m in ann.unread if "Did it happen?" in m.entities_text]
    async with db.transaction() as s:
        assert (await s.execute(select(Request.status))).scalar_one() == "withdrawn"


async def test_forged_negotiation_and_follow_up_taps_change_nothing(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple, db: Database
) -> None:
    ann, jonas = couple
    eve, max_ = api.user(1066, "Eve"), api.user(1067, "Max")
    await pair_up(api, eve, max_)
    own = eve.last_message
    assert own is not None
    counter = await negotiating(ann, jonas)
    accept = counter.button_data["Accept"]
    request_id = accept.split(":")[1]
    for data in (
        accept,
        counter.button_data["Counter again"],
        f"rf:{request_id}:yes",
        f"rn:{request_id}:1:z",
        f"rn:{request_id}:x:a",
    ):
        answer = await eve.callback_answer(await eve.press_data(data, own))
        assert "no longer valid" in answer["text"], data
    # Jonas wrote this version: only Ann decides on it; nobody is asked "did it happen?" yet.
    mine = jonas.last_message
    assert mine is not None
    for data in (accept, f"rf:{request_id}:yes"):
        answer = await jonas.callback_answer(await jonas.press_data(data, mine))
        assert answer.get("text"), data
    answer = await ann.callback_answer(await ann.press_data(f"rf:{request_id}:yes", counter))
    assert answer.get("text")
    await quiet(api, bot, ann, jonas, eve, max_)
    async with db.transaction() as s:
        row = (await s.execute(select(Request))).scalar_one()
        assert (row.status, row.rounds, row.check_reply, row.writer_id) == (
            "negotiate",
            1,
            None,
            None,
        )
        assert (await s.execute(select(FollowUp))).first() is None
