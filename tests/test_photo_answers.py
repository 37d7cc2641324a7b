"""Photo answers at the service level: which prompts invite a photo, where a photo is routed,
and that a photo is refused where none was invited (the question changed meanwhile, or an
appreciation without a prompt that asks for one)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Checkin, CheckinAnswer, User
from bot.prompt_bank import ALL_PROMPTS, APPRECIATION_PROMPTS, CHECKIN_QUESTIONS
from bot.services import appreciations, checkins, conversation
from bot.services.conversation import RouteKind, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from tests.couples import Pair, make_couple

PHOTO_QUESTION = next(q for q in CHECKIN_QUESTIONS if q.invites_photo)
WORDS_QUESTION = next(q for q in CHECKIN_QUESTIONS if not q.invites_photo)
PHOTO_PROMPT = next(p for p in APPRECIATION_PROMPTS if p.invites_photo)
FILE_ID = "AgACAgIAAxkBAAIBZ2photo"


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 301, 302)


def test_the_prompts_that_ask_for_a_picture_invite_a_photo() -> None:
    invited = {p.key for p in ALL_PROMPTS if p.invites_photo}
    assert PHOTO_QUESTION.key in invited and PHOTO_PROMPT.key in invited
    for prompt in ALL_PROMPTS:
        if prompt.invites_photo:  # only check-in questions and appreciation prompts take one
            assert prompt in CHECKIN_QUESTIONS or prompt in APPRECIATION_PROMPTS


async def at_question(db: Database, clock: FakeClock, user_id: int, question_key: str) -> int:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        started = await checkins.start(s, user, clock.now())
        checkin = await s.get(Checkin, started.checkin.id)
        assert checkin is not None
        checkin.question_key = question_key
        await checkins.set_mood(s, user, checkin.id, 4, clock.now())
        return checkin.id


async def route(db: Database, clock: FakeClock, user_id: int) -> conversation.Route:
    async with db.transaction() as s:
        return await conversation.route_photo(s, user_id, clock.now())


async def test_a_photo_goes_to_a_question_that_invites_one_and_is_kept_with_its_caption(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await at_question(db, clock, pair.a, PHOTO_QUESTION.key)
    routed = await route(db, clock, pair.a)
    assert routed.kind is RouteKind.TAKE and routed.step is not None
    assert routed.step.kind is StepKind.CHECKIN_ANSWER
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "  the lake  ", clock.now(), FILE_ID)
        answer = await s.get(CheckinAnswer, (await checkins.answers_of(s, checkin_id))[pair.a].id)
    assert answer is not None
    assert (answer.photo_file_id, answer.answer) == (FILE_ID, "the lake")


async def test_a_photo_without_a_caption_is_an_answer_not_a_skip(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await at_question(db, clock, pair.a, PHOTO_QUESTION.key)
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "", clock.now(), FILE_ID)
        await checkins.set_need(s, user, checkin_id, None, clock.now())
    await at_question(db, clock, pair.b, PHOTO_QUESTION.key)
    async with db.transaction() as s:
        user = await s.get(User, pair.b)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "words", clock.now())
        done = await checkins.set_need(s, user, checkin_id, None, clock.now())
    shared = checkins.Reveal.of(done.checkin, done.answers).shared[pair.a]
    assert (shared.photo, shared.answer) == (FILE_ID, None)


async def test_a_photo_elsewhere_gets_the_hint_of_the_step_and_is_refused_by_the_service(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await at_question(db, clock, pair.a, WORDS_QUESTION.key)
    routed = await route(db, clock, pair.a)
    assert routed.kind is RouteKind.HINT and routed.step is not None
    assert routed.step.kind is StepKind.CHECKIN_ANSWER
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        with pytest.raises(ExchangeError) as refused:
            await checkins.set_answer(s, user, checkin_id, "", clock.now(), FILE_ID)
        assert refused.value.reason is Stale.WRONG_STEP
        partner = await s.get(User, pair.b)
        assert partner is not None
        with pytest.raises(ExchangeError):  # /appreciate words: no prompt invited a photo
            await appreciations.send(s, user, partner, "hi", clock.now(), None, FILE_ID)
        sent = await appreciations.send(
            s, user, partner, "", clock.now(), PHOTO_PROMPT.key, FILE_ID
        )
    assert (sent.photo_file_id, sent.text) == (FILE_ID, "")


async def test_with_several_steps_open_a_photo_waits_for_a_reply(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await at_question(db, clock, pair.a, PHOTO_QUESTION.key)
    clock.advance(timedelta(minutes=1))
    async with db.transaction() as s:
        await conversation.open_step(
            s,
            pair.a,
            StepKind.APPRECIATION,
            clock.now(),
            clock.now() + timedelta(hours=1),
            ref_key=APPRECIATION_PROMPTS[0].key,
        )
    routed = await route(db, clock, pair.a)
    assert routed.kind is RouteKind.REPLY_FIRST
