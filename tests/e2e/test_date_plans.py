"""A date after "accept": the proposer picks the day and a time, both are reminded on the day
in their own zone, and the next day each is asked "How was it?", shown to the other once both
answered or a day later. Forged taps with another couple's real ids change nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import DateFeedback, DateProposal, FollowUp
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet, settled

Couple = tuple[SimulatedUser, SimulatedUser]
MONDAY_8_UTC = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    """Ann reads English in UTC; Jonas reads German in Berlin (UTC+2 in June)."""
    clock.set(MONDAY_8_UTC)
    ann = api.user(1001, "Ann")
    jonas = api.user(1002, "Jonas", language_code="de")
    await pair_up(api, ann, jonas)
    await jonas.send("/timezone Berlin")
    await jonas.next_message()
    return ann, jonas


async def accepted_date(ann: SimulatedUser, jonas: SimulatedUser) -> BotMessage:
    """Ann proposes, Jonas accepts; Ann's "when?" message."""
    await ann.send("/date")
    await ann.press("Propose to Jonas", await ann.next_message())
    proposal = await jonas.next_message()
    await jonas.press(proposal.buttons[0][0], proposal)  # accept
    when = await ann.wait_for("said yes")
    assert "When would you like to go?" in when.entities_text
    assert when.buttons == [["Tonight", "Tomorrow"], ["This weekend", "Pick a day"]]
    return when


def about_the_date(person: SimulatedUser, words: str) -> list[BotMessage]:
    return [m for m in person.unread if words in m.entities_text]


