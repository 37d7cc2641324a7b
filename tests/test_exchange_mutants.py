"""Appreciations, requests and date nights: only the partner they were meant for can answer
them, once, while the couple lasts; forged taps with the real ids of another couple change
nothing (each kills mutants of bot/services/{appreciations,requests,dates}.py that the other
tests let survive)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Appreciation, DateProposal, OpenStep, Request, User
from bot.prompt_bank import CHECKIN_QUESTIONS, DATE_IDEAS
from bot.services import appreciations, dates, pairing, requests
from bot.services.conversation import StepKind
from bot.services.dates import DateAnswer
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.requests import RequestAnswer
from tests.couples import Pair, make_couple

Act = Callable[[AsyncSession, User], Awaitable[object]]


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 101, 102)


@pytest.fixture
async def other_pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 201, 202)


async def act(db: Database, user_id: int, action: Act) -> object:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await action(s, user)


async def refusal(db: Database, user_id: int, action: Act) -> Stale:
    with pytest.raises(ExchangeError) as refused:
        await act(db, user_id, action)
    return refused.value.reason


async def unpair(db: Database, clock: FakeClock, user_id: int) -> None:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        await pairing.unpair(s, user, clock.now())


async def row(db: Database, model: type, row_id: int) -> object:
    async with db.transaction() as s:
        found = await s.get(model, row_id)
        assert found is not None
        return found


# ---------------------------------------------------------------- appreciations


async def appreciation(db: Database, clock: FakeClock, pair: Pair) -> int:
    """A's words for B."""
    async with db.transaction() as s:
        a, b = await s.get(User, pair.a), await s.get(User, pair.b)
        assert a is not None and b is not None
        return (await appreciations.send(s, a, b, "  thank you  ", clock.now())).id


