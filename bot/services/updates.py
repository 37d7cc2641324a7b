"""Remembering which Telegram updates were handled, so a redelivery changes nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import ProcessedUpdate
from bot.services.work import Work


async def claim_update(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """True the first time an update id is seen, False for a redelivery (also when another
    process claimed it a moment ago). One statement: this runs for every update."""
    insert = postgresql_insert if is_postgres(session) else sqlite_insert
    statement = (
        insert(ProcessedUpdate)
        .values(update_id=update_id, processed_at=now)
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.update_id])
    )
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))


async def claim(work: Work, update_id: int, now: datetime) -> bool:
    """For handlers: see `claim_update`."""
    return await claim_update(work.session, update_id, now)
