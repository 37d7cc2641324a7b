"""The scheduler tick, driven by a fake clock and a recording sender."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.clock import FakeClock
from bot.db import Database
from bot.models import OutboxMessage, RitualSchedule
from bot.services import pairing, rituals, users
from bot.services.rituals import Ritual
from bot.services.users import TelegramProfile
from scheduler.tick import DuePrompt, Outcome, SendResult, run_tick

GRACE = timedelta(minutes=120)
ANN, BEN = 1, 2  # Ann lives in Berlin, Ben in New York


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[int, Ritual]] = []
        self.fail_with: str | None = None

    async def __call__(self, prompt: DuePrompt) -> SendResult:
        if self.fail_with:
            return SendResult(Outcome.FAILED, self.fail_with)
        assert prompt.ritual is not None
        self.sent.append((prompt.user_id, prompt.ritual))
        return SendResult(Outcome.SENT)


@pytest.fixture
async def couple(db: Database, clock: FakeClock) -> None:
    clock.set(datetime(2026, 6, 8, 8, 0, tzinfo=UTC))  # Monday morning
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(ANN, ANN, "Ann"), clock.now())
        ben = await users.ensure_user(s, TelegramProfile(BEN, BEN, "Ben"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
        await pairing.join(s, ben, code, clock.now())
        await users.set_timezone(s, ann, "Europe/Berlin", clock.now())
        await users.set_timezone(s, ben, "America/New_York", clock.now())


async def tick(db: Database, clock: FakeClock, sender: Recorder) -> None:
    await run_tick(db, clock.now(), sender, grace=GRACE)


async def test_each_partner_at_their_own_local_time(
    db: Database, clock: FakeClock, couple: None
) -> None:
    sender = Recorder()
    clock.set(datetime(2026, 6, 8, 10, 29, tzinfo=UTC))  # 12:29 in Berlin
    await tick(db, clock, sender)
    assert sender.sent == []
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))  # 12:30 in Berlin
    await tick(db, clock, sender)
    assert sender.sent == [(ANN, Ritual.APPRECIATION)]
    clock.set(datetime(2026, 6, 8, 16, 30, 5, tzinfo=UTC))  # 12:30 in New York
    await tick(db, clock, sender)
    assert sender.sent[-1] == (BEN, Ritual.APPRECIATION)
    clock.set(datetime(2026, 6, 8, 19, 0, tzinfo=UTC))  # 21:00 Berlin
    await tick(db, clock, sender)
    clock.set(datetime(2026, 6, 9, 1, 0, tzinfo=UTC))  # 21:00 New York
    await tick(db, clock, sender)
    assert sender.sent[-2:] == [(ANN, Ritual.CHECKIN), (BEN, Ritual.CHECKIN)]
    assert len(sender.sent) == 4


async def test_a_week_delivers_each_ritual_the_right_number_of_times(
    db: Database, clock: FakeClock, couple: None
) -> None:
    sender = Recorder()
    for _ in range(7 * 24 * 4):  # every 15 minutes for a week
        clock.advance(minutes=15)
        await tick(db, clock, sender)
    for person in (ANN, BEN):
        mine = [r for p, r in sender.sent if p == person]
        assert mine.count(Ritual.CHECKIN) == 7
        assert mine.count(Ritual.APPRECIATION) == 7
        assert mine.count(Ritual.DATE) == 1
        assert mine.count(Ritual.RECAP) == 1


async def test_no_second_send_even_if_a_row_is_claimed_twice(
    db: Database, clock: FakeClock, couple: None
) -> None:
    sender = Recorder()
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    async with db.transaction() as s:
        before = (
            await s.execute(
                select(RitualSchedule.next_fire_at).where(
                    RitualSchedule.user_id == ANN, RitualSchedule.ritual == "appreciation"
                )
            )
        ).scalar_one()
    await tick(db, clock, sender)
    await tick(db, clock, sender)  # a restart within the same minute
    # Another process that read the row before it advanced claims the same occurrence:
    async with db.transaction() as s:
        await s.execute(
            update(RitualSchedule)
            .where(RitualSchedule.user_id == ANN, RitualSchedule.ritual == "appreciation")
            .values(next_fire_at=before)
        )
    report = await run_tick(db, clock.now(), sender, grace=GRACE)
    assert report.duplicates == 1
    assert sender.sent == [(ANN, Ritual.APPRECIATION)]
    async with db.transaction() as s:
        count = (await s.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()
    assert count == 1


async def test_downtime_within_grace_catches_up_beyond_it_skips(
    db: Database, clock: FakeClock, couple: None
) -> None:
    sender = Recorder()
    # Down from before 12:30 Berlin until 14:00 Berlin (90 min late): still sent, once.
    clock.set(datetime(2026, 6, 8, 12, 0, tzinfo=UTC))
    await tick(db, clock, sender)
    assert sender.sent == [(ANN, Ritual.APPRECIATION)]
    # Down until 23:30 Berlin: Ann's 21:00 check-in is 150 min late, Ben's 12:30 New York
    # appreciation 5 h late. Both are skipped.
    clock.set(datetime(2026, 6, 8, 21, 30, tzinfo=UTC))
    report = await run_tick(db, clock.now(), sender, grace=GRACE)
    assert report.skipped_late == 2
    assert (ANN, Ritual.CHECKIN) not in sender.sent
    # ... and the next one is scheduled for tomorrow 21:00 Berlin, not flooded now.
    async with db.transaction() as s:
        nxt = (
            await s.execute(
                select(RitualSchedule.next_fire_at).where(
                    RitualSchedule.user_id == ANN, RitualSchedule.ritual == "checkin"
                )
            )
        ).scalar_one()
    assert nxt == datetime(2026, 6, 9, 19, 0, tzinfo=UTC)


async def test_paused_and_unpaired_couples_get_nothing(
    db: Database, clock: FakeClock, couple: None
) -> None:
    sender = Recorder()
    async with db.transaction() as s:
        ann = await users.get_user(s, ANN)
        assert ann is not None
        await rituals.pause(s, ann, 2, clock.now())
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    await tick(db, clock, sender)
    clock.set(datetime(2026, 6, 8, 16, 30, tzinfo=UTC))
    await tick(db, clock, sender)
    assert sender.sent == []
    async with db.transaction() as s:
        ann = await users.get_user(s, ANN)
        assert ann is not None
        assert await rituals.resume(s, ann, clock.now()) is rituals.Resumed.RESUMED
    clock.set(datetime(2026, 6, 8, 19, 0, tzinfo=UTC))
    await tick(db, clock, sender)
    assert sender.sent == [(ANN, Ritual.CHECKIN)]
    async with db.transaction() as s:
        ann = await users.get_user(s, ANN)
        assert ann is not None
        await pairing.unpair(s, ann, clock.now())
    clock.set(datetime(2026, 6, 9, 1, 0, tzinfo=UTC))
    await tick(db, clock, sender)
    assert sender.sent == [(ANN, Ritual.CHECKIN)]


async def test_changed_time_and_off_switch(db: Database, clock: FakeClock, couple: None) -> None:
    sender = Recorder()
    async with db.transaction() as s:
        ann = await users.get_user(s, ANN)
        assert ann is not None
        await rituals.set_time(s, ann, Ritual.CHECKIN, time(7, 15), None, clock.now())
        await rituals.set_enabled(s, ann, Ritual.APPRECIATION, False, clock.now())
    clock.set(datetime(2026, 6, 9, 5, 15, tzinfo=UTC))  # 07:15 Berlin next day
    await tick(db, clock, sender)
    assert (ANN, Ritual.CHECKIN) in sender.sent
    assert (ANN, Ritual.APPRECIATION) not in sender.sent


async def test_failures_are_recorded(db: Database, clock: FakeClock, couple: None) -> None:
    sender = Recorder()
    sender.fail_with = "blocked by the user"
    clock.set(datetime(2026, 6, 8, 10, 30, tzinfo=UTC))
    report = await run_tick(db, clock.now(), sender, grace=GRACE)
    assert report.failed == 1
    async with db.transaction() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert (row.status, row.detail) == ("failed", "blocked by the user")


async def test_two_processes_ticking_at_once_send_each_prompt_once(
    db: Database, clock: FakeClock
) -> None:
    """Two bot processes share one database (separate engines, like separate processes)."""
    now = datetime(2026, 6, 8, 19, 0, tzinfo=UTC)
    async with db.transaction() as s:
        for uid in range(1, 201):
            user = await users.ensure_user(s, TelegramProfile(uid, uid, f"U{uid}"), now)
            if uid % 2 == 0:
                code = (await pairing.create_invite(s, user, now)).code
            else:
                continue
            partner = await users.get_user(s, uid - 1)
            assert partner is not None
            await pairing.join(s, partner, code, now)
        await s.execute(
            update(RitualSchedule)
            .where(RitualSchedule.ritual == "checkin")
            .values(next_fire_at=now - timedelta(seconds=1))
        )
    other = Database(db.url)
    first, second = Recorder(), Recorder()
    try:
        for _ in range(10):  # both processes keep ticking until nothing is due
            reports = await asyncio.gather(
                run_tick(db, now, first, grace=GRACE, limit=60),
                run_tick(other, now, second, grace=GRACE, limit=60),
            )
            if not any(r.claimed for r in reports):
                break
    finally:
        await other.dispose()
    everything = first.sent + second.sent
    assert len(everything) == 200
    assert len(set(everything)) == 200
