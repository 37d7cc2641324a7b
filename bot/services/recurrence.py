"""Next local occurrence of a daily or weekly ritual, correct across daylight-saving changes.

- A time inside a skipped hour (spring forward) fires once, at the first minute after the gap.
- A time inside a repeated hour (fall back) fires once, at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_GAP_MINUTES = 180  # no zone has ever skipped more than this in one transition


def exists(moment: datetime) -> bool:
    """Whether a naive local wall time (tz attached) exists in its zone."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None)


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time `at` on `day`; skipped times move to the end of the gap —
    unless the gap runs up to midnight (e.g. Nuuk springs from 23:00 to 00:00): then its end
    is already the next day, and the ritual fires on its own day, just before the gap."""
    wanted = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    if exists(wanted):
        return wanted.astimezone(UTC)
    local = wanted
    for _ in range(MAX_GAP_MINUTES):
        local += timedelta(minutes=1)
        if exists(local):
            break
    if local.date() == day:
        return local.astimezone(UTC)
    local = wanted
    for _ in range(MAX_GAP_MINUTES):
        local -= timedelta(minutes=1)
        if exists(local):
            break
    return local.astimezone(UTC)


def next_occurrence(
    after: datetime, zone: ZoneInfo, at: time, weekday: int | None = None
) -> datetime:
    """The first firing strictly after `after` (UTC), for a daily (`weekday` None) or weekly
    (0 = Monday) ritual at local time `at`."""
    start_day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(0, 10):
        day = start_day + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = local_to_utc(day, at, zone)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a week always contains the weekday")
