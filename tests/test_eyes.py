"""The eye-contact minutes' rules as services (bot.services.eyes, bot.services.guided_flows):
the shorter choice wins, one open flow per couple, only the invited partner answers, words
shown once both are in, time-outs, and the timer's share of the sending rate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import FlowStep
from bot.services import eyes, guided_flows, users
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.users import TelegramProfile
from bot.services.work import begin
from tests.couples import make_couple

ANN, BEN, CID, DEE = 11, 12, 21, 22


async def person(db: Database, clock: FakeClock, user_id: int) -> Person:
    async with begin(db) as work:
        return await users.identify(
            work, TelegramProfile(user_id, user_id, f"U{user_id}"), clock.now()
        )


@pytest.fixture
async def people(db: Database, clock: FakeClock) -> dict[int, Person]:
    await make_couple(db, clock, ANN, BEN)
    await make_couple(db, clock, CID, DEE)
    return {uid: await person(db, clock, uid) for uid in (ANN, BEN, CID, DEE)}


async def running(db: Database, clock: FakeClock, p: dict[int, Person], a: int, b: int) -> int:
    """Ann invites, Ben accepts; Ann chooses `a` minutes, Ben `b`; returns the flow id."""
    now = clock.now()
    async with begin(db) as work:
        flow_id = (await eyes.invite(work, p[ANN], now)).flow_id
        await eyes.accept(work, p[BEN], flow_id, now)
        first = await eyes.choose(work, p[ANN], flow_id, a, now)
        assert first.minutes is None
        agreed = await eyes.choose(work, p[BEN], flow_id, b, now)
        assert agreed.minutes == min(a, b)
    return flow_id


async def test_the_shorter_choice_wins_and_the_timer_starts_after_the_3_2_1(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    await running(db, clock, people, 4, 2)
    async with begin(db) as work:
        found = await eyes.flow_pass(work, clock.now())
    assert len(found.timers) == 2
    timer = found.timers[0]
    assert timer.minutes == 2
    assert timer.starts_at == clock.now() + eyes.LEAD
    assert timer.ends_at == timer.starts_at + timedelta(minutes=2)


async def test_one_open_flow_per_couple_and_other_couples_are_apart(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    async with begin(db) as work:
        flow_id = (await eyes.invite(work, people[ANN], clock.now())).flow_id
    for who in (ANN, BEN):
        with pytest.raises(guided_flows.Busy) as busy:
            async with begin(db) as work:
                await eyes.invite(work, people[who], clock.now())
        assert busy.value.flow_id == flow_id
    async with begin(db) as work:  # another couple starts its own
        await eyes.invite(work, people[CID], clock.now())


@pytest.mark.parametrize(
    ("who", "reason"), [(ANN, Stale.NOT_YOURS), (CID, Stale.NOT_YOURS), (DEE, Stale.NOT_YOURS)]
)
async def test_only_the_invited_partner_answers(
    db: Database, clock: FakeClock, people: dict[int, Person], who: int, reason: Stale
) -> None:
    async with begin(db) as work:
        flow_id = (await eyes.invite(work, people[ANN], clock.now())).flow_id
    with pytest.raises(ExchangeError) as refused:
        async with begin(db) as work:
            await eyes.accept(work, people[who], flow_id, clock.now())
    assert refused.value.reason is reason


async def test_steps_and_choices_are_checked(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    now = clock.now()
    async with begin(db) as work:
        flow_id = (await eyes.invite(work, people[ANN], now)).flow_id
    with pytest.raises(ExchangeError) as early:  # no choosing before the answer
        async with begin(db) as work:
            await eyes.choose(work, people[ANN], flow_id, 2, now)
    assert early.value.reason is Stale.WRONG_STEP
    async with begin(db) as work:
        await eyes.accept(work, people[BEN], flow_id, now)
    for minutes in (0, 5):
        with pytest.raises(ExchangeError):
            async with begin(db) as work:
                await eyes.choose(work, people[ANN], flow_id, minutes, now)
    async with begin(db) as work:
        await eyes.choose(work, people[ANN], flow_id, 3, now)
    with pytest.raises(ExchangeError) as twice:
        async with begin(db) as work:
            await eyes.choose(work, people[ANN], flow_id, 1, now)
    assert twice.value.reason is Stale.ALREADY
    async with begin(db) as work:
        await guided_flows.end(work, people[BEN], flow_id, now)
    with pytest.raises(ExchangeError) as closed:
        async with begin(db) as work:
            await guided_flows.end(work, people[ANN], flow_id, now)
    assert closed.value.reason is Stale.CLOSED


async def test_words_are_shown_once_both_are_in_or_at_the_time_out(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    flow_id = await running(db, clock, people, 1, 1)
    clock.advance(minutes=2)
    async with begin(db) as work:
        found = await eyes.flow_pass(work, clock.now())
    assert [f.flow_id for f in found.finished] == [flow_id] and not found.timers
    async with begin(db) as work:
        assert await eyes.leave_word(work, people[ANN], flow_id, " calm ", clock.now()) == []
    async with begin(db) as work:
        shown = await eyes.leave_word(work, people[BEN], flow_id, None, clock.now())
    assert [(s.to.id, s.author.id, s.words) for s in shown] == [(BEN, ANN, "calm")]
    # Another round: only Ann writes; the time-out shows her word.
    flow_id = await running(db, clock, people, 1, 1)
    clock.advance(minutes=2)
    async with begin(db) as work:
        await eyes.flow_pass(work, clock.now())
        await eyes.leave_word(work, people[ANN], flow_id, "home", clock.now())
    clock.advance(minutes=29)
    async with begin(db) as work:
        assert (await eyes.flow_pass(work, clock.now())).shared == []
    clock.advance(minutes=2)
    async with begin(db) as work:
        found = await eyes.flow_pass(work, clock.now())
        flow = await guided_flows.open_flow(work, people[ANN].couple_id or 0)
    assert [(s.to.id, s.words) for s in found.shared] == [(BEN, "home")]
    assert flow is None


async def test_an_unanswered_invitation_closes_at_its_deadline(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    async with begin(db) as work:
        await eyes.invite(work, people[ANN], clock.now())
    clock.advance(guided_flows.ANSWER_FOR - timedelta(seconds=1))
    async with begin(db) as work:
        await eyes.flow_pass(work, clock.now())
        flow = await guided_flows.open_flow(work, people[ANN].couple_id or 0)
        assert flow is not None and flow.step == FlowStep.INVITED
    clock.advance(seconds=1)
    async with begin(db) as work:
        found = await eyes.flow_pass(work, clock.now())
        assert await guided_flows.open_flow(work, people[ANN].couple_id or 0) is None
    assert found.shared == [] and found.finished == []


def test_timer_edits_keep_to_their_share_of_the_rate() -> None:
    assert eyes.timer_step(1, 30) == eyes.STEP
    for running_now in (10, 100, 1000):
        step = eyes.timer_step(running_now, 30)
        assert 2 * running_now / step <= 30 * eyes.SHARE  # edits a second, within the share
        assert step >= eyes.STEP


async def test_a_choice_never_made_closes_at_its_deadline(
    db: Database, clock: FakeClock, people: dict[int, Person]
) -> None:
    async with begin(db) as work:
        flow_id = (await eyes.invite(work, people[ANN], clock.now())).flow_id
    clock.advance(minutes=10)
    async with begin(db) as work:
        await eyes.accept(work, people[BEN], flow_id, clock.now())
        await eyes.choose(work, people[BEN], flow_id, 2, clock.now())
    clock.advance(guided_flows.ANSWER_FOR - timedelta(seconds=1))  # from the acceptance on
    async with begin(db) as work:
        await eyes.flow_pass(work, clock.now())
        assert await guided_flows.open_flow(work, people[ANN].couple_id or 0) is not None
    clock.advance(seconds=1)
    async with begin(db) as work:
        found = await eyes.flow_pass(work, clock.now())
        assert await guided_flows.open_flow(work, people[ANN].couple_id or 0) is None
    assert found == eyes.Pass([], [], [])
