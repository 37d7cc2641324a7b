"""Ritual times in local zones, including both daylight-saving transitions."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.services.recurrence import next_occurrence

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_in_two_zones() -> None:
    now = utc(2026, 6, 10, 12, 0)
    assert next_occurrence(now, BERLIN, time(21, 0)) == utc(2026, 6, 10, 19, 0)
    assert next_occurrence(now, NEW_YORK, time(21, 0)) == utc(2026, 6, 11, 1, 0)
    # exactly at the firing moment: the next one is tomorrow
    assert next_occurrence(utc(2026, 6, 10, 19, 0), BERLIN, time(21, 0)) == utc(2026, 6, 11, 19, 0)


def test_weekly_on_the_local_weekday() -> None:
    # Wednesday 2026-06-10; Thursday 18:00 in New York is 22:00 UTC on Thursday
    now = utc(2026, 6, 10, 12, 0)
    assert next_occurrence(now, NEW_YORK, time(18, 0), weekday=3) == utc(2026, 6, 11, 22, 0)
    # Sunday 19:00 in Berlin, asked on Sunday evening after it passed -> next Sunday
    sunday_late = utc(2026, 6, 14, 20, 0)
    assert next_occurrence(sunday_late, BERLIN, time(19, 0), weekday=6) == utc(2026, 6, 21, 17, 0)


def test_skipped_hour_fires_once_right_after_the_gap() -> None:
    # Berlin springs forward on 2026-03-29: 02:00 -> 03:00 local.
    before = utc(2026, 3, 28, 12, 0)
    first = next_occurrence(before, BERLIN, time(2, 30))
    assert first == utc(2026, 3, 29, 1, 0)  # 03:00 CEST, the end of the gap
    assert first.astimezone(BERLIN).strftime("%H:%M") == "03:00"
    second = next_occurrence(first, BERLIN, time(2, 30))
    assert second == utc(2026, 3, 30, 0, 30)  # back to 02:30 CEST the next day


def test_repeated_hour_fires_once() -> None:
    # Berlin falls back on 2026-10-25: 03:00 CEST -> 02:00 CET, so 02:30 happens twice.
    before = utc(2026, 10, 24, 12, 0)
    first = next_occurrence(before, BERLIN, time(2, 30))
    assert first == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    second = next_occurrence(first, BERLIN, time(2, 30))
    assert second == utc(2026, 10, 26, 1, 30)  # not the second 02:30 that same night


def test_daily_time_keeps_local_clock_across_dst() -> None:
    sat = next_occurrence(utc(2026, 3, 28, 12, 0), BERLIN, time(21, 0))
    sun = next_occurrence(sat, BERLIN, time(21, 0))
    assert sat == utc(2026, 3, 28, 20, 0) and sun == utc(2026, 3, 29, 19, 0)
