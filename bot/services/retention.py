"""Pruning what is old: exchanges after RETENTION_DAYS, short-lived bookkeeping sooner."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Appreciation,
    Checkin,
    Couple,
    DateProposal,
    DayNotice,
    Gesture,
    GuidedFlow,
    HeldText,
    ImportantDay,
    Invite,
    JoinAttempt,
    MemoryNote,
    OpenStep,
    OutboxMessage,
    ProcessedUpdate,
    PromptShown,
    Request,
)
from bot.services.conversation import HELD_FOR
from bot.services.memories import forget_orphans

DEFAULT_RETENTION_DAYS = 365
BOOKKEEPING = timedelta(days=2)
PROMPT_MEMORY = timedelta(days=61)  # the no-repeat rule looks back 60 days
GESTURES_KEPT = timedelta(days=7)  # a hug: for the daily limit and its "💞 back" button
NOTICES_KEPT = timedelta(days=400)  # a day's notices: sent once a year


async def prune(session: AsyncSession, now: datetime, retention: timedelta) -> dict[str, int]:
    """Delete old rows; returns how many of each kind went."""
    cutoff = now - retention
    plan = (
        ("checkins", delete(Checkin).where(Checkin.opened_at < cutoff)),
        ("appreciations", delete(Appreciation).where(Appreciation.created_at < cutoff)),
        ("date_proposals", delete(DateProposal).where(DateProposal.created_at < cutoff)),
        ("requests", delete(Request).where(Request.created_at < cutoff)),
        ("memory_notes", delete(MemoryNote).where(MemoryNote.created_at < cutoff)),
        ("gestures", delete(Gesture).where(Gesture.created_at < now - GESTURES_KEPT)),
        ("day_notices", delete(DayNotice).where(DayNotice.sent_at < now - NOTICES_KEPT)),
        (
            "important_days",
            delete(ImportantDay).where(
                ImportantDay.couple_id.in_(select(Couple.id).where(Couple.ended_at.is_not(None)))
            ),
        ),
        ("guided_flows", delete(GuidedFlow).where(GuidedFlow.created_at < cutoff)),
        # Delivery records: words in a stored message are cleared as soon as it is done.
        ("outbox", delete(OutboxMessage).where(OutboxMessage.created_at < cutoff)),
        (
            "prompts_shown",
            delete(PromptShown).where(PromptShown.shown_at < now - max(retention, PROMPT_MEMORY)),
        ),
        (
            "processed_updates",
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - BOOKKEEPING),
        ),
        ("join_attempts", delete(JoinAttempt).where(JoinAttempt.attempted_at < now - BOOKKEEPING)),
        ("invites", delete(Invite).where(Invite.expires_at < now - BOOKKEEPING)),
        ("open_steps", delete(OpenStep).where(OpenStep.expires_at <= now)),
        ("held_texts", delete(HeldText).where(HeldText.created_at <= now - HELD_FOR)),
    )
    counts: dict[str, int] = {}
    for name, statement in plan:
        result = await session.execute(statement)
        counts[name] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    counts["memory_marks"] = await forget_orphans(session)  # of items pruned just now
    return counts
