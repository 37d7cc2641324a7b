"""The daily check-in exchange: mood, the day's question, a need; revealed to both partners
only when both have answered (reciprocal sharing), or closed after 24 h with one answer."""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import is_postgres
from bot.models import AnswerStep, Checkin, CheckinAnswer, CheckinStatus, Couple, Reaction, User
from bot.prompt_bank import CHECKIN_QUESTIONS, CheckinQuestion, Prompt, by_key
from bot.services import conversation, depth, prompt_picker, users
from bot.services.conversation import Step, StepKind
from bot.services.exchange_errors import ExchangeError, Stale, TooLong
from bot.services.people import Person, person_in, row_of
from bot.services.work import Work

MOODS = (1, 2, 3, 4, 5)
MAX_ANSWER_LENGTH = 500
MAX_NEED_LENGTH = 300
WINDOW = timedelta(hours=24)
# A couple starts at most one check-in per ~day.
MIN_GAP = timedelta(hours=20)
# "Your check-in closed before it was shared": at most one such notice a week per person.
CLOSING_NOTICE_EVERY = timedelta(days=7)
NOTE_WINDOW = timedelta(hours=24)  # for the optional note with "Not today"

# Words that, typed at the need step, mean "nothing today" (Skip), in every language the bot
# speaks; compared after `_plain` (lower case, no punctuation, single spaces).
SKIP_WORDS = frozenset(
    {
        # en
        "no", "nope", "nothing", "none", "skip", "na", "no thanks", "nothing thanks",
        "not today", "all good",
        # de
        "nein", "nichts", "nee", "nö", "nein danke", "nichts danke", "gar nichts",
        # es
        "nada", "nada gracias", "no gracias",
        # fr
        "non", "rien", "non merci", "rien merci",
        # pt_BR
        "não", "nao", "não obrigado", "não obrigada", "nada obrigado", "nada obrigada",
        # ru
        "нет", "ничего", "нет спасибо", "ничего не нужно", "ничего спасибо",
        # uk
        "ні", "нічого", "ні дякую", "нічого не треба", "нічого дякую",
    }
)  # fmt: skip
PUNCTUATION = string.punctuation + "–—…«»“”„‘’¡¿"


def _plain(text: str) -> str:
    kept = "".join(" " if c in PUNCTUATION else c for c in text.casefold())
    return " ".join(kept.split())


def means_skip(text: str) -> bool:
    """True when words typed at the need step say "nothing": a word of SKIP_WORDS, or only
    punctuation such as "-"."""
    if not text.strip():
        return False
    plain = _plain(text)
    return plain == "" or plain in SKIP_WORDS


class ReactionKind(enum.StrEnum):
    THANKS = "thanks"
    HARD = "hard"
    SUPPORT = "support"
    HAPPY = "happy"


class NeedReply(enum.StrEnum):
    YES = "yes"
    NO = "no"  # shown as "Not today"
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
    step: Step | None = None  # the step now waiting for the user (its prompt is shown next)


@dataclass(slots=True)
class Advanced:
    """One step of the user's check-in done; `step` is the next one waiting for them."""

    checkin: Checkin
    answer: CheckinAnswer
    question: Prompt
    step: Step | None


@dataclass(slots=True)
class Completed:
    checkin: Checkin
    revealed: bool
    answers: dict[int, CheckinAnswer]  # by user id, both when revealed


STEP_KINDS = (StepKind.CHECKIN_MOOD, StepKind.CHECKIN_ANSWER, StepKind.CHECKIN_NEED)
STEP_OF_ANSWER: dict[str, StepKind] = {
    AnswerStep.MOOD: StepKind.CHECKIN_MOOD,
    AnswerStep.ANSWER: StepKind.CHECKIN_ANSWER,
    AnswerStep.NEED: StepKind.CHECKIN_NEED,
}


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


async def _lock_couple(session: AsyncSession, couple_id: int) -> None:
    """Serialise the two partners' first and last steps, so they share one check-in and it is
    revealed exactly once. On PostgreSQL a row lock on the couple; SQLite transactions are
    immediate (one writer)."""
    if is_postgres(session):
        await session.execute(select(Couple.id).where(Couple.id == couple_id).with_for_update())


async def _open_step_for(
    session: AsyncSession, checkin: Checkin, answer: CheckinAnswer, now: datetime
) -> Step | None:
    kind = STEP_OF_ANSWER.get(answer.step)
    if kind is None:
        return None
    return await conversation.open_step(
        session, answer.user_id, kind, now, checkin.closes_at, ref_id=checkin.id
    )


