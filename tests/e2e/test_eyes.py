"""/eyes, eye-contact minutes, through the local Bot API server: the invitation and its
answers, the choice (the shorter wins), the 3-2-1 and the timer edited as the fake clock
moves (the flow driver is run by hand, as the tick is), the gentle end and the words, one
flow per couple, "End" from either side, time-outs, a restart mid-timer, and taps with the
real ids of another couple or after the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import build_application, stop_application
from bot.clock import FakeClock
from bot.config import Settings
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import FlowPart, FlowStep, GuidedFlow, OutboxMessage
from bot.runtime import runtime_of
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.eyes import timer_step
from handlers import drive_flows
from handlers.actions import stale_text
from locales import Translator
from scheduler.jobs import FLOW_EVERY, FLOW_JOB_NAME
from tests.e2e.conftest import StartBot, pair_up, quiet, settled

Couple = tuple[SimulatedUser, SimulatedUser]
NOT_YOURS = Stale.NOT_YOURS


@pytest.fixture
async def couple(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    return ann, ben


async def run(bot: BotApplication) -> None:
    """One pass of the flow driver (the repeating job's work); returns once its sends and
    edits are done."""
    await drive_flows(bot.bot, runtime_of(bot))


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
    edits = len(api.calls_to("editMessageText"))
    clock.advance(seconds=2)
    await run(bot)
    assert len(api.calls_to("editMessageText")) == edits  # between two steps: no call
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
        assert not (
            await s.execute(select(OutboxMessage.payload).where(OutboxMessage.payload.is_not(None)))
        ).all()
    # A tap on a button of the finished flow: a short answer, nothing changes.
    query = await ann.press("End", ann_choice(ann))
    assert "closed" in (await ann.callback_answer(query))["text"]
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, 2)]


def ann_choice(ann: SimulatedUser) -> BotMessage:
    """Ann's choice message ("You chose …"), which keeps its End button."""
    return next(m for m in ann.messages if m.entities_text.startswith("You chose"))


async def test_not_now_tells_the_inviter_kindly_and_closes_the_flow(
    api: LocalBotApi, bot: BotApplication, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    invitation = await invite(ann, ben)
    await ben.press("Not now", invitation)
    assert (await ben.wait_edit(invitation)).entities_text == "Okay, not now. 🌿"
    assert invitation.buttons == []
    told = await ann.wait_for("Ben can't right now")
    assert told.entities_text == "Ben can't right now. Maybe another time. 🌿"
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, None)]
    await invite(ann, ben)  # a new one may start at once


async def test_a_second_flow_is_refused_and_either_partner_may_end_the_open_one(
    api: LocalBotApi, bot: BotApplication, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    invitation = await invite(ann, ben)
    refusals = []
    for person in (ben, ann):
        await person.send("/eyes")
        refused = await person.wait_for("Finish or end the current one first")
        assert refused.buttons == [["End"]]
        refusals.append(refused)
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.INVITED, None)]
    await ben.press("End", refusals[0])
    assert (await ben.wait_edit(refusals[0])).entities_text == "Ended. 🌿"
    told = await ann.wait_for("ended the eye-contact minutes")
    assert told.entities_text == "Ben ended the eye-contact minutes. That's okay, another time. 🌿"
    query = await ben.press("Yes, let's", invitation)  # the old invitation
    assert "closed" in (await ben.callback_answer(query))["text"]
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, None)]


async def test_ending_mid_timer_stops_both_timers(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    await agree(ann, ben, "1 minute", "3 minutes")
    await run(bot)
    timers = [await p.wait_for("Get ready") for p in (ann, ben)]
    clock.advance(seconds=10)
    await run(bot)
    await ann.press("End", timers[0])
    assert (await ann.wait_edit(timers[0])).entities_text == "Ended. 🌿"
    await ben.wait_for("Ann ended the eye-contact minutes")
    await settled(api, bot)
    assert timers[1].entities_text == "Ended. 🌿" and timers[1].buttons == []
    clock.advance(minutes=2)
    await run(bot)  # nothing more: no end message, no words asked
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, 1)]


async def test_a_restart_mid_timer_resumes_it_from_the_stored_times(
    api: LocalBotApi,
    bot: BotApplication,
    start_bot: StartBot,
    clock: FakeClock,
    db: Database,
    couple: Couple,
) -> None:
    ann, ben = couple
    await agree(ann, ben, "3 minutes", "3 minutes")
    await run(bot)
    timers = [await p.wait_for("Get ready") for p in (ann, ben)]
    counts = [len(p.messages) for p in (ann, ben)]
    await stop_application(bot)
    clock.advance(seconds=63)
    restarted = await start_bot()
    await run(restarted)
    for timer in timers:  # the same messages, edited: 3:00 from the start, 60 s gone
        assert timer.entities_text == "👀 Look into each other's eyes. 2:00 left"
    clock.advance(minutes=2)
    await run(restarted)
    for person, count in zip((ann, ben), counts, strict=True):
        await person.wait_for("Time is up")
        assert len(person.messages) == count + 1  # no second timer message
        person.assert_no_unread()  # the pass returned once its sends were done


