"""The check-in's promises at the service level: revealed exactly once, and only when both
answered; nothing of it can be read or changed through another couple's ids."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import AnswerStep, CheckinStatus, User
from bot.services import checkins
from bot.services.checkins import NeedReply, ReactionKind
from bot.services.exchange_errors import ExchangeError, Stale
from tests.couples import Pair, make_couple


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 101, 102)


@pytest.fixture
async def other_pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 201, 202)


async def up_to_need(db: Database, clock: FakeClock, pair: Pair) -> int:
    """Both partners answered mood and question; both are at the need step."""
    checkin_id = 0
    for uid in (pair.a, pair.b):
        async with db.transaction() as s:
            user = await s.get(User, uid)
            assert user is not None
            started = await checkins.start(s, user, clock.now())
            checkin_id = started.checkin.id
            await checkins.set_mood(s, user, checkin_id, 3, clock.now())
            await checkins.set_answer(s, user, checkin_id, f"answer of {uid}", clock.now())
    return checkin_id


async def finish(
    db: Database, clock: FakeClock, user_id: int, checkin_id: int, need: str | None = None
) -> checkins.Completed:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await checkins.set_need(s, user, checkin_id, need, clock.now())


async def test_both_finishing_at_once_reveal_exactly_once(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """Two last answers race (concurrent transactions, as two processes or concurrent
    updates would run them); many rounds, each must reveal once: never twice, never zero."""
    other_process = Database(db.url)  # its own engine and connections, like a second process
    for _round in range(25):
        checkin_id = await up_to_need(db, clock, pair)
        results = await asyncio.gather(
            finish(db, clock, pair.a, checkin_id, "a hug"),
            finish(other_process, clock, pair.b, checkin_id, None),
        )
        assert sorted(r.revealed for r in results) == [False, True]
        revealer = next(r for r in results if r.revealed)
        assert set(revealer.answers) == {pair.a, pair.b}
        assert all(a.step == AnswerStep.DONE for a in revealer.answers.values())
        clock.advance(timedelta(days=1))
    await other_process.dispose()


async def start_in(db: Database, clock: FakeClock, user_id: int) -> int:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return (await checkins.start(s, user, clock.now())).checkin.id


async def test_both_starting_at_once_share_one_checkin(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """Both partners' prompts go out at the same minute, from two processes: their check-ins
    start in concurrent transactions, and must still be one exchange (two would each wait
    for the other's answer for ever)."""
    other_process = Database(db.url)
    for _round in range(10):
        ids = await asyncio.gather(
            start_in(db, clock, pair.a), start_in(other_process, clock, pair.b)
        )
        assert ids[0] == ids[1]
        clock.advance(timedelta(days=1))
    await other_process.dispose()


async def test_the_first_to_finish_does_not_reveal(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await up_to_need(db, clock, pair)
    first = await finish(db, clock, pair.a, checkin_id)
    assert not first.revealed and first.checkin.status == CheckinStatus.OPEN
    second = await finish(db, clock, pair.b, checkin_id)
    assert second.revealed and second.checkin.status == CheckinStatus.REVEALED


async def test_a_need_cannot_be_answered_or_read_before_the_reveal(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """The reproduced bug: `ck:n:<id>:yes` on an open check-in showed the partner's need."""
    checkin_id = await up_to_need(db, clock, pair)
    await finish(db, clock, pair.a, checkin_id, "private need")
    async with db.transaction() as s:
        partner = await s.get(User, pair.b)
        assert partner is not None
        with pytest.raises(ExchangeError) as refused:
            await checkins.reply_to_need(s, partner, checkin_id, NeedReply.YES, clock.now())
        assert refused.value.reason is Stale.CLOSED
        with pytest.raises(ExchangeError):
            await checkins.react(s, partner, checkin_id, ReactionKind.HARD, clock.now())
    async with db.transaction() as s:
        holder = (await checkins.answers_of(s, checkin_id))[pair.a]
        assert holder.need_reply is None
    await finish(db, clock, pair.b, checkin_id)
    async with db.transaction() as s:
        partner = await s.get(User, pair.b)
        assert partner is not None
        held = await checkins.reply_to_need(s, partner, checkin_id, NeedReply.YES, clock.now())
    assert held.need == "private need" and held.need_reply == NeedReply.YES


async def test_another_couples_real_ids_change_nothing(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    """Every check-in action with the id of another couple's check-in is refused, before
    and after its reveal, and the forger's own partner learns nothing either."""
    checkin_id = await up_to_need(db, clock, pair)
    await finish(db, clock, pair.a, checkin_id, "their need")

    async def forged(user_id: int) -> None:
        async with db.transaction() as s:
            forger = await s.get(User, user_id)
            assert forger is not None
            now = clock.now()
            attempts = (
                checkins.set_mood(s, forger, checkin_id, 1, now),
                checkins.set_answer(s, forger, checkin_id, "forged", now),
                checkins.set_need(s, forger, checkin_id, "forged", now),
                checkins.react(s, forger, checkin_id, ReactionKind.HAPPY, now),
                checkins.reply_to_need(s, forger, checkin_id, NeedReply.NO, now),
            )
            for attempt in attempts:
                with pytest.raises(ExchangeError) as refused:
                    await attempt
                assert refused.value.reason is Stale.NOT_YOURS

    async def snapshot() -> list[tuple[object, ...]]:
        async with db.transaction() as s:
            answers = await checkins.answers_of(s, checkin_id)
            return [
                (a.user_id, a.step, a.mood, a.answer, a.need, a.need_reply)
                for a in sorted(answers.values(), key=lambda a: a.user_id)
            ]

    before = await snapshot()
    for forger in (other_pair.a, other_pair.b):
        await forged(forger)
    assert await snapshot() == before
    await finish(db, clock, pair.b, checkin_id)
    revealed = await snapshot()
    for forger in (other_pair.a, other_pair.b):
        await forged(forger)
    assert await snapshot() == revealed