async def start(session: AsyncSession, user: User, now: datetime) -> Started:
    """Begin (or continue) the user's check-in; partners share one exchange per day. The
    step the user is at is (re)opened as their newest."""
    assert user.couple_id is not None
    # Both partners' prompts may be composed at the same moment (two processes): one of them
    # opens the day's check-in, the other joins it.
    await _lock_couple(session, user.couple_id)
    latest = await _latest(session, user.couple_id)
    if latest is not None and latest.status == CheckinStatus.OPEN and latest.closes_at > now:
        answer = await _answer(session, latest.id, user.id)
        question = by_key(latest.question_key)
        if answer is not None:
            if answer.step == AnswerStep.DONE:
                return Started(StartState.WAITING, latest, answer, question)
            step = await _open_step_for(session, latest, answer, now)
            return Started(StartState.RESUME, latest, answer, question, step)
        answer = await _new_answer(session, latest, user, now)
        step = await _open_step_for(session, latest, answer, now)
        return Started(StartState.NEW, latest, answer, question, step)
    if latest is not None and latest.opened_at > now - MIN_GAP:
        return Started(StartState.DONE_TODAY, latest, None, by_key(latest.question_key))
    picked = await pick_question(session, user, now)
    checkin = Checkin(
        couple_id=user.couple_id,
        question_key=picked.key,
        status=CheckinStatus.OPEN,
        opened_at=now,
        closes_at=now + WINDOW,
    )
    session.add(checkin)
    await session.flush()
    answer = await _new_answer(session, checkin, user, now)
    step = await _open_step_for(session, checkin, answer, now)
    return Started(StartState.NEW, checkin, answer, picked, step)


async def pick_question(
    session: AsyncSession, user: User, now: datetime, *, instead_of: str | None = None
) -> CheckinQuestion:
    """A question for the user's couple within the depth they may get now (see
    `bot.services.depth`), unseen by the couple for 60 days while such remain, else the one
    they saw longest ago; recorded as shown. `instead_of`: the question being replaced."""
    assert user.couple_id is not None
    allowed = await depth.allowed_for(session, user, now)
    pool = [q for q in CHECKIN_QUESTIONS if q.depth <= allowed and q.key != instead_of]
    return await prompt_picker.pick(session, user.couple_id, pool, now)


async def _new_answer(
    session: AsyncSession, checkin: Checkin, user: User, now: datetime
) -> CheckinAnswer:
    answer = CheckinAnswer(
        checkin_id=checkin.id, user_id=user.id, step=AnswerStep.MOOD, started_at=now
    )
    session.add(answer)
    await session.flush()
    return answer


async def _own_open(
    session: AsyncSession, user: User, checkin_id: int, now: datetime, step: AnswerStep
) -> tuple[Checkin, CheckinAnswer]:
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if checkin.status != CheckinStatus.OPEN or checkin.closes_at <= now:
        raise ExchangeError(Stale.CLOSED)
    answer = await _answer(session, checkin.id, user.id)
    if answer is None:
        raise ExchangeError(Stale.NOT_YOURS)
    if answer.step != step:
        raise ExchangeError(Stale.ALREADY if answer.step == AnswerStep.DONE else Stale.WRONG_STEP)
    return checkin, answer


async def _advance(
    session: AsyncSession, checkin: Checkin, answer: CheckinAnswer, to: AnswerStep, now: datetime
) -> Step | None:
    """Move the user's answer to its next step: the old step closes, the next one opens."""
    await conversation.close_step(session, answer.user_id, STEP_OF_ANSWER[answer.step], checkin.id)
    answer.step = to
    step = await _open_step_for(session, checkin, answer, now)
    await session.flush()
    return step


async def set_mood(
    session: AsyncSession, user: User, checkin_id: int, mood: int, now: datetime
) -> Advanced:
    if mood not in MOODS:
        raise ExchangeError(Stale.WRONG_STEP)
    checkin, answer = await _own_open(session, user, checkin_id, now, AnswerStep.MOOD)
    answer.mood = mood
    step = await _advance(session, checkin, answer, AnswerStep.ANSWER, now)
    return Advanced(checkin, answer, by_key(checkin.question_key), step)


