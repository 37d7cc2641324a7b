"""Date nights: an idea from the bank, proposed by one partner and answered by the other."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import DateProposal, DateStatus, User
from bot.prompt_bank import DATE_IDEAS, DateIdea, by_key
from bot.services import love_languages, prompt_picker
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person, row_of
from bot.services.users import partner_of
from bot.services.work import Work


class DateAnswer(enum.StrEnum):
    ACCEPT = DateStatus.ACCEPTED.value
    DECLINE = DateStatus.DECLINED.value
    SWAP = DateStatus.SWAPPED.value


async def suggest(session: AsyncSession, user: User, now: datetime) -> DateIdea:
    """A date idea the user has not seen in 60 days while such remain, else the one they saw
    longest ago: there is always one. Each partner has their own ideas; an idea proposed to
    someone counts as seen by them too (see `propose`). The pick leans toward the love
    languages the partner (who would be invited) shared."""
    assert user.couple_id is not None
    lean = await love_languages.leaning(session, await partner_of(session, user))
    return await prompt_picker.pick(
        session, user.couple_id, DATE_IDEAS, now, person_id=user.id, lean=lean
    )


def idea(key: str) -> DateIdea:
    found = by_key(key)
    if not isinstance(found, DateIdea):
        raise KeyError(key)
    return found


async def propose(session: AsyncSession, user: User, idea_key: str, now: datetime) -> DateProposal:
    """The user proposes an idea to their partner, who has now seen it too: it is not offered
    to them as an idea of their own (e.g. after "Suggest another") for 60 days."""
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
    partner = await partner_of(session, user)
    if partner is not None:
        await prompt_picker.record(session, user.couple_id, idea_key, now, person_id=partner.id)
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


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Proposed:
    """A date proposal: its id, and the key of its idea (see `idea`)."""

    id: int
    idea_key: str


async def next_idea(work: Work, me: Person, now: datetime) -> DateIdea:
    """See `suggest`."""
    return await suggest(work.session, await row_of(work, me), now)


async def propose_idea(work: Work, me: Person, idea_key: str, now: datetime) -> Proposed:
    """See `propose`."""
    row = await propose(work.session, await row_of(work, me), idea_key, now)
    return Proposed(row.id, row.idea_key)


async def reply(
    work: Work, me: Person, proposal_id: int, choice: DateAnswer, now: datetime
) -> tuple[Proposed, DateIdea | None]:
    """The partner's answer (see `answer`); after "suggest another", a fresh idea for them
    (None after any other answer)."""
    user = await row_of(work, me)
    row = await answer(work.session, user, proposal_id, choice, now)
    fresh = await suggest(work.session, user, now) if choice is DateAnswer.SWAP else None
    return Proposed(row.id, row.idea_key), fresh
