"""Clear requests: the partner answers only yes, no, or let's negotiate. Negotiating goes in
rounds: a counter-proposal reaches the other side, who accepts it, says no, or counters again,
until one side accepts or says no. A week after an agreement the asker is asked, once or
twice, whether it happened (a follow-up the tick sends)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Couple, FollowUpKind, Request, RequestStatus, User
from bot.services import conversation, follow_ups, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, person_in, row_of
from bot.services.work import Work

MAX_REQUEST_LENGTH = 500
MAX_COUNTER_LENGTH = 500
# "Let's negotiate" waits this long for the counter-proposal.
COUNTER_OPEN_FOR = timedelta(days=3)
# The asker is asked whether an agreement happened this long after it (and again after
# "not yet", at most MAX_CHECKS times in all).
CHECK_AFTER = timedelta(days=7)
MAX_CHECKS = 2


class RequestAnswer(enum.StrEnum):
    YES = RequestStatus.YES.value
    NO = RequestStatus.NO.value
    NEGOTIATE = RequestStatus.NEGOTIATE.value


class CounterAnswer(enum.StrEnum):
    """What the other side does with a counter-proposal."""

    ACCEPT = "a"
    NO = "n"
    COUNTER = "c"


class CheckReply(enum.StrEnum):
    """The asker's answer to "did this happen?"."""

    YES = "yes"
    NOT_YET = "not_yet"
    LET_GO = "let_go"


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
        row.writer_id = user.id
        step = await conversation.open_step(
            session, user.id, StepKind.COUNTER_PROPOSAL, now, now + COUNTER_OPEN_FOR, ref_id=row.id
        )
    await session.flush()
    return row, step


async def counter(
    session: AsyncSession, user: User, request_id: int, text: str, now: datetime
) -> Request:
    """A counter-proposal, from whoever's turn it is to write one."""
    row = await _negotiated(session, user, request_id)
    if row.writer_id != user.id:  # written already, or not theirs to write
        raise ExchangeError(Stale.ALREADY if row.counter_by_id == user.id else Stale.NOT_YOURS)
    text = text.strip()
    if len(text) > MAX_COUNTER_LENGTH:
        raise TooLong(len(text), MAX_COUNTER_LENGTH)
    row.counter_text = text
    row.counter_by_id = user.id
    row.writer_id = None
    row.rounds += 1
    await conversation.close_step(session, user.id, StepKind.COUNTER_PROPOSAL, row.id)
    await session.flush()
    return row


async def _negotiated(session: AsyncSession, user: User, request_id: int) -> Request:
    row = await session.get(Request, request_id)
    if row is None or row.couple_id != user.couple_id or user.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    if user.id not in (row.from_user_id, row.to_user_id):
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != RequestStatus.NEGOTIATE:
        raise ExchangeError(Stale.ALREADY)
    return row


async def respond(
    session: AsyncSession,
    user: User,
    request_id: int,
    round_: int,
    choice: CounterAnswer,
    now: datetime,
) -> tuple[Request, Step | None]:
    """The other side's answer to counter-proposal number `round_`: accept (agreed; the
    asker's follow-up is planned), no (the negotiation ends), or counter again (a step waits
    for their version)."""
    row = await _negotiated(session, user, request_id)
    if row.counter_by_id is None or row.counter_by_id == user.id or row.writer_id is not None:
        raise ExchangeError(Stale.ALREADY)
    if round_ != row.rounds:
        raise ExchangeError(Stale.ALREADY)  # an earlier version's buttons
    step = None
    if choice is CounterAnswer.ACCEPT:
        row.status = RequestStatus.AGREED
        row.agreed_at = now
        await follow_ups.plan(
            session,
            row.couple_id,
            row.from_user_id,
            FollowUpKind.REQUEST_CHECK,
            row.id,
            now + CHECK_AFTER,
        )
    elif choice is CounterAnswer.NO:
        row.status = RequestStatus.WITHDRAWN
    else:
        row.writer_id = user.id
        step = await conversation.open_step(
            session,
            user.id,
            StepKind.COUNTER_PROPOSAL,
            now,
            now + COUNTER_OPEN_FOR,
            ref_id=row.id,
        )
    await session.flush()
    return row, step


async def check_reply(
    session: AsyncSession, user: User, request_id: int, reply: CheckReply, now: datetime
) -> bool:
    """The asker's answer to "did this happen?"; "not yet" asks once more a week later."""
    row = await session.get(Request, request_id)
    if row is None or row.from_user_id != user.id or row.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.status != RequestStatus.AGREED or row.checks_sent == 0:
        raise ExchangeError(Stale.NOT_YOURS)
    if row.check_reply is not None:
        raise ExchangeError(Stale.ALREADY)
    row.check_reply = reply.value
    again = reply is CheckReply.NOT_YET and row.checks_sent < MAX_CHECKS
    if again:
        await follow_ups.plan(
            session, row.couple_id, user.id, FollowUpKind.REQUEST_CHECK, row.id, now + CHECK_AFTER
        )
    await session.flush()
    return again


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Asked:
    """A request as both partners see it."""

    id: int
    text: str
    author: Person
    counter: str | None  # the latest counter-proposal, after "let's negotiate"
    rounds: int = 0  # how many counter-proposals so far


async def _asked(work: Work, row: Request) -> Asked:
    author = await users.person(work, row.from_user_id)
    if author is None:
        raise ExchangeError(Stale.NOT_YOURS)
    return Asked(row.id, row.text, author, row.counter_text, row.rounds)


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


async def answer_counter(
    work: Work, me: Person, request_id: int, round_: int, choice: CounterAnswer, now: datetime
) -> tuple[Asked, Step | None]:
    """See `respond`."""
    row, step = await respond(work.session, await row_of(work, me), request_id, round_, choice, now)
    return await _asked(work, row), step


async def answer_check(
    work: Work, me: Person, request_id: int, reply: CheckReply, now: datetime
) -> bool:
    """See `check_reply`: True when I will ask again in a week."""
    return await check_reply(work.session, await row_of(work, me), request_id, reply, now)


@dataclass(frozen=True, slots=True)
class CheckDue:
    """ "Did this happen?" for the asker of an agreed request."""

    asker: Person
    partner: Person
    request: Asked


async def take_due_checks(work: Work, now: datetime) -> list[CheckDue]:
    """The follow-ups due now (their rows are gone once this unit of work commits); those of
    a request that ended or an unpaired couple are dropped, a paused couple's wait for the
    end of the pause."""
    session = work.session
    found: list[CheckDue] = []
    for due in await follow_ups.take_due(session, [FollowUpKind.REQUEST_CHECK], now):
        row = await session.get(Request, due.ref_id)
        asker = await session.get(User, due.user_id)
        if row is None or asker is None or row.status != RequestStatus.AGREED:
            continue
        partner = await users.partner_of(session, asker)
        couple = await session.get(Couple, row.couple_id)
        if partner is None or couple is None or asker.couple_id != row.couple_id:
            continue
        if not asker.is_active:
            continue
        if couple.paused_until is not None and couple.paused_until > now:  # ask after the pause
            await follow_ups.plan(
                session, row.couple_id, asker.id, due.kind, row.id, couple.paused_until
            )
            continue
        row.checks_sent += 1
        row.check_reply = None
        found.append(
            CheckDue(person_in(work, asker), person_in(work, partner), await _asked(work, row))
        )
    await session.flush()
    return found
