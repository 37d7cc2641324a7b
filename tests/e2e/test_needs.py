"""A stated need after the reveal: "Not today" with a note, "Let's talk about it" at a chosen
time (both reminded by the tick, through the outbox), /needs until a need is closed, and
another couple's real ids in those buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.clock import FakeClock
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import CheckinAnswer, OpenStep, OutboxMessage
from scheduler.jobs import tick
from tests.e2e.conftest import pair_up, quiet, settled
from tests.e2e.test_exchanges import check_in

Couple = tuple[SimulatedUser, SimulatedUser]
NEED = "a hug & <b>time</b>"


@pytest.fixture
async def couple(api: LocalBotApi, bot: Application, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))  # a Monday
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    return ann, ben


async def need_for(ann: SimulatedUser, ben: SimulatedUser) -> BotMessage:
    """Ann states a need; once both have answered, Ben gets it with its three buttons."""
    await check_in(ann, "😕", "a long day", NEED)
    await ann.next_message()
    await check_in(ben, "🙂", "fine", None)
    await ann.wait_for("Your check-in")
    need = await ben.wait_for("would like this from you")
    assert need.buttons == [["Yes", "Not today", "Let's talk about it"]]
    return need


async def test_not_today_with_a_note_reaches_the_partner_softened_and_escaped(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, ben = couple
    need = await need_for(ann, ben)
    await ben.press("Not today", need)
    assert "Your answer: Not today" in (await ben.wait_edit(need)).entities_text
    ask = await ben.wait_for("add a few words for Ann")
    assert ask.buttons == [["Send without a note"], ["I'd like to talk about it"]]
    await settled(api, bot)
    assert not [m for m in ann.unread if "can't" in m.entities_text]  # not before the note
    await ben.send("I'm <i>wiped</i> & sore", reply_to=ask)
    assert "Sent to Ann" in (await ben.next_message()).entities_text
    relay = await ann.wait_for("can't do this today")
    assert relay.entities_text == (
        f"About your need “{NEED}”: Ben can't do this today, and wrote: “I'm <i>wiped</i> & sore”"
    )
    # The note step is over: its buttons change nothing now.
    query = await ben.press("Send without a note", ask)
    assert "Already done" in (await ben.callback_answer(query))["text"]
    await quiet(api, bot, ann)
    await ann.send("/needs")
    listed = (await ann.next_message()).entities_text
    assert f"You need: “{NEED}”" in listed and "not today: “I'm <i>wiped</i> & sore”" in listed


async def test_not_today_and_would_like_to_talk(
    api: LocalBotApi, bot: Application, couple: Couple
) -> None:
    ann, ben = couple
    need = await need_for(ann, ben)
    await ben.press("Not today", need)
    ask = await ben.wait_for("add a few words for Ann")
    await ben.press("I'd like to talk about it", ask)
    assert "Sent to Ann" in (await ben.wait_edit(ask)).entities_text
    relay = await ann.wait_for("can't do this today")
    assert "Ben can't do this today — and would like to talk about it." in relay.entities_text


async def test_lets_talk_reminds_both_then_and_stays_in_needs_until_closed(
    api: LocalBotApi, bot: Application, couple: Couple, clock: FakeClock, db: Database
) -> None:
    ann, ben = couple
    need = await need_for(ann, ben)
    await ben.press("Let's talk about it", need)
    await ben.wait_edit(need)
    relay = await ann.wait_for("answered your need")
    assert "Let's talk about it" in relay.entities_text
    when = await ben.wait_for("When would suit you")
    assert when.buttons == [["Tonight", "Tomorrow", "This weekend"]]
    tonight_data = when.button_data["Tonight"]
    await ben.press("Tomorrow", when)
    planned = await ben.wait_edit(when)
    assert "Tuesday, June 9, 2026 at 7:00" in planned.entities_text  # 19:00 in Ben's zone
    told = await ann.wait_for("would like to talk about your need")
    assert "Tuesday, June 9, 2026" in told.entities_text
    # A second tap on a time changes nothing.
    query = await ben.press_data(tonight_data, when)
    assert "Already done" in (await ben.callback_answer(query))["text"]
    async with db.transaction() as s:
        rows = (
            await s.execute(select(OutboxMessage).where(OutboxMessage.ritual.is_(None)))
        ).scalars()
        reminders = [r for r in rows if r.next_attempt_at > clock.now()]
    assert len(reminders) == 2  # one for each, waiting in the outbox for the tick

    clock.set(datetime(2026, 6, 9, 18, 59, tzinfo=UTC))
    await tick(bot)
    await settled(api, bot)
    assert not [m for m in ann.messages + ben.messages if "Time for the talk" in m.entities_text]
    clock.set(datetime(2026, 6, 9, 19, 0, tzinfo=UTC))
    await tick(bot)
    for person in (ann, ben):
        reminder = await person.wait_for("Time for the talk you planned")
        assert f"“{NEED}”" in reminder.entities_text

    await ann.send("/needs")
    listed = await ann.wait_for("still open between you")
    assert "to talk about on Tuesday, June 9, 2026" in listed.entities_text
    await ann.press("Close 1", listed)
    closed = await ann.wait_edit(listed)
    assert "Nothing is open between you" in closed.entities_text
    await ben.send("/needs")
    assert "Nothing is open between you" in (await ben.next_message()).entities_text


async def test_another_couples_ids_in_need_buttons_change_nothing(
    api: LocalBotApi, bot: Application, couple: Couple, db: Database
) -> None:
    ann, ben = couple
    cid, dee = api.user(2001, "Cid"), api.user(2002, "Dee")
    await pair_up(api, cid, dee)
    need = await need_for(ann, ben)
    await ben.press("Let's talk about it", need)
    await ben.wait_for("When would suit you")
    await ann.wait_for("answered your need")
    async with db.transaction() as s:
        holder = (
            await s.execute(select(CheckinAnswer).where(CheckinAnswer.need.is_not(None)))
        ).scalar_one()
        checkin_id, answer_id = holder.checkin_id, holder.id

    async def snapshot() -> list[tuple[object, ...]]:
        async with db.transaction() as s:
            answers = (await s.execute(select(CheckinAnswer).order_by(CheckinAnswer.id))).scalars()
            steps = (await s.execute(select(OpenStep.id, OpenStep.kind))).all()
            outbox = (await s.execute(select(OutboxMessage.id))).all()
            return [
                *[(a.id, a.need_reply, a.need_note, a.talk_at, a.need_closed_at) for a in answers],
                *[tuple(row) for row in steps],
                *[tuple(row) for row in outbox],
            ]

    await cid.send("/needs")
    anchor = await cid.next_message()  # a message of Cid's to press forged buttons on
    await settled(api, bot)
    before = await snapshot()
    sent_before = len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText"))
    for data in (
        f"nd:t:{checkin_id}:tonight",
        f"nd:o:{checkin_id}:plain",
        f"nd:o:{checkin_id}:talk",
        f"nd:c:{answer_id}",
        f"ck:n:{checkin_id}:no",
    ):
        query = await cid.press_data(data, anchor)
        assert "no longer valid" in (await cid.callback_answer(query))["text"], data
    await settled(api, bot)
    assert await snapshot() == before
    assert len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText")) == sent_before
    for person in (ann, ben, dee):
        person.assert_no_unread()
