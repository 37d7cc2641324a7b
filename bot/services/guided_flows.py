"""Guided flows: rituals the two partners run together in their two chats (eye-contact
minutes first). Rules every flow shares:

- one open flow per couple (a second start is refused, naming the open one);
- either partner ends it at any moment;
- a step nobody answers closes by itself at its deadline, without a word to anyone;
- the state lives in `guided_flows` and `flow_parts` (timers are stored moments), so a restart
  resumes a flow where it was; every tap names the flow, and the couple and step are checked.

This module holds those shared rules; `bot.services.eyes` the eye-contact minutes' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

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


async def flow_of(work: Work, me: Person, flow_id: int, *steps: FlowStep) -> GuidedFlow:
    """The user's couple's flow `flow_id`, at one of `steps`; anything else is refused
    (another couple's or an unknown flow: not yours; a closed one: closed; else: wrong step)."""
    user = await row_of(work, me)
    if user.couple_id is not None:
        await lock_couple(work, user.couple_id)
    flow = await work.session.get(GuidedFlow, flow_id)
    if flow is None or user.couple_id is None or flow.couple_id != user.couple_id:
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
    await conversation.close_exchange(work.session, (StepKind.FLOW_WORD,), flow.id)
    await work.session.flush()


async def end(work: Work, me: Person, flow_id: int, now: datetime) -> Ended:
    """Either partner ends an open flow at any step."""
    flow = await flow_of(
        work, me, flow_id, FlowStep.INVITED, FlowStep.CHOOSING, FlowStep.RUNNING, FlowStep.WORDS
    )
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
