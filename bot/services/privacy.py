"""What a user can take (export) and erase (delete) of their data."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Appreciation,
    Checkin,
    CheckinAnswer,
    Couple,
    DateFeedback,
    DateProposal,
    DayNotice,
    FlowPart,
    FollowUp,
    Gesture,
    GuidedFlow,
    HeldText,
    ImportantDay,
    Invite,
    JoinAttempt,
    LoveProfile,
    MemoryMark,
    MemoryNote,
    OpenStep,
    OutboxMessage,
    PromptShown,
    Reaction,
    Request,
    RitualSchedule,
    User,
)
from bot.prompt_bank import by_key
from bot.services import love_languages, memories, pairing
from bot.services.people import Person, language_of, person_in, row_of
from bot.services.users import partner_of
from bot.services.work import Work

EXPORT_VERSION = 1


def _stamp(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment is not None else None


def _question(key: str) -> str:
    try:
        return by_key(key).text
    except KeyError:
        return key


async def export(session: AsyncSession, user: User, now: datetime) -> dict[str, Any]:
    """Everything the bot holds about the user, and what the partner shared with them.
    Timestamps are in the user's own time zone."""
    zone = ZoneInfo(user.timezone)
    partner = await partner_of(session, user)
    schedules = (
        await session.execute(select(RitualSchedule).where(RitualSchedule.user_id == user.id))
    ).scalars()
    data: dict[str, Any] = {
        "format": "couples-rituals-bot export",
        "version": EXPORT_VERSION,
        "exported_at": _stamp(now, zone),
        "profile": {
            "telegram_user_id": user.id,
            "first_name": user.first_name,
            "language": language_of(user),
            "time_zone": user.timezone,
            "first_seen": _stamp(user.created_at, zone),
            "paired_with": partner.first_name if partner else None,
        },
        "rituals": [
            {
                "ritual": s.ritual,
                "enabled": s.enabled,
                "local_time": s.local_time,
                "weekday": s.weekday,
                "next_at": _stamp(s.next_fire_at, zone),
            }
            for s in schedules
        ],
        "checkins": [],
        "appreciations_sent": [],
        "appreciations_received": [],
        "requests": [],
        "dates": [],
        "important_days": [],
        "hugs": [],
        "guided_rituals": [],
        "love_language": await love_languages.export(session, user),
    }
    mine = (
        await session.execute(
            select(CheckinAnswer, Checkin)
            .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
            .where(CheckinAnswer.user_id == user.id)
            .order_by(Checkin.opened_at)
        )
    ).all()
    for answer, checkin in mine:
        entry: dict[str, Any] = {
            "date": _stamp(checkin.opened_at, zone),
            "question": _question(checkin.question_key),
            "status": checkin.status,
            "my_mood": answer.mood,
            "my_answer": answer.answer,
            "my_photo_file_id": answer.photo_file_id,
            "my_need": answer.need,
            "partner_reply_to_my_need": answer.need_reply,
            "partner_note_on_my_need": answer.need_note,
        }
        if checkin.status == "revealed":  # only what was actually shared with the user
            other = (
                await session.execute(
                    select(CheckinAnswer).where(
                        CheckinAnswer.checkin_id == checkin.id,
                        CheckinAnswer.user_id != user.id,
                    )
                )
            ).scalar_one_or_none()
            if other is not None:
                entry["partner_mood"] = other.mood
                entry["partner_answer"] = other.answer
                entry["partner_photo_file_id"] = other.photo_file_id
                entry["partner_need"] = other.need
        data["checkins"].append(entry)
    appreciations = (
        await session.execute(
            select(Appreciation)
            .where(or_(Appreciation.from_user_id == user.id, Appreciation.to_user_id == user.id))
            .order_by(Appreciation.created_at)
        )
    ).scalars()
    for row in appreciations:
        key = "appreciations_sent" if row.from_user_id == user.id else "appreciations_received"
        data[key].append(
            {
                "at": _stamp(row.created_at, zone),
                "text": row.text,
                "photo_file_id": row.photo_file_id,
                "received_with_love": _stamp(row.received_at, zone),
            }
        )
    requests = (
        await session.execute(
            select(Request)
            .where(or_(Request.from_user_id == user.id, Request.to_user_id == user.id))
            .order_by(Request.created_at)
        )
    ).scalars()
    for request in requests:
        data["requests"].append(
            {
                "direction": "asked" if request.from_user_id == user.id else "received",
                "at": _stamp(request.created_at, zone),
                "text": request.text,
                "answer": request.status,
                "counter_proposal": request.counter_text,
            }
        )
    if user.couple_id is not None:
        proposals = (
            await session.execute(
                select(DateProposal)
                .where(DateProposal.couple_id == user.couple_id)
                .order_by(DateProposal.created_at)
            )
        ).scalars()
        for proposal in proposals:
            answers = (
                await session.execute(
                    select(DateFeedback).where(DateFeedback.proposal_id == proposal.id)
                )
            ).scalars()
            how_was_it = {
                ("mine" if fb.user_id == user.id else "partner"): {
                    "rating": fb.rating,
                    "words": fb.words,
                }
                for fb in answers
                if fb.rating is not None and (fb.user_id == user.id or fb.revealed_at is not None)
            }
            data["dates"].append(
                {
                    "proposed_by_me": proposal.proposer_id == user.id,
                    "at": _stamp(proposal.created_at, zone),
                    "idea": _question(proposal.idea_key),
                    "outcome": proposal.status,
                    "planned_on": proposal.planned_on.isoformat() if proposal.planned_on else None,
                    "planned_time": proposal.planned_time,
                    "how_was_it": how_was_it,
                }
            )
    data["memory_book"] = await memories.export_of(session, user, zone)
    if user.couple_id is not None:
        days = (
            await session.execute(
                select(ImportantDay)
                .where(ImportantDay.couple_id == user.couple_id)
                .order_by(ImportantDay.month, ImportantDay.day, ImportantDay.id)
            )
        ).scalars()
        data["important_days"] = [
            {
                "kind": day.kind,
                "name": day.name,
                "month": day.month,
                "day": day.day,
                "mine": day.person_id == user.id if day.person_id is not None else None,
            }
            for day in days
        ]
    hugs = (
        await session.execute(
            select(Gesture)
            .where(or_(Gesture.from_user_id == user.id, Gesture.to_user_id == user.id))
            .order_by(Gesture.created_at, Gesture.id)
        )
    ).scalars()
    data["hugs"] = [
        {
            "direction": "sent" if hug.from_user_id == user.id else "received",
            "at": _stamp(hug.created_at, zone),
        }
        for hug in hugs
    ]
    parts = (
        await session.execute(
            select(FlowPart, GuidedFlow)
            .join(GuidedFlow, GuidedFlow.id == FlowPart.flow_id)
            .where(FlowPart.user_id == user.id)
            .order_by(GuidedFlow.created_at)
        )
    ).all()
    for part, flow in parts:
        data["guided_rituals"].append(
            {
                "kind": flow.kind,
                "at": _stamp(flow.created_at, zone),
                "started_by_me": flow.started_by == user.id,
                "minutes": flow.minutes,
                "my_choice": part.choice,
                "my_word": part.words,
            }
        )
    return data