async def test_only_the_recipient_can_receive_an_appreciation_and_only_once(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    words = await appreciation(db, clock, pair)
    clock.advance(timedelta(minutes=5))

    def receive(appreciation_id: int) -> Act:
        return lambda s, u: appreciations.receive(s, u, appreciation_id, clock.now())

    for forger in (pair.a, other_pair.a, other_pair.b):  # the author, another couple
        assert await refusal(db, forger, receive(words)) is Stale.NOT_YOURS
    assert await refusal(db, pair.b, receive(987_654)) is Stale.NOT_YOURS
    received_at = clock.now()
    await act(db, pair.b, receive(words))
    clock.advance(timedelta(minutes=5))
    assert await refusal(db, pair.b, receive(words)) is Stale.ALREADY
    kept = await row(db, Appreciation, words)
    assert isinstance(kept, Appreciation)
    assert (kept.text, kept.received_at) == ("thank you", received_at)


async def test_an_appreciation_cannot_be_received_after_the_couple_ended(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    words = await appreciation(db, clock, pair)
    await unpair(db, clock, pair.a)
    receive: Act = lambda s, u: appreciations.receive(s, u, words, clock.now())  # noqa: E731
    assert await refusal(db, pair.b, receive) is Stale.NOT_YOURS
    kept = await row(db, Appreciation, words)
    assert isinstance(kept, Appreciation) and kept.received_at is None


# ---------------------------------------------------------------- requests


async def request(db: Database, clock: FakeClock, pair: Pair) -> int:
    """A asks B."""
    async with db.transaction() as s:
        a, b = await s.get(User, pair.a), await s.get(User, pair.b)
        assert a is not None and b is not None
        return (await requests.ask(s, a, b, "Dinner on Friday?", clock.now())).id


def answer(clock: FakeClock, request_id: int, reply: RequestAnswer) -> Act:
    return lambda s, u: requests.answer(s, u, request_id, reply, clock.now())


def counter(clock: FakeClock, request_id: int, text: str) -> Act:
    return lambda s, u: requests.counter(s, u, request_id, text, clock.now())


async def test_only_the_asked_partner_answers_a_request_and_only_once(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    asked = await request(db, clock, pair)
    clock.advance(timedelta(hours=1))
    for forger in (pair.a, other_pair.a, other_pair.b):  # the asker, another couple
        for reply in RequestAnswer:
            assert await refusal(db, forger, answer(clock, asked, reply)) is Stale.NOT_YOURS
    assert await refusal(db, pair.b, answer(clock, 987_654, RequestAnswer.YES)) is (Stale.NOT_YOURS)
    answered_at = clock.now()
    _row, step = await act(db, pair.b, answer(clock, asked, RequestAnswer.YES))  # type: ignore[misc]
    assert step is None  # a plain yes waits for nothing
    clock.advance(timedelta(minutes=1))
    assert await refusal(db, pair.b, answer(clock, asked, RequestAnswer.NO)) is Stale.ALREADY
    kept = await row(db, Request, asked)
    assert isinstance(kept, Request)
    assert (kept.status, kept.answered_at) == (RequestAnswer.YES, answered_at)
    async with db.transaction() as s:
        assert (await s.execute(select(OpenStep))).first() is None


async def test_a_request_cannot_be_answered_after_the_couple_ended(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    asked = await request(db, clock, pair)
    await unpair(db, clock, pair.b)
    assert await refusal(db, pair.b, answer(clock, asked, RequestAnswer.YES)) is Stale.NOT_YOURS
    kept = await row(db, Request, asked)
    assert isinstance(kept, Request) and kept.status == "open"


async def test_negotiating_waits_three_days_for_one_counter_proposal_of_500_characters(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    asked = await request(db, clock, pair)
    assert await refusal(db, pair.b, counter(clock, asked, "too early")) is Stale.ALREADY
    _row, step = await act(db, pair.b, answer(clock, asked, RequestAnswer.NEGOTIATE))  # type: ignore[misc]
    assert (step.kind, step.ref_id) == (StepKind.COUNTER_PROPOSAL, asked)
    async with db.transaction() as s:
        waiting = (await s.execute(select(OpenStep))).scalar_one()
        assert (waiting.user_id, waiting.expires_at) == (
            pair.b,
            clock.now() + requests.COUNTER_OPEN_FOR,
        )
    for forger in (pair.a, other_pair.a, other_pair.b):
        assert await refusal(db, forger, counter(clock, asked, "forged")) is Stale.NOT_YOURS
    assert await refusal(db, pair.b, counter(clock, 987_654, "lost")) is Stale.NOT_YOURS
    with pytest.raises(TooLong) as too_long:
        await act(db, pair.b, counter(clock, asked, "w" * 501))
    assert (too_long.value.length, too_long.value.limit) == (501, requests.MAX_COUNTER_LENGTH)
    await act(db, pair.b, counter(clock, asked, " " + "w" * 500 + " "))
    assert await refusal(db, pair.b, counter(clock, asked, "second thoughts")) is Stale.ALREADY
    kept = await row(db, Request, asked)
    assert isinstance(kept, Request) and kept.counter_text == "w" * 500
    async with db.transaction() as s:
        assert (await s.execute(select(OpenStep))).first() is None


async def test_a_counter_proposal_cannot_be_sent_after_the_couple_ended(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    asked = await request(db, clock, pair)
    await act(db, pair.b, answer(clock, asked, RequestAnswer.NEGOTIATE))
    await unpair(db, clock, pair.a)
    assert await refusal(db, pair.b, counter(clock, asked, "late")) is Stale.NOT_YOURS


# ---------------------------------------------------------------- date nights


def propose(clock: FakeClock, key: str) -> Act:
    return lambda s, u: dates.propose(s, u, key, clock.now())


def reply(clock: FakeClock, proposal_id: int, choice: DateAnswer) -> Act:
    return lambda s, u: dates.answer(s, u, proposal_id, choice, clock.now())


async def test_a_date_idea_is_proposed_once_until_answered_and_only_from_the_bank(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    idea = DATE_IDEAS[0].key
    made = await act(db, pair.a, propose(clock, idea))
    assert isinstance(made, DateProposal)
    kept = await row(db, DateProposal, made.id)
    assert isinstance(kept, DateProposal)
    assert (kept.couple_id, kept.proposer_id, kept.idea_key, kept.status, kept.created_at) == (
        pair.couple_id,
        pair.a,
        idea,
        "proposed",
        clock.now(),
    )
    assert await refusal(db, pair.a, propose(clock, idea)) is Stale.ALREADY  # a second tap
    await act(db, pair.a, propose(clock, DATE_IDEAS[1].key))  # another idea is fine
    await act(db, pair.b, propose(clock, idea))  # and so is the partner's own proposal
    for not_an_idea in ("date.unknown", CHECKIN_QUESTIONS[0].key):
        assert await refusal(db, pair.a, propose(clock, not_an_idea)) is Stale.CLOSED
    await act(db, pair.b, reply(clock, made.id, DateAnswer.DECLINE))
    await act(db, pair.a, propose(clock, idea))  # answered: it may be proposed again


async def test_nobody_paired_can_propose_a_date(db: Database, clock: FakeClock, pair: Pair) -> None:
    await unpair(db, clock, pair.a)
    assert await refusal(db, pair.a, propose(clock, DATE_IDEAS[0].key)) is Stale.NOT_YOURS


async def test_only_the_partner_answers_a_date_proposal_and_only_once(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    made = await act(db, pair.a, propose(clock, DATE_IDEAS[0].key))
    assert isinstance(made, DateProposal)
    clock.advance(timedelta(hours=2))
    for forger in (pair.a, other_pair.a, other_pair.b):  # the proposer, another couple
        for choice in DateAnswer:
            assert await refusal(db, forger, reply(clock, made.id, choice)) is Stale.NOT_YOURS
    assert await refusal(db, pair.b, reply(clock, 987_654, DateAnswer.ACCEPT)) is (Stale.NOT_YOURS)
    answered_at = clock.now()
    await act(db, pair.b, reply(clock, made.id, DateAnswer.ACCEPT))
    clock.advance(timedelta(minutes=1))
    assert await refusal(db, pair.b, reply(clock, made.id, DateAnswer.DECLINE)) is Stale.ALREADY
    kept = await row(db, DateProposal, made.id)
    assert isinstance(kept, DateProposal)
    assert (kept.status, kept.answered_at) == ("accepted", answered_at)


async def test_a_date_proposal_cannot_be_answered_after_the_couple_ended(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    made = await act(db, pair.a, propose(clock, DATE_IDEAS[0].key))
    assert isinstance(made, DateProposal)
    await unpair(db, clock, pair.a)
    assert await refusal(db, pair.b, reply(clock, made.id, DateAnswer.ACCEPT)) is (Stale.NOT_YOURS)
