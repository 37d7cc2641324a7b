"""Each Telegram update id is claimed once: a redelivered update is recognised, in the same
transaction or a later one."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db import Database
from bot.services.updates import claim_update

NOW = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)


async def test_an_update_id_is_claimed_once(db: Database) -> None:
    async with db.transaction() as session:
        assert await claim_update(session, 41, NOW) is True
        assert await claim_update(session, 41, NOW) is False
    async with db.transaction() as session:
        assert await claim_update(session, 41, NOW) is False  # redelivered after a restart
        assert await claim_update(session, 42, NOW) is True
