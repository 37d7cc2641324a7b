"""The check-in's ownership, reveal and answer rules, each pinned by a fast service-level test
(each kills mutants of bot/services/checkins.py that the other tests let survive; see
`.ci/mutation`). Forged input uses the real ids of another couple."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FakeClock
from bot.db import Database
from bot.models import AnswerStep, Checkin, CheckinAnswer, CheckinStatus, Reaction, User
from bot.services import checkins
from bot.services.checkins import NeedReply, ReactionKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from tests.couples import Pair, make_couple

Action = Callable[[AsyncSession, User, int, datetime], Awaitable[object]]

STEPS: dict[str, Action] = {
    "mood": lambda s, u, cid, now: checkins.set_mood(s, u, cid, 4, now),
    "answer": lambda s, u, cid, now: checkins.set_answer(s, u, cid, "words", now),
    "need": lambda s, u, cid, now: checkins.set_need(s, u, cid, "a walk", now),
}
AFTER_REVEAL: dict[str, Action] = {
    "react": lambda s, u, cid, now: checkins.react(s, u, cid, ReactionKind.THANKS, now),
    "reply to need": lambda s, u, cid, now: checkins.reply_to_need(s, u, cid, NeedReply.YES, now),
}


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 101, 102)


@pytest.fixture
async def other_pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 201, 202)


async def run(
    db: Database, clock: FakeClock, user_id: int, action: Action, checkin_id: int
) -> object:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await action(s, user, checkin_id, clock.now())


async def refusal(
    db: Database, clock: FakeClock, user_id: int, action: Action, checkin_id: int
) -> Stale:
    with pytest.raises(ExchangeError) as refused:
        await run(db, clock, user_id, action, checkin_id)
    return refused.value.reason


async def start(db: Database, clock: FakeClock, user_id: int) -> int:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return (await checkins.start(s, user, clock.now())).checkin.id


async def up_to_need(db: Database, clock: FakeClock, user_id: int) -> int:
    checkin_id = await start(db, clock, user_id)
    await run(db, clock, user_id, STEPS["mood"], checkin_id)
    await run(db, clock, user_id, STEPS["answer"], checkin_id)
    return checkin_id


async def finish(
    db: Database, clock: FakeClock, user_id: int, checkin_id: int, need: str | None
) -> checkins.Completed:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await checkins.set_need(s, user, checkin_id, need, clock.now())


async def revealed(
    db: Database, clock: FakeClock, pair: Pair, need_a: str | None = "more sleep"
) -> int:
    """A check-in both partners answered (A stated `need_a`, B skipped the need)."""
    checkin_id = await up_to_need(db, clock, pair.a)
    await up_to_need(db, clock, pair.b)
    await finish(db, clock, pair.a, checkin_id, need_a)
    assert (await finish(db, clock, pair.b, checkin_id, None)).revealed
    return checkin_id


async def answer_of(db: Database, checkin_id: int, user_id: int) -> CheckinAnswer | None:
    async with db.transaction() as s:
        return (await checkins.answers_of(s, checkin_id)).get(user_id)


async def test_a_checkin_id_that_does_not_exist_is_not_yours(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await up_to_need(db, clock, pair.a)
    for action in (*STEPS.values(), *AFTER_REVEAL.values()):
        assert await refusal(db, clock, pair.a, action, 987_654) is Stale.NOT_YOURS


async def test_nothing_of_a_revealed_checkin_can_be_answered_again(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """Revealed is closed, even while its 24 hours last: no step is 'already done' or 'wrong',
    the exchange is over."""
    checkin_id = await revealed(db, clock, pair)
    for user_id in (pair.a, pair.b):
        for action in STEPS.values():
            assert await refusal(db, clock, user_id, action, checkin_id) is Stale.CLOSED


async def test_a_checkin_closes_when_its_24_hours_end_to_the_second(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await start(db, clock, pair.a)
    clock.advance(checkins.WINDOW)
    assert await refusal(db, clock, pair.a, STEPS["mood"], checkin_id) is Stale.CLOSED


async def test_a_partner_who_has_not_started_cannot_answer_through_the_checkins_id(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await start(db, clock, pair.a)
    for action in STEPS.values():
        assert await refusal(db, clock, pair.b, action, checkin_id) is Stale.NOT_YOURS
    assert await answer_of(db, checkin_id, pair.b) is None


async def test_an_earlier_steps_button_is_a_wrong_step_and_a_finished_part_is_already_done(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await start(db, clock, pair.a)
    await run(db, clock, pair.a, STEPS["mood"], checkin_id)
    assert await refusal(db, clock, pair.a, STEPS["mood"], checkin_id) is Stale.WRONG_STEP
    await run(db, clock, pair.a, STEPS["answer"], checkin_id)
    await finish(db, clock, pair.a, checkin_id, None)
    for action in STEPS.values():  # the partner has not answered yet: still open
        assert await refusal(db, clock, pair.a, action, checkin_id) is Stale.ALREADY


async def test_a_need_longer_than_300_characters_is_refused_and_not_stored(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await up_to_need(db, clock, pair.a)
    with pytest.raises(TooLong) as too_long:
        await finish(db, clock, pair.a, checkin_id, "n" * 301)
    assert (too_long.value.length, too_long.value.limit) == (301, checkins.MAX_NEED_LENGTH)
    stored = await answer_of(db, checkin_id, pair.a)
    assert stored is not None and (stored.step, stored.need) == (AnswerStep.NEED, None)
    await finish(db, clock, pair.a, checkin_id, "n" * 300)  # exactly the limit is fine
    stored = await answer_of(db, checkin_id, pair.a)
    assert stored is not None and stored.need == "n" * 300


async def test_the_reveal_records_when_each_part_was_finished_and_when_it_was_revealed(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await up_to_need(db, clock, pair.a)
    await up_to_need(db, clock, pair.b)
    first = clock.now()
    await finish(db, clock, pair.a, checkin_id, None)
    clock.advance(timedelta(hours=2))
    await finish(db, clock, pair.b, checkin_id, None)
    async with db.transaction() as s:
        checkin = await s.get(Checkin, checkin_id)
        assert checkin is not None
        assert (checkin.status, checkin.closed_at) == (CheckinStatus.REVEALED, clock.now())
        done = await checkins.answers_of(s, checkin_id)
    assert (done[pair.a].completed_at, done[pair.b].completed_at) == (first, clock.now())


async def test_a_reaction_is_kept_once_per_partner_and_kind_with_who_and_when(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await revealed(db, clock, pair)
    await run(db, clock, pair.b, AFTER_REVEAL["react"], checkin_id)
    assert await refusal(db, clock, pair.b, AFTER_REVEAL["react"], checkin_id) is Stale.ALREADY
    await run(db, clock, pair.a, AFTER_REVEAL["react"], checkin_id)  # the other partner may too
    async with db.transaction() as s:
        rows = (await s.execute(select(Reaction).order_by(Reaction.id))).scalars().all()
        kept = [(r.checkin_id, r.from_user_id, r.kind, r.created_at) for r in rows]
    assert kept == [
        (checkin_id, pair.b, ReactionKind.THANKS, clock.now()),
        (checkin_id, pair.a, ReactionKind.THANKS, clock.now()),
    ]


async def test_a_skipped_need_cannot_be_answered(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await revealed(db, clock, pair)
    # B skipped the need: A has nothing to answer.
    assert await refusal(db, clock, pair.a, AFTER_REVEAL["reply to need"], checkin_id) is (
        Stale.NOT_YOURS
    )
    stored = await answer_of(db, checkin_id, pair.b)
    assert stored is not None and stored.need_reply is None


async def test_a_need_is_answered_once(db: Database, clock: FakeClock, pair: Pair) -> None:
    checkin_id = await revealed(db, clock, pair)
    await run(db, clock, pair.b, AFTER_REVEAL["reply to need"], checkin_id)
    no: Action = lambda s, u, cid, now: checkins.reply_to_need(s, u, cid, NeedReply.NO, now)  # noqa: E731
    assert await refusal(db, clock, pair.b, no, checkin_id) is Stale.ALREADY
    stored = await answer_of(db, checkin_id, pair.a)
    assert stored is not None and stored.need_reply == NeedReply.YES


async def test_another_couples_member_cannot_react_or_reply_to_a_revealed_checkin(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    checkin_id = await revealed(db, clock, pair)
    for forger in (other_pair.a, other_pair.b):
        for action in AFTER_REVEAL.values():
            assert await refusal(db, clock, forger, action, checkin_id) is Stale.NOT_YOURS
    async with db.transaction() as s:
        assert (await s.execute(select(Reaction))).first() is None
    stored = await answer_of(db, checkin_id, pair.a)
    assert stored is not None and stored.need_reply is None
