"""Negotiating a request in rounds, and the asker's "did this happen?" a week after an
agreement (service level)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import FollowUp, FollowUpKind, Request, RequestStatus, User
from bot.services import requests, rituals, users
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.requests import CheckReply, CounterAnswer, RequestAnswer
from bot.services.work import begin
from tests.couples import Pair, make_couple


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))
    return await make_couple(db, clock, 11, 12)


async def countered(db: Database, clock: FakeClock, pair: Pair) -> int:
    """A asks, B negotiates and suggests something else (round 1)."""
    async with db.transaction() as s:
        a, b = await s.get(User, pair.a), await s.get(User, pair.b)
        assert a and b
        row = await requests.ask(s, a, b, "Cook on Friday?", clock.now())
        await requests.answer(s, b, row.id, RequestAnswer.NEGOTIATE, clock.now())
        await requests.counter(s, b, row.id, "Saturday?", clock.now())
        return row.id


async def respond(
    db: Database,
    clock: FakeClock,
    user_id: int,
    request_id: int,
    round_: int,
    choice: CounterAnswer,
) -> None:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        await requests.respond(s, user, request_id, round_, choice, clock.now())


async def test_rounds_alternate_until_one_side_accepts(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    request_id = await countered(db, clock, pair)
    # B wrote round 1: only A decides on it.
    with pytest.raises(ExchangeError) as own:
        await respond(db, clock, pair.b, request_id, 1, CounterAnswer.ACCEPT)
    assert own.value.reason is Stale.ALREADY
    await respond(db, clock, pair.a, request_id, 1, CounterAnswer.COUNTER)
    async with db.transaction() as s:
        a = await s.get(User, pair.a)
        b = await s.get(User, pair.b)
        assert a and b
        with pytest.raises(ExchangeError):  # not B's turn to write
            await requests.counter(s, b, request_id, "Sunday?", clock.now())
    async with db.transaction() as s:
        a = await s.get(User, pair.a)
        assert a is not None
        await requests.counter(s, a, request_id, "Saturday, and I wash up", clock.now())
    with pytest.raises(ExchangeError) as stale:  # round 1's buttons
        await respond(db, clock, pair.b, request_id, 1, CounterAnswer.ACCEPT)
    assert stale.value.reason is Stale.ALREADY
    await respond(db, clock, pair.b, request_id, 2, CounterAnswer.ACCEPT)
    async with db.transaction() as s:
        row = await s.get(Request, request_id)
        assert row is not None
        assert (row.status, row.rounds, row.counter_text, row.counter_by_id) == (
            RequestStatus.AGREED,
            2,
            "Saturday, and I wash up",
            pair.a,
        )
        check = (await s.execute(select(FollowUp))).scalar_one()
        assert (check.kind, check.user_id) == (FollowUpKind.REQUEST_CHECK, pair.a)
        assert check.due_at == clock.now() + timedelta(days=7)


async def test_no_ends_it_and_plans_no_check(db: Database, clock: FakeClock, pair: Pair) -> None:
    request_id = await countered(db, clock, pair)
    await respond(db, clock, pair.a, request_id, 1, CounterAnswer.NO)
    with pytest.raises(ExchangeError):
        await respond(db, clock, pair.a, request_id, 1, CounterAnswer.ACCEPT)
    async with db.transaction() as s:
        row = await s.get(Request, request_id)
        assert row is not None and row.status == RequestStatus.WITHDRAWN
        assert (await s.execute(select(FollowUp))).first() is None


async def test_another_couple_cannot_answer(db: Database, clock: FakeClock, pair: Pair) -> None:
    other = await make_couple(db, clock, 21, 22)
    request_id = await countered(db, clock, pair)
    for intruder in (other.a, other.b):
        with pytest.raises(ExchangeError) as caught:
            await respond(db, clock, intruder, request_id, 1, CounterAnswer.ACCEPT)
        assert caught.value.reason is Stale.NOT_YOURS


async def test_the_check_comes_after_a_week_and_not_yet_asks_once_more(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    request_id = await countered(db, clock, pair)
    await respond(db, clock, pair.a, request_id, 1, CounterAnswer.ACCEPT)
    async with db.transaction() as s:
        a = await s.get(User, pair.a)
        assert a is not None
        with pytest.raises(ExchangeError):  # not asked yet
            await requests.check_reply(s, a, request_id, CheckReply.YES, clock.now())

    async def due() -> list[requests.CheckDue]:
        async with begin(db) as work:
            return await requests.take_due_checks(work, clock.now())

    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert await due() == []
    clock.advance(timedelta(seconds=1))
    first = await due()
    assert [(c.asker.id, c.partner.id, c.request.counter) for c in first] == [
        (pair.a, pair.b, "Saturday?")
    ]
    assert await due() == []  # sent once
    async with db.transaction() as s:
        a, b = await s.get(User, pair.a), await s.get(User, pair.b)
        assert a and b
        with pytest.raises(ExchangeError):  # the asker's question, not the partner's
            await requests.check_reply(s, b, request_id, CheckReply.YES, clock.now())
        assert await requests.check_reply(s, a, request_id, CheckReply.NOT_YET, clock.now())
    clock.advance(timedelta(days=7))
    assert len(await due()) == 1
    async with db.transaction() as s:
        a = await s.get(User, pair.a)
        assert a is not None
        assert not await requests.check_reply(s, a, request_id, CheckReply.NOT_YET, clock.now())
        with pytest.raises(ExchangeError):
            await requests.check_reply(s, a, request_id, CheckReply.YES, clock.now())
    clock.advance(timedelta(days=30))
    assert await due() == []  # asked twice at most


async def test_a_paused_couple_is_asked_after_the_pause(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    request_id = await countered(db, clock, pair)
    await respond(db, clock, pair.a, request_id, 1, CounterAnswer.ACCEPT)
    async with begin(db) as work:
        b = await users.person(work, pair.b)
        assert b is not None
        until = await rituals.pause_rituals(work, b, 10, clock.now())
    clock.advance(timedelta(days=7))
    async with begin(db) as work:
        assert await requests.take_due_checks(work, clock.now()) == []
    clock.set(until)
    async with begin(db) as work:
        due = await requests.take_due_checks(work, clock.now())
    assert [c.asker.id for c in due] == [pair.a]
