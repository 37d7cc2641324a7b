"""After a date was accepted: the proposer picks the day (and maybe a time), both partners
are reminded on the day, and the next day each is asked "How was it?" (an emoji and optional
words), shown to the partner once both answered or a day after asking.

Reminders, questions and the reveal are rows in `follow_ups`, sent by the tick through the
outbox, each at a local hour in the recipient's own time zone."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Couple,
    DateFeedback,
    DateProposal,
    DateStatus,
    FollowUpKind,
    User,
)
from bot.services import conversation, follow_ups, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, person_in, row_of
from bot.services.time_parsing import parse_clock
from bot.services.work import Work

REMINDER_AT = time(9, 0)  # on the planned day, each in their own zone
FEEDBACK_AT = time(10, 0)  # the day after
REVEAL_AFTER = timedelta(days=1)  # after the later of the two questions
DAYS_TO_PICK = 7  # "Pick a day": today and the six days after
REMINDER_LATE = timedelta(hours=12)  # a reminder this late (the bot was down) is dropped
MAX_FEEDBACK_LENGTH = 500
FEEDBACK_KINDS = (FollowUpKind.DATE_REMINDER, FollowUpKind.DATE_FEEDBACK, FollowUpKind.DATE_REVEAL)


class WhenChoice(enum.StrEnum):
    TONIGHT = "t"
    TOMORROW = "m"
    WEEKEND = "w"


class Rating(enum.IntEnum):
    LOVELY = 3
    NICE = 2
    NOT_QUITE = 1


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def day_for(choice: WhenChoice, today: date) -> date:
    """Tonight, tomorrow, or this weekend (the coming Saturday; today on a weekend day)."""
    if choice is WhenChoice.TONIGHT:
        return today
    if choice is WhenChoice.TOMORROW:
        return today + timedelta(days=1)
    if today.weekday() >= 5:
        return today
    return today + timedelta(days=5 - today.weekday())


def days_to_pick(today: date) -> list[date]:
    return [today + timedelta(days=i) for i in range(DAYS_TO_PICK)]


def seen_from(day: date, at: time | None, from_zone: str, to_zone: str) -> tuple[date, time | None]:
    """The planned day (and time) in another partner's zone: a time moves with the zone; a
    day without a time stays the same calendar day."""
    if at is None:
        return day, None
    moment = datetime.combine(day, at, tzinfo=ZoneInfo(from_zone)).astimezone(ZoneInfo(to_zone))
    return moment.date(), moment.time()


def _at(day: date, hour: time, zone: str) -> datetime:
    return datetime.combine(day, hour, tzinfo=ZoneInfo(zone))


async def _accepted_of_proposer(
    session: AsyncSession, user: User, proposal_id: int
) -> DateProposal:
    row = await session.get(DateProposal, proposal_id)
    if row is None or user.couple_id is None or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.proposer_id != user.id or row.status != DateStatus.ACCEPTED:
        raise ExchangeError(Stale.NOT_YOURS)
    return row


async def _unplanned(session: AsyncSession, user: User, proposal_id: int) -> DateProposal:
    row = await _accepted_of_proposer(session, user, proposal_id)
    if row.planned_on is not None:
        raise ExchangeError(Stale.ALREADY)
    return row


async def plan(
    session: AsyncSession, user: User, proposal_id: int, day: date, now: datetime
) -> tuple[DateProposal, User, Step]:
    """The proposer picks the day: reminders and "How was it?" are planned for both, and a
    step waits for an optional time."""
    row = await _unplanned(session, user, proposal_id)
    if day not in days_to_pick(local_today(user.timezone, now)):
        raise ExchangeError(Stale.CLOSED)  # an old "pick a day" list
    partner = await users.partner_of(session, user)
    if partner is None:
        raise ExchangeError(Stale.NOT_YOURS)
    row.planned_on = day
    feedback_times = []
    for person in (user, partner):
        reminder = _at(day, REMINDER_AT, person.timezone)
        if reminder > now:  # planned for tonight after nine: no reminder needed
            await follow_ups.plan(
                session, row.couple_id, person.id, FollowUpKind.DATE_REMINDER, row.id, reminder
            )
        feedback = _at(day + timedelta(days=1), FEEDBACK_AT, person.timezone)
        feedback_times.append(feedback)
        await follow_ups.plan(
            session, row.couple_id, person.id, FollowUpKind.DATE_FEEDBACK, row.id, feedback
        )
    await follow_ups.plan(
        session,
        row.couple_id,
        user.id,
        FollowUpKind.DATE_REVEAL,
        row.id,
        max(feedback_times) + REVEAL_AFTER,
    )
    step = await conversation.open_step(
        session,
        user.id,
        StepKind.DATE_TIME,
        now,
        _at(day + timedelta(days=1), time(0, 0), user.timezone),
        ref_id=row.id,
    )
    await session.flush()
    return row, partner, step


async def set_time(
    session: AsyncSession, user: User, proposal_id: int, text: str, now: datetime
) -> DateProposal | None:
    """An optional time for the planned day (proposer's zone); None when `text` is no time
    (the step stays open)."""
    row = await _accepted_of_proposer(session, user, proposal_id)
    if row.planned_on is None:
        raise ExchangeError(Stale.WRONG_STEP)
    if row.planned_time is not None:
        raise ExchangeError(Stale.ALREADY)
    at = parse_clock(text)
    if at is None:
        return None
    row.planned_time = at.strftime("%H:%M")
    await conversation.close_step(session, user.id, StepKind.DATE_TIME, row.id)
    await session.flush()
    return row


async def count_done(session: AsyncSession, couple_id: int, first_day: date, today: date) -> int:
    """Dates done: accepted and planned for a day from `first_day` on that has passed
    (before `today`)."""
    stmt = select(func.count()).where(
        DateProposal.couple_id == couple_id,
        DateProposal.status == DateStatus.ACCEPTED,
        DateProposal.planned_on >= first_day,
        DateProposal.planned_on < today,
    )
    return int((await session.execute(stmt)).scalar_one())


# "How was it?"


async def _feedback_of(
    session: AsyncSession, user: User, proposal_id: int
) -> tuple[DateProposal, DateFeedback]:
    row = await session.get(DateProposal, proposal_id)
    if row is None or user.couple_id is None or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    mine = (
        await session.execute(
            select(DateFeedback).where(
                DateFeedback.proposal_id == row.id, DateFeedback.user_id == user.id
            )
        )
    ).scalar_one_or_none()
    if mine is None:  # never asked
        raise ExchangeError(Stale.NOT_YOURS)
    return row, mine


async def rate(
    session: AsyncSession, user: User, proposal_id: int, rating: Rating, now: datetime
) -> Step:
    """The emoji; then a step waits for optional words."""
    _row, mine = await _feedback_of(session, user, proposal_id)
    if mine.rating is not None:
        raise ExchangeError(Stale.ALREADY)
    mine.rating = rating.value
    step = await conversation.open_step(
        session, user.id, StepKind.DATE_FEEDBACK, now, now + 2 * REVEAL_AFTER, ref_id=proposal_id
    )
    await session.flush()
    return step


@dataclass(frozen=True, slots=True)
class Shown:
    """One partner's "How was it?", to show to the other."""

    to: Person
    author: Person
    idea_key: str
    rating: Rating
    words: str | None


def _shown(work: Work, to: User, author: User, row: DateProposal, fb: DateFeedback) -> Shown:
    assert fb.rating is not None
    return Shown(
        person_in(work, to), person_in(work, author), row.idea_key, Rating(fb.rating), fb.words
    )


async def finish(
    work: Work, me: Person, proposal_id: int, words: str | None, now: datetime
) -> list[Shown]:
    """Words (or none) after the emoji complete the answer. Returns what to show now: both
    answers once both are complete, or this one alone after the day's reveal."""
    session = work.session
    user = await row_of(work, me)
    row, mine = await _feedback_of(session, user, proposal_id)
    if mine.rating is None:
        raise ExchangeError(Stale.WRONG_STEP)
    if mine.answered_at is not None:
        raise ExchangeError(Stale.ALREADY)
    if words is not None:
        words = words.strip()
        if len(words) > MAX_FEEDBACK_LENGTH:
            raise TooLong(len(words), MAX_FEEDBACK_LENGTH)
    mine.words = words or None
    mine.answered_at = now
    await conversation.close_step(session, user.id, StepKind.DATE_FEEDBACK, row.id)
    partner = await users.partner_of(session, user)
    if partner is None:
        return []
    theirs = (
        await session.execute(
            select(DateFeedback).where(
                DateFeedback.proposal_id == row.id, DateFeedback.user_id == partner.id
            )
        )
    ).scalar_one_or_none()
    shown: list[Shown] = []
    if row.feedback_revealed_at is not None:
        mine.revealed_at = now
        shown.append(_shown(work, partner, user, row, mine))
    elif theirs is not None and theirs.answered_at is not None:
        row.feedback_revealed_at = mine.revealed_at = theirs.revealed_at = now
        shown += [_shown(work, partner, user, row, mine), _shown(work, user, partner, row, theirs)]
    await session.flush()
    return shown


# What the tick sends.


@dataclass(frozen=True, slots=True)
class Due:
    """A reminder on the day or "How was it?" the day after, for `person`."""

    kind: FollowUpKind
    person: Person
    partner: Person
    proposal_id: int
    idea_key: str
    day: date  # in the person's zone
    at: time | None

    @property
    def is_reminder(self) -> bool:
        return self.kind is FollowUpKind.DATE_REMINDER


def _sendable(user: User | None, couple: Couple | None, row: DateProposal, now: datetime) -> bool:
    if user is None or not user.is_active or couple is None or couple.ended_at is not None:
        return False
    if user.couple_id != row.couple_id:
        return False
    return couple.paused_until is None or couple.paused_until <= now


async def take_due(work: Work, now: datetime) -> tuple[list[Due], list[Shown]]:
    """The reminders and questions due now, and the answers a day-old question reveals.
    Their rows are gone once this unit of work commits."""
    session = work.session
    due_items: list[Due] = []
    shown: list[Shown] = []
    for due in await follow_ups.take_due(session, FEEDBACK_KINDS, now):
        row = await session.get(DateProposal, due.ref_id)
        if row is None or row.status != DateStatus.ACCEPTED or row.planned_on is None:
            continue
        if due.kind is FollowUpKind.DATE_REVEAL:
            shown += await _reveal(work, row, now)
            continue
        user = await session.get(User, due.user_id)
        couple = await session.get(Couple, row.couple_id)
        partner = await users.partner_of(session, user) if user is not None else None
        if user is None or partner is None or not _sendable(user, couple, row, now):
            continue
        if due.kind is FollowUpKind.DATE_REMINDER and now - due.due_at > REMINDER_LATE:
            continue
        if due.kind is FollowUpKind.DATE_FEEDBACK:
            session.add(DateFeedback(proposal_id=row.id, user_id=user.id, asked_at=now))
        proposer = user if user.id == row.proposer_id else partner
        planned_at = parse_clock(row.planned_time) if row.planned_time else None
        day, at = seen_from(row.planned_on, planned_at, proposer.timezone, user.timezone)
        due_items.append(
            Due(
                due.kind,
                person_in(work, user),
                person_in(work, partner),
                row.id,
                row.idea_key,
                day,
                at,
            )
        )
    await session.flush()
    return due_items, shown


async def _reveal(work: Work, row: DateProposal, now: datetime) -> list[Shown]:
    """A day after asking: each emoji given so far goes to the partner (with words if any)."""
    session = work.session
    row.feedback_revealed_at = now
    answers = (
        await session.execute(select(DateFeedback).where(DateFeedback.proposal_id == row.id))
    ).scalars()
    shown: list[Shown] = []
    for fb in answers:
        if fb.rating is None or fb.revealed_at is not None:
            continue
        author = await session.get(User, fb.user_id)
        partner = await users.partner_of(session, author) if author is not None else None
        fb.revealed_at = now
        if fb.answered_at is None:
            fb.answered_at = now
            await conversation.close_step(session, fb.user_id, StepKind.DATE_FEEDBACK, row.id)
        if author is not None and partner is not None and author.couple_id == row.couple_id:
            shown.append(_shown(work, partner, author, row, fb))
    return shown


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Planned:
    """A planned date as the proposer sees it (the partner's view: `seen_from`)."""

    id: int
    idea_key: str
    day: date
    at: time | None
    partner: Person
    step: Step | None = None


async def pick_days(work: Work, me: Person, proposal_id: int, now: datetime) -> list[date]:
    """The days "Pick a day" offers (the proposal must be mine, accepted, not yet planned)."""
    await _unplanned(work.session, await row_of(work, me), proposal_id)
    return days_to_pick(local_today(me.timezone, now))


async def plan_day(
    work: Work, me: Person, proposal_id: int, day: date | WhenChoice, now: datetime
) -> Planned:
    """See `plan`; a choice (tonight, ...) is read in the proposer's zone."""
    if isinstance(day, WhenChoice):
        day = day_for(day, local_today(me.timezone, now))
    row, partner, step = await plan(work.session, await row_of(work, me), proposal_id, day, now)
    assert row.planned_on is not None
    return Planned(row.id, row.idea_key, row.planned_on, None, person_in(work, partner), step)


async def plan_time(
    work: Work, me: Person, proposal_id: int, text: str, now: datetime
) -> Planned | None:
    """See `set_time`."""
    user = await row_of(work, me)
    row = await set_time(work.session, user, proposal_id, text, now)
    if row is None:
        return None
    partner = await users.partner_of(work.session, user)
    if partner is None or row.planned_on is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return Planned(
        row.id,
        row.idea_key,
        row.planned_on,
        parse_clock(row.planned_time or ""),
        person_in(work, partner),
    )


async def rate_date(
    work: Work, me: Person, proposal_id: int, rating: Rating, now: datetime
) -> Step:
    """See `rate`."""
    return await rate(work.session, await row_of(work, me), proposal_id, rating, now)
