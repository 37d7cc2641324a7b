"""Love-language profiles (/lovelanguage): a ten-question quiz per person, the profile it
gives over the five languages, and whether its owner shares it with their partner.

A profile is the owner's alone until they agree to share it, and sharing is with one couple:
a new pairing starts unshared, and the owner may withdraw it at any time. Only a shared
profile is shown to the partner, and only a shared one steers the prompt picker
(`leaning`): appreciation prompts and date ideas lean toward what the receiver shared."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import LoveProfile, User
from bot.prompt_bank import LoveLanguage
from bot.prompt_bank.love_quiz import QUIZ, Option
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import Work

TOTAL = len(QUIZ)
TOP = 2  # the languages a profile names first ("... through quality time and words")
ORDER = tuple(LoveLanguage)  # ties go to the earlier language


class Sharing(enum.StrEnum):
    SHARE = "1"  # share it with the partner
    KEEP = "0"  # not now, or stop sharing


@dataclass(frozen=True, slots=True)
class Profile:
    """A finished quiz: each language with how often it was chosen, strongest first."""

    scores: tuple[tuple[LoveLanguage, int], ...]

    @property
    def top(self) -> tuple[LoveLanguage, ...]:
        return tuple(language for language, _count in self.scores[:TOP])


@dataclass(frozen=True, slots=True)
class Question:
    """The quiz question to answer next (`number` counts from 1)."""

    number: int
    options: tuple[Option, Option]


@dataclass(frozen=True, slots=True)
class Overview:
    mine: Profile | None
    shared: bool  # mine is shared with the current partner
    partners: Profile | None  # only when the partner shared theirs with this couple


def _letter(language: LoveLanguage) -> str:
    """How an answer is stored: the language's place in `ORDER`, one digit."""
    return str(ORDER.index(language))


def profile_of(result: str) -> Profile:
    counts = {language: result.count(_letter(language)) for language in ORDER}
    ranked = sorted(ORDER, key=lambda language: (-counts[language], ORDER.index(language)))
    return Profile(tuple((language, counts[language]) for language in ranked))


def _shared_with_couple(row: LoveProfile | None, couple_id: int | None) -> Profile | None:
    if row is None or row.result is None or couple_id is None or row.shared_with != couple_id:
        return None
    return profile_of(row.result)


async def overview(work: Work, me: Person, partner: Person | None) -> Overview:
    mine = await work.session.get(LoveProfile, me.id)
    theirs = await work.session.get(LoveProfile, partner.id) if partner is not None else None
    return Overview(
        mine=profile_of(mine.result) if mine is not None and mine.result is not None else None,
        shared=_shared_with_couple(mine, me.couple_id) is not None,
        partners=_shared_with_couple(theirs, me.couple_id),
    )


async def start(work: Work, me: Person) -> Question:
    """Begin (or begin again) the quiz; a finished profile stays until the new one is done."""
    row = await work.session.get(LoveProfile, me.id)
    if row is None:
        row = LoveProfile(user_id=me.id)
        work.session.add(row)
    row.answers = ""
    await work.session.flush()
    return Question(1, QUIZ[0])


async def answer(
    work: Work, me: Person, number: int, choice: int, now: datetime
) -> Question | Profile:
    """Answer question `number` with option `choice` (0 or 1): the next question, or the
    profile once the last is answered. A tap on a question already behind is refused."""
    row = await work.session.get(LoveProfile, me.id)
    if choice not in (0, 1) or row is None or number != len(row.answers) + 1 or number > TOTAL:
        raise ExchangeError(Stale.WRONG_STEP)
    row.answers += _letter(QUIZ[number - 1][choice].language)
    if len(row.answers) < TOTAL:
        await work.session.flush()
        return Question(number + 1, QUIZ[number])
    row.result, row.answers, row.finished_at = row.answers, "", now
    await work.session.flush()
    return profile_of(row.result)


async def share(work: Work, me: Person, partner: Person | None, choice: Sharing) -> Profile:
    """Share the finished profile with the current partner, or keep it to oneself."""
    yes = choice is Sharing.SHARE
    row = await work.session.get(LoveProfile, me.id)
    if row is None or row.result is None:
        raise ExchangeError(Stale.CLOSED)
    if yes and (partner is None or me.couple_id is None):
        raise ExchangeError(Stale.NOT_YOURS)
    row.shared_with = me.couple_id if yes else None
    await work.session.flush()
    return profile_of(row.result)


async def leaning(session: AsyncSession, receiver: User | None) -> frozenset[LoveLanguage]:
    """The receiver's strongest languages, only when they shared them with their couple."""
    if receiver is None:
        return frozenset()
    shared = _shared_with_couple(await session.get(LoveProfile, receiver.id), receiver.couple_id)
    return frozenset(shared.top) if shared is not None else frozenset()


async def export(session: AsyncSession, user: User) -> dict[str, object] | None:
    """The user's own profile for /export (the quiz in progress is not a profile yet)."""
    row = await session.get(LoveProfile, user.id)
    if row is None or row.result is None:
        return None
    return {
        "scores": {language.value: count for language, count in profile_of(row.result).scores},
        "shared_with_partner": row.shared_with is not None and row.shared_with == user.couple_id,
    }
