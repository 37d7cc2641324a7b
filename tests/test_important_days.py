"""Important days as services: reading a date, when a day falls (leap day too), and the
notices due in each partner's zone, recorded once; retention of days, notices and hugs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import Couple, DayKind, DayNotice, DayNoticeKind, Gesture, ImportantDay
from bot.services import important_days, retention, users
from bot.services.important_days import (
    Day,
    next_occurrence,
    occurs_on,
    parse_day_month,
    parse_named,
)
from bot.services.work import begin
from handlers.days import days_keyboard
from locales import Translator
from tests.couples import make_couple


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14.02", (2, 14)),
        ("14/2", (2, 14)),
        ("1-12", (12, 1)),
        ("29.02", (2, 29)),
        ("14.02.2019", (2, 14)),
        (" 7 3 ", (3, 7)),
        ("31.04", None),
        ("30.02", None),
        ("14.13", None),
        ("0.1", None),
        ("fourteen", None),
        ("14", None),
        ("²4.02", None),
    ],
)
def test_day_and_month_are_read_day_first(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_day_month(text) == expected


def test_a_named_day_ends_with_its_date() -> None:
    assert parse_named("Our first date 14.02") == ("Our first date", 2, 14)
    assert parse_named("14.02") is None
    assert parse_named("Our first date") is None


def test_the_leap_day_falls_on_the_28th_in_other_years() -> None:
    assert occurs_on(2, 29, date(2027, 2, 28))
    assert not occurs_on(2, 29, date(2028, 2, 28))
    assert occurs_on(2, 29, date(2028, 2, 29))
    assert not occurs_on(2, 28, date(2028, 2, 29))
    assert next_occurrence(2, 29, date(2026, 3, 1)) == date(2027, 2, 28)
    assert next_occurrence(6, 14, date(2026, 6, 14)) == date(2026, 6, 14)


async def test_notices_are_due_at_nine_in_each_zone_and_recorded_once(
    db: Database, clock: FakeClock
) -> None:
    pair = await make_couple(db, clock, 1, 2)
    async with begin(db) as work:
        ann = await users.person(work, 1)
        assert ann is not None
        await users.choose_timezone(work, ann, "Asia/Tokyo", clock.now())  # UTC+9
        ann = await users.person(work, 1)
        assert ann is not None
        await important_days.add_day(work, ann, DayKind.BIRTHDAY, 3, 1, clock.now())

    async def due(at: datetime) -> list[tuple[int, DayNoticeKind, date]]:
        async with begin(db) as work:
            found = await important_days.take_due_notices(work, at)
        return [(n.recipient.id, n.kind, n.on) for n in found]

    # 26 February 2027, 0:00 UTC: 9:00 in Tokyo, the middle of the night for Ben in UTC.
    assert await due(datetime(2027, 2, 25, 23, 59, tzinfo=UTC)) == []
    assert await due(datetime(2027, 2, 26, 0, 0, tzinfo=UTC)) == []  # not to Ann herself
    assert await due(datetime(2027, 2, 26, 9, 0, tzinfo=UTC)) == [
        (pair.b, DayNoticeKind.REMINDER, date(2027, 3, 1))
    ]
    assert await due(datetime(2027, 2, 26, 23, 0, tzinfo=UTC)) == []
    assert await due(datetime(2027, 3, 1, 0, 0, tzinfo=UTC)) == [
        (pair.a, DayNoticeKind.GREETING, date(2027, 3, 1))
    ]
    assert await due(datetime(2027, 3, 1, 9, 0, tzinfo=UTC)) == [
        (pair.b, DayNoticeKind.GREETING, date(2027, 3, 1))
    ]
    assert await due(datetime(2027, 3, 1, 12, 0, tzinfo=UTC)) == []
    # A year later, again (2028 has a 29th of February).
    assert await due(datetime(2028, 2, 27, 9, 0, tzinfo=UTC)) == [
        (pair.b, DayNoticeKind.REMINDER, date(2028, 3, 1))
    ]


async def test_nothing_is_due_for_a_paused_or_ended_couple(db: Database, clock: FakeClock) -> None:
    pair = await make_couple(db, clock, 1, 2)
    async with begin(db) as work:
        ann = await users.person(work, 1)
        assert ann is not None
        await important_days.add_day(work, ann, DayKind.ANNIVERSARY, 6, 14, clock.now())
    on_the_day = datetime(2026, 6, 14, 10, 0, tzinfo=UTC)
    async with db.transaction() as s:
        couple = await s.get(Couple, pair.couple_id)
        assert couple is not None
        couple.paused_until = on_the_day + timedelta(days=1)
    async with begin(db) as work:
        assert await important_days.take_due_notices(work, on_the_day) == []
    async with db.transaction() as s:
        couple = await s.get(Couple, pair.couple_id)
        assert couple is not None
        couple.paused_until, couple.ended_at = None, on_the_day
    async with begin(db) as work:
        assert await important_days.take_due_notices(work, on_the_day) == []


async def test_retention_keeps_days_of_a_couple_hugs_a_week_and_notices_a_year(
    db: Database, clock: FakeClock
) -> None:
    now = clock.now()
    pair = await make_couple(db, clock, 1, 2)
    ended = await make_couple(db, clock, 3, 4)
    async with db.transaction() as s:
        for couple in (pair.couple_id, ended.couple_id):
            s.add(
                ImportantDay(couple_id=couple, kind="anniversary", month=1, day=2, created_at=now)
            )
        ended_couple = await s.get(Couple, ended.couple_id)
        assert ended_couple is not None
        ended_couple.ended_at = now
        for age in (8, 6):
            s.add(
                Gesture(
                    couple_id=pair.couple_id,
                    from_user_id=1,
                    to_user_id=2,
                    local_date=(now - timedelta(days=age)).date(),
                    created_at=now - timedelta(days=age),
                )
            )
        await s.flush()
        day_id = (await s.execute(select(ImportantDay.id).limit(1))).scalar_one()
        for age in (401, 300):
            s.add(
                DayNotice(
                    day_id=day_id,
                    user_id=1,
                    kind="greeting",
                    year=2000 + age,
                    sent_at=now - timedelta(days=age),
                )
            )
    async with db.transaction() as s:
        counts = await retention.prune(s, now, timedelta(days=365))
    assert (counts["important_days"], counts["gestures"], counts["day_notices"]) == (1, 1, 1)
    async with db.transaction() as s:
        kept = (await s.execute(select(ImportantDay.couple_id))).scalars().all()
        assert kept == [pair.couple_id]
        assert (await s.execute(select(func.count(Gesture.id)))).scalar_one() == 1


def test_another_day_is_offered_only_while_there_is_room() -> None:
    _ = Translator("en")

    def labels(count: int) -> list[str]:
        kept = [Day(i, DayKind.OTHER, 1, 1 + i % 28, f"d{i}", None) for i in range(count)]
        return [b.text for row in days_keyboard(_, kept).inline_keyboard for b in row]

    assert "✨ Another day" in labels(important_days.MAX_OTHER_DAYS - 1)
    assert "✨ Another day" not in labels(important_days.MAX_OTHER_DAYS)
    assert labels(important_days.MAX_OTHER_DAYS)[:2] == ["💍 Anniversary", "🎂 My birthday"]
