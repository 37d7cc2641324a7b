"""/unwind, the stress-reducing conversation, through the local Bot API server: the invitation
and the turn's length, both turns with the speaker's words relayed (saying whose turn it is,
escaped) and the listener's kept, the listener's reply after each turn, the summary, a
restart mid-turn, a partner who never answers, "End" from either side, one flow per couple
across kinds, and taps with the real ids of another couple (the flow driver is run by hand,
as the tick is)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.app import stop_application
from bot.clock import FakeClock
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import FlowPart, GuidedFlow, OutboxMessage
from bot.runtime import runtime_of
from bot.services.exchange_errors import ExchangeError, Stale
from handlers import drive_flows
from handlers.actions import stale_text
from locales import Translator
from tests.e2e.conftest import StartBot, pair_up, quiet, settled

Couple = tuple[SimulatedUser, SimulatedUser]
SIDE = "I'm on your side in this."
REPLY_BUTTONS = [
    ["That sounds really exhausting."],
    ["No wonder that got to you."],
    [SIDE],
    ["That's a lot to carry. I'm glad you told me."],
    ["I understand why that upset you."],
    ["End"],
]


@pytest.fixture
async def couple(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> Couple:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    ann, ben = api.user(1001, "Ann"), api.user(1002, "Ben")
    await pair_up(api, ann, ben)
    return ann, ben


async def run(bot: BotApplication) -> None:
    """One pass of the flow driver; returns once its sends and edits are done."""
    await drive_flows(bot.bot, runtime_of(bot))


async def invite(ann: SimulatedUser, ben: SimulatedUser) -> BotMessage:
    await ann.send("/unwind")
    sent = await ann.wait_for("I've invited Ben to unwind together")
    assert sent.buttons == [["End"]]
    invitation = await ben.wait_for("invites you to unwind together")
    assert "outside your relationship" in invitation.entities_text
    assert invitation.buttons == [["Yes, let's", "Not now"]]
    return invitation


async def agree(ann: SimulatedUser, ben: SimulatedUser, mine: str, theirs: str) -> BotMessage:
    """Ann invites, Ben accepts; Ann picks `mine`, Ben `theirs`: Ann's turn starts. Returns
    Ben's message with the choice."""
    invitation = await invite(ann, ben)
    await ben.press("Yes, let's", invitation)
    edited = await ben.wait_edit(invitation)
    assert "the shorter choice wins" in edited.entities_text
    assert edited.buttons == [["5 minutes", "7 minutes", "10 minutes"], ["End"]]
    asked = await ann.wait_for("Ben said yes!")
    await ann.press(mine, asked)
    await ann.wait_edit(asked)
    await ben.press(theirs, invitation)
    await ben.wait_edit(invitation)
    return invitation


async def flows(db: Database) -> list[tuple[str, str, int | None]]:
    async with db.transaction() as s:
        rows = (await s.execute(select(GuidedFlow).order_by(GuidedFlow.id))).scalars()
        return [(row.kind, row.step, row.minutes) for row in rows]


