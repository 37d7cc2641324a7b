"""The outbox: everything the bot sends on its own, with leases, so that a crash never loses a
message and never sends one twice.

A row is `pending` until a process claims it (`claimed`, with a lease). Just before its HTTP
call the row becomes `sending`; once Telegram accepted it, `sent`. If the process dies, an
expired lease makes a `claimed` row claimable again by any process while its grace window
lasts; a row found `sending` is never sent again: it ends as `unknown` (the call may have
reached Telegram, and Telegram has no idempotency key). Refusals that prove nothing was
delivered (429, 5xx, a connection that never opened) are retried with backoff until the
grace window ends (`missed`); refusals for good (blocked, chat not found) end as `failed`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import OutboxMessage, OutboxStatus
from bot.services.people import Person
from bot.services.work import Work

LEASE = timedelta(seconds=60)
RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this process may now send."""

    id: int
    user_id: int
    ritual: str | None
    local_date: date | None
    scheduled_for: datetime
    payload: str | None
    attempts: int


@dataclass(frozen=True, slots=True)
class PromptWanted:
    user_id: int
    ritual: str
    local_date: date
    scheduled_for: datetime
    not_after: datetime


async def add_prompts(
    session: AsyncSession, wanted: Sequence[PromptWanted], now: datetime
) -> list[int]:
    """One row per prompt, in one statement with the rows as its parameters (cached once
    compiled, whatever their number); a prompt already recorded for the same user,
    ritual and local date is left alone (and not sent again). Returns the new rows' ids."""
    if not wanted:
        return []
    insert_fn = pg_insert if is_postgres(session) else sqlite_insert
    values = [
        {
            "user_id": w.user_id,
            "ritual": w.ritual,
            "local_date": w.local_date,
            "scheduled_for": w.scheduled_for,
            "next_attempt_at": w.scheduled_for,
            "not_after": w.not_after,
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
        }
        for w in wanted
    ]
    stmt = (
        insert_fn(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["user_id", "ritual", "local_date"])
        .returning(OutboxMessage.id)
    )
    return list((await session.execute(stmt, values)).scalars())


async def add_message(
    session: AsyncSession,
    user_id: int,
    payload: dict[str, object],
    now: datetime,
    grace: timedelta,
    *,
    author_id: int | None = None,
    send_at: datetime | None = None,
) -> int:
    """A message for `user_id`, stored ready to send (in the transaction of the change that
    caused it, so a crash after the commit cannot lose it): now, or from `send_at` on (the
    tick sends it then, e.g. a reminder), within the grace window that follows."""
    due = now if send_at is None else max(now, send_at)
    row = OutboxMessage(
        user_id=user_id,
        author_id=author_id,
        payload=json.dumps(payload, ensure_ascii=False),
        status=OutboxStatus.PENDING,
        attempts=0,
        scheduled_for=due,
        next_attempt_at=due,
        not_after=due + grace,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return (
        or_(
            OutboxMessage.status == OutboxStatus.PENDING,
            (OutboxMessage.status == OutboxStatus.CLAIMED) & (OutboxMessage.lease_until <= now),
        ),
        OutboxMessage.next_attempt_at <= now,
        OutboxMessage.not_after > now,
    )


async def claim(
    session: AsyncSession,
    worker: str,
    now: datetime,
    limit: int,
    *,
    ids: Sequence[int] | None = None,
    lease: timedelta = LEASE,
) -> list[Claimed]:
    """Claim up to `limit` rows that are due (optionally only these ids) for `worker`: one
    read and one write, whatever their number."""
    stmt = select(
        OutboxMessage.id,
        OutboxMessage.user_id,
        OutboxMessage.ritual,
        OutboxMessage.local_date,
        OutboxMessage.scheduled_for,
        OutboxMessage.payload,
        OutboxMessage.attempts,
    ).where(*_claimable(now))
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    stmt = stmt.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    claimed = [Claimed(*row) for row in await session.execute(stmt)]
    if claimed:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([c.id for c in claimed]))
            .values(status=OutboxStatus.CLAIMED, claimed_by=worker, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return claimed


async def start_sending(
    session: AsyncSession, row_ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """Just before their HTTP calls, in one statement. Returns the ids this process may send
    now; a row missing from it lost its lease (another process took it over) and must not be
    sent here."""
    if not row_ids:
        return set()
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(row_ids),
            OutboxMessage.status == OutboxStatus.CLAIMED,
            OutboxMessage.claimed_by == worker,
        )
        .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1, lease_until=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


async def finish(
    session: AsyncSession,
    row_ids: Sequence[int],
    status: OutboxStatus,
    now: datetime,
    detail: str | None = None,
) -> None:
    """A final outcome for these rows: sent, unknown, failed or missed. The stored words go."""
    if not row_ids:
        return
    values: dict[str, object] = {"status": status, "payload": None, "claimed_by": None}
    if status is OutboxStatus.SENT:
        values["sent_at"] = now
    if detail is not None:
        values["detail"] = detail[:64]
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(row_ids))
        .values(values)
        .execution_options(synchronize_session=False)
    )


def backoff(attempts: int) -> timedelta:
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX)


async def retry_later(
    session: AsyncSession, row_id: int, now: datetime, reason: str, delay: timedelta | None = None
) -> None:
    """Nothing was delivered: try again later (while the grace window lasts)."""
    row = await session.get(OutboxMessage, row_id)
    if row is None:
        return
    row.status = OutboxStatus.PENDING
    row.claimed_by = None
    row.lease_until = None
    row.next_attempt_at = now + (delay if delay is not None else backoff(row.attempts))
    row.detail = reason[:64]


async def close_expired(session: AsyncSession, now: datetime) -> dict[str, int]:
    """Rows whose grace window ended unsent become `missed` (with the last reason kept); rows
    left `sending` by a process that stopped become `unknown` (never resent)."""
    missed = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]),
            OutboxMessage.not_after <= now,
        )
        .values(status=OutboxStatus.MISSED, payload=None, claimed_by=None)
    )
    unknown = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until <= now - LEASE
        )
        .values(status=OutboxStatus.UNKNOWN, payload=None, claimed_by=None)
    )
    return {
        "missed": int(getattr(missed, "rowcount", 0) or 0),
        "unknown": int(getattr(unknown, "rowcount", 0) or 0),
    }


async def statuses(session: AsyncSession, ids: Sequence[int]) -> dict[int, OutboxStatus]:
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(ids))
    )
    return {row.id: OutboxStatus(row.status) for row in rows}


# For handlers (a unit of work and people, never rows).


async def queue_message(
    work: Work,
    recipient: Person,
    payload: dict[str, object],
    now: datetime,
    grace: timedelta,
    *,
    author: Person | None = None,
    send_at: datetime | None = None,
) -> int:
    """A message to `recipient` (e.g. words relayed from their partner, `author`), now or
    from `send_at` on, committed with the rest of `work`; one for now is listed in
    `work.outbox`, for sending once the work committed."""
    row_id = await add_message(
        work.session,
        recipient.id,
        payload,
        now,
        grace,
        author_id=author.id if author is not None else None,
        send_at=send_at,
    )
    if send_at is None:
        work.outbox.append(row_id)
    return row_id
