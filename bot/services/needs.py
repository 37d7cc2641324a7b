"""What happens to a stated need after the reveal, beyond "yes": "Not today" with an optional
note (or a wish to talk about it), "Let's talk about it" at a chosen time, and the couple's
open needs and requests (/needs), which stay open until one of them closes a need."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Checkin, CheckinAnswer, CheckinStatus, OpenStep, Request, RequestStatus
from bot.services.checkins import NeedReply
from bot.services.conversation import StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, row_of
from bot.services.work import Work

MAX_NOTE_LENGTH = 300
LISTED = 10  # at most this many needs, and as many requests, in /needs
# When "let's talk" happens, in the local time of the one who chose it.
TONIGHT_AT = time(20, 0)
TOMORROW_AT = time(19, 0)
WEEKEND_AT = time(11, 0)
SATURDAY = 5
SOON = timedelta(minutes=30)  # "tonight" chosen late in the evening: in half an hour


class Aside(enum.StrEnum):
    """What comes with "Not today"."""

    NOTHING = "plain"
    TALK = "talk"  # "I'd like to talk about it"
    NOTE = "note"  # a few words


class TalkTime(enum.StrEnum):
    TONIGHT = "tonight"
    TOMORROW = "tomorrow"
    WEEKEND = "weekend"


def talk_moment(when: TalkTime, now: datetime, zone: str) -> datetime:
    """The moment both are reminded (UTC), at a fixed local hour of the chooser's zone."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    today = local.date()
    if when is TalkTime.TONIGHT:
        tonight = datetime.combine(today, TONIGHT_AT, tzinfo=tz)
        return max(tonight, local + SOON).astimezone(now.tzinfo)
    if when is TalkTime.TOMORROW:
        tomorrow = datetime.combine(today + timedelta(days=1), TOMORROW_AT, tzinfo=tz)
        return tomorrow.astimezone(now.tzinfo)
    day = today + timedelta(days=(SATURDAY - today.weekday()) % 7)
    moment = datetime.combine(day, WEEKEND_AT, tzinfo=tz)
    if moment <= local + SOON:  # Saturday late or Sunday: Sunday, else next Saturday
        later = day + timedelta(days=1 if today.weekday() == SATURDAY else 7)
        moment = datetime.combine(later, WEEKEND_AT, tzinfo=tz)
    return moment.astimezone(now.tzinfo)


@dataclass(frozen=True, slots=True)
class NotToday:
    """What the one with the need is told after "Not today"."""

    need: str
    note: str | None
    talk: bool  # they would like to talk about it


@dataclass(frozen=True, slots=True)
class TalkPlan:
    need: str
    at: datetime  # UTC


@dataclass(frozen=True, slots=True)
class OpenNeed:
    answer_id: int
    mine: bool  # the reader stated it
    need: str
    reply: NeedReply | None
    note: str | None
    talk_at: datetime | None


@dataclass(frozen=True, slots=True)
class OpenRequest:
    mine: bool  # the reader asked
    text: str
    negotiating: bool


@dataclass(frozen=True, slots=True)
class OpenItems:
    needs: list[OpenNeed]
    requests: list[OpenRequest]


async def _partners_need(
    session: AsyncSession, couple_id: int | None, user_id: int, checkin_id: int
) -> CheckinAnswer:
    """The partner's answer that holds a need, in a revealed check-in of the user's couple;
    anything else is refused without saying what it holds."""
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or couple_id is None or checkin.couple_id != couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if checkin.status != CheckinStatus.REVEALED:
        raise ExchangeError(Stale.CLOSED)
    stmt = select(CheckinAnswer).where(
        CheckinAnswer.checkin_id == checkin_id, CheckinAnswer.user_id != user_id
    )
    holder = (await session.execute(stmt)).scalar_one_or_none()
    if holder is None or not holder.need:
        raise ExchangeError(Stale.NOT_YOURS)
    return holder