async def test_two_turns_with_a_reply_each_and_a_summary(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    choice = await agree(ann, ben, "10 minutes", "7 minutes")
    assert choice.entities_text == "Agreed: 7 minutes a turn."  # the shorter one
    prompts = await ann.wait_for("Your turn to talk, for 7 minutes")
    assert "What took the most out of you today?" in prompts.entities_text
    tips = await ben.wait_for("Ann's turn to talk, for 7 minutes")
    assert "No advice unless Ann asks for it" in tips.entities_text
    await run(bot)
    ann_timer = await ann.wait_for("🗣 Your turn. 7:00 left")
    ben_timer = await ben.wait_for("👂 Ann's turn. 7:00 left")
    assert ann_timer.buttons == ben_timer.buttons == [["End"]]
    clock.advance(seconds=30)
    await run(bot)
    assert ben_timer.entities_text == "👂 Ann's turn. 6:30 left"
    # The speaker's words go to the listener, saying whose turn it is, escaped.
    await ann.send("My boss <b>again</b>")
    relayed = await ben.wait_for("Ann's turn:")
    assert relayed.text == "🗣 Ann's turn: My boss &lt;b&gt;again&lt;/b&gt;"
    # The listener's words stay with the listener.
    await ben.send("You should quit")
    kept = await ben.wait_for("stays here with you")
    assert "During Ann's turn" in kept.entities_text
    await settled(api, bot)
    ann.assert_no_unread()
    clock.advance(minutes=7)
    await run(bot)
    asked = await ben.wait_for("Ann's turn is over")
    assert asked.buttons == REPLY_BUTTONS
    await ann.wait_for("Your turn is over")
    assert ann_timer.entities_text == ben_timer.entities_text == "Turn over. 🌿"
    assert ann_timer.buttons == []
    await ann.send("one more thing")  # after the turn: goes nowhere
    await ann.wait_for("I'm not sure what to do with that")
    await ben.press(SIDE, asked)
    assert (await ben.wait_edit(asked)).entities_text == f"Sent to Ann: “{SIDE}”"
    heard = await ann.wait_for("Ben heard you")
    assert heard.entities_text == f"💬 Ben heard you: “{SIDE}”"
    # The roles swap.
    await ben.wait_for("Your turn to talk, for 7 minutes")
    await ann.wait_for("Ben's turn to talk, for 7 minutes")
    await run(bot)
    await ben.wait_for("🗣 Your turn. 7:00 left")
    await ann.wait_for("👂 Ben's turn. 7:00 left")
    await ann.send("Poor you")
    await ann.wait_for("During Ben's turn")
    await ben.send("Traffic was awful")
    assert (await ann.wait_for("Ben's turn:")).text == "🗣 Ben's turn: Traffic was awful"
    clock.advance(minutes=7)
    await run(bot)
    asked = await ann.wait_for("Ben's turn is over")
    await ben.wait_for("Your turn is over")
    again = asked.button_data["No wonder that got to you."]
    await ann.press("No wonder that got to you.", asked)
    await ben.wait_for("Ann heard you: “No wonder that got to you.”")
    for person in (ann, ben):
        summary = await person.wait_for("Your unwind time is over")
        assert "two turns of 7 minutes" in summary.entities_text
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [("unwind", "closed", 7)]
    async with db.transaction() as s:  # the relayed words went with the sent messages
        assert not (
            await s.execute(select(OutboxMessage.payload).where(OutboxMessage.payload.is_not(None)))
        ).all()
    query = await ann.press_data(again, asked)  # once only
    assert "closed" in (await ann.callback_answer(query))["text"]


async def test_a_restart_mid_turn_resumes_it_from_the_stored_times(
    api: LocalBotApi,
    bot: BotApplication,
    start_bot: StartBot,
    clock: FakeClock,
    db: Database,
    couple: Couple,
) -> None:
    ann, ben = couple
    await agree(ann, ben, "5 minutes", "5 minutes")
    await run(bot)
    timers = [await ann.wait_for("Your turn. 5:00"), await ben.wait_for("Ann's turn. 5:00")]
    counts = [len(p.messages) for p in (ann, ben)]
    await stop_application(bot)
    clock.advance(seconds=63)
    restarted = await start_bot()
    await run(restarted)
    assert timers[0].entities_text == "🗣 Your turn. 4:00 left"  # the same message, edited
    assert timers[1].entities_text == "👂 Ann's turn. 4:00 left"
    await ann.send("Still here")
    assert (await ben.wait_for("Ann's turn:")).text == "🗣 Ann's turn: Still here"
    clock.advance(minutes=4)
    await run(restarted)
    await ben.wait_for("Ann's turn is over")
    await ann.wait_for("Your turn is over")
    assert len(ann.messages) == counts[0] + 1  # no second timer message
    assert len(ben.messages) == counts[1] + 2  # the relayed line, then the replies
    await quiet(api, restarted, ann, ben)


async def test_a_partner_who_never_answers_closes_without_a_hurtful_word(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    invitation = await invite(ann, ben)
    clock.advance(minutes=31)
    await run(bot)
    await quiet(api, bot, ann, ben)  # an invitation nobody answered: not a word
    assert await flows(db) == [("unwind", "closed", None)]
    query = await ben.press("Yes, let's", invitation)
    assert "closed" in (await ben.callback_answer(query))["text"]
    # A listener who never picks a reply: the conversation closes with a kind summary.
    await agree(ann, ben, "5 minutes", "5 minutes")
    clock.advance(minutes=5)
    await run(bot)
    await ben.wait_for("Ann's turn is over")
    clock.advance(minutes=14)
    await run(bot)
    assert (await flows(db))[-1] == ("unwind", "reply", 5)
    clock.advance(minutes=2)
    await run(bot)
    for person in (ann, ben):
        closed = await person.wait_for("closed after one turn")
        assert closed.entities_text == (
            "🌿 Your unwind time has closed after one turn of 5 minutes. Thank you for making "
            "time for each other."
        )
    await quiet(api, bot, ann, ben)
    assert (await flows(db))[-1] == ("unwind", "closed", 5)


async def test_either_partner_ends_it_and_the_other_is_told_kindly(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    await agree(ann, ben, "5 minutes", "7 minutes")
    await run(bot)
    timers = [await ann.wait_for("Your turn. 5:00"), await ben.wait_for("Ann's turn. 5:00")]
    await ben.press("End", timers[1])  # the listener, mid-turn
    assert (await ben.wait_edit(timers[1])).entities_text == "Ended. 🌿"
    told = await ann.wait_for("ended your unwind time")
    assert told.entities_text == "Ben ended your unwind time. That's okay, another time. 🌿"
    await settled(api, bot)
    assert timers[0].entities_text == "Ended. 🌿" and timers[0].buttons == []
    await ann.send("and then")  # the turn is over: nothing is relayed
    await ann.wait_for("I'm not sure what to do with that")
    clock.advance(minutes=6)
    await run(bot)
    await quiet(api, bot, ann, ben)
    assert await flows(db) == [("unwind", "closed", 5)]
    # The inviter ends the next one before it starts.
    await invite(ann, ben)
    sent = next(m for m in reversed(ann.messages) if "I've invited Ben" in m.entities_text)
    await ann.press("End", sent)
    await ann.wait_edit(sent)
    await ben.wait_for("Ann ended your unwind time")
    await quiet(api, bot, ann, ben)


async def test_one_ritual_per_couple_across_kinds(
    api: LocalBotApi, bot: BotApplication, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    await ann.send("/eyes")
    await ben.wait_for("eye contact")
    await ben.send("/unwind")
    refused = await ben.wait_for("Finish or end the current one first")
    await ben.press("End", refused)
    await ann.wait_for("Ben ended the eye-contact minutes")
    await ben.send("/unwind")
    await ann.wait_for("Ben invites you to unwind together")
    await ben.wait_for("I've invited Ann")
    await quiet(api, bot, ann, ben)
    assert [(k, s) for k, s, _m in await flows(db)] == [("eyes", "closed"), ("unwind", "invited")]


async def test_taps_with_another_couples_ids_change_nothing(
    api: LocalBotApi, bot: BotApplication, clock: FakeClock, db: Database, couple: Couple
) -> None:
    ann, ben = couple
    cid, dee = api.user(2001, "Cid"), api.user(2002, "Dee", language_code="de")
    await pair_up(api, cid, dee)
    await agree(ann, ben, "5 minutes", "5 minutes")
    started = next(m for m in ann.messages if "I've invited Ben" in m.entities_text)
    flow_id = started.button_data["End"].split(":")[2]
    await dee.send("/unwind")  # Dee's own flow, to press on
    own = await dee.wait_for(predicate=lambda m: m.buttons == [["Beenden"]])
    await cid.wait_for("Dee invites you")

    async def snapshot() -> list[object]:
        async with db.transaction() as s:
            flows_ = (await s.execute(select(GuidedFlow))).scalars()
            parts = (await s.execute(select(FlowPart))).scalars()
            return [
                *[(f.id, f.step, f.minutes, f.deadline) for f in flows_],
                *[(p.id, p.choice, p.done, p.message_id) for p in parts],
            ]

    await settled(api, bot)
    before = await snapshot()
    sent = len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText"))
    for data in (
        f"uw:a:{flow_id}",
        f"uw:n:{flow_id}",
        f"uw:m:{flow_id}:5",
        f"uw:v:{flow_id}:0",
        f"fl:e:{flow_id}",
        f"uw:v:{flow_id}:9",
        "uw:m:x:5",
    ):
        answer = await dee.callback_answer(await dee.press_data(data, own))
        assert answer["text"] == stale_text(Translator("de"), ExchangeError(Stale.NOT_YOURS)), data
    # Their own flow, through another kind's button: not theirs either.
    for data in (f"ey:m:{flow_id}:2", f"ey:a:{flow_id}"):
        answer = await ben.callback_answer(await ben.press_data(data, ben.messages[-1]))
        assert "no longer valid" in answer["text"], data
    await settled(api, bot)
    assert await snapshot() == before
    assert len(api.calls_to("sendMessage")) + len(api.calls_to("editMessageText")) == sent
    for person in (cid, dee):
        person.assert_no_unread()
