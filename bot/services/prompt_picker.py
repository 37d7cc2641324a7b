"""Choosing prompts from the bank so that nobody meets the same one twice within 60 days
while the pool has unseen ones left; when it has none, the one seen longest ago comes back.

Who "has seen" a prompt depends on how it is shown. The day's check-in question is the
couple's (both answer the same one): pass no `person_id`, and every showing to the couple
counts. Appreciation prompts and date ideas are each person's own: pass `person_id`, and
what that person was shown counts (in any couple), with the couple's shared rows (from
before prompts were remembered per person) counting for both partners."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import PromptShown
from bot.prompt_bank import LoveLanguage, Prompt

NO_REPEAT = timedelta(days=60)
# A prompt serving one of the languages the picker leans toward is this many times as likely.
LEAN_WEIGHT = 3
P = TypeVar("P", bound=Prompt)


def _seen_by(couple_id: int, person_id: int | None) -> ColumnElement[bool]:
    if person_id is None:
        return PromptShown.couple_id == couple_id
    shared = and_(PromptShown.couple_id == couple_id, PromptShown.user_id.is_(None))
    return or_(PromptShown.user_id == person_id, shared)


async def last_shown(
    session: AsyncSession, couple_id: int, keys: Sequence[str], *, person_id: int | None = None
) -> dict[str, datetime]:
    """When each of `keys` was last shown to the couple, or to `person_id` (see above)."""
    stmt = (
        select(PromptShown.prompt_key, func.max(PromptShown.shown_at))
        .where(_seen_by(couple_id, person_id), PromptShown.prompt_key.in_(keys))
        .group_by(PromptShown.prompt_key)
    )
    return {key: at for key, at in (await session.execute(stmt)).all()}


async def pick(
    session: AsyncSession,
    couple_id: int,
    pool: Sequence[P],
    now: datetime,
    *,
    rng: random.Random | None = None,
    person_id: int | None = None,
    lean: frozenset[LoveLanguage] = frozenset(),
) -> P:
    """A prompt not seen within 60 days (by the couple, or by `person_id`), recorded as shown.
    When every prompt of the pool was seen: the one seen longest ago. With `lean` (the
    receiver's shared love languages), a candidate that serves one of them is `LEAN_WEIGHT`
    times as likely as another; the no-repeat rule comes first all the same."""
    chooser = rng or random
    seen = await last_shown(session, couple_id, [p.key for p in pool], person_id=person_id)
    candidates = [p for p in pool if p.key not in seen or seen[p.key] <= now - NO_REPEAT]
    if not candidates:  # every one seen within 60 days: the one seen longest ago comes back
        choice = min(pool, key=lambda p: seen[p.key])
    elif lean:
        weights = [LEAN_WEIGHT if p.serves & lean else 1 for p in candidates]
        choice = chooser.choices(candidates, weights)[0]
    else:
        choice = chooser.choice(candidates)
    await record(session, couple_id, choice.key, now, person_id=person_id)
    return choice


async def record(
    session: AsyncSession, couple_id: int, key: str, now: datetime, *, person_id: int | None = None
) -> None:
    """Remember that `key` was shown to the couple, or to `person_id`."""
    session.add(PromptShown(couple_id=couple_id, user_id=person_id, prompt_key=key, shown_at=now))
    await session.flush()
