"""One-off messages due later (a date's reminder, "How was it?", a request's check-in), kept
in the `follow_ups` table. The tick takes the due rows of a kind (on PostgreSQL skipping rows
another process holds) and deletes them in the same transaction that puts their messages in
the outbox, so each is sent at most once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import FollowUp, FollowUpKind

BATCH = 200


@dataclass(frozen=True, slots=True)
class Due:
    user_id: int
    kind: FollowUpKind
    ref_id: int
    due_at: datetime


async def plan(
    session: AsyncSession,
    couple_id: int,
    user_id: int,
    kind: FollowUpKind,
    ref_id: int,
    due_at: datetime,
) -> None:
    session.add(
        FollowUp(couple_id=couple_id, user_id=user_id, kind=kind, ref_id=ref_id, due_at=due_at)
    )
    await session.flush()


async def take_due(
    session: AsyncSession, kinds: Sequence[FollowUpKind], now: datetime, limit: int = BATCH
) -> list[Due]:
    """The due rows of these kinds, oldest first, removed from the table."""
    stmt = (
        select(FollowUp)
        .where(FollowUp.kind.in_([k.value for k in kinds]), FollowUp.due_at <= now)
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list((await session.execute(stmt)).scalars())
    if rows:
        await session.execute(delete(FollowUp).where(FollowUp.id.in_([r.id for r in rows])))
    return [Due(r.user_id, FollowUpKind(r.kind), r.ref_id, r.due_at) for r in rows]


async def pending(session: AsyncSession, kind: FollowUpKind, ref_id: int) -> list[FollowUp]:
    """What is still planned for this exchange (tests and checks)."""
    rows = await session.execute(
        select(FollowUp)
        .where(FollowUp.kind == kind.value, FollowUp.ref_id == ref_id)
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return list(rows.scalars())
