"""How deep a couple's check-in questions may go, and who may change that.

- A new couple gets light questions only for its first `LIGHT_START` days together; after
  that the default ceiling is medium. `/depth` sets the couple's own ceiling instead.
- Either partner may lower the ceiling at once; raising it needs both: the other partner is
  asked and the ceiling rises only when they accept.
- Deep questions never come on the day after a low mood: the picker's own recent moods count,
  and the partner's only from check-ins that were revealed (an unrevealed mood must not
  change the pick, or the question would give it away).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Checkin, CheckinAnswer, CheckinStatus, Couple, User
from bot.prompt_bank import Depth
from bot.services import users
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person, person_in, row_of
from bot.services.work import Work

LIGHT_START = timedelta(days=14)
DEFAULT_CEILING = Depth.MEDIUM
LOW_MOOD = 2  # moods 1 (😞) and 2 (😕) are low
# "The day after": moods from check-ins opened this long before the pick still count.
LOW_MOOD_LASTS = timedelta(hours=36)


def ceiling_of(couple: Couple, now: datetime) -> Depth:
    """The couple's chosen ceiling, else light while new and medium afterwards."""
    if couple.depth_ceiling is not None:
        return Depth(couple.depth_ceiling)
    if now - couple.created_at < LIGHT_START:
        return Depth.LIGHT
    return DEFAULT_CEILING


async def had_low_mood(session: AsyncSession, user: User, now: datetime) -> bool:
    """A low mood of the user's own, or of their partner in a revealed check-in, in a
    check-in of their couple opened within `LOW_MOOD_LASTS`."""
    assert user.couple_id is not None
    stmt = (
        select(CheckinAnswer.user_id, CheckinAnswer.mood, Checkin.status)
        .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
        .where(
            Checkin.couple_id == user.couple_id,
            Checkin.opened_at > now - LOW_MOOD_LASTS,
            CheckinAnswer.mood.is_not(None),
            CheckinAnswer.mood <= LOW_MOOD,
        )
    )
    for user_id, _mood, status in (await session.execute(stmt)).all():
        if user_id == user.id or status == CheckinStatus.REVEALED:
            return True
    return False


async def allowed_for(session: AsyncSession, user: User, now: datetime) -> Depth:
    """The deepest question the user's couple may get now, as the user picks it."""
    assert user.couple_id is not None
    couple = await session.get(Couple, user.couple_id)
    assert couple is not None
    ceiling = ceiling_of(couple, now)
    if ceiling is Depth.DEEP and await had_low_mood(session, user, now):
        return Depth.MEDIUM
    return ceiling


class Change(enum.Enum):
    SAME = "same"  # already there
    LOWERED = "lowered"  # set at once; the partner is told
    ASKED = "asked"  # a raise waits for the partner's answer
    RAISED = "raised"  # both wanted it (the partner had asked for it already)


class RaiseReply(enum.StrEnum):
    """The partner's answer to a request to go deeper (the value is in the button)."""

    ACCEPT = "y"
    DECLINE = "n"


@dataclass(frozen=True, slots=True)
class Chosen:
    change: Change
    depth: Depth
    partner: Person


@dataclass(frozen=True, slots=True)
class Answered:
    accepted: bool
    depth: Depth
    asker: Person


async def _couple_of(work: Work, me: Person) -> tuple[User, Couple, Person]:
    user = await row_of(work, me)
    partner = await users.partner_of(work.session, user)
    if user.couple_id is None or partner is None:
        raise ExchangeError(Stale.NOT_YOURS)
    couple = await work.session.get(Couple, user.couple_id)
    assert couple is not None
    return user, couple, person_in(work, partner)


async def current(work: Work, me: Person, now: datetime) -> Depth:
    _user, couple, _partner = await _couple_of(work, me)
    return ceiling_of(couple, now)


async def choose(work: Work, me: Person, depth: Depth, now: datetime) -> Chosen:
    """The user wants questions up to `depth`: lower at once, raise only with both."""
    user, couple, partner = await _couple_of(work, me)
    now_at = ceiling_of(couple, now)
    if depth < now_at:
        couple.depth_ceiling = depth.value
        couple.depth_asked = couple.depth_asked_by = None
        change = Change.LOWERED
    elif depth == now_at:
        if couple.depth_asked_by == user.id:
            couple.depth_asked = couple.depth_asked_by = None  # no longer wants more
        change = Change.SAME
    elif couple.depth_asked == depth.value and couple.depth_asked_by == partner.id:
        couple.depth_ceiling = depth.value
        couple.depth_asked = couple.depth_asked_by = None
        change = Change.RAISED
    else:
        couple.depth_asked = depth.value
        couple.depth_asked_by = user.id
        change = Change.ASKED
    await work.session.flush()
    return Chosen(change, depth, partner)


async def answer(
    work: Work, me: Person, couple_id: int, depth: Depth, reply: RaiseReply, now: datetime
) -> Answered:
    """The partner's answer to a request to raise the ceiling. Only the request now waiting
    in the user's own couple, asked by their partner, can be answered."""
    user, couple, partner = await _couple_of(work, me)
    if couple.id != couple_id or couple.depth_asked_by == user.id:
        raise ExchangeError(Stale.NOT_YOURS)
    if couple.depth_asked != depth.value or couple.depth_asked_by != partner.id:
        raise ExchangeError(Stale.CLOSED)  # withdrawn, answered, or replaced by another
    accepted = reply is RaiseReply.ACCEPT
    if accepted:
        couple.depth_ceiling = max(depth, ceiling_of(couple, now)).value
    couple.depth_asked = couple.depth_asked_by = None
    await work.session.flush()
    return Answered(accepted, depth, partner)
