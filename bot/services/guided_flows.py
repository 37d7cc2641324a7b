"""Guided flows: rituals the two partners run together in their two chats (eye-contact
minutes first). Rules every flow shares:

- one open flow per couple (a second start is refused, naming the open one);
- either partner ends it at any moment;
- a step nobody answers closes by itself at its deadline, without a word to anyone;
- the state lives in `guided_flows` and `flow_parts` (timers are stored moments), so a restart
  resumes a flow where it was; every tap names the flow, and the couple and step are checked.

This module holds those shared rules (with the invitation, its answer and the choice of a
length, which every flow so far begins with); `bot.services.eyes` holds the eye-contact
minutes' own, `bot.services.unwind` the stress-reducing conversation's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select, update

from bot.db import is_postgres
from bot.models import Couple, FlowKind, FlowPart, FlowStep, GuidedFlow, User
from bot.services import conversation
from bot.services.conversation import StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person, person_in, row_of
from bot.services.work import Work

ANSWER_FOR = timedelta(minutes=30)  # an invitation, or a choice, waits this long
WORDS_FOR = timedelta(minutes=30)  # the optional words afterwards
MAX_WORDS = 60  # "one word", with room for a short phrase
BATCH = 200
OPEN_STEPS = (
    FlowStep.INVITED,
    FlowStep.CHOOSING,
    FlowStep.RUNNING,
    FlowStep.WORDS,
    FlowStep.REPLY,
)


class Busy(Exception):
    """The couple has a flow open already."""

    def __init__(self, flow_id: int, kind: FlowKind) -> None:
        super().__init__(kind.value)
        self.flow_id = flow_id
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Side:
    """One partner's side of a flow, for the Telegram layer."""

    part_id: int
    person: Person
    message_id: int | None  # their timer message (0: being sent)
    words: str | None


@dataclass(frozen=True, slots=True)
class Ended:
    """A flow that one partner ended: the other is told."""

    flow_id: int
    kind: FlowKind
    other: Side | None
    was: FlowStep


async def lock_couple(work: Work, couple_id: int) -> None:
    """Serialise the partners' taps on their flow (a row lock on PostgreSQL; SQLite
    transactions are immediate)."""
    if is_postgres(work.session):
        await work.session.execute(
            select(Couple.id).where(Couple.id == couple_id).with_for_update()
        )


async def open_flow(work: Work, couple_id: int) -> GuidedFlow | None:
    stmt = select(GuidedFlow).where(
        GuidedFlow.couple_id == couple_id, GuidedFlow.step != FlowStep.CLOSED.value
    )
    return (await work.session.execute(stmt)).scalars().first()


async def start(
    work: Work, me: Person, kind: FlowKind, step: FlowStep, now: datetime, deadline: datetime
) -> tuple[GuidedFlow, User]:
    """A new flow for the user's couple, with a part for each partner; refused (`Busy`) while
    one is open. Returns the flow and the partner's row."""
    user = await row_of(work, me)
    if user.couple_id is None:
        raise ExchangeError(Stale.NOT_YOURS)
    await lock_couple(work, user.couple_id)
    current = await open_flow(work, user.couple_id)
    if current is not None:
        raise Busy(current.id, FlowKind(current.kind))
    partner = (
        await work.session.execute(
            select(User).where(User.couple_id == user.couple_id, User.id != user.id)
        )
    ).scalar_one_or_none()
    if partner is None:
        raise ExchangeError(Stale.NOT_YOURS)
    flow = GuidedFlow(
        couple_id=user.couple_id,
        kind=kind.value,
        step=step.value,
        started_by=user.id,
        created_at=now,
        deadline=deadline,
    )
    work.session.add(flow)
    await work.session.flush()
    work.session.add_all([FlowPart(flow_id=flow.id, user_id=u.id) for u in (user, partner)])
    await work.session.flush()
    return flow, partner


async def flow_of(
    work: Work, me: Person, flow_id: int, *steps: FlowStep, kind: FlowKind | None = None
) -> GuidedFlow:
    """The user's couple's flow `flow_id` (of `kind`, when given), at one of `steps`; anything
    else is refused (another couple's, an unknown flow or one of another kind: not yours; a
    closed one: closed; else: wrong step)."""
    user = await row_of(work, me)
    if user.couple_id is not None:
        await lock_couple(work, user.couple_id)
    flow = await work.session.get(GuidedFlow, flow_id)
    if flow is None or user.couple_id is None or flow.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if kind is not None and flow.kind != kind:
        raise ExchangeError(Stale.NOT_YOURS)
    if flow.step == FlowStep.CLOSED:
        raise ExchangeError(Stale.CLOSED)
    if FlowStep(flow.step) not in steps:
        raise ExchangeError(Stale.WRONG_STEP)
    return flow


async def parts_of(work: Work, flow: GuidedFlow) -> list[tuple[FlowPart, User]]:
    stmt = (
        select(FlowPart, User)
        .join(User, User.id == FlowPart.user_id)
        .where(FlowPart.flow_id == flow.id)
        .order_by(FlowPart.id)
    )
    return [(part, user) for part, user in (await work.session.execute(stmt)).all()]


def side(work: Work, part: FlowPart, user: User) -> Side:
    return Side(part.id, person_in(work, user), part.message_id, part.words)


