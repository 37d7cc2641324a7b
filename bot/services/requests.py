"""Clear requests: the partner answers only yes, no, or let's negotiate (then a short
counter-proposal that is relayed back)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Request, RequestStatus, User
from bot.services import conversation, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, row_of
from bot.services.work import Work

MAX_REQUEST_LENGTH = 500
MAX_COUNTER_LENGTH = 500
# "Let's negotiate" waits this long for the counter-proposal.
COUNTER_OPEN_FOR = timedelta(days=3)


class RequestAnswer(enum.StrEnum):
    YES = RequestStatus.YES.value
    NO = RequestStatus.NO.value
    NEGOTIATE = RequestStatus.NEGOTIATE.value


async def ask(
    session: AsyncSession, user: User, partner: User, text: str, now: datetime
) -> Request:
    text = text.strip()
    if len(text) > MAX_REQUEST_LENGTH:
        raise TooLong(len(text), MAX_REQUEST_LENGTH)
    assert user.couple_id is not None
    row = Request(
        couple_id=user.couple_id,
        from_user_id=user.id,
        to_user_id=partner.id,
        text=text,
        status=RequestStatus.OPEN,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def answer(
    session: AsyncSession, user: User, request_id: int, reply: RequestAnswer, now: datetime
) -> tuple[Request, Step | None]:
    """The partner's answer; after "let's negotiate" a step waits for their suggestion."""
    row = await session.get(Request, request_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != RequestStatus.OPEN:
        raise ExchangeError(Stale.ALREADY)
    row.status = reply.value
    row.answered_at = now
    step = None
    if reply is RequestAnswer.NEGOTIATE:  # wait for the counter-proposal
        step = await conversation.open_step(
            session, user.id, StepKind.COUNTER_PROPOSAL, now, now + COUNTER_OPEN_FOR, ref_id=row.id
        )
    await session.flush()
    return row, step


async def counter(
    session: AsyncSession, user: User, request_id: int, text: str, now: datetime
) -> Request:
    row = await session.get(Request, request_id)
    if row is None or row.to_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != RequestStatus.NEGOTIATE or row.counter_text is not None:
        raise ExchangeError(Stale.ALREADY)
    text = text.strip()
    if len(text) > MAX_COUNTER_LENGTH:
        raise TooLong(len(text), MAX_COUNTER_LENGTH)
    row.counter_text = text
    await conversation.close_step(session, user.id, StepKind.COUNTER_PROPOSAL, row.id)
    await session.flush()
    return row


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Asked:
    """A request as both partners see it."""

    id: int
    text: str
    author: Person
    counter: str | None  # the counter-proposal, after "let's negotiate"


async def _asked(work: Work, row: Request) -> Asked:
    author = await users.person(work, row.from_user_id)
    if author is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return Asked(row.id, row.text, author, row.counter_text)


async def ask_partner(work: Work, me: Person, partner: Person, text: str, now: datetime) -> Asked:
    """See `ask`."""
    row = await ask(work.session, await row_of(work, me), await row_of(work, partner), text, now)
    return Asked(row.id, row.text, me, row.counter_text)


async def reply(
    work: Work, me: Person, request_id: int, choice: RequestAnswer, now: datetime
) -> tuple[Asked, Step | None]:
    """The partner's answer (see `answer`), with the request and who asked it."""
    row, step = await answer(work.session, await row_of(work, me), request_id, choice, now)
    return await _asked(work, row), step


async def suggest_instead(
    work: Work, me: Person, request_id: int, text: str, now: datetime
) -> Asked:
    """The counter-proposal (see `counter`), with the request and who asked it."""
    row = await counter(work.session, await row_of(work, me), request_id, text, now)
    return await _asked(work, row)
