"""Questions a couple can steer, as both partners see them in Telegram: Skip and Another
question, "nothing" at the need step, /depth (lowered by either, raised by both) and the depth
rules of the day's question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.context import BotApplication
from bot.db import Database
from bot.local_api import BotMessage, LocalBotApi, SimulatedUser
from bot.models import Checkin, Couple, User
from bot.prompt_bank import CHECKIN_QUESTIONS, Depth
from tests.e2e.conftest import pair_up, quiet, settled

People = tuple[SimulatedUser, SimulatedUser, SimulatedUser, SimulatedUser]
DEPTH_OF = {q.text: q.depth for q in CHECKIN_QUESTIONS}
LEAD = "Today's question: "


@pytest.fixture
async def people(api: LocalBotApi, bot: BotApplication, clock: FakeClock) -> People:
    """Ann and Ben (a couple), Cid and Dee (another couple)."""
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    ann, ben = api.user(3001, "Ann"), api.user(3002, "Ben")
    cid, dee = api.user(3003, "Cid"), api.user(3004, "Dee")
    await pair_up(api, ann, ben)
    await pair_up(api, cid, dee)
    return ann, ben, cid, dee


def question_in(message: BotMessage) -> str:
    """The day's question a message shows (English)."""
    text = message.entities_text
    assert LEAD in text, text
    return text.split(LEAD, 1)[1].split("\n", 1)[0]


async def to_question(person: SimulatedUser, mood: str = "🙂") -> BotMessage:
    await person.send("/checkin")
    moods = await person.wait_for("How are you feeling")
    await person.press(mood, moods)
    await person.wait_edit(moods)
    return await person.wait_for(LEAD)


async def checkin_id_of(db: Database, couple_of: int) -> int:
    async with db.transaction() as s:
        stmt = select(Checkin.id).where(Checkin.couple_id == couple_of).order_by(Checkin.id.desc())
        return (await s.execute(stmt)).scalars().first() or 0


async def couple_id(db: Database, user_id: int) -> int:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None and user.couple_id is not None
        return user.couple_id


async def test_another_question_changes_it_for_both_until_one_answered(
    api: LocalBotApi, bot: BotApplication, db: Database, people: People
) -> None:
    ann, ben, cid, _dee = people
    ann_question = await to_question(ann)
    ben_question = await to_question(ben)
    first = question_in(ann_question)
    assert question_in(ben_question) == first
    assert ann_question.buttons == [["Skip", "Another question"]]

    await ann.press("Another question", ann_question)
    await ann.wait_edit(ann_question)
    await ben.wait_edit(ben_question)
    second = question_in(ann_question)
    assert second != first and second in DEPTH_OF
    assert question_in(ben_question) == second
    assert "Ann asked for another question" in ben_question.entities_text
    # Both keep their buttons (an edit without a keyboard would drop them).
    assert ann_question.buttons == ben_question.buttons == [["Skip", "Another question"]]

    # Cid taps Another and Skip with the real id of Ann and Ben's check-in: refused, no change.
    checkin = await checkin_id_of(db, await couple_id(db, ann.id))
    cid_question = await to_question(cid)
    for data in (f"ck:q:{checkin}", f"ck:k:{checkin}"):
        forged = await cid.press_data(data, cid_question)
        assert (await cid.callback_answer(forged))["text"] == "This button is no longer valid."
    await quiet(api, bot, ann, ben)
    assert question_in(ann_question) == question_in(ben_question) == second

    # Ben answers (a reply to his question message, edited in place): the question stays.
    await ben.send("ben's answer", reply_to=ben_question)
    await ben.wait_for("anything you need from Ann")
    edits = ann_question.edits, ben_question.edits
    refused = await ann.press("Another question", ann_question)
    answer = await ann.callback_answer(refused)
    assert answer["text"] == "This question already has an answer, so it stays for today."
    await quiet(api, bot, ann, ben)
    assert (ann_question.edits, ben_question.edits) == edits
    assert question_in(ann_question) == second


async def test_skip_at_the_question_moves_on_and_the_reveal_says_so_kindly(
    api: LocalBotApi, bot: BotApplication, people: People
) -> None:
    ann, ben, _cid, _dee = people
    question = await to_question(ann)
    await ann.press("Skip", question)
    await ann.wait_edit(question)
    assert "(skipped)" in question.entities_text and question.buttons == []
    await ann.wait_for("anything you need from Ben")
    await ann.send("a quiet evening")
    await ann.wait_for("as soon as Ben has answered")
    await to_question(ben)
    await ben.send("a good day")
    await ben.wait_for("anything you need from Ann")
    await ben.send("nothing")
    for person in (ann, ben):
        reveal = await person.wait_for("Your check-in")
        assert "(passed on today's question)" in reveal.entities_text
        assert "a good day" in reveal.entities_text


