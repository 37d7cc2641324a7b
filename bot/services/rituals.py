"""Each partner's ritual schedule: defaults at pairing, changes, on/off, and pausing."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Couple, RitualSchedule, User
from bot.services.people import Person, row_of
from bot.services.recurrence import next_occurrence
from bot.services.work import Work


class Ritual(enum.StrEnum):
    CHECKIN = "checkin"
    APPRECIATION = "appreciation"
    DATE = "date"
    RECAP = "recap"


@dataclass(frozen=True, slots=True)
class RitualDefault:
    at: time
    weekday: int | None  # None: daily


DEFAULTS: dict[Ritual, RitualDefault] = {
    Ritual.CHECKIN: RitualDefault(time(21, 0), None),
    Ritual.APPRECIATION: RitualDefault(time(12, 30), None),
    Ritual.DATE: RitualDefault(time(18, 0), 3),  # Thursday: time to plan the weekend
    Ritual.RECAP: RitualDefault(time(19, 0), 6),  # Sunday
}

MAX_PAUSE_DAYS = 90
DEFAULT_PAUSE_DAYS = 7


def is_weekly(ritual: Ritual) -> bool:
    return DEFAULTS[ritual].weekday is not None


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def compute_next(schedule: RitualSchedule, zone: str, after: datetime) -> datetime | None:
    if not schedule.enabled:
        return None
    return next_occurrence(after, ZoneInfo(zone), parse_hhmm(schedule.local_time), schedule.weekday)


async def schedules_of(session: AsyncSession, user_id: int) -> dict[Ritual, RitualSchedule]:
    rows = (
        await session.execute(select(RitualSchedule).where(RitualSchedule.user_id == user_id))
    ).scalars()
    return {Ritual(row.ritual): row for row in rows}


async def ensure_defaults(session: AsyncSession, user: User, now: datetime) -> None:
    """Give a user every ritual at its default time (keeps times they already chose)."""
    existing = await schedules_of(session, user.id)
    for ritual, default in DEFAULTS.items():
        if ritual in existing:
            row = existing[ritual]
        else:
            row = RitualSchedule(
                user_id=user.id,
                ritual=ritual.value,
                enabled=True,
                local_time=default.at.strftime("%H:%M"),
                weekday=default.weekday,
            )
            session.add(row)
        row.next_fire_at = compute_next(row, user.timezone, now)
    await session.flush()


async def reschedule_user(session: AsyncSession, user: User, now: datetime) -> None:
    """Recompute every next firing, e.g. after the user changed time zone."""
    for row in (await schedules_of(session, user.id)).values():
        row.next_fire_at = compute_next(row, user.timezone, now)
    await session.flush()


async def set_time(
    session: AsyncSession,
    user: User,
    ritual: Ritual,
    at: time,
    weekday: int | None,
    now: datetime,
) -> RitualSchedule:
    await ensure_defaults(session, user, now)
    row = (await schedules_of(session, user.id))[ritual]
    row.local_time = at.strftime("%H:%M")
    if is_weekly(ritual):
        assert weekday is not None
        row.weekday = weekday
    row.enabled = True
    row.next_fire_at = compute_next(row, user.timezone, now)
    await session.flush()
    return row


async def set_enabled(
    session: AsyncSession, user: User, ritual: Ritual, enabled: bool, now: datetime
) -> RitualSchedule:
    await ensure_defaults(session, user, now)
    row = (await schedules_of(session, user.id))[ritual]
    row.enabled = enabled
    row.next_fire_at = compute_next(row, user.timezone, now)
    await session.flush()
    return row


async def pause(session: AsyncSession, user: User, days: int, now: datetime) -> datetime:
    """Pause all rituals of the user's couple; returns when the pause ends. The pause is the
    user's (only they end it alone); during the partner's pause it only lasts longer, and
    stays the partner's."""
    if user.couple_id is None:
        raise NotPaired
    couple = await session.get(Couple, user.couple_id)
    assert couple is not None
    until = now + timedelta(days=days)
    if couple.paused_until is not None and couple.paused_until > now:
        couple.paused_until = max(couple.paused_until, until)
    else:
        couple.paused_until = until
        couple.paused_by = user.id
    await session.flush()
    return couple.paused_until


class Resumed(enum.Enum):
    RESUMED = "resumed"
    NOT_PAUSED = "not_paused"
    NOT_YOURS = "not_yours"  # the partner asked for the pause: only they end it


async def resume(session: AsyncSession, user: User, now: datetime) -> Resumed:
    """End a pause early, when it is the user's own (or nobody's: from before pauses had an
    owner). The partner's pause stays."""
    if user.couple_id is None:
        raise NotPaired
    couple = await session.get(Couple, user.couple_id)
    assert couple is not None
    if couple.paused_until is None or couple.paused_until <= now:
        couple.paused_until = couple.paused_by = None
        await session.flush()
        return Resumed.NOT_PAUSED
    if couple.paused_by is not None and couple.paused_by != user.id:
        return Resumed.NOT_YOURS
    couple.paused_until = couple.paused_by = None
    await session.flush()
    return Resumed.RESUMED


async def paused_until(session: AsyncSession, user: User, now: datetime) -> datetime | None:
    if user.couple_id is None:
        return None
    couple = await session.get(Couple, user.couple_id)
    if couple is None or couple.paused_until is None or couple.paused_until <= now:
        return None
    return couple.paused_until


async def pause_is_mine(session: AsyncSession, user: User) -> bool:
    """Whether the user may end the couple's pause alone."""
    couple = await session.get(Couple, user.couple_id) if user.couple_id is not None else None
    return couple is None or couple.paused_by is None or couple.paused_by == user.id


class NotPaired(Exception):
    pass


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Schedule:
    """When one of the user's rituals comes, in their time zone."""

    ritual: Ritual
    at: time
    weekday: int | None  # None: daily
    enabled: bool

    @classmethod
    def of(cls, row: RitualSchedule) -> Schedule:
        return cls(Ritual(row.ritual), parse_hhmm(row.local_time), row.weekday, row.enabled)


@dataclass(frozen=True, slots=True)
class Overview:
    schedules: dict[Ritual, Schedule]
    paused_until: datetime | None
    paused_by_me: bool = True  # the user may end the pause alone


async def overview(work: Work, me: Person, now: datetime) -> Overview:
    """The user's rituals, and until when the couple pauses them (None: not paused)."""
    rows = await schedules_of(work.session, me.id)
    user = await row_of(work, me)
    paused = await paused_until(work.session, user, now)
    schedules = {ritual: Schedule.of(row) for ritual, row in rows.items()}
    return Overview(schedules, paused, await pause_is_mine(work.session, user))


async def ensure_rituals(work: Work, me: Person, now: datetime) -> None:
    """See `ensure_defaults`."""
    await ensure_defaults(work.session, await row_of(work, me), now)


async def move_ritual(
    work: Work, me: Person, ritual: Ritual, at: time, weekday: int | None, now: datetime
) -> None:
    """See `set_time`."""
    await set_time(work.session, await row_of(work, me), ritual, at, weekday, now)


async def switch_ritual(
    work: Work, me: Person, ritual: Ritual, enabled: bool, now: datetime
) -> None:
    """See `set_enabled`."""
    await set_enabled(work.session, await row_of(work, me), ritual, enabled, now)


async def pause_rituals(work: Work, me: Person, days: int, now: datetime) -> datetime:
    """See `pause`."""
    return await pause(work.session, await row_of(work, me), days, now)


async def resume_rituals(work: Work, me: Person, now: datetime) -> Resumed:
    """See `resume`."""
    return await resume(work.session, await row_of(work, me), now)
