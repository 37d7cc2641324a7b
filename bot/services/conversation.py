"""Conversation state: which steps of which exchanges wait for a user, and where free text goes.

State belongs to the exchange step, not to the user: each open step (choose a mood, answer
today's question, name a need, write an appreciation, suggest a counter-proposal) is its own
row with its own expiry. Free text is taken as the answer to a step only when that step is
the one the user is answering:

- a Telegram reply to a prompt goes to that prompt's step, and nowhere else;
- otherwise every open step counts: when the newest is tap-only (a mood to choose), the text
  gets a hint and goes nowhere; when exactly one words step is open, the text is for it; when
  several are open, the user is asked with buttons which one the text is for (the words are
  held meanwhile, visible to nobody).

A photo answers only a step whose prompt invites one (`invites_photo`: today's question or an
appreciation prompt that asks for a picture), by the same rules; while several words steps
are open, it goes only to the one the user replies to. Anywhere else it gets the hint of the
step the bot is waiting for.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Checkin, HeldText, OpenStep
from bot.prompt_bank import by_key
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work

# A held text is waiting for one tap; it is not kept longer than this.
HELD_FOR = timedelta(hours=1)


class StepKind(enum.StrEnum):
    CHECKIN_MOOD = "checkin_mood"
    CHECKIN_ANSWER = "checkin_answer"
    CHECKIN_NEED = "checkin_need"
    APPRECIATION = "appreciation"
    COUNTER_PROPOSAL = "counter_proposal"
    NEED_NOTE = "need_note"  # the optional note with "Not today"
    DATE_TIME = "date_time"  # an optional time for a planned date
    DATE_FEEDBACK = "date_feedback"  # optional words after "How was it?"
    DAY_DATE = "day_date"  # the date (and name) of an important day being added
    FLOW_WORD = "flow_word"  # one optional word after a guided flow (e.g. eye contact)
    FLOW_TALK = "flow_talk"  # words typed during a turn of a guided conversation (/unwind)

    @property
    def takes_text(self) -> bool:
        return self is not StepKind.CHECKIN_MOOD


@dataclass(frozen=True, slots=True)
class Step:
    """An open step as the Telegram layer sees it."""

    id: int
    kind: StepKind
    ref_id: int | None
    ref_key: str | None
    opened_at: datetime

    @classmethod
    def of(cls, row: OpenStep) -> Step:
        return cls(row.id, StepKind(row.kind), row.ref_id, row.ref_key, row.opened_at)


async def open_step(
    session: AsyncSession,
    user_id: int,
    kind: StepKind,
    now: datetime,
    expires_at: datetime,
    *,
    ref_id: int | None = None,
    ref_key: str | None = None,
    replace_kind: bool = False,
) -> Step:
    """Open a step for the user. The same step (kind and exchange) is opened once: asking
    again re-opens it as the newest. `replace_kind` closes every other step of this kind
    first (an appreciation prompt ends the previous one)."""
    same = OpenStep.user_id == user_id, OpenStep.kind == kind.value
    if replace_kind:
        await session.execute(delete(OpenStep).where(*same))
    else:
        await session.execute(delete(OpenStep).where(*same, OpenStep.ref_id == ref_id))
    row = OpenStep(
        user_id=user_id,
        kind=kind.value,
        ref_id=ref_id,
        ref_key=ref_key,
        opened_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return Step.of(row)


async def close_step(
    session: AsyncSession, user_id: int, kind: StepKind, ref_id: int | None = None
) -> None:
    stmt = delete(OpenStep).where(OpenStep.user_id == user_id, OpenStep.kind == kind.value)
    if ref_id is not None:
        stmt = stmt.where(OpenStep.ref_id == ref_id)
    await session.execute(stmt)


async def close_exchange(session: AsyncSession, kinds: tuple[StepKind, ...], ref_id: int) -> None:
    """The exchange is over: its steps close for everyone."""
    await session.execute(
        delete(OpenStep).where(
            OpenStep.kind.in_([k.value for k in kinds]), OpenStep.ref_id == ref_id
        )
    )


async def close_all(session: AsyncSession, *user_ids: int) -> None:
    """Every step and held text of these users ends (unpairing, erasure)."""
    if user_ids:
        await session.execute(delete(OpenStep).where(OpenStep.user_id.in_(user_ids)))
        await session.execute(delete(HeldText).where(HeldText.user_id.in_(user_ids)))


async def remember_prompt(session: AsyncSession, step_id: int, message_id: int) -> None:
    """The message that asked for a step, so that a reply to it finds the step (one
    UPDATE: no read of the step first; a step closed meanwhile changes nothing)."""
    await session.execute(
        update(OpenStep)
        .where(OpenStep.id == step_id)
        .values(prompt_message_id=message_id)
        .execution_options(synchronize_session=False)
    )


async def prompt_message_of(
    session: AsyncSession, user_id: int, kind: StepKind, ref_id: int
) -> int | None:
    """The message that asked the user for this step, when it was sent and is known."""
    stmt = select(OpenStep.prompt_message_id).where(
        OpenStep.user_id == user_id, OpenStep.kind == kind.value, OpenStep.ref_id == ref_id
    )
    return (await session.execute(stmt)).scalars().first()


async def live_steps(session: AsyncSession, user_id: int, now: datetime) -> list[Step]:
    """The user's open steps, newest first."""
    stmt = (
        select(OpenStep)
        .where(OpenStep.user_id == user_id, OpenStep.expires_at > now)
        .order_by(OpenStep.opened_at.desc(), OpenStep.id.desc())
    )
    return [Step.of(row) for row in (await session.execute(stmt)).scalars()]


