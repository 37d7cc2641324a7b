"""Appreciations: a few words for the partner, relayed with a "Received with love" tap."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Appreciation, User
from bot.prompt_bank import APPRECIATION_PROMPTS, Prompt
from bot.services import inputs, prompt_picker
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.inputs import Expect

MAX_LENGTH = 1000


class TooLongAppreciation(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(str(length))
        self.length = length


async def prompt(session: AsyncSession, user: User, now: datetime) -> Prompt:
    """Pick today's appreciation prompt and wait for the user's words."""
    assert user.couple_id is not None
    chosen = await prompt_picker.pick(session, user.couple_id, APPRECIATION_PROMPTS, now)
    assert chosen is not None
    await inputs.expect(session, user.id, Expect.APPRECIATION, now, ref_key=chosen.key)
    return chosen


async def send(
    session: AsyncSession,
    user: User,
    partner: User,
    text: str,
    now: datetime,
    prompt_key: str | None = None,
) -> Appreciation:
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise TooLongAppreciation(len(text))
    assert user.couple_id is not None
    row = Appreciation(
        couple_id=user.couple_id,
        from_user_id=user.id,
        to_user_id=partner.id,
        prompt_key=prompt_key,
        text=text,
        created_at=now,
    )
    session.add(row)
    await inputs.clear(session, user.id)
    await session.flush()
    return row


async def receive(
    session: AsyncSession, user: User, appreciation_id: int, now: datetime
) -> Appreciation:
    """The recipient taps "Received with love" (once)."""
    row = await session.get(Appreciation, appreciation_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.received_at is not None:
        raise ExchangeError(Stale.ALREADY)
    row.received_at = now
    await session.flush()
    return row