async def at(bot: Application, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    await tick(bot)


async def test_when_reminder_and_how_was_it(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple, db: Database
) -> None:
    ann, jonas = couple
    when = await accepted_date(ann, jonas)
    await ann.press("Pick a day", when)
    await ann.wait_edit(when)
    days = [label for row in when.buttons for label in row]
    assert days[:3] == ["Mon, Jun 8", "Tue, Jun 9", "Wed, Jun 10"] and len(days) == 7
    sunday = when.button_data["Sun, Jun 14"]
    await ann.press("Wed, Jun 10", when)
    planned = await ann.wait_for("Planned")
    assert "Wed, June 10" in planned.entities_text
    told = await jonas.wait_for("Ann")
    assert "Mi., 10. Juni" in told.entities_text
    again = await ann.press_data(sunday, when)  # planned once
    assert "Already done" in (await ann.callback_answer(again))["text"]

    await ann.send("19:30", reply_to=planned)
    assert "Wed, June 10 at 7:30" in (await ann.wait_for("Saved")).entities_text
    timed = await jonas.wait_for("21:30")  # 19:30 in Ann's zone is 21:30 in Berlin
    assert "Ann" in timed.entities_text

    # The reminder comes at nine on the day, in each one's own zone.
    await at(bot, clock, datetime(2026, 6, 10, 7, 0, tzinfo=UTC))
    reminder = await jonas.wait_for("21:30")
    assert "Ann" in reminder.entities_text
    assert not about_the_date(ann, "your date with Jonas")
    await at(bot, clock, datetime(2026, 6, 10, 9, 0, tzinfo=UTC))
    reminder = await ann.wait_for("your date with Jonas")
    assert "Today at 7:30" in reminder.entities_text

    # The next day at ten: "How was it?", Jonas first (Berlin).
    await at(bot, clock, datetime(2026, 6, 11, 8, 0, tzinfo=UTC))
    question = await jonas.wait_for(predicate=lambda m: m.buttons == [["🥰", "🙂", "😕"]])
    assert not about_the_date(ann, "How was your date")
    await jonas.press("🥰", question)
    ask = await jonas.wait_for(predicate=lambda m: len(m.buttons) == 1 and len(m.buttons[0]) == 1)
    await jonas.send("Wunderbar, danke!", reply_to=ask)
    await jonas.wait_for("Ann")  # saved until Ann has answered too
    await quiet(api, bot, ann)  # nothing of Jonas's answer yet

    await at(bot, clock, datetime(2026, 6, 11, 10, 0, tzinfo=UTC))
    question = await ann.wait_for("How was your date with Jonas?")
    assert question.buttons == [["🥰", "🙂", "😕"]]
    await ann.press("🙂", question)
    ask = await ann.wait_for("Just the emoji")
    await ann.press("Just the emoji", ask)
    shown = await ann.wait_for("How Jonas found your date")
    assert "🥰" in shown.entities_text and "Wunderbar, danke!" in shown.entities_text
    seen = await jonas.wait_for("🙂")
    assert "Ann" in seen.entities_text and "Wunderbar" not in seen.entities_text

    # Already shown: the day-later reveal has nothing left to show.
    await at(bot, clock, datetime(2026, 6, 12, 11, 0, tzinfo=UTC))
    assert not about_the_date(ann, "How Jonas found")
    assert not about_the_date(jonas, "🙂")
    async with db.transaction() as s:
        assert (await s.execute(select(FollowUp))).first() is None


async def test_one_answer_is_shown_a_day_later_and_a_late_one_at_once(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple
) -> None:
    ann, jonas = couple
    when = await accepted_date(ann, jonas)
    await ann.press("Tomorrow", when)
    assert "Tue, June 9" in (await ann.wait_for("Planned")).entities_text
    await jonas.wait_for("Ann")

    await at(bot, clock, datetime(2026, 6, 10, 10, 0, tzinfo=UTC))  # both asked by now
    question = await ann.wait_for("How was your date with Jonas?")
    jonas_question = await jonas.wait_for(predicate=lambda m: m.buttons == [["🥰", "🙂", "😕"]])
    await ann.press("😕", question)
    ask = await ann.wait_for("Just the emoji")
    await ann.send("It rained, but we laughed", reply_to=ask)
    assert "Jonas" in (await ann.wait_for("Saved")).entities_text

    await at(bot, clock, datetime(2026, 6, 11, 9, 59, tzinfo=UTC))
    assert not about_the_date(jonas, "It rained")
    await at(bot, clock, datetime(2026, 6, 11, 10, 0, tzinfo=UTC))  # a day after asking
    shown = await jonas.wait_for("It rained, but we laughed")
    assert "😕" in shown.entities_text

    await jonas.press("🙂", jonas_question)  # late: goes to Ann at once
    ask = await jonas.wait_for(predicate=lambda m: len(m.buttons) == 1 and len(m.buttons[0]) == 1)
    await jonas.press(ask.buttons[0][0], ask)
    assert "🙂" in (await ann.wait_for("How Jonas found your date")).entities_text
    await jonas.wait_for("Ann")


async def test_forged_when_and_how_was_it_taps_change_nothing(
    api: LocalBotApi, bot: Application, clock: FakeClock, couple: Couple, db: Database
) -> None:
    ann, jonas = couple
    eve, max_ = api.user(1066, "Eve"), api.user(1067, "Max")
    await pair_up(api, eve, max_)
    own = eve.last_message  # taps come from a message in the tapper's own chat
    assert own is not None
    when = await accepted_date(ann, jonas)
    tonight = when.button_data["Tonight"]
    proposal_id = int(tonight.split(":")[1])
    forged = [
        tonight,  # another couple's real proposal
        when.button_data["Pick a day"],
        f"dw:{proposal_id}:2026-06-09",
        f"dh:{proposal_id}:3",
        f"dh:{proposal_id}:s",
        f"dw:{proposal_id}:x",
        f"dw:{proposal_id}:2026-13-01",
        f"dh:{proposal_id}:9",
    ]
    for data in forged:
        answer = await eve.callback_answer(await eve.press_data(data, own))
        assert "no longer valid" in answer["text"], data
    # Jonas accepted but is not the proposer: the day is Ann's to pick.
    proposal = jonas.last_message
    assert proposal is not None
    answer = await jonas.callback_answer(await jonas.press_data(tonight, proposal))
    assert answer.get("text")
    # Ann herself cannot rate a date she was never asked about, nor pick a day out of range.
    for data in (f"dh:{proposal_id}:3", f"dw:{proposal_id}:2026-06-30"):
        answer = await ann.callback_answer(await ann.press_data(data, when))
        assert answer.get("text"), data
    await quiet(api, bot, ann, jonas, eve, max_)
    async with db.transaction() as s:
        row = await s.get(DateProposal, proposal_id)
        assert row is not None and row.planned_on is None
        assert (await s.execute(select(DateFeedback))).first() is None
        assert (await s.execute(select(FollowUp))).first() is None

    await ann.press("This weekend", when)
    assert "Sat, June 13" in (await ann.wait_for("Planned")).entities_text
    await jonas.wait_for("Ann")
    await settled(api, bot)
    async with db.transaction() as s:
        row = await s.get(DateProposal, proposal_id)
        assert row is not None and row.planned_on == date(2026, 6, 13)
