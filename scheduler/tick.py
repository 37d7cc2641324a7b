"""The periodic tick: claim the (user, ritual) rows that are due, record one delivery per
local date, advance each row to its next local occurrence, then hand the prompts to a sender.

The work grows with the number of due rows (an indexed range scan on `next_fire_at`), not with
the number of couples. On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so several bot
processes can share a database; the unique delivery key makes a second send impossible.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, is_postgres
from bot.logging_setup import class_chain, withheld
from bot.models import Couple, OutboxStatus, RitualSchedule, User
from bot.services import outbox
from bot.services.rituals import Ritual, compute_next
from scheduler.ledger import Ledger, Recorded

log = logging.getLogger(__name__)

DEFAULT_BATCH = 1000
# Claimed at once for sending: a few seconds' worth at Telegram's default pace (30/s).
SEND_BATCH = 90
# Rows of a batch in flight at once (different users'): about a second's worth at the default
# pace, and what a crash can leave `unknown` at most. It also sizes the group commit that marks
# rows `sending` (scheduler.ledger).
CONCURRENCY = 30
# Names this process in the outbox's claims.
WORKER = f"{socket.gethostname()[:40]}:{os.getpid()}"


class Outcome(enum.Enum):
    SENT = "sent"
    NOTHING = "nothing"  # nothing to send (e.g. the check-in was answered already)
    RETRY = "retry"  # provably not delivered: try again later
    UNKNOWN = "unknown"  # may have been delivered: never resend
    FAILED = "failed"  # refused for good


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    reason: str | None = None
    retry_after: timedelta | None = None


@dataclass(frozen=True, slots=True)
class DuePrompt:
    """An outbox row claimed for sending: a ritual prompt (composed when sent) or a stored
    message (`payload`)."""

    id: int
    user_id: int
    ritual: Ritual | None
    local_date: date | None
    scheduled_for: datetime
    payload: str | None = None

    @classmethod
    def of(cls, row: outbox.Claimed) -> DuePrompt:
        ritual = Ritual(row.ritual) if row.ritual else None
        return cls(row.id, row.user_id, ritual, row.local_date, row.scheduled_for, row.payload)


@dataclass(slots=True)
class TickReport:
    claimed: int = 0  # schedules that were due
    queued: int = 0  # prompts added to the outbox
    sent: int = 0
    retried: int = 0
    unknown: int = 0
    failed: int = 0
    missed: int = 0
    nothing: int = 0
    skipped_late: int = 0
    skipped_inactive: int = 0
    duplicates: int = 0


# Sends one claimed row and says what became of it.
Sender = Callable[[DuePrompt], Awaitable[SendResult]]


@runtime_checkable
class BatchSender(Protocol):
    """A Sender that prepares each group of rows marked `sending` together before any of them
    is sent (e.g. composes their prompts in one transaction)."""

    async def __call__(self, row: DuePrompt) -> SendResult: ...

    async def prepare(self, rows: Sequence[DuePrompt]) -> None: ...


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
    """One transaction: decide what is due, add it to the outbox, advance the schedule."""
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
        # Every ritual is shared: while one partner cannot be reached, both pause.
        unreachable = (
            set(
                (
                    await session.execute(
                        select(User.couple_id).where(
                            User.couple_id.in_(couple_ids), User.is_active.is_(False)
                        )
                    )
                ).scalars()
            )
            if couple_ids
            else set()
        )
        wanted: list[outbox.PromptWanted] = []
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
            reason = _not_sendable(
                user, couple, couple is not None and couple.id in unreachable, now
            )
            if reason:
                report.skipped_inactive += 1
                log.info("not sending %s to user %s: %s", ritual, user.id, reason)
                continue
            wanted.append(
                outbox.PromptWanted(
                    user_id=user.id,
                    ritual=ritual.value,
                    local_date=scheduled_for.astimezone(ZoneInfo(user.timezone)).date(),
                    scheduled_for=scheduled_for,
                    not_after=scheduled_for + grace,
                )
            )
        report.queued = len(await outbox.add_prompts(session, wanted, now))
        report.duplicates = len(wanted) - report.queued
        if report.duplicates:
            log.info("%d due prompts were already recorded; not sent again", report.duplicates)
    return report


def _not_sendable(
    user: User, couple: Couple | None, partner_unreachable: bool, now: datetime
) -> str | None:
    if not user.is_active:
        return "inactive"
    if couple is None:
        return "unpaired"
    if partner_unreachable:
        return "partner not receiving"
    if couple.paused_until is not None and couple.paused_until > now:
        return "paused"
    return None


async def run_tick(
    db: Database,
    now: datetime,
    send: Sender,
    *,
    grace: timedelta,
    limit: int = DEFAULT_BATCH,
    worker: str = "",
    batch: int = SEND_BATCH,
    concurrency: int = CONCURRENCY,
) -> TickReport:
    """Add what is due to the outbox, then send what the outbox holds (from any process)."""
    report = await claim_due(db, now, grace, limit)
    await drain(
        db, now, send, report, worker=worker or WORKER, batch=batch, concurrency=concurrency
    )
    return report


async def drain(
    db: Database,
    now: datetime,
    send: Sender,
    report: TickReport,
    *,
    worker: str = "",
    batch: int = SEND_BATCH,
    concurrency: int = CONCURRENCY,
    ids: list[int] | None = None,
) -> None:
    """Claim small batches (what can be sent in a few seconds) and send them, each user's
    rows in order, users in parallel. Rows are marked `sending` just before their calls,
    together with the rows that start at the same moment, and a batch's outcomes are written
    together (scheduler.ledger)."""
    worker = worker or WORKER
    if ids is None:  # a tick also closes what expired
        async with db.transaction() as session:
            closed = await outbox.close_expired(session, now)
        report.missed += closed["missed"]
        report.unknown += closed["unknown"]
    gate = asyncio.Semaphore(concurrency)
    while True:
        async with db.transaction() as session:
            claimed = await outbox.claim(session, worker, now, batch, ids=ids)
        if not claimed:
            return
        by_user: dict[int, list[DuePrompt]] = {}
        for row in claimed:
            by_user.setdefault(row.user_id, []).append(DuePrompt.of(row))
        ledger = Ledger(db, worker, now, _preparing(send, claimed))

        async def deliver(rows: list[DuePrompt], ledger: Ledger = ledger) -> None:
            async with gate:
                for row in rows:
                    await _deliver_one(ledger, send, row, report)

        await asyncio.gather(*(deliver(rows) for rows in by_user.values()))
        await ledger.flush()
        if ids is not None:
            return


def _preparing(
    send: Sender, claimed: list[outbox.Claimed]
) -> Callable[[list[int]], Awaitable[None]] | None:
    """What prepares each group of rows just marked `sending`, if the sender prepares."""
    if not isinstance(send, BatchSender):
        return None
    rows = {row.id: DuePrompt.of(row) for row in claimed}
    sender = send

    async def prepare(ids: list[int]) -> None:
        await sender.prepare([rows[row_id] for row_id in ids])

    return prepare


async def _deliver_one(ledger: Ledger, send: Sender, row: DuePrompt, report: TickReport) -> None:
    if not await ledger.start(row.id):
        log.info("outbox row %s was taken over by another process; not sent here", row.id)
        return
    what = row.ritual or "message"
    try:
        result = await send(row)
    except Exception as exc:  # a bug in one row must not starve the others
        log.error(  # never the message: it may quote stored words
            "sending %s to user %s crashed: %s",
            what,
            row.user_id,
            class_chain(exc),
            exc_info=withheld(exc),
        )
        result = SendResult(Outcome.UNKNOWN, type(exc).__name__)
    if result.outcome is Outcome.RETRY:
        report.retried += 1
        await ledger.retry_later(row.id, result.reason or "", result.retry_after)
        log.info("%s for user %s: retry later (%s)", what, row.user_id, result.reason)
        return
    status = {
        Outcome.SENT: OutboxStatus.SENT,
        Outcome.NOTHING: OutboxStatus.SENT,
        Outcome.UNKNOWN: OutboxStatus.UNKNOWN,
        Outcome.FAILED: OutboxStatus.FAILED,
    }[result.outcome]
    ledger.record(Recorded(row.id, status, result.reason))
    if result.outcome is Outcome.SENT:
        report.sent += 1
    elif result.outcome is Outcome.NOTHING:
        report.nothing += 1
    elif result.outcome is Outcome.UNKNOWN:
        report.unknown += 1
    else:
        report.failed += 1
        log.warning("%s for user %s not delivered: %s", what, row.user_id, result.reason)
