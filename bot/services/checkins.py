"""The daily check-in exchange: mood, the day's question, a need; revealed to both partners
only when both have answered (reciprocal sharing), or closed after 24 h with one answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import Checkin, CheckinAnswer, Reaction, User
from bot.prompt_bank import CHECKIN_QUESTIONS, Prompt, by_key
from bot.services import inputs, prompt_picker
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.inputs import Expect

MOODS = (1, 2, 3, 4, 5)
MAX_ANSWER_LENGTH = 500
MAX_NEED_LENGTH = 300
WINDOW = timedelta(hours=24)
# A couple starts at most one check-in per ~day, so 60 days never exhaust the question bank.
MIN_GAP = timedelta(hours=20)


class ReactionKind(enum.StrEnum):
    THANKS = "thanks"
    HARD = "hard"
    SUPPORT = "support"
    HAPPY = "happy"


class NeedReply(enum.StrEnum):
    YES = "yes"
    NO = "no"
    TALK = "talk"


class StartState(enum.Enum):
    NEW = "new"  # show the mood question
    RESUME = "resume"  # mid-way: show the current step again
    WAITING = "waiting"  # answered; the partner has not yet
    DONE_TODAY = "done_today"  # revealed recently; come back tomorrow


@dataclass(slots=True)
class Started:
    state: StartState
    checkin: Checkin
    answer: CheckinAnswer | None
    question: Prompt


@dataclass(slots=True)
class Completed:
    checkin: Checkin
    revealed: bool
    answers: dict[int, CheckinAnswer]  # by user id, both when revealed


class TooLong(Exception):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} > {limit}")
        self.length = length
        self.limit = limit


async def _latest(session: AsyncSession, couple_id: int) -> Checkin | None:
    stmt = (
        select(Checkin)
        .where(Checkin.couple_id == couple_id)
        .order_by(Checkin.opened_at.desc(), Checkin.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _answer(session: AsyncSession, checkin_id: int, user_id: int) -> CheckinAnswer | None:
    stmt = select(CheckinAnswer).where(
        CheckinAnswer.checkin_id == checkin_id, CheckinAnswer.user_id == user_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def answers_of(session: AsyncSession, checkin_id: int) -> dict[int, CheckinAnswer]:
    stmt = select(CheckinAnswer).where(CheckinAnswer.checkin_id == checkin_id)
    return {a.user_id: a for a in (await session.execute(stmt)).scalars()}


async def start(session: AsyncSession, user: User, now: datetime) -> Started:
    """Begin (or continue) the user's check-in; partners share one exchange per day."""
    assert user.couple_id is not None
    latest = await _latest(session, user.couple_id)
    if latest is not None and latest.status == "open" and latest.closes_at > now:
        answer = await _answer(session, latest.id, user.id)
        question = by_key(latest.question_key)
        if answer is not None:
            state = StartState.WAITING if answer.step == "done" else StartState.RESUME
            return Started(state, latest, answer, question)
        answer = await _new_answer(session, latest, user, now)
        return Started(StartState.NEW, latest, answer, question)
    if latest is not None and latest.opened_at > now - MIN_GAP:
        return Started(StartState.DONE_TODAY, latest, None, by_key(latest.question_key))
    picked = await prompt_picker.pick(session, user.couple_id, CHECKIN_QUESTIONS, now)
    assert picked is not None  # repeats are allowed when the bank is exhausted
    checkin = Checkin(
        couple_id=user.couple_id,
        question_key=picked.key,
        status="open",
        opened_at=now,
        closes_at=now + WINDOW,
    )
    session.add(checkin)
    await session.flush()
    answer = await _new_answer(session, checkin, user, now)
    return Started(StartState.NEW, checkin, answer, picked)


async def _new_answer(
    session: AsyncSession, checkin: Checkin, user: User, now: datetime
) -> CheckinAnswer:
    answer = CheckinAnswer(checkin_id=checkin.id, user_id=user.id, step="mood", started_at=now)
    session.add(answer)
    await session.flush()
    return answer


async def _own_open(
    session: AsyncSession, user: User, checkin_id: int, now: datetime, step: str
) -> tuple[Checkin, CheckinAnswer]:
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if checkin.status != "open" or checkin.closes_at <= now:
        raise ExchangeError(Stale.CLOSED)
    answer = await _answer(session, checkin.id, user.id)
    if answer is None:
        raise ExchangeError(Stale.NOT_YOURS)
    if answer.step != step:
        raise ExchangeError(Stale.ALREADY if answer.step == "done" else Stale.WRONG_STEP)
    return checkin, answer


