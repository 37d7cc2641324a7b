"""What free text the bot expects next from a user (one pending input per user)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import PendingInput


class Expect(enum.StrEnum):
    CHECKIN_ANSWER = "checkin_answer"
    CHECKIN_NEED = "checkin_need"
    APPRECIATION = "appreciation"
    COUNTER_PROPOSAL = "counter_proposal"


async def expect(
    session: AsyncSession,
    user_id: int,
    kind: Expect,
    now: datetime,
    *,
    ref_id: int | None = None,
    ref_key: str | None = None,
) -> None:
    row = await session.get(PendingInput, user_id)
    if row is None:
        session.add(
            PendingInput(
                user_id=user_id, kind=kind.value, ref_id=ref_id, ref_key=ref_key, created_at=now
            )
        )
    else:
        row.kind, row.ref_id, row.ref_key, row.created_at = kind.value, ref_id, ref_key, now
    await session.flush()


async def pending(session: AsyncSession, user_id: int) -> PendingInput | None:
    return await session.get(PendingInput, user_id)


async def clear(session: AsyncSession, *user_ids: int) -> None:
    if user_ids:
        await session.execute(delete(PendingInput).where(PendingInput.user_id.in_(user_ids)))