async def set_answer(
    session: AsyncSession,
    user: User,
    checkin_id: int,
    text: str,
    now: datetime,
    photo_file_id: str | None = None,
) -> Advanced:
    """Store the answer; a too-long one is kept as a draft and TooLong is raised. With
    `photo_file_id` the answer is a photo (only to a question that invites one) and `text`
    its caption."""
    checkin, answer = await _own_open(session, user, checkin_id, now, AnswerStep.ANSWER)
    if photo_file_id is not None and not by_key(checkin.question_key).invites_photo:
        raise ExchangeError(Stale.WRONG_STEP)  # the question changed meanwhile
    text = text.strip()
    if len(text) > MAX_ANSWER_LENGTH:
        answer.draft = text
        await session.flush()
        raise TooLong(len(text), MAX_ANSWER_LENGTH)
    answer.answer = text if text or photo_file_id is None else None
    answer.photo_file_id = photo_file_id
    answer.draft = None
    step = await _advance(session, checkin, answer, AnswerStep.NEED, now)
    return Advanced(checkin, answer, by_key(checkin.question_key), step)


async def skip_answer(
    session: AsyncSession, user: User, checkin_id: int, now: datetime
) -> Advanced:
    """The user lets today's question pass: their answer stays empty (the reveal says so
    kindly) and the need step comes next."""
    checkin, answer = await _own_open(session, user, checkin_id, now, AnswerStep.ANSWER)
    answer.answer = None
    answer.draft = None
    step = await _advance(session, checkin, answer, AnswerStep.NEED, now)
    return Advanced(checkin, answer, by_key(checkin.question_key), step)


@dataclass(slots=True)
class Replaced:
    checkin: Checkin
    question: CheckinQuestion
    partner_at_question: bool  # the partner was shown the old question: show the new one
    partner_message_id: int | None  # the message that asked them (to edit), when known


async def replace_question(
    session: AsyncSession, user: User, checkin_id: int, now: datetime
) -> Replaced:
    """Another question for both partners, allowed while neither has answered (or skipped)
    the current one. The couple is locked, so it cannot cross the partner's answer."""
    if user.couple_id is not None:
        await _lock_couple(session, user.couple_id)
    checkin, _answer_row = await _own_open(session, user, checkin_id, now, AnswerStep.ANSWER)
    both = await answers_of(session, checkin.id)
    if any(a.step in (AnswerStep.NEED, AnswerStep.DONE) for a in both.values()):
        raise ExchangeError(Stale.ANSWERED)
    question = await pick_question(session, user, now, instead_of=checkin.question_key)
    checkin.question_key = question.key
    at_question = False
    message_id: int | None = None
    for other in both.values():
        if other.user_id != user.id and other.step == AnswerStep.ANSWER:
            other.draft = None  # words too long for the old question
            at_question = True
            message_id = await conversation.prompt_message_of(
                session, other.user_id, StepKind.CHECKIN_ANSWER, checkin.id
            )
    await session.flush()
    return Replaced(checkin, question, at_question, message_id)


async def set_need(
    session: AsyncSession, user: User, checkin_id: int, need: str | None, now: datetime
) -> Completed:
    """Store the need (None, or words that mean "nothing": skipped), finish the user's part,
    reveal if both are done. The couple is locked first, so when both finish at once exactly
    one of them reveals."""
    if user.couple_id is not None:
        await _lock_couple(session, user.couple_id)
    checkin, answer = await _own_open(session, user, checkin_id, now, AnswerStep.NEED)
    need = need.strip() if need and not means_skip(need) else None
    if need and len(need) > MAX_NEED_LENGTH:
        raise TooLong(len(need), MAX_NEED_LENGTH)
    answer.need = need or None
    await _advance(session, checkin, answer, AnswerStep.DONE, now)
    answer.completed_at = now
    both = await answers_of(session, checkin.id)
    revealed = sum(1 for a in both.values() if a.step == AnswerStep.DONE) == 2
    if revealed:
        checkin.status = CheckinStatus.REVEALED
        checkin.closed_at = now
        await conversation.close_exchange(session, STEP_KINDS, checkin.id)
    await session.flush()
    return Completed(checkin, revealed, both)


async def _revealed_for(session: AsyncSession, user: User, checkin_id: int) -> Checkin:
    """A check-in of the user's own couple that was revealed to both; anything else is
    refused without saying what it holds."""
    checkin = await session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    if checkin.status != CheckinStatus.REVEALED:
        raise ExchangeError(Stale.CLOSED)
    return checkin


