"""A couple's important days (`/days`): their anniversary, each partner's birthday (month and
day only) and other days with a name. Three days before one, the partner it is not about
gets a reminder (both, for a shared day); on the day both get a greeting; each at 9:00 in
their own zone, once a year: every notice put in the outbox is recorded (`day_notices`, a
unique key), in the same transaction, so no tick and no instance sends it twice."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.db import is_postgres
from bot.models import Couple, DayKind, DayNotice, DayNoticeKind, ImportantDay, User
from bot.services import conversation
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, person_in
from bot.services.work import Work

MAX_NAME = 60
MAX_OTHER_DAYS = 20
ASK_FOR = timedelta(hours=1)  # how long "send me the date" waits for words
REMIND_BEFORE = timedelta(days=3)
NOTICE_TIME = time(9, 0)  # in each recipient's zone

# "14.02", "14/2", "14-02", "14 02", with an optional year ("14.02.2019"): day first.
_DAY_MONTH = re.compile(r"^(\d{1,2})\s*[./\- ]\s*(\d{1,2})(?:\s*[./\- ]\s*\d{2,4})?\.?$")


@dataclass(frozen=True, slots=True)
class Day:
    id: int
    kind: DayKind
    month: int
    day: int
    name: str | None  # an "other" day's name
    person_id: int | None  # whose birthday


@dataclass(frozen=True, slots=True)
class Notice:
    """A reminder or greeting to put in the outbox for `recipient`."""

    recipient: Person
    kind: DayNoticeKind
    day: Day
    on: date  # the day itself, in the recipient's calendar


def _view(row: ImportantDay) -> Day:
    return Day(row.id, DayKind(row.kind), row.month, row.day, row.name, row.person_id)


def parse_day_month(text: str) -> tuple[int, int] | None:
    """(month, day) from "14.02"-like words (day first), or None. The 29th of February is a
    day (it is kept on the 28th in other years)."""
    found = _DAY_MONTH.match(text.strip())
    if found is None:
        return None
    day, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return month, day


def parse_named(text: str) -> tuple[str, int, int] | None:
    """(name, month, day) from "First date 14.02": the date comes last."""
    words = text.strip().rsplit(maxsplit=1)
    if len(words) != 2:
        return None
    found = parse_day_month(words[1])
    if found is None or not words[0].strip():
        return None
    return words[0].strip(), found[0], found[1]


def occurs_on(month: int, day: int, on: date) -> bool:
    """Whether a day kept as (month, day) falls on `on` (the 29th of February falls on the
    28th in a year without it)."""
    if (month, day) == (on.month, on.day):
        return True
    leap_day = (month, day) == (2, 29)
    return leap_day and not calendar.isleap(on.year) and (on.month, on.day) == (2, 28)


def next_occurrence(month: int, day: int, today: date) -> date:
    """The first day on or after `today` this day falls on."""
    for year in (today.year, today.year + 1, today.year + 2):
        last = calendar.monthrange(year, month)[1]
        candidate = date(year, month, min(day, last))
        if candidate >= today:
            return candidate
    raise AssertionError("a day comes back within two years")


async def list_days(work: Work, me: Person, now: datetime) -> list[Day]:
    """The couple's days, the next one first (in `me`'s calendar)."""
    if me.couple_id is None:
        return []
    rows = (
        await work.session.execute(
            select(ImportantDay).where(ImportantDay.couple_id == me.couple_id)
        )
    ).scalars()
    today = now.astimezone(ZoneInfo(me.timezone)).date()
    days = [_view(row) for row in rows]
    return sorted(days, key=lambda d: (next_occurrence(d.month, d.day, today), d.id))


async def add_day(
    work: Work,
    me: Person,
    kind: DayKind,
    month: int,
    day: int,
    now: datetime,
    *,
    name: str | None = None,
) -> Day:
    """Keep a day for the couple. There is one anniversary and one birthday of each partner:
    adding one again moves it. An "other" day needs a name (up to `MAX_NAME` characters;
    `TooLong` beyond)."""
    if me.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    session = work.session
    if kind is DayKind.OTHER:
        name = (name or "").strip()
        if len(name) > MAX_NAME:
            raise TooLong(len(name), MAX_NAME)
        count = await session.execute(
            select(func.count(ImportantDay.id)).where(
                ImportantDay.couple_id == me.couple_id, ImportantDay.kind == kind.value
            )
        )
        if not name or count.scalar_one() >= MAX_OTHER_DAYS:
            raise ExchangeError(Stale.CLOSED)
    else:
        name = None
        same = delete(ImportantDay).where(
            ImportantDay.couple_id == me.couple_id, ImportantDay.kind == kind.value
        )
        if kind is DayKind.BIRTHDAY:
            same = same.where(ImportantDay.person_id == me.id)
        await session.execute(same)
    row = ImportantDay(
        couple_id=me.couple_id,
        kind=kind.value,
        person_id=me.id if kind is DayKind.BIRTHDAY else None,
        added_by=me.id,
        name=name,
        month=month,
        day=day,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return _view(row)


async def ask_date(work: Work, me: Person, kind: DayKind, now: datetime) -> Step:
    """Open the step that waits for a day's date (and name, for an "other" day); it replaces
    an earlier one."""
    if me.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return await conversation.open_step(
        work.session,
        me.id,
        StepKind.DAY_DATE,
        now,
        now + ASK_FOR,
        ref_key=kind.value,
        replace_kind=True,
    )


async def take_date(work: Work, me: Person, step: Step, text: str, now: datetime) -> Day | None:
    """Words for the date step: the day kept (the step closes), or None when the words are no
    date (the step stays open for another try)."""
    try:
        kind = DayKind(step.ref_key or "")
    except ValueError:
        raise ExchangeError(Stale.NOT_YOURS) from None
    if kind is DayKind.OTHER:
        named = parse_named(text)
        if named is None:
            return None
        name, month, day = named
    else:
        found = parse_day_month(text)
        if found is None:
            return None
        (month, day), name = found, None
    added = await add_day(work, me, kind, month, day, now, name=name)
    await conversation.close_step(work.session, me.id, StepKind.DAY_DATE)
    return added


async def remove_day(work: Work, me: Person, day_id: int) -> Day:
    """Remove one of the couple's days (either partner may); another couple's, or one that is
    gone, is refused (`Stale.NOT_YOURS`)."""
    row = await work.session.get(ImportantDay, day_id)
    if row is None or me.couple_id is None or row.couple_id != me.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    removed = _view(row)
    await work.session.delete(row)
    await work.session.flush()
    return removed


async def _record(
    work: Work, day_id: int, user_id: int, kind: DayNoticeKind, on: date, now: datetime
) -> bool:
    """Record a notice; False when it was recorded before (by this or another process)."""
    insert_fn = pg_insert if is_postgres(work.session) else sqlite_insert
    stmt = (
        insert_fn(DayNotice)
        .values(day_id=day_id, user_id=user_id, kind=kind.value, year=on.year, sent_at=now)
        .on_conflict_do_nothing(index_elements=["day_id", "user_id", "kind", "year"])
        .returning(DayNotice.__table__.c.id)
    )
    return (await work.session.execute(stmt)).first() is not None


def _recipients(day: Day, members: Sequence[Person], kind: DayNoticeKind) -> list[Person]:
    """Who hears of a day: both partners, except that a birthday's reminder goes only to the
    partner whose birthday it is not."""
    if kind is DayNoticeKind.REMINDER and day.kind is DayKind.BIRTHDAY:
        return [m for m in members if m.id != day.person_id]
    return list(members)


async def take_due_notices(work: Work, now: datetime) -> list[Notice]:
    """The reminders and greetings due now (from 9:00 on their day in each recipient's zone),
    each recorded as sent in `work`. Only paired, unpaused couples; only people Telegram
    still reaches."""
    window = [(now + timedelta(days=offset)).date() for offset in range(-1, 5)]
    months = {d.month for d in window}
    stmt = (
        select(ImportantDay)
        .join(Couple, Couple.id == ImportantDay.couple_id)
        .where(
            Couple.ended_at.is_(None),
            (Couple.paused_until.is_(None)) | (Couple.paused_until <= now),
            ImportantDay.month.in_(months),
        )
        .order_by(ImportantDay.id)
    )
    rows = list((await work.session.execute(stmt)).scalars())
    if not rows:
        return []
    couple_of = {row.id: row.couple_id for row in rows}
    members_rows = (
        await work.session.execute(
            select(User).where(
                User.couple_id.in_(set(couple_of.values())), User.is_active.is_(True)
            )
        )
    ).scalars()
    members: dict[int, list[Person]] = {}
    for user in members_rows:
        assert user.couple_id is not None
        members.setdefault(user.couple_id, []).append(person_in(work, user))
    days = [_view(row) for row in rows]
    notices: list[Notice] = []
    for day in days:
        people = members.get(couple_of[day.id], [])
        if len(people) != 2:
            continue
        if day.kind is DayKind.BIRTHDAY and day.person_id not in {p.id for p in people}:
            continue
        for kind, ahead in (
            (DayNoticeKind.REMINDER, REMIND_BEFORE),
            (DayNoticeKind.GREETING, timedelta()),
        ):
            for person in _recipients(day, people, kind):
                local = now.astimezone(ZoneInfo(person.timezone))
                on = local.date() + ahead
                if local.time() < NOTICE_TIME or not occurs_on(day.month, day.day, on):
                    continue
                if await _record(work, day.id, person.id, kind, on, now):
                    notices.append(Notice(person, kind, day, on))
    return notices