async def test_a_partner_who_never_answers_closes_nothing_hurtful(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    invitation = await invite(ann, ben)
    clock.advance(minutes=29)
    await run(bot)
    assert await flows(db) == [(FlowStep.INVITED, None)]
    clock.advance(minutes=2)
    await run(bot)
    await quiet(api, bot, ann, ben)  # closed without a word to anyone
    assert await flows(db) == [(FlowStep.CLOSED, None)]
    query = await ben.press("Yes, let's", invitation)
    assert "closed" in (await ben.callback_answer(query))["text"]
    await quiet(api, bot, ann, ben)


async def test_words_after_the_time_out_show_what_was_written(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    await agree(ann, ben, "1 minute", "1 minute")
    await run(bot)
    clock.advance(minutes=2)
    await run(bot)
    for person in (ann, ben):
        await person.wait_for("Time is up")
    await ann.send("<b>calm</b>")
    await ann.wait_for("Kept")
    clock.advance(minutes=31)
    await run(bot)
    shown = await ben.wait_for("Ann's word")
    assert shown.text == "Ann's word after your eye contact: “&lt;b&gt;calm&lt;/b&gt;”"
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [(FlowStep.CLOSED, 1)]


async def test_taps_with_another_couples_ids_change_nothing(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    cid, dee = api.user(2001, "Cid"), api.user(2002, "Dee", language_code="de")
    await pair_up(api, cid, dee)
    invitation = await invite(ann, ben)
    flow_id = invitation.button_data["Yes, let's"].split(":")[2]
    await dee.send("/eyes")  # Dee's own flow, to press on
    own = await dee.wait_for("Augenkontakt")
    await cid.wait_for("Dee invites you")  # Cid reads English

    async def snapshot() -> list[object]:
        async with db.transaction() as s:
            flows_ = (await s.execute(select(GuidedFlow))).scalars()
            parts = (await s.execute(select(FlowPart))).scalars()
            return [
                *[(f.id, f.step, f.minutes, f.deadline) for f in flows_],
                *[(p.id, p.choice, p.words, p.done, p.message_id) for p in parts],
            ]

    await settled(api, bot)
    before = await snapshot()
    sent = len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText"))
    for data in (
        f"ey:a:{flow_id}",
        f"ey:n:{flow_id}",
        f"ey:m:{flow_id}:2",
        f"fl:e:{flow_id}",
        f"ey:s:{flow_id}",
        f"ey:m:{flow_id}:9",
        "ey:a:x",
    ):
        answer = await dee.callback_answer(await dee.press_data(data, own))
        assert answer["text"] == stale_text(Translator("de"), ExchangeError(NOT_YOURS)), data
    # Ann's own invitation is Ben's to answer, not hers.
    answer = await ann.callback_answer(await ann.press_data(f"ey:a:{flow_id}", ann.messages[-1]))
    assert "no longer valid" in answer["text"]
    await settled(api, bot)
    assert await snapshot() == before
    assert len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText")) == sent
    for person in (ann, ben, cid, dee):
        person.assert_no_unread()


async def test_unpairing_closes_an_open_flow_without_a_word(
    api: LocalBotApi, bot: BotApplication, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    invitation = await invite(ann, ben)
    await ann.send("/unpair")
    confirm = await ann.wait_for(predicate=lambda m: m.reply_markup is not None)
    await ann.press(confirm.buttons[0][0], confirm)
    await ben.wait_for("has ended")
    await settled(api, bot)
    await run(bot)
    assert await flows(db) == [(FlowStep.CLOSED, None)]
    query = await ben.press("Yes, let's", invitation)
    assert "no longer valid" in (await ben.callback_answer(query))["text"]
    await quiet(api, bot, ann, ben)


async def test_timers_step_more_coarsely_when_their_share_of_the_rate_is_small(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, couple: Couple
) -> None:
    """With a sending rate of 0.5 a second, a quarter of it allows one timer edit every 16 s
    (two chats): the timer moves by 16 s, never by 5."""
    ann, ben = couple
    runtime_of(bot).send_rate = 0.5
    await agree(ann, ben, "2 minutes", "2 minutes")
    await run(bot)
    timer = await ann.wait_for("Get ready")
    clock.advance(seconds=3)
    await run(bot)
    assert timer.entities_text == "👀 Look into each other's eyes. 2:00 left"
    edits = timer.edits
    clock.advance(seconds=15)
    await run(bot)
    assert timer.edits == edits
    clock.advance(seconds=1)
    await run(bot)
    assert timer.entities_text == "👀 Look into each other's eyes. 1:44 left"


def test_many_timers_at_once_step_more_coarsely() -> None:
    assert timer_step(1, 30) == 5
    assert timer_step(50, 30) == 14  # 100 edits within 7.5 a second
    assert timer_step(1000, 30) > timer_step(100, 30)


async def test_the_flow_driver_is_one_repeating_job_for_all_couples(
    api: LocalBotApi, db: Database, clock: FakeClock
) -> None:
    settings = Settings(
        token=api.token,
        database_url=db.url,
        api_base_url=api.base_url,
        api_base_file_url=api.base_file_url,
        tick_seconds=20,
    )
    application = build_application(settings, database=db, clock=clock)
    assert application.job_queue is not None
    jobs = application.job_queue.get_jobs_by_name(FLOW_JOB_NAME)
    assert len(jobs) == 1
    assert jobs[0].trigger.interval == timedelta(seconds=FLOW_EVERY)
