"""Eye-contact minutes: one partner invites, the other accepts or says "not now"; both choose
1 to 4 minutes and the shorter choice wins; a 3-2-1 start, the minutes, and afterwards one
optional word each, shown to the partner when both have written (or passed), or what was
written once the words' time is up.

The timer is two stored moments (`starts_at`, `deadline`): whatever drives it (the flow
driver, `flow_pass`) recomputes what to show from them, so a restart resumes it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import FlowKind, FlowPart, FlowStep, GuidedFlow, User
from bot.services import conversation, guided_flows
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.guided_flows import (
    ANSWER_FOR,
    BATCH,
    MAX_WORDS,
    WORDS_FOR,
    Side,
    close,
    flow_of,
    parts_of,
    side,
    start,
)
from bot.services.people import Person, person_in
from bot.services.work import Work

MINUTES = (1, 2, 3, 4)
LEAD = timedelta(seconds=3)  # the 3-2-1 before the minutes start
# Timer edits: every STEP seconds at best; together they take at most SHARE of the bot's
# overall sending rate, so with many couples at once each timer steps more coarsely.
STEP = 5
SHARE = 0.25


def timer_step(running: int, sends_per_second: float) -> int:
    """Seconds between two edits of a timer message when `running` timers run at once (two
    messages each), so that their edits stay within SHARE of `sends_per_second`."""
    budget = max(sends_per_second * SHARE, 0.1)
    return max(STEP, math.ceil(2 * running / budget))


@dataclass(frozen=True, slots=True)
class Invited:
    flow_id: int
    partner: Person


@dataclass(frozen=True, slots=True)
class Choice:
    """After a partner chose: `minutes` is the agreed length once both chose (else None)."""

    flow_id: int
    chosen: int
    minutes: int | None
    partner: Person


@dataclass(frozen=True, slots=True)
class Timer:
    """A running timer as one partner sees it."""

    flow_id: int
    side: Side
    minutes: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Finished:
    """The minutes are over: both get the gentle end, and a step for their word."""

    flow_id: int
    minutes: int
    sides: list[tuple[Side, Step]]


@dataclass(frozen=True, slots=True)
class Shared:
    """Words shown: `to` reads `author`'s word."""

    to: Person
    author: Person
    words: str


@dataclass(frozen=True, slots=True)
class Pass:
    """What one pass of the driver found."""

    timers: list[Timer]
    finished: list[Finished]
    shared: list[Shared]


async def invite(work: Work, me: Person, now: datetime) -> Invited:
    """A new invitation (`guided_flows.Busy` while any flow is open)."""
    flow, partner = await start(work, me, FlowKind.EYES, FlowStep.INVITED, now, now + ANSWER_FOR)
    return Invited(flow.id, person_in(work, partner))


async def accept(work: Work, me: Person, flow_id: int, now: datetime) -> Person:
    """The invited partner says yes; both choose next. Returns the inviter."""
    return await guided_flows.accept(work, me, flow_id, FlowKind.EYES, now)


async def decline(work: Work, me: Person, flow_id: int, now: datetime) -> Person:
    """ "Not now": the flow closes; returns the inviter (told kindly)."""
    return await guided_flows.decline(work, me, flow_id, FlowKind.EYES, now)


async def choose(work: Work, me: Person, flow_id: int, minutes: int, now: datetime) -> Choice:
    """A partner's choice of length (once). When both chose, the shorter wins and the timer
    starts after the 3-2-1."""
    picked = await guided_flows.pick(work, me, flow_id, FlowKind.EYES, minutes, MINUTES)
    flow = picked.flow
    if picked.agreed is not None:
        flow.step = FlowStep.RUNNING.value
        flow.minutes = picked.agreed
        flow.starts_at = now + LEAD
        flow.deadline = flow.starts_at + timedelta(minutes=picked.agreed)
    await work.session.flush()
    return Choice(flow.id, minutes, picked.agreed, person_in(work, picked.partner))


async def leave_word(
    work: Work, me: Person, flow_id: int, words: str | None, now: datetime
) -> list[Shared]:
    """The user's optional word afterwards (None: they pass). Once both have written or
    passed, the flow closes and each reads the other's word; returns what is to be shown."""
    flow = await flow_of(work, me, flow_id, FlowStep.WORDS)
    parts = await parts_of(work, flow)
    mine = [p for p, u in parts if u.id == me.id]
    if not mine:
        raise ExchangeError(Stale.NOT_YOURS)
    if mine[0].done:
        raise ExchangeError(Stale.ALREADY)
    words = words.strip() if words else None
    if words and len(words) > MAX_WORDS:
        raise TooLong(len(words), MAX_WORDS)
    mine[0].words = words or None
    mine[0].done = True
    await conversation.close_step(work.session, me.id, StepKind.FLOW_WORD, flow.id)
    await work.session.flush()
    if not all(p.done for p, _u in parts):
        return []
    await close(work, flow, now)
    return _shown(work, parts)


def _shown(work: Work, parts: list[tuple[FlowPart, User]]) -> list[Shared]:
    people = [(p, person_in(work, u)) for p, u in parts]
    return [
        Shared(to, author, part.words)
        for part, author in people
        for _other, to in people
        if to.id != author.id and part.words
    ]


async def flow_pass(work: Work, now: datetime) -> Pass:
    """One pass over the open eye-contact flows: timers that run (to show), timers that ended
    (moved to the words, with a step for each partner's word), and steps past their deadline:
    an invitation or a choice nobody answered closes without a word; the words' time up
    closes the flow and shows what was written. On PostgreSQL the flows are locked (skipping
    those another instance's pass holds), so each end is announced once."""
    base = guided_flows.of_kind(work, FlowKind.EYES)
    timers: list[Timer] = []
    finished: list[Finished] = []
    shared: list[Shared] = []
    running = (
        await work.session.execute(
            base.where(GuidedFlow.step == FlowStep.RUNNING.value).limit(BATCH)
        )
    ).scalars()
    for flow in list(running):
        parts = await parts_of(work, flow)
        assert flow.starts_at is not None and flow.minutes is not None
        if flow.deadline > now:
            timers += [
                Timer(flow.id, side(work, p, u), flow.minutes, flow.starts_at, flow.deadline)
                for p, u in parts
            ]
            continue
        flow.step = FlowStep.WORDS.value
        flow.deadline = now + WORDS_FOR
        sides = []
        for part, user in parts:
            step = await conversation.open_step(
                work.session, user.id, StepKind.FLOW_WORD, now, flow.deadline, ref_id=flow.id
            )
            sides.append((side(work, part, user), step))
        finished.append(Finished(flow.id, flow.minutes, sides))
    await guided_flows.unanswered(work, FlowKind.EYES, now)
    expired = (
        await work.session.execute(
            base.where(GuidedFlow.step == FlowStep.WORDS.value, GuidedFlow.deadline <= now).limit(
                BATCH
            )
        )
    ).scalars()
    for flow in list(expired):
        shared += _shown(work, await parts_of(work, flow))
        await close(work, flow, now)
    await work.session.flush()
    return Pass(timers, finished, shared)