async def _erase_from_partners_rows(session: AsyncSession, uid: int) -> None:
    """What the user left on rows that stay their partner's (or former partners'): a
    counter-proposal to a request, the answer to a need, their id as the recipient."""
    answered = select(CheckinAnswer.checkin_id).where(CheckinAnswer.user_id == uid)
    await session.execute(
        update(CheckinAnswer)
        .where(CheckinAnswer.checkin_id.in_(answered), CheckinAnswer.user_id != uid)
        .values(need_reply=None, need_note=None)
    )
    await session.execute(update(Couple).where(Couple.paused_by == uid).values(paused_by=None))
    await session.execute(
        update(GuidedFlow).where(GuidedFlow.started_by == uid).values(started_by=None)
    )
    await session.execute(
        update(Request).where(Request.to_user_id == uid).values(counter_text=None, to_user_id=None)
    )
    for column in (Request.counter_by_id, Request.writer_id):
        await session.execute(update(Request).where(column == uid).values({column.key: None}))
    await session.execute(
        update(Appreciation).where(Appreciation.to_user_id == uid).values(to_user_id=None)
    )


async def delete_everything(session: AsyncSession, user: User, now: datetime) -> User | None:
    """Erase the user: profile, settings, answers, invites, deliveries, counters, and what
    they wrote on the partner's rows (a counter-proposal, the answer to a need). The couple
    ends; the partner's own words stay theirs. Returns the former partner."""
    partner = None
    if user.couple_id is not None:
        partner = await pairing.unpair(session, user, now)
    uid = user.id
    await _erase_from_partners_rows(session, uid)
    # Explicit deletes (the foreign keys cascade too; explicit keeps it obvious and portable).
    for model, column in (
        (Reaction, Reaction.from_user_id),
        (CheckinAnswer, CheckinAnswer.user_id),
        (Appreciation, Appreciation.from_user_id),
        (Request, Request.from_user_id),
        (DateFeedback, DateFeedback.user_id),
        (DateProposal, DateProposal.proposer_id),
        (FollowUp, FollowUp.user_id),
        (Gesture, Gesture.from_user_id),
        (Gesture, Gesture.to_user_id),
        (DayNotice, DayNotice.user_id),
        (ImportantDay, ImportantDay.person_id),
        (ImportantDay, ImportantDay.added_by),
        (FlowPart, FlowPart.user_id),
        (LoveProfile, LoveProfile.user_id),
        (OutboxMessage, OutboxMessage.user_id),
        (OutboxMessage, OutboxMessage.author_id),
        (RitualSchedule, RitualSchedule.user_id),
        (OpenStep, OpenStep.user_id),
        (HeldText, HeldText.user_id),
        (MemoryNote, MemoryNote.author_id),
        (MemoryMark, MemoryMark.user_id),
        (PromptShown, PromptShown.user_id),
        (JoinAttempt, JoinAttempt.user_id),
        (Invite, Invite.inviter_id),
    ):
        await session.execute(delete(model).where(column == uid))
    await session.execute(delete(User).where(User.id == uid))
    await memories.forget_orphans(session)  # the partner's marks on the user's words
    session.expunge(user)
    await session.flush()
    return partner


# For handlers: a unit of work and people in, plain data out.


async def export_for(work: Work, me: Person, now: datetime) -> dict[str, Any]:
    """See `export`."""
    return await export(work.session, await row_of(work, me), now)


async def erase(work: Work, me: Person, now: datetime) -> Person | None:
    """Erase the user (see `delete_everything`); returns the former partner."""
    former = await delete_everything(work.session, await row_of(work, me), now)
    return person_in(work, former) if former is not None else None