async def step_of(session: AsyncSession, user_id: int, step_id: int, now: datetime) -> Step:
    """One of the user's own live steps; another's, a closed or an expired one is refused."""
    row = await session.get(OpenStep, step_id)
    if row is None or row.user_id != user_id:  # gone or not theirs: the same answer
        raise ExchangeError(Stale.NOT_YOURS)
    if row.expires_at <= now:
        raise ExchangeError(Stale.CLOSED)
    return Step.of(row)


class RouteKind(enum.Enum):
    TAKE = "take"  # the text answers `step`
    HINT = "hint"  # nothing takes text now; `step` (if any) says what the bot waits for
    ASK = "ask"  # several steps could take it: the text is held as `held_id`
    REPLY_FIRST = "reply_first"  # a photo while several steps wait: only a reply places it


@dataclass(frozen=True, slots=True)
class Route:
    kind: RouteKind
    step: Step | None = None
    choices: tuple[Step, ...] = ()
    held_id: int | None = None


async def _by_prompt(
    session: AsyncSession, user_id: int, message_id: int, now: datetime
) -> Step | None:
    stmt = select(OpenStep).where(
        OpenStep.user_id == user_id,
        OpenStep.prompt_message_id == message_id,
        OpenStep.expires_at > now,
    )
    row = (await session.execute(stmt)).scalars().first()
    return Step.of(row) if row is not None else None


async def route_text(
    session: AsyncSession,
    user_id: int,
    text: str | None,
    now: datetime,
    *,
    reply_to: int | None = None,
) -> Route:
    """Where the user's message goes (see the module's docstring). `text` None: not text
    (a sticker, a photo): only a hint is possible."""
    steps = await live_steps(session, user_id, now)
    takers = [s for s in steps if s.kind.takes_text]
    if reply_to is not None:
        target = await _by_prompt(session, user_id, reply_to, now)
        if target is not None:
            if text is None or not target.kind.takes_text:
                return Route(RouteKind.HINT, target)
            return Route(RouteKind.TAKE, target)
        # A reply to a message that waits for nothing: never guess; offer the open steps.
        if text is None or not takers:
            return Route(RouteKind.HINT, takers[0] if takers else None)
        return await _ask(session, user_id, text, takers, now)
    if not steps:
        return Route(RouteKind.HINT)
    if text is None or not steps[0].kind.takes_text:
        return Route(RouteKind.HINT, steps[0])
    if len(takers) == 1:
        return Route(RouteKind.TAKE, takers[0])
    return await _ask(session, user_id, text, takers, now)


async def invites_photo(session: AsyncSession, step: Step) -> bool:
    """True when the step's prompt asks for a picture: today's question of a check-in, or an
    appreciation prompt (a retired prompt invites nothing)."""
    key: str | None = None
    if step.kind is StepKind.CHECKIN_ANSWER and step.ref_id is not None:
        checkin = await session.get(Checkin, step.ref_id)
        key = checkin.question_key if checkin is not None else None
    elif step.kind is StepKind.APPRECIATION:
        key = step.ref_key
    if key is None:
        return False
    try:
        return by_key(key).invites_photo
    except KeyError:
        return False


