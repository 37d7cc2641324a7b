"""/eyes, eye-contact minutes, through the local Bot API server: the invitation and its
answers, the choice (the shorter wins), the 3-2-1 and the timer edited as the fake clock
moves (the flow driver is run by hand, as the tick is), the gentle end and the words, one
flow per couple, "End" from either side, time-outs, a restart mid-timer, and taps with the
real ids of another couple or after the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import stop_application
from bot.clock import FakeClock
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import FlowPart, FlowStep, GuidedFlow, OutboxMessage
from bot.runtime import runtime_of
from handlers.eyes import drive
from tests.e2e.conftest import StartBot, pair_up, quiet, settled

Couple = tuple[SimulatedUser, SimulatedUser]


@pytest.fixture
async def couple(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    return ann, ben


async def run(bot: BotApplication) -> None:
    """One pass of the flow driver (the repeating job's work); returns once its sends and
    edits are done."""
    await drive(bot.bot, runtime_of(bot))


async def invite(ann: SimulatedUser, ben: SimulatedUser) -> BotMessage:
    await ann.send("/eyes")
    sent = await ann.wait_for("I've invited Ben")
    assert sent.buttons == [["End"]]
    invitation = await ben.wait_for("invites you to a few minutes of eye contact")
    assert invitation.buttons == [["Yes, let's", "Not now"]]
    return invitation


async def agree(ann: SimulatedUser, ben: SimulatedUser, mine: str, theirs: str) -> BotMessage:
    """Ann invites, Ben accepts; Ann picks `mine`, Ben `theirs`. Returns Ann's choice
    message."""
    invitation = await invite(ann, ben)
    await ben.press("Yes, let's", invitation)
    edited = await ben.wait_edit(invitation)
    assert "the shorter choice wins" in edited.entities_text
    assert edited.buttons == [["1 minute", "2 minutes"], ["3 minutes", "4 minutes"], ["End"]]
    asked = await ann.wait_for("Ben said yes!")
    await ann.press(mine, asked)
    waiting = (await ann.wait_edit(asked)).entities_text
    assert f"You chose {mine}. Waiting for Ben; the shorter choice wins." == waiting
    await ben.press(theirs, invitation)
    await ben.wait_edit(invitation)
    return asked


async def flows(db: Database) -> list[tuple[str, int | None]]:
    async with db.transaction() as s:
        rows = (await s.execute(select(GuidedFlow).order_by(GuidedFlow.id))).scalars()
        return [(row.step, row.minutes) for row in rows]


async def test_eye_contact_from_invitation_to_the_words(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    await agree(ann, ben, "4 minutes", "2 minutes")
    assert "Agreed: 2 minutes" in ben.messages[-1].entities_text  # the shorter one
    await run(bot)  # 3-2-1: both timers are sent in the same pass
    timers = [await p.wait_for("Get ready… 3") for p in (ann, ben)]
    assert all(t.buttons == [["End"]] for t in timers)
    for count in ("2", "1"):
        clock.advance(seconds=1)
        await run(bot)
        assert all(t.entities_text == f"Get ready… {count}" for t in timers)
    clock.advance(seconds=1)
    await run(bot)
    assert timers[0].entities_text == "👀 Look into each other's eyes. 2:00 left"
    edits = timers[0].edits
    clock.advance(seconds=2)
    await run(bot)
    assert timers[0].edits == edits  # between two steps: no edit
    clock.advance(seconds=3)
    await run(bot)
    assert timers[1].entities_text == "👀 Look into each other's eyes. 1:55 left"
    clock.advance(minutes=2)
    await run(bot)
    for person, timer in zip((ann, ben), timers, strict=True):
        assert timer.entities_text == "🌿 2 minutes of eye contact, together."
        assert timer.buttons == []
        end = await person.wait_for("Time is up")
        assert end.buttons == [["Skip"]]
    await ann.send("warm <3")
    assert "Ben reads it once they have written theirs" in (await ann.next_message()).entities_text
    await settled(api, bot)
    ben.assert_no_unread()  # not before Ben wrote too
    await ben.send("home")
    assert (await ben.next_message()).entities_text == (
        "Ann's word after your eye contact: “warm <3”"
    )
    shown = await ann.wait_for("Ben's word")
    assert shown.entities_text == "Ben's word after your eye contact: “home”"
    assert await flows(db) == [(FlowStep.CLOSED, 2)]
    async with db.transaction() as s:  # the words went with the sent messages
        assert not (await s.execute(select(OutboxMessage.payload).where(
            OutboxMessage.payload.is_not(None)))).all()
    # A tap on a button of the finished flow: a short answer, nothing changes.
    query = await ann.press("End", ann_choice(ann))
    assert "closed" in (await ann.callback_answer(query))["text"]
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, 2)]


def ann_choice(ann: SimulatedUser) -> BotMessage:
    """Ann's choice message ("You chose …"), which keeps its End button."""
    return next(m for m in ann.messages if m.entities_text.startswith("You chose"))