async def close(work: Work, flow: GuidedFlow, now: datetime) -> None:
    flow.step = FlowStep.CLOSED.value
    flow.closed_at = now
    await conversation.close_exchange(
        work.session, (StepKind.FLOW_WORD, StepKind.FLOW_TALK), flow.id
    )
    await work.session.flush()


async def end(work: Work, me: Person, flow_id: int, now: datetime) -> Ended:
    """Either partner ends an open flow at any step."""
    flow = await flow_of(work, me, flow_id, *OPEN_STEPS)
    was = FlowStep(flow.step)
    other = [side(work, p, u) for p, u in await parts_of(work, flow) if u.id != me.id]
    await close(work, flow, now)
    return Ended(flow.id, FlowKind(flow.kind), other[0] if other else None, was)


async def gone_couples(work: Work, now: datetime) -> int:
    """Open flows of couples that ended (unpaired) close without a word."""
    stmt = (
        select(GuidedFlow)
        .join(Couple, Couple.id == GuidedFlow.couple_id)
        .where(GuidedFlow.step != FlowStep.CLOSED.value, Couple.ended_at.is_not(None))
        .limit(BATCH)
    )
    flows = list((await work.session.execute(stmt)).scalars())
    for flow in flows:
        await close(work, flow, now)
    return len(flows)


async def accept(work: Work, me: Person, flow_id: int, kind: FlowKind, now: datetime) -> Person:
    """The invited partner says yes; both choose a length next. Returns the inviter."""
    flow = await flow_of(work, me, flow_id, FlowStep.INVITED, kind=kind)
    inviter = await _invited(work, me, flow)
    flow.step = FlowStep.CHOOSING.value
    flow.deadline = now + ANSWER_FOR
    await work.session.flush()
    return inviter


async def decline(work: Work, me: Person, flow_id: int, kind: FlowKind, now: datetime) -> Person:
    """ "Not now": the flow closes; returns the inviter (told kindly)."""
    flow = await flow_of(work, me, flow_id, FlowStep.INVITED, kind=kind)
    inviter = await _invited(work, me, flow)
    await close(work, flow, now)
    return inviter


async def _invited(work: Work, me: Person, flow: GuidedFlow) -> Person:
    """Only the invited partner answers an invitation; returns the inviter."""
    if flow.started_by == me.id:
        raise ExchangeError(Stale.NOT_YOURS)
    others = [u for _p, u in await parts_of(work, flow) if u.id != me.id]
    if not others:
        raise ExchangeError(Stale.NOT_YOURS)
    return person_in(work, others[0])


@dataclass(frozen=True, slots=True)
class Picked:
    """A partner's choice of length: `agreed` is the shorter of the two once both chose."""

    flow: GuidedFlow
    parts: list[tuple[FlowPart, User]]
    agreed: int | None
    partner: User


async def pick(
    work: Work, me: Person, flow_id: int, kind: FlowKind, value: int, allowed: tuple[int, ...]
) -> Picked:
    """A partner's choice of length (once, one of `allowed`); the shorter choice wins."""
    if value not in allowed:
        raise ExchangeError(Stale.NOT_YOURS)
    flow = await flow_of(work, me, flow_id, FlowStep.CHOOSING, kind=kind)
    parts = await parts_of(work, flow)
    mine = [p for p, u in parts if u.id == me.id]
    theirs = [(p, u) for p, u in parts if u.id != me.id]
    if not mine or not theirs:
        raise ExchangeError(Stale.NOT_YOURS)
    if mine[0].choice is not None:
        raise ExchangeError(Stale.ALREADY)
    mine[0].choice = value
    other, partner = theirs[0]
    agreed = min(value, other.choice) if other.choice is not None else None
    await work.session.flush()
    return Picked(flow, parts, agreed, partner)


def of_kind(work: Work, kind: FlowKind) -> Select[GuidedFlow]:
    """The open and closed flows of one kind, for a driver's pass: on PostgreSQL locked,
    skipping those another instance's pass holds, so each change is made once."""
    stmt = select(GuidedFlow).where(GuidedFlow.kind == kind.value)
    if is_postgres(work.session):
        stmt = stmt.with_for_update(skip_locked=True)
    return stmt


async def unanswered(work: Work, kind: FlowKind, now: datetime) -> None:
    """An invitation or a choice nobody answered by its deadline closes, without a word."""
    stmt = of_kind(work, kind).where(
        GuidedFlow.step.in_([FlowStep.INVITED.value, FlowStep.CHOOSING.value]),
        GuidedFlow.deadline <= now,
    )
    for flow in list((await work.session.execute(stmt.limit(BATCH))).scalars()):
        await close(work, flow, now)


async def started_timer(work: Work, part_id: int) -> bool:
    """Claim a timer message before sending it (once: 0 marks it as being sent)."""
    result = await work.session.execute(
        update(FlowPart)
        .where(FlowPart.id == part_id, FlowPart.message_id.is_(None))
        .values(message_id=0)
    )
    return bool(getattr(result, "rowcount", 0))


async def timer_sent(work: Work, part_id: int, message_id: int) -> None:
    await work.session.execute(
        update(FlowPart).where(FlowPart.id == part_id).values(message_id=message_id)
    )