@pytest.mark.parametrize("words", ["Nothing.", "-", "нет"])
async def test_nothing_at_the_need_step_is_a_skip(
    api: LocalBotApi, bot: BotApplication, people: People, words: str
) -> None:
    ann, ben, _cid, _dee = people
    await to_question(ann)
    await ann.send("fine")
    await ann.wait_for("anything you need from Ben")
    await ann.send(words)
    await ann.wait_for("as soon as Ben has answered")
    await to_question(ben)
    await ben.send("also fine")
    await ben.wait_for("anything you need from Ann")
    await ben.press("Skip")
    reveal = await ben.wait_for("Your check-in")
    assert "Needs:" not in reveal.entities_text
    await ann.wait_for("Your check-in")
    await quiet(api, bot, ann, ben)  # no need to answer reached Ben


async def test_depth_lowered_by_either_raised_by_both(
    api: LocalBotApi, bot: BotApplication, db: Database, people: People
) -> None:
    ann, ben, cid, _dee = people
    await ann.send("/depth")
    overview = await ann.wait_for("go up to")
    assert "light" in overview.entities_text  # a new couple starts light
    assert overview.buttons == [["Light", "Medium", "Deep"]]

    # Raising asks Ben; nothing changes until he accepts.
    await ann.press("Deep", overview)
    await ann.wait_edit(overview)
    assert "I've asked Ben" in overview.entities_text
    request = await ben.wait_for("would like your check-in questions to go up to")
    couple = await couple_id(db, ann.id)
    # Cid accepts with the real id of Ann and Ben's couple: refused, nothing changes.
    cid_message = await to_question(cid)
    forged = await cid.press_data(f"dp:y:{couple}:3", cid_message)
    assert (await cid.callback_answer(forged))["text"] == "This button is no longer valid."
    await quiet(api, bot, ann, ben)
    async with db.transaction() as s:
        row = await s.get(Couple, couple)
        assert row is not None and row.depth_ceiling is None and row.depth_asked == Depth.DEEP

    await ben.press("Yes, let's", request)
    await ben.wait_edit(request)
    await ann.wait_for("You both agreed: your check-in questions now go up to deep")
    async with db.transaction() as s:
        row = await s.get(Couple, couple)
        assert row is not None and row.depth_ceiling == Depth.DEEP and row.depth_asked is None

    # Lowering is immediate, and the other partner is told.
    await ben.send("/depth light")
    await ben.wait_for("Done: your check-in questions now go up to light")
    await ann.wait_for("Ben would like lighter check-in questions for now: up to light")
    # Raising again, declined: it stays.
    await ann.send("/depth medium")
    await ann.wait_for("I've asked Ben")
    request = await ben.wait_for("would like your check-in questions to go up to")
    await ben.press("Not now", request)
    await ben.wait_edit(request)
    await ann.wait_for("Ben would rather keep the check-in questions where they are")
    async with db.transaction() as s:
        row = await s.get(Couple, couple)
        assert row is not None and row.depth_ceiling == Depth.LIGHT
    await ann.send("/depth sideways")
    await ann.wait_for("Use /depth light, /depth medium or /depth deep.")


async def test_no_deep_question_the_day_after_a_low_mood(
    api: LocalBotApi, bot: BotApplication, db: Database, clock: FakeClock, people: People
) -> None:
    ann, ben, _cid, _dee = people
    # New couple: the question is light, and Another question stays light.
    question = await to_question(ann)
    shown = [question_in(question)]
    for _ in range(5):
        await ann.press("Another question", question)
        await ann.wait_edit(question)
        shown.append(question_in(question))
    assert {DEPTH_OF[text] for text in shown} == {Depth.LIGHT}

    await ann.send("/depth deep")
    request = await ben.wait_for("would like your check-in questions to go up to")
    await ben.press("Yes, let's", request)
    await ann.wait_for("You both agreed")
    clock.advance(timedelta(days=1))
    # Ann checks in alone with 😞; the next day her questions go no deeper than medium.
    question = await to_question(ann, mood="😞")
    await settled(api, bot)
    clock.advance(timedelta(days=1))
    question = await to_question(ann)
    shown = [question_in(question)]
    for _ in range(15):
        await ann.press("Another question", question)
        await ann.wait_edit(question)
        shown.append(question_in(question))
    assert Depth.DEEP not in {DEPTH_OF[text] for text in shown}
