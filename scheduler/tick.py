"""The periodic tick: claim the (user, ritual) rows that are due, record one delivery per
local date, advance each row to its next local occurrence, then hand the prompts to a sender.

The work grows with the number of due rows (an indexed range scan on `next_fire_at`), not with
the number of couples. On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so several bot
processes can share a database; the unique delivery key makes a second send impossible.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, is_postgres
from bot.logging_setup import class_chain, withheld
from bot.models import Couple, RitualDelivery, RitualSchedule, User
from bot.services.rituals import Ritual, compute_next

log = logging.getLogger(__name__)

DEFAULT_BATCH = 1000


@dataclass(frozen=True, slots=True)
class DuePrompt:
    delivery_id: int
    user_id: int
    ritual: Ritual
    local_date: date
    scheduled_for: datetime


@dataclass(slots=True)
class TickReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    skipped_late: int = 0
    skipped_inactive: int = 0
    duplicates: int = 0
    prompts: list[DuePrompt] = field(default_factory=list)


# The sender returns None when the prompt was delivered, else a short reason.
Sender = Callable[[DuePrompt], Awaitable[str | None]]


async def _claim_rows(session: AsyncSession, now: datetime, limit: int) -> list[RitualSchedule]:
    stmt = (
        select(RitualSchedule)
        .where(RitualSchedule.next_fire_at <= now, RitualSchedule.enabled.is_(True))
        .order_by(RitualSchedule.next_fire_at)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return list((await session.execute(stmt)).scalars())


async def claim_due(
    db: Database, now: datetime, grace: timedelta, limit: int = DEFAULT_BATCH
) -> TickReport:
    """One transaction: decide what is due, record deliveries, advance the schedule."""
    report = TickReport()
    async with db.transaction() as session:
        rows = await _claim_rows(session, now, limit)
        report.claimed = len(rows)
        if not rows:
            return report
        user_ids = {row.user_id for row in rows}
        people = {
            u.id: u
            for u in (await session.execute(select(User).where(User.id.in_(user_ids)))).scalars()
        }
        couple_ids = {u.couple_id for u in people.values() if u.couple_id is not None}
        couples = (
            {
                c.id: c
                for c in (
                    await session.execute(select(Couple).where(Couple.id.in_(couple_ids)))
                ).scalars()
            }
            if couple_ids
            else {}
        )
        wanted: list[dict[str, object]] = []
        for row in rows:
            user = people[row.user_id]
            scheduled_for = row.next_fire_at
            assert scheduled_for is not None
            row.next_fire_at = compute_next(row, user.timezone, max(now, scheduled_for))
            ritual = Ritual(row.ritual)
            lateness = now - scheduled_for
            if lateness > grace:
                report.skipped_late += 1
                log.info(
                    "skipping %s for user %s: %s late (grace %s); next at %s",
                    ritual,
                    user.id,
                    lateness,
                    grace,
                    row.next_fire_at,
                )
                continue
            couple = couples.get(user.couple_id) if user.couple_id is not None else None
            reason = _not_sendable(user, couple, now)
            if reason:
                report.skipped_inactive += 1
                log.info("not sending %s to user %s: %s", ritual, user.id, reason)
                continue
            wanted.append(
                {
                    "user_id": user.id,
                    "ritual": ritual.value,
                    "local_date": scheduled_for.astimezone(ZoneInfo(user.timezone)).date(),
                    "scheduled_for": scheduled_for,
                    "status": "pending",
                    "created_at": now,
                }
            )
        report.prompts = await _record_deliveries(session, wanted)
        report.duplicates = len(wanted) - len(report.prompts)
        if report.duplicates:
            log.info("%d due prompts were already delivered; not sent again", report.duplicates)
    return report


def _not_sendable(user: User, couple: Couple | None, now: datetime) -> str | None:
    if not user.is_active:
        return "inactive"
    if couple is None:
        return "unpaired"
    if couple.paused_until is not None and couple.paused_until > now:
        return "paused"
    return None


async def _record_deliveries(
    session: AsyncSession, wanted: list[dict[str, object]]
) -> list[DuePrompt]:
    """Insert one delivery row per prompt in a single statement. A row that already exists
    (the same user, ritual and local date) is left alone and its prompt is not sent."""
    if not wanted:
        return []
    insert_fn = pg_insert if is_postgres(session) else sqlite_insert
    table = RitualDelivery.__table__.c
    stmt = (
        insert_fn(RitualDelivery)
        .values(wanted)
        .on_conflict_do_nothing(index_elements=["user_id", "ritual", "local_date"])
        .returning(table.id, table.user_id, table.ritual, table.local_date, table.scheduled_for)
    )
    rows = (await session.execute(stmt)).all()
    return [
        DuePrompt(r.id, r.user_id, Ritual(r.ritual), r.local_date, r.scheduled_for) for r in rows
    ]


async def record_outcome(
    db: Database, delivery_id: int, failure: str | None, now: datetime
) -> None:
    values: dict[str, object] = (
        {"status": "sent", "sent_at": now}
        if failure is None
        else {"status": "failed", "detail": failure[:64]}
    )
    async with db.transaction() as session:
        await session.execute(
            update(RitualDelivery).where(RitualDelivery.id == delivery_id).values(**values)
        )


async def run_tick(
    db: Database,
    now: datetime,
    send: Sender,
    *,
    grace: timedelta,
    limit: int = DEFAULT_BATCH,
    concurrency: int = 8,
) -> TickReport:
    """Claim what is due and send it, a few at a time (the rate limiter paces the sends).
    Each prompt's outcome is recorded as it completes."""
    report = await claim_due(db, now, grace, limit)
    gate = asyncio.Semaphore(concurrency)

    async def deliver(prompt: DuePrompt) -> None:
        async with gate:
            await _deliver_one(db, now, send, prompt, report)

    await asyncio.gather(*(deliver(p) for p in report.prompts))
    return report


async def _deliver_one(
    db: Database, now: datetime, send: Sender, prompt: DuePrompt, report: TickReport
) -> None:
    try:
        failure = await send(prompt)
    except Exception as exc:  # a bug in one prompt must not starve the others
        log.error(  # never the message: it may quote stored words
            "sending %s to user %s crashed: %s",
            prompt.ritual,
            prompt.user_id,
            class_chain(exc),
            exc_info=withheld(exc),
        )
        failure = type(exc).__name__
    if failure is None:
        report.sent += 1
    else:
        report.failed += 1
        log.warning("%s for user %s not delivered: %s", prompt.ritual, prompt.user_id, failure)
    await record_outcome(db, prompt.delivery_id, failure, now)
