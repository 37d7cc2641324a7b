"""Remembering which Telegram updates were handled, so a redelivery changes nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import ProcessedUpdate

KEEP_FOR = timedelta(days=2)


async def claim_update(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen, False for a redelivery."""
    if await session.get(ProcessedUpdate, update_id) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(ProcessedUpdate(update_id=update_id, processed_at=now))
    except IntegrityError:  # another process claimed it a moment ago
        return False
    return True


async def prune_processed(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - KEEP_FOR)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
