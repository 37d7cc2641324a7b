"""The stress-reducing conversation's rules as services (bot.services.unwind): the shorter turn
wins and the inviter talks first, only the speaker's words are for the listener, only the
listener replies (once, with a reply that exists), the roles swap, a reply nobody picks
closes with a summary, and other couples' or other kinds' taps are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import FlowStep, GuidedFlow
from bot.services import eyes, guided_flows, unwind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import begin
from handlers.unwind import REPLIES
from tests.couples import make_couple
from tests.test_eyes import ANN, BEN, CID, DEE, person


@pytest.fixture
async def people(db: Database, clock: FakeClock) -> dict[int, Person]:
    await make_couple(db, clock, ANN, BEN)
    await make_couple(db, clock, CID, DEE)
    return {uid: await person(db, clock, uid) for uid in (ANN, BEN, CID, DEE)}


async def turn_one(db: Database, clock: FakeClock, p: dict[int, Person]) -> int:
    """Ann invites, Ben accepts; Ann picks 10 minutes, Ben 5: Ann's turn of 5 runs."""
    now = clock.now()
    async with begin(db) as work:
        flow_id = (await unwind.invite(work, p[ANN], now)).flow_id
        await unwind.accept(work, p[BEN], flow_id, now)
        assert (await unwind.choose(work, p[ANN], flow_id, 10, now)).turn is None
        turn = (await unwind.choose(work, p[BEN], flow_id, 5, now)).turn
    assert turn is not None
    assert (turn.number, turn.minutes, turn.speaker.id, turn.listener.id) == (1, 5, ANN, BEN)
    return flow_id


async def test_two_turns_roles_swap_and_the_summary_follows_the_last_reply(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    flow_id = await turn_one(db, clock, people)
    async with begin(db) as work:
        said = await unwind.talk(work, people[ANN], flow_id, " a long day ")
        kept = await unwind.talk(work, people[BEN], flow_id, "advice")
    assert said.listener is not None and said.listener.id == BEN
    assert kept.listener is None and kept.speaker.id == ANN
    clock.advance(minutes=4, seconds=59)
    async with begin(db) as work:
        found = await unwind.flow_pass(work, clock.now())
    assert [(t.side.person.id, t.speaking) for t in found.timers] == [(ANN, True), (BEN, False)]
    clock.advance(seconds=1)
    async with begin(db) as work:
        found = await unwind.flow_pass(work, clock.now())
    assert [(o.speaker.person.id, o.listener.person.id) for o in found.over] == [(ANN, BEN)]
    with pytest.raises(ExchangeError) as late:  # the turn is over: nothing more is relayed
        async with begin(db) as work:
            await unwind.talk(work, people[ANN], flow_id, "one more")
    assert late.value.reason is Stale.WRONG_STEP
    with pytest.raises(ExchangeError) as speaker:  # only the listener replies
        async with begin(db) as work:
            await unwind.reply(work, people[ANN], flow_id, 0, clock.now())
    assert speaker.value.reason is Stale.NOT_YOURS
    for index in (-1, unwind.REPLIES):
        with pytest.raises(ExchangeError):
            async with begin(db) as work:
                await unwind.reply(work, people[BEN], flow_id, index, clock.now())
    async with begin(db) as work:
        replied = await unwind.reply(work, people[BEN], flow_id, 2, clock.now())
    assert replied.speaker.id == ANN and replied.reply == 2 and replied.summary is None
    assert replied.turn is not None
    assert (replied.turn.number, replied.turn.speaker.id) == (2, BEN)
    async with begin(db) as work:
        assert (await unwind.talk(work, people[BEN], flow_id, "traffic")).listener == people[ANN]
    with pytest.raises(ExchangeError) as twice:
        async with begin(db) as work:
            await unwind.reply(work, people[BEN], flow_id, 2, clock.now())
    assert twice.value.reason is Stale.WRONG_STEP
    clock.advance(minutes=5)
    async with begin(db) as work:
        found = await unwind.flow_pass(work, clock.now())
        replied = await unwind.reply(work, people[ANN], flow_id, 0, clock.now())
    assert [(o.number, o.speaker.person.id) for o in found.over] == [(2, BEN)]
    assert replied.turn is None and replied.summary is not None
    assert (replied.summary.turns, replied.summary.minutes) == (2, 5)
    async with begin(db) as work:
        assert await guided_flows.open_flow(work, people[ANN].couple_id or 0) is None


async def test_a_reply_nobody_picks_closes_with_a_summary_of_one_turn(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    await turn_one(db, clock, people)
    clock.advance(minutes=5)
    async with begin(db) as work:
        await unwind.flow_pass(work, clock.now())
    clock.advance(unwind.REPLY_FOR - timedelta(seconds=1))
    async with begin(db) as work:
        assert (await unwind.flow_pass(work, clock.now())).closed == []
    clock.advance(seconds=1)
    async with begin(db) as work:
        found = await unwind.flow_pass(work, clock.now())
    assert [(s.turns, {p.id for p in s.people}) for s in found.closed] == [(1, {ANN, BEN})]


async def test_other_couples_and_other_kinds_are_refused(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    now = clock.now()
    async with begin(db) as work:
        flow_id = (await unwind.invite(work, people[ANN], now)).flow_id
    for who in (CID, DEE, ANN):  # another couple, or the inviter answering themselves
        with pytest.raises(ExchangeError) as refused:
            async with begin(db) as work:
                await unwind.accept(work, people[who], flow_id, now)
        assert refused.value.reason is Stale.NOT_YOURS
    with pytest.raises(ExchangeError) as kind:  # an eye-contact button on this flow
        async with begin(db) as work:
            await eyes.accept(work, people[BEN], flow_id, now)
    assert kind.value.reason is Stale.NOT_YOURS
    with pytest.raises(guided_flows.Busy):  # one flow per couple, of any kind
        async with begin(db) as work:
            await eyes.invite(work, people[BEN], now)
    async with begin(db) as work:
        await unwind.accept(work, people[BEN], flow_id, now)
    with pytest.raises(ExchangeError):
        async with begin(db) as work:
            await unwind.choose(work, people[ANN], flow_id, 6, now)
    clock.advance(guided_flows.ANSWER_FOR)
    async with begin(db) as work:
        found = await unwind.flow_pass(work, clock.now())
        flow = await work.session.get(GuidedFlow, flow_id)
        assert flow is not None and flow.step == FlowStep.CLOSED
    assert found == unwind.Pass([], [], [])  # a choice nobody made: not a word


def test_each_reply_the_service_accepts_has_its_words() -> None:
    assert len(REPLIES) == unwind.REPLIES
