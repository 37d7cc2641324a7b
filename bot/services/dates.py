"""Date nights: an idea from the bank, proposed by one partner and answered by the other."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import DateProposal, DateStatus, User
from bot.prompt_bank import DATE_IDEAS, DateIdea, by_key
from bot.services import prompt_picker
from bot.services.exchange_errors import ExchangeError, Stale


class DateAnswer(enum.StrEnum):
    ACCEPT = DateStatus.ACCEPTED.value
    DECLINE = DateStatus.DECLINED.value
    SWAP = DateStatus.SWAPPED.value


async def suggest(session: AsyncSession, user: User, now: datetime) -> DateIdea | None:
    """A date idea the couple has not seen in 60 days; None when every idea was seen."""
    assert user.couple_id is not None
    return await prompt_picker.pick(session, user.couple_id, DATE_IDEAS, now, allow_repeat=False)


def idea(key: str) -> DateIdea:
    found = by_key(key)
    if not isinstance(found, DateIdea):
        raise KeyError(key)
    return found


async def propose(session: AsyncSession, user: User, idea_key: str, now: datetime) -> DateProposal:
    if user.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    try:
        idea(idea_key)
    except KeyError:
        raise ExchangeError(Stale.CLOSED) from None
    already = await session.execute(
        select(DateProposal.id).where(
            DateProposal.couple_id == user.couple_id,
            DateProposal.proposer_id == user.id,
            DateProposal.idea_key == idea_key,
            DateProposal.status == DateStatus.PROPOSED,
        )
    )
    if already.first() is not None:  # a second tap on the same idea message
        raise ExchangeError(Stale.ALREADY)
    row = DateProposal(
        couple_id=user.couple_id,
        proposer_id=user.id,
        idea_key=idea_key,
        status=DateStatus.PROPOSED,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def answer(
    session: AsyncSession, user: User, proposal_id: int, reply: DateAnswer, now: datetime
) -> DateProposal:
    row = await session.get(DateProposal, proposal_id)
    if row is None or user.couple_id is None or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.proposer_id == user.id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != DateStatus.PROPOSED:
        raise ExchangeError(Stale.ALREADY)
    row.status = reply.value
    row.answered_at = now
    await session.flush()
    return row
