"""Choosing prompts from the bank so that a couple never sees the same one twice within 60
days (while the bank has unseen ones left)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import PromptShown
from bot.prompt_bank import Prompt

NO_REPEAT = timedelta(days=60)
P = TypeVar("P", bound=Prompt)


async def last_shown(
    session: AsyncSession, couple_id: int, keys: Sequence[str]
) -> dict[str, datetime]:
    stmt = (
        select(PromptShown.prompt_key, func.max(PromptShown.shown_at))
        .where(PromptShown.couple_id == couple_id, PromptShown.prompt_key.in_(keys))
        .group_by(PromptShown.prompt_key)
    )
    return {key: at for key, at in (await session.execute(stmt)).all()}


async def unseen(
    session: AsyncSession, couple_id: int, pool: Sequence[P], now: datetime
) -> list[P]:
    seen = await last_shown(session, couple_id, [p.key for p in pool])
    return [p for p in pool if p.key not in seen or seen[p.key] <= now - NO_REPEAT]


async def pick(
    session: AsyncSession,
    couple_id: int,
    pool: Sequence[P],
    now: datetime,
    *,
    rng: random.Random | None = None,
    allow_repeat: bool = True,
) -> P | None:
    """A prompt the couple has not seen within 60 days, recorded as shown. When every prompt
    was seen: the least recently shown one if `allow_repeat`, else None."""
    chooser = rng or random
    candidates = await unseen(session, couple_id, pool, now)
    if candidates:
        choice = chooser.choice(candidates)
    elif allow_repeat:
        seen = await last_shown(session, couple_id, [p.key for p in pool])
        choice = min(pool, key=lambda p: seen.get(p.key, now))
    else:
        return None
    await record(session, couple_id, choice.key, now)
    return choice


async def record(session: AsyncSession, couple_id: int, key: str, now: datetime) -> None:
    session.add(PromptShown(couple_id=couple_id, prompt_key=key, shown_at=now))
    await session.flush()