async def react(
    session: AsyncSession, user: User, checkin_id: int, kind: ReactionKind, now: datetime
) -> None:
    """A one-tap reaction under a revealed check-in; raises ALREADY on a second tap."""
    await _revealed_for(session, user, checkin_id)
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
    """The partner answers a stated need of a revealed check-in; returns the answer that
    held the need."""
    await _revealed_for(session, user, checkin_id)
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
    """Close open check-ins whose 24 h passed: one answer -> partial, none -> empty. Nothing
    of a partial check-in is ever shown to the partner."""
    stmt = (
        select(Checkin)
        .where(Checkin.status == CheckinStatus.OPEN, Checkin.closes_at <= now)
        .order_by(Checkin.closes_at)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    closed: list[Closed] = []
    for checkin in (await session.execute(stmt)).scalars():
        answers = await answers_of(session, checkin.id)
        answered = [uid for uid, a in answers.items() if a.step == AnswerStep.DONE]
        unfinished = [uid for uid, a in answers.items() if a.step != AnswerStep.DONE]
        checkin.status = CheckinStatus.PARTIAL if answered else CheckinStatus.EMPTY
        checkin.closed_at = now
        await conversation.close_exchange(session, STEP_KINDS, checkin.id)
        closed.append(Closed(checkin, answered, unfinished))
    await session.flush()
    return closed


# For handlers: a unit of work and people in, views out.


@dataclass(frozen=True, slots=True)
class Entry:
    """What starting (or continuing) a check-in shows the user."""

    state: StartState
    checkin_id: int
    question: Prompt
    # The step now waiting for the user (mood, answer or need); None when they have answered.
    step: Step | None


@dataclass(frozen=True, slots=True)
class Next:
    """One step of the user's check-in done; `step` is the one now waiting for them."""

    checkin_id: int
    question: Prompt
    step: Step | None


@dataclass(frozen=True, slots=True)
class Shared:
    """One partner's part of a revealed check-in."""

    mood: int | None
    answer: str | None  # with a photo: its caption
    need: str | None
    photo: str | None = None  # a photo answer's Telegram file id


@dataclass(frozen=True, slots=True)
class Reveal:
    """A check-in both partners answered, as it is shown to both."""

    checkin_id: int
    opened_at: datetime
    question: Prompt
    shared: Mapping[int, Shared]  # by user id

    @classmethod
    def of(cls, checkin: Checkin, answers: dict[int, CheckinAnswer]) -> Reveal:
        return cls(
            checkin.id,
            checkin.opened_at,
            by_key(checkin.question_key),
            {uid: Shared(a.mood, a.answer, a.need, a.photo_file_id) for uid, a in answers.items()},
        )


@dataclass(frozen=True, slots=True)
class OneSided:
    """A check-in that closed with one partner's answer: nothing is shown. Who hears of it
    (`told`) is limited to one such notice a week per person."""

    checkin_id: int
    answered: Person
    told: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Expired:
    closed: int  # how many check-ins closed
    one_sided: list[OneSided]


@dataclass(frozen=True, slots=True)
class SharedAnyway:
    """An answer its author chose to share after the check-in closed with only theirs."""

    opened_at: datetime
    question: Prompt
    shared: Shared


async def enter(work: Work, me: Person, now: datetime) -> Entry:
    """Start or continue the user's check-in (see `start`)."""
    started = await start(work.session, await row_of(work, me), now)
    return Entry(started.state, started.checkin.id, started.question, started.step)


async def choose_mood(work: Work, me: Person, checkin_id: int, mood: int, now: datetime) -> Next:
    advanced = await set_mood(work.session, await row_of(work, me), checkin_id, mood, now)
    return Next(advanced.checkin.id, advanced.question, advanced.step)


async def write_answer(
    work: Work,
    me: Person,
    checkin_id: int,
    text: str,
    now: datetime,
    photo_file_id: str | None = None,
) -> Next:
    """See `set_answer`: a too-long answer is kept as a draft and TooLong is raised."""
    user = await row_of(work, me)
    advanced = await set_answer(work.session, user, checkin_id, text, now, photo_file_id)
    return Next(advanced.checkin.id, advanced.question, advanced.step)


async def skip_question(work: Work, me: Person, checkin_id: int, now: datetime) -> Next:
    """See `skip_answer`."""
    advanced = await skip_answer(work.session, await row_of(work, me), checkin_id, now)
    return Next(advanced.checkin.id, advanced.question, advanced.step)


@dataclass(frozen=True, slots=True)
class NewQuestion:
    """Today's question changed for both partners (see `replace_question`)."""

    checkin_id: int
    question: Prompt
    partner: Person
    partner_at_question: bool  # the partner sees the question now: show them the new one
    partner_message_id: int | None  # the message that asked them, to edit when known


async def another_question(
    work: Work, me: Person, partner: Person, checkin_id: int, now: datetime
) -> NewQuestion:
    replaced = await replace_question(work.session, await row_of(work, me), checkin_id, now)
    return NewQuestion(
        replaced.checkin.id,
        replaced.question,
        partner,
        replaced.partner_at_question,
        replaced.partner_message_id,
    )


async def finish(
    work: Work, me: Person, checkin_id: int, need: str | None, now: datetime
) -> Reveal | None:
    """The user's last step (see `set_need`); the reveal when both have now answered."""
    completed = await set_need(work.session, await row_of(work, me), checkin_id, need, now)
    return Reveal.of(completed.checkin, completed.answers) if completed.revealed else None


async def send_reaction(
    work: Work, me: Person, checkin_id: int, kind: ReactionKind, now: datetime
) -> None:
    await react(work.session, await row_of(work, me), checkin_id, kind, now)


@dataclass(frozen=True, slots=True)
class NeedAnswered:
    need: str  # the need's words
    note_step: Step | None  # after "Not today": the step that takes an optional note


async def answer_need(
    work: Work, me: Person, checkin_id: int, reply: NeedReply, now: datetime
) -> NeedAnswered:
    """The partner's answer to a need (see `reply_to_need`). "Not today" opens a step for an
    optional note; the one with the need hears of it once that step is done."""
    holder = await reply_to_need(work.session, await row_of(work, me), checkin_id, reply, now)
    step = None
    if reply is NeedReply.NO:
        step = await conversation.open_step(
            work.session, me.id, StepKind.NEED_NOTE, now, now + NOTE_WINDOW, ref_id=checkin_id
        )
    return NeedAnswered(holder.need or "", step)


async def close_expired(work: Work, now: datetime) -> Expired:
    """Close the check-ins whose 24 h passed (see `close_stale`), with whom to tell of the
    ones that only one partner answered: each person at most once a week."""
    closed = await close_stale(work.session, now)
    one_sided: list[OneSided] = []
    for item in closed:
        if not item.answered:
            continue
        people = await users.members_of(work.session, item.checkin.couple_id)
        if len(people) != 2:
            continue
        answered = next(p for p in people if p.id == item.answered[0])
        told = [p for p in people if _may_tell_closing(p, now)]
        for person in told:
            person.closing_notice_at = now
        one_sided.append(
            OneSided(
                item.checkin.id,
                person_in(work, answered),
                tuple(person_in(work, p) for p in told),
            )
        )
    await work.session.flush()
    return Expired(len(closed), one_sided)


def _may_tell_closing(user: User, now: datetime) -> bool:
    last = user.closing_notice_at
    return last is None or last <= now - CLOSING_NOTICE_EVERY


async def _own_closed_answer(work: Work, me: Person, checkin_id: int) -> CheckinAnswer:
    """The user's own answer of a check-in of their couple that closed with only theirs;
    anything else is refused without saying what it holds."""
    user = await row_of(work, me)
    checkin = await work.session.get(Checkin, checkin_id)
    if checkin is None or user.couple_id is None or checkin.couple_id != user.couple_id:
        raise ExchangeError(Stale.NOT_YOURS)
    answer = await _answer(work.session, checkin.id, user.id)
    if checkin.status != CheckinStatus.PARTIAL or answer is None:
        raise ExchangeError(Stale.NOT_YOURS)
    if answer.step != AnswerStep.DONE:
        raise ExchangeError(Stale.NOT_YOURS)
    if answer.shared_at is not None:
        raise ExchangeError(Stale.ALREADY)
    return answer


async def share_anyway(work: Work, me: Person, checkin_id: int, now: datetime) -> SharedAnyway:
    """The author of the only answer of a closed check-in shares it with the partner after
    all (once)."""
    answer = await _own_closed_answer(work, me, checkin_id)
    checkin = await work.session.get(Checkin, checkin_id)
    assert checkin is not None
    answer.shared_at = now
    await work.session.flush()
    return SharedAnyway(
        checkin.opened_at,
        by_key(checkin.question_key),
        Shared(answer.mood, answer.answer, answer.need, answer.photo_file_id),
    )


async def keep_private(work: Work, me: Person, checkin_id: int) -> None:
    """The author keeps such an answer to themselves: nothing changes, but only their own
    answer (not yet shared) can be kept."""
    await _own_closed_answer(work, me, checkin_id)
