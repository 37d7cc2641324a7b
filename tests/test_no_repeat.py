"""The no-repeat rule: a couple never sees the same check-in question or date idea twice
within 60 days."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.db import Database
from bot.prompt_bank import DATE_IDEAS
from bot.services import checkins, dates, pairing, users
from bot.services.users import TelegramProfile


async def _couple(db: Database, clock: FakeClock) -> None:
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(1, 1, "Ann"), clock.now())
        ben = await users.ensure_user(s, TelegramProfile(2, 2, "Ben"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
        await pairing.join(s, ben, code, clock.now())


async def test_sixty_days_of_checkins_never_repeat_a_question(
    db: Database, clock: FakeClock
) -> None:
    await _couple(db, clock)
    seen: list[str] = []
    for day in range(60):
        async with db.transaction() as s:
            ann = await users.get_user(s, 1)
            ben = await users.get_user(s, 2)
            assert ann and ben
            started = await checkins.start(s, ann, clock.now())
            assert started.state is checkins.StartState.NEW, day
            # Ben joins the same exchange later the same day: same question.
            clock.advance(hours=6)
            assert (await checkins.start(s, ben, clock.now())).question == started.question
            # /checkin again on the same day opens nothing new.
            again = await checkins.start(s, ann, clock.now())
            assert again.checkin.id == started.checkin.id
        seen.append(started.question.key)
        clock.advance(hours=18)
    assert len(set(seen)) == 60
    # Day 61 may bring back a question first seen 60 days ago, never a recent one.
    async with db.transaction() as s:
        ann = await users.get_user(s, 1)
        assert ann is not None
        clock.advance(timedelta(hours=1))
        nxt = await checkins.start(s, ann, clock.now())
    assert nxt.question.key not in seen[1:]


async def test_date_ideas_do_not_repeat_then_run_out_politely(
    db: Database, clock: FakeClock
) -> None:
    await _couple(db, clock)
    keys = []
    async with db.transaction() as s:
        ann = await users.get_user(s, 1)
        assert ann is not None
        for _ in range(len(DATE_IDEAS)):
            idea = await dates.suggest(s, ann, clock.now())
            assert idea is not None
            keys.append(idea.key)
            clock.advance(hours=1)
        assert await dates.suggest(s, ann, clock.now()) is None  # all seen within 60 days
        clock.advance(days=61)
        assert await dates.suggest(s, ann, clock.now()) is not None
    assert len(set(keys)) == len(DATE_IDEAS)
