"""The stress-reducing conversation (/unwind): about stress from outside the relationship only.
One partner invites, the other accepts or says "not now"; each picks a turn of 5, 7 or 10
minutes and the shorter choice wins. Then two turns: the inviter talks first while the other
listens; what the speaker types during their turn goes to the listener, what the listener
types stays with them. After a turn the listener picks a reply for the speaker (the replies
themselves are the Telegram layer's words), and the roles swap; after the second reply both
get a short summary.

A turn is two stored moments (`starts_at`, `deadline`); whose turn it is follows from the
parts: the inviter's part first, and a part is `done` once its turn is over. A restart
resumes a turn from these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import FlowKind, FlowPart, FlowStep, GuidedFlow, User
from bot.services import conversation, guided_flows
from bot.services.conversation import StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.guided_flows import ANSWER_FOR, BATCH, Side, close, parts_of, side, start
from bot.services.people import Person, person_in
from bot.services.work import Work

MINUTES = (5, 7, 10)
REPLIES = 5  # the validating replies a listener picks from (worded by the Telegram layer)
REPLY_FOR = timedelta(minutes=15)  # the listener's pick after a turn waits this long
TURNS = 2
MAX_TALK = 2000  # one message of the speaker's, relayed with a line saying whose turn it is


@dataclass(frozen=True, slots=True)
class Invited:
    flow_id: int
    partner: Person


@dataclass(frozen=True, slots=True)
class Turn:
    """A turn that starts: `speaker` talks, `listener` listens, for `minutes`."""

    flow_id: int
    number: int
    minutes: int
    speaker: Person
    listener: Person


@dataclass(frozen=True, slots=True)
class Choice:
    """After a partner chose: `turn` is the first turn once both chose (else None)."""

    flow_id: int
    chosen: int
    partner: Person
    turn: Turn | None


@dataclass(frozen=True, slots=True)
class Said:
    """Words typed during a turn: relayed to `listener` when the writer is the speaker
    (`speaker` is the writer then); else kept with the writer (`listener` None)."""

    speaker: Person
    listener: Person | None


@dataclass(frozen=True, slots=True)
class Timer:
    """A running turn as one partner sees it (`speaking`: theirs)."""

    flow_id: int
    side: Side
    speaking: bool
    other: Person
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class TurnOver:
    """A turn's time is up: the listener picks a reply for the speaker."""

    flow_id: int
    number: int
    speaker: Side
    listener: Side


@dataclass(frozen=True, slots=True)
class Summary:
    """The close: both read it; `turns` the turns that were had."""

    flow_id: int
    people: tuple[Person, Person]
    turns: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Replied:
    """The listener's reply (`reply`: its index), for the speaker; then the next turn, or
    the summary after the last one."""

    speaker: Person
    reply: int
    turn: Turn | None
    summary: Summary | None


@dataclass(frozen=True, slots=True)
class Pass:
    timers: list[Timer]
    over: list[TurnOver]
    closed: list[Summary]


async def invite(work: Work, me: Person, now: datetime) -> Invited:
    """A new invitation (`guided_flows.Busy` while any flow is open)."""
    flow, partner = await start(work, me, FlowKind.UNWIND, FlowStep.INVITED, now, now + ANSWER_FOR)
    return Invited(flow.id, person_in(work, partner))


async def accept(work: Work, me: Person, flow_id: int, now: datetime) -> Person:
    return await guided_flows.accept(work, me, flow_id, FlowKind.UNWIND, now)


async def decline(work: Work, me: Person, flow_id: int, now: datetime) -> Person:
    return await guided_flows.decline(work, me, flow_id, FlowKind.UNWIND, now)


async def choose(work: Work, me: Person, flow_id: int, minutes: int, now: datetime) -> Choice:
    """A partner's choice of a turn's length (once); when both chose, the shorter wins and the
    inviter's turn starts."""
    picked = await guided_flows.pick(work, me, flow_id, FlowKind.UNWIND, minutes, MINUTES)
    turn = None
    if picked.agreed is not None:
        picked.flow.minutes = picked.agreed
        turn = await _begin_turn(work, picked.flow, picked.parts, now)
    return Choice(flow_id, minutes, person_in(work, picked.partner), turn)


def _speaking(
    parts: list[tuple[FlowPart, User]],
) -> tuple[tuple[FlowPart, User], tuple[FlowPart, User]]:
    """(speaker, listener) of the turn that runs: the first part whose turn is not over."""
    waiting = [pu for pu in parts if not pu[0].done]
    speaker = waiting[0]
    listener = next(pu for pu in parts if pu is not speaker)
    return speaker, listener


