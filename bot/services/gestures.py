"""Small gestures: a hug sent to the partner (/hug, the 💞 button), at most three a day per
person, counted in the sender's own day and zone. A hug is never part of any recap; it is kept
a week (see `bot.services.retention`), for the limit and its "💞 back" button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.models import Gesture
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work

DAILY_LIMIT = 3


@dataclass(frozen=True, slots=True)
class Hug:
    """A hug that was sent (`id` goes in its "💞 back" button)."""

    id: int
    back: bool  # a hug back, answering one the sender received


async def sent_today(work: Work, me: Person, now: datetime) -> int:
    local_date = now.astimezone(ZoneInfo(me.timezone)).date()
    stmt = select(func.count(Gesture.id)).where(
        Gesture.from_user_id == me.id, Gesture.local_date == local_date
    )
    return int((await work.session.execute(stmt)).scalar_one())


async def send_hug(
    work: Work, me: Person, partner: Person, now: datetime, *, back_of: int | None = None
) -> Hug | None:
    """Record a hug from `me` to `partner`; None when `me` has sent three today already
    (nothing changes then). `back_of`: the id of the hug `me` received and answers; a hug of
    another couple, or not sent to `me`, is refused (`Stale.NOT_YOURS`), one answered already
    too (`Stale.ALREADY`)."""
    received = None
    if back_of is not None:
        received = await work.session.get(Gesture, back_of)
        if received is None or received.couple_id != me.couple_id or received.to_user_id != me.id:
            raise ExchangeError(Stale.NOT_YOURS)
        if received.returned_at is not None:
            raise ExchangeError(Stale.ALREADY)
    if me.couple_id is None or partner.couple_id != me.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if await sent_today(work, me, now) >= DAILY_LIMIT:
        return None
    if received is not None:
        received.returned_at = now
    row = Gesture(
        couple_id=me.couple_id,
        from_user_id=me.id,
        to_user_id=partner.id,
        local_date=now.astimezone(ZoneInfo(me.timezone)).date(),
        created_at=now,
    )
    work.session.add(row)
    await work.session.flush()
    return Hug(row.id, back=received is not None)