async def route_photo(
    session: AsyncSession, user_id: int, now: datetime, *, reply_to: int | None = None
) -> Route:
    """Where a photo goes: TAKE to a step that invites one (a reply to its prompt, or the only
    words step open), REPLY_FIRST when several words steps are open and one of them invites
    a photo, else HINT with the step the bot waits for (as for a sticker)."""
    steps = await live_steps(session, user_id, now)
    takers = [s for s in steps if s.kind.takes_text]
    if reply_to is not None:
        target = await _by_prompt(session, user_id, reply_to, now)
        if target is not None:
            takes = await invites_photo(session, target)
            return Route(RouteKind.TAKE if takes else RouteKind.HINT, target)
        return Route(RouteKind.HINT, takers[0] if takers else None)
    if not steps:
        return Route(RouteKind.HINT)
    if not steps[0].kind.takes_text:
        return Route(RouteKind.HINT, steps[0])
    welcome = [s for s in takers if await invites_photo(session, s)]
    if welcome and len(takers) == 1:
        return Route(RouteKind.TAKE, welcome[0])
    if welcome:
        return Route(RouteKind.REPLY_FIRST, welcome[0])
    return Route(RouteKind.HINT, steps[0])


async def _ask(
    session: AsyncSession, user_id: int, text: str, steps: list[Step], now: datetime
) -> Route:
    held = HeldText(user_id=user_id, text=text, created_at=now)
    session.add(held)
    await session.flush()
    return Route(RouteKind.ASK, choices=tuple(steps), held_id=held.id)


async def take_held(
    session: AsyncSession, user_id: int, held_id: int, step_id: int, now: datetime
) -> tuple[str, Step]:
    """The user tapped which step their held words are for: (words, step). The held text is
    gone afterwards, whatever the step then does with it."""
    held = await session.get(HeldText, held_id)
    if held is None or held.user_id != user_id:  # gone or not theirs: the same answer
        raise ExchangeError(Stale.NOT_YOURS)
    if held.created_at <= now - HELD_FOR:
        await session.delete(held)
        raise ExchangeError(Stale.CLOSED)
    step = await step_of(session, user_id, step_id, now)
    if not step.kind.takes_text:
        raise ExchangeError(Stale.WRONG_STEP)
    text = held.text
    await session.delete(held)
    await session.flush()
    return text, step


async def drop_held(session: AsyncSession, user_id: int, held_id: int) -> None:
    """The user cancelled: their held words are deleted, sent nowhere."""
    held = await session.get(HeldText, held_id)
    if held is None or held.user_id != user_id:  # gone or not theirs: the same answer
        raise ExchangeError(Stale.NOT_YOURS)
    await session.delete(held)
    await session.flush()


# For handlers: a unit of work and people in, views out.


async def route(
    work: Work, me: Person, text: str | None, now: datetime, *, reply_to: int | None = None
) -> Route:
    """Where the user's message goes (see `route_text`)."""
    return await route_text(work.session, me.id, text, now, reply_to=reply_to)


async def route_a_photo(
    work: Work, me: Person, now: datetime, *, reply_to: int | None = None
) -> Route:
    """Where the user's photo goes (see `route_photo`)."""
    return await route_photo(work.session, me.id, now, reply_to=reply_to)


async def takes_photo(work: Work, step: Step) -> bool:
    """See `invites_photo`."""
    return await invites_photo(work.session, step)


async def use_held(
    work: Work, me: Person, held_id: int, step_id: int | None, now: datetime
) -> tuple[str, Step] | None:
    """The user tapped which step their held words are for (see `take_held`): (words, step);
    `step_id` None: they cancelled, and the words are dropped (see `drop_held`)."""
    if step_id is None:
        await drop_held(work.session, me.id, held_id)
        return None
    return await take_held(work.session, me.id, held_id, step_id, now)


async def prompts_sent(work: Work, sent: Iterable[tuple[int, int]]) -> None:
    """Each (step id, message id): see `remember_prompt`."""
    for step_id, message_id in sent:
        await remember_prompt(work.session, step_id, message_id)