def _last(
    parts: list[tuple[FlowPart, User]],
) -> tuple[tuple[FlowPart, User], tuple[FlowPart, User]]:
    """(speaker, listener) of the turn that ended last: the last part whose turn is over."""
    over = [pu for pu in parts if pu[0].done]
    speaker = over[-1]
    listener = next(pu for pu in parts if pu is not speaker)
    return speaker, listener


async def _begin_turn(
    work: Work, flow: GuidedFlow, parts: list[tuple[FlowPart, User]], now: datetime
) -> Turn:
    assert flow.minutes is not None
    (_sp, speaker), (_lp, listener) = _speaking(parts)
    flow.step = FlowStep.RUNNING.value
    flow.starts_at = now
    flow.deadline = now + timedelta(minutes=flow.minutes)
    for part, user in parts:
        part.message_id = None  # a new timer message for this turn
        await conversation.open_step(
            work.session, user.id, StepKind.FLOW_TALK, now, flow.deadline, ref_id=flow.id
        )
    await work.session.flush()
    number = 1 + sum(1 for p, _u in parts if p.done)
    return Turn(flow.id, number, flow.minutes, person_in(work, speaker), person_in(work, listener))


async def talk(work: Work, me: Person, flow_id: int, words: str) -> Said:
    """Words the user typed during a turn: for the listener when the user is the speaker."""
    flow = await guided_flows.flow_of(work, me, flow_id, FlowStep.RUNNING, kind=FlowKind.UNWIND)
    words = words.strip()
    if len(words) > MAX_TALK:
        raise TooLong(len(words), MAX_TALK)
    (_sp, speaker), (_lp, listener) = _speaking(await parts_of(work, flow))
    if speaker.id != me.id:
        return Said(person_in(work, speaker), None)
    return Said(me, person_in(work, listener))


async def reply(work: Work, me: Person, flow_id: int, index: int, now: datetime) -> Replied:
    """The listener's reply after a turn (once): the next turn starts, or after the last one
    the flow closes with its summary."""
    if not 0 <= index < REPLIES:
        raise ExchangeError(Stale.NOT_YOURS)
    flow = await guided_flows.flow_of(work, me, flow_id, FlowStep.REPLY, kind=FlowKind.UNWIND)
    parts = await parts_of(work, flow)
    (_sp, speaker), (_lp, listener) = _last(parts)
    if listener.id != me.id:
        raise ExchangeError(Stale.NOT_YOURS)
    said_to = person_in(work, speaker)
    if all(p.done for p, _u in parts):
        await close(work, flow, now)
        return Replied(said_to, index, None, _summary(work, flow, parts))
    return Replied(said_to, index, await _begin_turn(work, flow, parts, now), None)


def _summary(work: Work, flow: GuidedFlow, parts: list[tuple[FlowPart, User]]) -> Summary:
    first, second = (person_in(work, u) for _p, u in parts)
    return Summary(flow.id, (first, second), sum(1 for p, _u in parts if p.done), flow.minutes or 0)


async def flow_pass(work: Work, now: datetime) -> Pass:
    """One pass over the open conversations: turns that run (to show), turns whose time is up
    (the listener's reply next), and steps past their deadline: an invitation or a choice
    nobody answered closes without a word; a reply nobody picked closes the conversation with
    its summary."""
    base = guided_flows.of_kind(work, FlowKind.UNWIND)
    found = Pass([], [], [])
    running = await work.session.execute(
        base.where(GuidedFlow.step == FlowStep.RUNNING.value).limit(BATCH)
    )
    for flow in list(running.scalars()):
        parts = await parts_of(work, flow)
        (sp, speaker), (lp, listener) = _speaking(parts)
        assert flow.starts_at is not None
        if flow.deadline > now:
            found.timers.extend(
                [
                    Timer(
                        flow.id,
                        side(work, sp, speaker),
                        True,
                        person_in(work, listener),
                        flow.starts_at,
                        flow.deadline,
                    ),
                    Timer(
                        flow.id,
                        side(work, lp, listener),
                        False,
                        person_in(work, speaker),
                        flow.starts_at,
                        flow.deadline,
                    ),
                ]
            )
            continue
        number = 1 + sum(1 for p, _u in parts if p.done)
        sp.done = True
        flow.step = FlowStep.REPLY.value
        flow.deadline = now + REPLY_FOR
        await conversation.close_exchange(work.session, (StepKind.FLOW_TALK,), flow.id)
        found.over.append(
            TurnOver(flow.id, number, side(work, sp, speaker), side(work, lp, listener))
        )
    await guided_flows.unanswered(work, FlowKind.UNWIND, now)
    expired = await work.session.execute(
        base.where(GuidedFlow.step == FlowStep.REPLY.value, GuidedFlow.deadline <= now).limit(BATCH)
    )
    for flow in list(expired.scalars()):
        found.closed.append(_summary(work, flow, await parts_of(work, flow)))
        await close(work, flow, now)
    await work.session.flush()
    return found
