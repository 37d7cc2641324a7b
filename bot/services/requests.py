"""Clear requests: the partner answers only yes, no, or let's negotiate (then a short
counter-proposal that is relayed back)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Request, User
from bot.services import inputs
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.inputs import Expect

MAX_REQUEST_LENGTH = 500
MAX_COUNTER_LENGTH = 500


class RequestAnswer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    NEGOTIATE = "negotiate"


class TooLongRequest(Exception):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(str(length))
        self.length = length
        self.limit = limit


async def ask(
    session: AsyncSession, user: User, partner: User, text: str, now: datetime
) -> Request:
    text = text.strip()
    if len(text) > MAX_REQUEST_LENGTH:
        raise TooLongRequest(len(text), MAX_REQUEST_LENGTH)
    assert user.couple_id is not None
    row = Request(
        couple_id=user.couple_id,
        from_user_id=user.id,
        to_user_id=partner.id,
        text=text,
        status="open",
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def answer(
    session: AsyncSession, user: User, request_id: int, reply: RequestAnswer, now: datetime
) -> Request:
    row = await session.get(Request, request_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != "open":
        raise ExchangeError(Stale.ALREADY)
    row.status = reply.value
    row.answered_at = now
    if reply is RequestAnswer.NEGOTIATE:
        await inputs.expect(session, user.id, Expect.COUNTER_PROPOSAL, now, ref_id=row.id)
    await session.flush()
    return row


async def counter(
    session: AsyncSession, user: User, request_id: int, text: str, now: datetime
) -> Request:
    row = await session.get(Request, request_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != "negotiate" or row.counter_text is not None:
        raise ExchangeError(Stale.ALREADY)
    text = text.strip()
    if len(text) > MAX_COUNTER_LENGTH:
        raise TooLongRequest(len(text), MAX_COUNTER_LENGTH)
    row.counter_text = text
    await inputs.clear(session, user.id)
    await session.flush()
    return row