async def leave_note(
    work: Work, me: Person, checkin_id: int, note: str | None, aside: Aside, now: datetime
) -> NotToday:
    """After "Not today": the optional note (`aside` NOTE), or nothing, or the wish to talk;
    passed on once."""
    user = await row_of(work, me)
    holder = await _partners_need(work.session, user.couple_id, user.id, checkin_id)
    if holder.need_reply != NeedReply.NO:
        raise ExchangeError(Stale.NOT_YOURS)
    step = (
        await work.session.execute(
            select(OpenStep).where(
                OpenStep.user_id == user.id,
                OpenStep.kind == StepKind.NEED_NOTE.value,
                OpenStep.ref_id == checkin_id,
                OpenStep.expires_at > now,
            )
        )
    ).scalar_one_or_none()
    if step is None:
        raise ExchangeError(Stale.ALREADY)
    note = note.strip() if note and aside is Aside.NOTE else None
    if note and len(note) > MAX_NOTE_LENGTH:
        raise TooLong(len(note), MAX_NOTE_LENGTH)
    await work.session.delete(step)
    holder.need_note = note or None
    await work.session.flush()
    return NotToday(holder.need or "", holder.need_note, aside is Aside.TALK)


async def plan_talk(
    work: Work, me: Person, checkin_id: int, when: TalkTime, now: datetime
) -> TalkPlan:
    """After "Let's talk about it": when (once); both are reminded then (the caller queues
    the reminders in the outbox for that moment)."""
    user = await row_of(work, me)
    holder = await _partners_need(work.session, user.couple_id, user.id, checkin_id)
    if holder.need_reply != NeedReply.TALK or holder.need_closed_at is not None:
        raise ExchangeError(Stale.NOT_YOURS)
    if holder.talk_at is not None:
        raise ExchangeError(Stale.ALREADY)
    holder.talk_at = talk_moment(when, now, user.timezone)
    await work.session.flush()
    return TalkPlan(holder.need or "", holder.talk_at)


async def open_items(work: Work, me: Person) -> OpenItems:
    """The couple's needs not met with a yes and not closed, and requests still waiting or
    being negotiated; the newest first."""
    user = await row_of(work, me)
    if user.couple_id is None:
        return OpenItems([], [])
    rows = (
        await work.session.execute(
            select(CheckinAnswer)
            .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
            .where(
                Checkin.couple_id == user.couple_id,
                Checkin.status == CheckinStatus.REVEALED,
                CheckinAnswer.need.is_not(None),
                CheckinAnswer.need_closed_at.is_(None),
                (CheckinAnswer.need_reply.is_(None)) | (CheckinAnswer.need_reply != NeedReply.YES),
            )
            .order_by(Checkin.opened_at.desc(), CheckinAnswer.id.desc())
            .limit(LISTED)
        )
    ).scalars()
    needs = [
        OpenNeed(
            row.id,
            row.user_id == user.id,
            row.need or "",
            NeedReply(row.need_reply) if row.need_reply else None,
            row.need_note,
            row.talk_at,
        )
        for row in rows
    ]
    requests = (
        await work.session.execute(
            select(Request)
            .where(
                Request.couple_id == user.couple_id,
                Request.status.in_([RequestStatus.OPEN, RequestStatus.NEGOTIATE]),
            )
            .order_by(Request.created_at.desc(), Request.id.desc())
            .limit(LISTED)
        )
    ).scalars()
    return OpenItems(
        needs,
        [
            OpenRequest(r.from_user_id == user.id, r.text, r.status == RequestStatus.NEGOTIATE)
            for r in requests
        ],
    )


async def close_need(work: Work, me: Person, answer_id: int, now: datetime) -> str:
    """Either partner closes an open need (it leaves /needs); returns its words."""
    user = await row_of(work, me)
    answer = await work.session.get(CheckinAnswer, answer_id)
    checkin = await work.session.get(Checkin, answer.checkin_id) if answer else None
    if (
        answer is None
        or checkin is None
        or user.couple_id is None
        or checkin.couple_id != user.couple_id
        or checkin.status != CheckinStatus.REVEALED
        or not answer.need
    ):
        raise ExchangeError(Stale.NOT_YOURS)
    if answer.need_closed_at is not None:
        raise ExchangeError(Stale.ALREADY)
    answer.need_closed_at = now
    await work.session.flush()
    return answer.need