async def set_mood(
    session: AsyncSession, user: User, checkin_id: int, mood: int, now: datetime
) -> CheckinAnswer:
    if mood not in MOODS:
        raise ExchangeError(Stale.WRONG_STEP)
    _checkin, answer = await _own_open(session, user, checkin_id, now, "mood")
    answer.mood = mood
    answer.step = "answer"
    await inputs.expect(session, user.id, Expect.CHECKIN_ANSWER, now, ref_id=checkin_id)
    await session.flush()
    return answer


async def set_answer(
    session: AsyncSession, user: User, checkin_id: int, text: str, now: datetime
) -> CheckinAnswer:
    """Store the answer; a too-long one is kept as a draft and TooLong is raised."""
    _checkin, answer = await _own_open(session, user, checkin_id, now, "answer")
    text = text.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        answer.draft = text
        await session.flush()
        raise TooLong(len(text), MAX_ANSWER_LENGTH)
    answer.answer = text
    answer.draft = None
    answer.step = "need"
    await inputs.expect(session, user.id, Expect.CHECKIN_NEED, now, ref_id=checkin_id)
    await session.flush()
    return answer


async def set_need(
    session: AsyncSession, user: User, checkin_id: int, need: str | None, now: datetime
) -> Completed:
    """Store the need (None: skipped), finish the user's part, reveal if both are done."""
    checkin, answer = await _own_open(session, user, checkin_id, now, "need")
    need = need.strip() if need else None
    if need and len(need) > MAX_NEED_LENGTH:
        raise TooLong(len(need), MAX_NEED_LENGTH)
    answer.need = need or None
    answer.step = "done"
    answer.completed_at = now
    await inputs.clear(session, user.id)
    both = await answers_of(session, checkin.id)
    done = [a for a in both.values() if a.step == "done"]
    revealed = len(done) == 2
    if revealed:
        checkin.status = "revealed"
        checkin.closed_at = now
    await session.flush()
    return Completed(checkin, revealed, both)


async def react(
    session: AsyncSession, user: User, checkin_id: int, kind: ReactionKind, now: datetime
) -> None:
    """A one-tap reaction under a revealed check-in; raises ALREADY on a second tap."""
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if checkin.status != "revealed":
        raise ExchangeError(Stale.CLOSED)
    try:
        async with session.begin_nested():
            session.add(
                Reaction(checkin_id=checkin_id, from_user_id=user.id, kind=kind, created_at=now)
            )
    except IntegrityError:
        raise ExchangeError(Stale.ALREADY) from None


async def reply_to_need(
    session: AsyncSession, user: User, checkin_id: int, reply: NeedReply, now: datetime
) -> CheckinAnswer:
    """The partner answers a stated need; returns the answer that held the need."""
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    others = [a for a in (await answers_of(session, checkin_id)).values() if a.user_id != user.id]
    if not others or not others[0].need:
        raise ExchangeError(Stale.NOT_YOURS)
    holder = others[0]
    if holder.need_reply is not None:
        raise ExchangeError(Stale.ALREADY)
    holder.need_reply = reply.value
    await session.flush()
    return holder


@dataclass(slots=True)
class Closed:
    checkin: Checkin
    answered: list[int]  # user ids who finished
    unfinished: list[int]  # user ids who started but did not finish


async def close_stale(session: AsyncSession, now: datetime, limit: int = 500) -> list[Closed]:
    """Close open check-ins whose 24 h passed: one answer -> 'partial', none -> 'empty'."""
    stmt = (
        select(Checkin)
        .where(Checkin.status == "open", Checkin.closes_at <= now)
        .order_by(Checkin.closes_at)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    closed: list[Closed] = []
    for checkin in (await session.execute(stmt)).scalars():
        answers = await answers_of(session, checkin.id)
        answered = [uid for uid, a in answers.items() if a.step == "done"]
        unfinished = [uid for uid, a in answers.items() if a.step != "done"]
        checkin.status = "partial" if answered else "empty"
        checkin.closed_at = now
        await _clear_inputs_for(session, checkin.id, unfinished)
        closed.append(Closed(checkin, answered, unfinished))
    await session.flush()
    return closed


async def _clear_inputs_for(session: AsyncSession, checkin_id: int, user_ids: list[int]) -> None:
    for uid in user_ids:
        row = await inputs.pending(session, uid)
        if (
            row is not None
            and row.ref_id == checkin_id
            and row.kind
            in (
                Expect.CHECKIN_ANSWER,
                Expect.CHECKIN_NEED,
            )
        ):
            await inputs.clear(session, uid)
