"""The weekly recap: moods per day, and what the couple did together (check-ins together, a
gentle streak, dates, one favourite appreciation, one moment from the week), one suggestion
from what was low, and the gentle therapist rule. It keeps no score: nothing is counted per
partner, and nothing that did not happen is shown as a zero."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Appreciation, Checkin, CheckinAnswer, User
from bot.prompt_bank import (
    APPRECIATION_PROMPTS,
    CHECKIN_QUESTIONS,
    DATE_IDEAS,
    Practice,
    Prompt,
    by_key,
)
from bot.services import date_plans
from bot.services.people import Person, row_of
from bot.services.work import Work

DAYS = 7
LOW_MOOD = 2.0  # both partners' weekly average at or below this, two weeks running
LOW_MOOD_SUGGESTION = 2.5
FEW_APPRECIATIONS = 2
MOMENT_MOOD = 3  # a moment of the week comes from an answer at least this bright
THERAPIST_EVERY = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Moment:
    """One revealed check-in answer of the week (both partners saw it already)."""

    author: str  # first name
    question: Prompt
    words: str


@dataclass(slots=True)
class WeekRecap:
    days: list[date]  # the reader's last 7 local days, oldest first
    my_moods: list[int | None]
    partner_moods: list[int | None]
    both_checked_in: int  # days with a check-in both answered
    streak: int  # days in a row together, ending today or yesterday (never "lost")
    dates_done: int  # the recap's one dates figure: dates planned for a day of the week gone by
    favourite: tuple[str, str] | None = None  # one appreciation: (author's first name, words)
    moment: Moment | None = None
    suggestion: Prompt | None = None
    suggestion_reason: str | None = None  # mood | date | appreciation
    therapist_hint: bool = False
    partner_name: str = ""


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def _streak(days: set[date], today: date) -> int:
    """The days in a row ending today or yesterday (tonight's check-in may still come)."""
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return current


async def _moods_by_day(
    session: AsyncSession,
    couple_id: int,
    reader_id: int,
    partner_id: int,
    zone: ZoneInfo,
    since: datetime,
) -> dict[date, dict[int, int]]:
    """Moods per local day and person. The partner's mood counts only from check-ins that
    were revealed: until then it is theirs alone, even as a figure or an average."""
    visible = or_(
        CheckinAnswer.user_id == reader_id,
        and_(CheckinAnswer.user_id == partner_id, Checkin.status == "revealed"),
    )
    stmt = (
        select(Checkin.opened_at, CheckinAnswer.user_id, CheckinAnswer.mood)
        .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
        .where(
            Checkin.couple_id == couple_id,
            Checkin.opened_at >= since,
            CheckinAnswer.mood.is_not(None),
            visible,
        )
        .order_by(Checkin.opened_at)
    )
    result: dict[date, dict[int, int]] = {}
    for opened_at, user_id, mood in (await session.execute(stmt)).all():
        if mood is not None:
            result.setdefault(opened_at.astimezone(zone).date(), {})[user_id] = mood
    return result


async def _count(session: AsyncSession, stmt) -> int:  # type: ignore[no-untyped-def]
    return int((await session.execute(stmt)).scalar_one())


def _average(values: list[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


async def build(
    session: AsyncSession,
    reader: User,
    partner: User,
    now: datetime,
    *,
    rng: random.Random | None = None,
    mark_hint: bool = True,
) -> WeekRecap:
    """The recap of the reader's last seven local days (today included)."""
    assert reader.couple_id is not None
    chooser = rng or random.Random()
    zone = ZoneInfo(reader.timezone)
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    week_start = _local_midnight(days[0], zone)
    fortnight_start = _local_midnight(days[0] - timedelta(days=DAYS), zone)
    couple = reader.couple_id
    people = (reader.id, partner.id)

    moods = await _moods_by_day(session, couple, reader.id, partner.id, zone, fortnight_start)
    my_moods = [moods.get(d, {}).get(reader.id) for d in days]
    partner_moods = [moods.get(d, {}).get(partner.id) for d in days]

    revealed_days = {
        opened.astimezone(zone).date()
        for opened in (
            await session.execute(
                select(Checkin.opened_at).where(
                    Checkin.couple_id == couple, Checkin.status == "revealed"
                )
            )
        ).scalars()
    }
    streak = _streak(revealed_days, today)
    both = sum(1 for d in days if d in revealed_days)

    in_week = (Appreciation.couple_id == couple, Appreciation.created_at >= week_start)
    appreciations = await _count(session, select(func.count()).where(*in_week))
    done = await date_plans.count_done(session, couple, days[0], today)

    recap = WeekRecap(
        days=days,
        my_moods=my_moods,
        partner_moods=partner_moods,
        both_checked_in=both,
        streak=streak,
        dates_done=done,
        partner_name=partner.first_name,
    )
    names = {reader.id: reader.first_name, partner.id: partner.first_name}
    recap.favourite = await _favourite(session, in_week, names, chooser)
    recap.moment = await _moment(session, couple, week_start, names)

    averages = [_average(my_moods), _average(partner_moods)]
    low_now = [a for a in averages if a is not None]
    if low_now and min(low_now) <= LOW_MOOD_SUGGESTION:
        pool = [p for p in CHECKIN_QUESTIONS if p.practice is Practice.NAMING_NEEDS]
        recap.suggestion, recap.suggestion_reason = chooser.choice(pool), "mood"
    elif done == 0:
        recap.suggestion, recap.suggestion_reason = chooser.choice(DATE_IDEAS), "date"
    elif appreciations < FEW_APPRECIATIONS:
        recap.suggestion = chooser.choice(APPRECIATION_PROMPTS)
        recap.suggestion_reason = "appreciation"

    previous_days = [d - timedelta(days=DAYS) for d in days]
    previous = [_average([moods.get(d, {}).get(uid) for d in previous_days]) for uid in people]
    heavy = all(a is not None and a <= LOW_MOOD for a in averages + previous)
    hinted_recently = (
        reader.therapist_hint_at is not None and reader.therapist_hint_at > now - THERAPIST_EVERY
    )
    if heavy and not hinted_recently:
        recap.therapist_hint = True
        if mark_hint:
            reader.therapist_hint_at = now
            await session.flush()
    return recap


async def _favourite(
    session: AsyncSession,
    in_week: tuple[ColumnElement[bool], ...],
    names: dict[int, str],
    chooser: random.Random,
) -> tuple[str, str] | None:
    """One appreciation of the week, from those received with love when there are any."""
    rows = (
        await session.execute(
            select(Appreciation.from_user_id, Appreciation.text, Appreciation.received_at)
            .where(*in_week, Appreciation.text != "")  # a photo without words has none
            .order_by(Appreciation.id)
        )
    ).all()
    loved = [row for row in rows if row.received_at is not None]
    pool = loved or rows
    if not pool:
        return None
    picked = chooser.choice(pool)
    return names.get(picked.from_user_id, ""), picked.text


async def _moment(
    session: AsyncSession, couple_id: int, since: datetime, names: dict[int, str]
) -> Moment | None:
    """The brightest revealed answer of the week (the newest of equals); none from a week
    whose answers were all low."""
    rows = (
        await session.execute(
            select(Checkin.question_key, CheckinAnswer.user_id, CheckinAnswer.answer)
            .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
            .where(
                Checkin.couple_id == couple_id,
                Checkin.opened_at >= since,
                Checkin.status == "revealed",
                CheckinAnswer.mood >= MOMENT_MOOD,
                CheckinAnswer.answer.is_not(None),
                CheckinAnswer.answer != "",
            )
            .order_by(CheckinAnswer.mood.desc(), Checkin.opened_at.desc(), CheckinAnswer.id)
            .limit(1)
        )
    ).first()
    if rows is None or rows.user_id not in names:
        return None
    return Moment(names[rows.user_id], by_key(rows.question_key), rows.answer)


async def week_of(work: Work, reader: Person, partner: Person, now: datetime) -> WeekRecap:
    """For handlers: see `build`."""
    return await build(work.session, await row_of(work, reader), await row_of(work, partner), now)
