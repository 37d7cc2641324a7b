"""After "accept": picking the day, the optional time, the reminders and "How was it?" in each
partner's own zone, the reveal, and the recap's count of dates done."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import DateFeedback, DateProposal, DateStatus, FollowUp, FollowUpKind, User
from bot.services import date_plans, dates, pairing, rituals, users
from bot.services.date_plans import Rating, WhenChoice
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.work import begin
from tests.couples import Pair, make_couple

MONDAY_8 = datetime(2026, 6, 8, 8, 0, tzinfo=UTC)  # 10:00 in Berlin


async def accepted(db: Database, clock: FakeClock, pair: Pair) -> int:
    """A proposes, B accepts; A reads UTC, B Berlin."""
    async with db.transaction() as s:
        a, b = await s.get(User, pair.a), await s.get(User, pair.b)
        assert a and b
        b.timezone = "Europe/Berlin"
        row = await dates.propose(s, a, "date.001", clock.now())
        await dates.answer(s, b, row.id, dates.DateAnswer.ACCEPT, clock.now())
        return row.id


async def person(db: Database, user_id: int) -> users.Person:
    async with begin(db) as work:
        found = await users.person(work, user_id)
        assert found is not None
        return found


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    clock.set(MONDAY_8)
    return await make_couple(db, clock, 11, 12)


def test_the_choices_are_read_on_the_proposers_calendar() -> None:
    monday, saturday, sunday = date(2026, 6, 8), date(2026, 6, 13), date(2026, 6, 14)
    assert date_plans.day_for(WhenChoice.TONIGHT, monday) == monday
    assert date_plans.day_for(WhenChoice.TOMORROW, monday) == date(2026, 6, 9)
    assert date_plans.day_for(WhenChoice.WEEKEND, monday) == saturday
    assert date_plans.day_for(WhenChoice.WEEKEND, saturday) == saturday
    assert date_plans.day_for(WhenChoice.WEEKEND, sunday) == sunday
    assert date_plans.days_to_pick(monday) == [monday + timedelta(days=i) for i in range(7)]


def test_a_time_moves_with_the_zone_and_a_bare_day_does_not() -> None:
    day = date(2026, 6, 10)
    assert date_plans.seen_from(day, time(23, 30), "UTC", "Europe/Berlin") == (
        date(2026, 6, 11),
        time(1, 30),
    )
    assert date_plans.seen_from(day, None, "UTC", "Asia/Tokyo") == (day, None)


async def test_planning_plans_both_reminders_questions_and_one_reveal_in_each_zone(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a = await person(db, pair.a)
    async with begin(db) as work:
        planned = await date_plans.plan_day(work, a, proposal, date(2026, 6, 10), clock.now())
    assert planned.partner.id == pair.b and planned.step is not None
    async with db.transaction() as s:
        rows = (await s.execute(select(FollowUp).order_by(FollowUp.due_at))).scalars().all()
        got = {(FollowUpKind(r.kind), r.user_id, r.due_at) for r in rows}
    assert got == {
        (FollowUpKind.DATE_REMINDER, pair.b, datetime(2026, 6, 10, 7, 0, tzinfo=UTC)),
        (FollowUpKind.DATE_REMINDER, pair.a, datetime(2026, 6, 10, 9, 0, tzinfo=UTC)),
        (FollowUpKind.DATE_FEEDBACK, pair.b, datetime(2026, 6, 11, 8, 0, tzinfo=UTC)),
        (FollowUpKind.DATE_FEEDBACK, pair.a, datetime(2026, 6, 11, 10, 0, tzinfo=UTC)),
        (FollowUpKind.DATE_REVEAL, pair.a, datetime(2026, 6, 12, 10, 0, tzinfo=UTC)),
    }
    with pytest.raises(ExchangeError) as twice:
        async with begin(db) as work:
            await date_plans.plan_day(work, a, proposal, WhenChoice.TOMORROW, clock.now())
    assert twice.value.reason is Stale.ALREADY


async def test_tonight_after_nine_has_no_reminder(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    clock.set(datetime(2026, 6, 8, 19, 0, tzinfo=UTC))
    proposal = await accepted(db, clock, pair)
    a = await person(db, pair.a)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, WhenChoice.TONIGHT, clock.now())
    async with db.transaction() as s:
        kinds = {r.kind for r in (await s.execute(select(FollowUp))).scalars()}
    assert FollowUpKind.DATE_REMINDER not in kinds and FollowUpKind.DATE_FEEDBACK in kinds


async def test_only_the_proposer_plans_and_only_within_the_week(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    other = await make_couple(db, clock, 21, 22)
    proposal = await accepted(db, clock, pair)
    for who, day, reason in (
        (pair.b, date(2026, 6, 9), Stale.NOT_YOURS),  # the partner who accepted
        (other.a, date(2026, 6, 9), Stale.NOT_YOURS),  # another couple
        (pair.a, date(2026, 6, 15), Stale.CLOSED),  # beyond the seven days
        (pair.a, date(2026, 6, 7), Stale.CLOSED),  # yesterday
    ):
        tapper = await person(db, who)
        with pytest.raises(ExchangeError) as refused:
            async with begin(db) as work:
                await date_plans.plan_day(work, tapper, proposal, day, clock.now())
        assert refused.value.reason is reason, who
    async with db.transaction() as s:
        row = await s.get(DateProposal, proposal)
        assert row is not None and row.planned_on is None
        assert (await s.execute(select(FollowUp))).first() is None


async def test_a_time_is_taken_once_and_words_that_are_no_time_leave_the_step(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a = await person(db, pair.a)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, WhenChoice.TOMORROW, clock.now())
    async with begin(db) as work:
        assert await date_plans.plan_time(work, a, proposal, "whenever", clock.now()) is None
    async with begin(db) as work:
        planned = await date_plans.plan_time(work, a, proposal, "19.30", clock.now())
    assert planned is not None and planned.at == time(19, 30)
    with pytest.raises(ExchangeError):
        async with begin(db) as work:
            await date_plans.plan_time(work, a, proposal, "20:00", clock.now())


async def due_now(
    db: Database, clock: FakeClock
) -> tuple[list[date_plans.Due], list[date_plans.Shown]]:
    async with begin(db) as work:
        return await date_plans.take_due(work, clock.now())


async def test_feedback_is_shown_once_both_answered_and_never_twice(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a, b = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, date(2026, 6, 9), clock.now())
    # Nobody can answer before being asked.
    with pytest.raises(ExchangeError):
        async with begin(db) as work:
            await date_plans.rate_date(work, a, proposal, Rating.LOVELY, clock.now())
    clock.set(datetime(2026, 6, 10, 10, 0, tzinfo=UTC))
    due, shown = await due_now(db, clock)
    assert sorted((d.person.id, d.is_reminder) for d in due) == [(pair.a, False), (pair.b, False)]
    assert shown == [] and (await due_now(db, clock)) == ([], [])  # taken once
    async with begin(db) as work:
        await date_plans.rate_date(work, a, proposal, Rating.NICE, clock.now())
        assert await date_plans.finish(work, a, proposal, "  Lovely walk ", clock.now()) == []
    async with begin(db) as work:
        await date_plans.rate_date(work, b, proposal, Rating.LOVELY, clock.now())
        both = await date_plans.finish(work, b, proposal, None, clock.now())
    assert {(s.to.id, s.author.id, s.rating, s.words) for s in both} == {
        (pair.b, pair.a, Rating.NICE, "Lovely walk"),
        (pair.a, pair.b, Rating.LOVELY, None),
    }
    with pytest.raises(ExchangeError) as again:
        async with begin(db) as work:
            await date_plans.finish(work, b, proposal, "more", clock.now())
    assert again.value.reason is Stale.ALREADY
    clock.advance(timedelta(days=1))
    assert await due_now(db, clock) == ([], [])  # the reveal has nothing left


async def test_a_lone_answer_is_revealed_a_day_later_and_a_late_one_at_once(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a, b = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, date(2026, 6, 9), clock.now())
    clock.set(datetime(2026, 6, 10, 10, 0, tzinfo=UTC))
    await due_now(db, clock)
    async with begin(db) as work:
        await date_plans.rate_date(work, a, proposal, Rating.NOT_QUITE, clock.now())
    clock.set(datetime(2026, 6, 11, 9, 59, tzinfo=UTC))
    assert await due_now(db, clock) == ([], [])
    clock.set(datetime(2026, 6, 11, 10, 0, tzinfo=UTC))
    _due, shown = await due_now(db, clock)
    assert [(s.to.id, s.rating, s.words) for s in shown] == [(pair.b, Rating.NOT_QUITE, None)]
    async with begin(db) as work:
        await date_plans.rate_date(work, b, proposal, Rating.NICE, clock.now())
        late = await date_plans.finish(work, b, proposal, "next time indoors", clock.now())
    assert [(s.to.id, s.words) for s in late] == [(pair.a, "next time indoors")]
    async with db.transaction() as s:
        answers = (await s.execute(select(DateFeedback))).scalars().all()
        assert all(f.revealed_at is not None for f in answers)


async def test_nothing_is_sent_to_a_paused_or_unpaired_couple(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a = await person(db, pair.a)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, date(2026, 6, 9), clock.now())
    async with db.transaction() as s:
        a = await s.get(User, pair.a)
        assert a is not None
        await pairing.unpair(s, a, clock.now())
    clock.set(datetime(2026, 6, 12, 12, 0, tzinfo=UTC))
    assert await due_now(db, clock) == ([], [])


async def test_dates_done_count_only_accepted_days_that_have_passed(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    monday = date(2026, 6, 8)
    async with db.transaction() as s:
        for status, planned in (
            (DateStatus.ACCEPTED, monday - timedelta(days=1)),  # before the week
            (DateStatus.ACCEPTED, monday),
            (DateStatus.ACCEPTED, monday + timedelta(days=2)),
            (DateStatus.ACCEPTED, monday + timedelta(days=3)),  # today: not yet done
            (DateStatus.ACCEPTED, None),  # accepted, no day picked
            (DateStatus.DECLINED, monday + timedelta(days=1)),
        ):
            s.add(
                DateProposal(
                    couple_id=pair.couple_id,
                    proposer_id=pair.a,
                    idea_key="date.001",
                    status=status,
                    created_at=clock.now(),
                    planned_on=planned,
                )
            )
    async with db.transaction() as s:
        done = await date_plans.count_done(s, pair.couple_id, monday, monday + timedelta(days=3))
    assert done == 2


async def test_a_paused_couple_gets_no_reminder_nor_question(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    proposal = await accepted(db, clock, pair)
    a, b = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        await date_plans.plan_day(work, a, proposal, date(2026, 6, 9), clock.now())
    async with begin(db) as work:
        await rituals.pause_rituals(work, b, 7, clock.now())
    clock.set(datetime(2026, 6, 10, 10, 0, tzinfo=UTC))
    assert await due_now(db, clock) == ([], [])
