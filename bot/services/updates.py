"""Remembering which Telegram updates were handled, so a redelivery changes nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import ProcessedUpdate
from bot.services.work import Work


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


async def claim(work: Work, update_id: int, now: datetime) -> bool:
    """For handlers: see `claim_update`."""
    return await claim_update(work.session, update_id, now)
