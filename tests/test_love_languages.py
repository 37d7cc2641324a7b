"""Love-language profiles: the quiz, sharing and withdrawing, the partner sees only a shared
profile, and the prompt picker leans toward the receiver's shared languages (never an
unshared one) while the 60-day no-repeat rule still holds."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import LoveProfile
from bot.prompt_bank import APPRECIATION_PROMPTS, DATE_IDEAS, LoveLanguage, Prompt
from bot.prompt_bank.love_quiz import QUIZ
from bot.services import appreciations, dates, love_languages, pairing, privacy, users
from bot.services.exchange_errors import ExchangeError
from bot.services.love_languages import Profile, Question, Sharing
from bot.services.users import TelegramProfile
from bot.services.work import begin
from tests.couples import make_couple

L = LoveLanguage
# Prefer quality time, then words: time 4, words 3, gifts 2, service 1, touch 0.
PREFER = (L.TIME, L.WORDS, L.GIFTS, L.SERVICE, L.TOUCH)


def _choice(number: int) -> int:
    first, second = QUIZ[number - 1]
    return 0 if PREFER.index(first.language) < PREFER.index(second.language) else 1


async def _take_quiz(db: Database, clock: FakeClock, user_id: int) -> Profile:
    async with begin(db) as work:
        me = await users.person(work, user_id)
        assert me is not None
        step: Question | Profile = await love_languages.start(work, me)
        while isinstance(step, Question):
            step = await love_languages.answer(
                work, me, step.number, _choice(step.number), clock.now()
            )
        return step


async def _share(db: Database, user_id: int, yes: bool) -> None:
    async with begin(db) as work:
        me = await users.person(work, user_id)
        assert me is not None
        choice = Sharing.SHARE if yes else Sharing.KEEP
        await love_languages.share(work, me, await users.partner(work, me), choice)


async def _partners_view(db: Database, user_id: int) -> Profile | None:
    async with begin(db) as work:
        me = await users.person(work, user_id)
        assert me is not None
        view = await love_languages.overview(work, me, await users.partner(work, me))
        return view.partners


async def test_the_quiz_gives_a_profile_and_a_question_behind_is_refused(
    db: Database, clock: FakeClock
) -> None:
    await make_couple(db, clock, 1, 2)
    profile = await _take_quiz(db, clock, 1)
    assert profile.top == (L.TIME, L.WORDS)
    assert dict(profile.scores) == {L.TIME: 4, L.WORDS: 3, L.GIFTS: 2, L.SERVICE: 1, L.TOUCH: 0}
    async with begin(db) as work:
        me = await users.person(work, 1)
        assert me is not None
        await love_languages.start(work, me)
        await love_languages.answer(work, me, 1, 0, clock.now())
        with pytest.raises(ExchangeError):  # a tap on question 1 again: behind us
            await love_languages.answer(work, me, 1, 1, clock.now())
        with pytest.raises(ExchangeError):
            await love_languages.answer(work, me, 2, 2, clock.now())


async def test_the_partner_sees_a_profile_only_while_it_is_shared(
    db: Database, clock: FakeClock
) -> None:
    await make_couple(db, clock, 1, 2)
    await _take_quiz(db, clock, 1)
    assert await _partners_view(db, 2) is None
    await _share(db, 1, False)  # "Not now"
    assert await _partners_view(db, 2) is None
    await _share(db, 1, True)
    shared = await _partners_view(db, 2)
    assert shared is not None and shared.top == (L.TIME, L.WORDS)
    assert await _partners_view(db, 1) is None  # Ben has not shared anything
    await _share(db, 1, False)  # withdrawn
    assert await _partners_view(db, 2) is None


async def test_export_has_the_profile_and_erasure_removes_it(
    db: Database, clock: FakeClock
) -> None:
    await make_couple(db, clock, 1, 2)
    await _take_quiz(db, clock, 1)
    await _share(db, 1, True)
    async with begin(db) as work:
        me = await users.person(work, 1)
        assert me is not None
        data = await privacy.export_for(work, me, clock.now())
        assert data["love_language"]["scores"]["time"] == 4
        assert data["love_language"]["shared_with_partner"] is True
        await privacy.erase(work, me, clock.now())
    async with db.transaction() as s:
        assert await love_languages.leaning(s, await users.get_user(s, 1)) == frozenset()
        assert await s.get(LoveProfile, 1) is None


async def _appreciation_picks(
    db: Database, clock: FakeClock, giver: int, days: int
) -> list[Prompt]:
    picks = []
    for _day in range(days):
        async with db.transaction() as s:
            user = await users.get_user(s, giver)
            assert user is not None
            chosen, _step = await appreciations.prompt(s, user, clock.now())
            picks.append(chosen)
        clock.advance(timedelta(days=1))
    return picks


COUPLES = 6  # each: 60 days of appreciation prompts for the giver (Ann), receiver Ben


async def _share_of_top(db: Database, clock: FakeClock, *, shared: bool | None) -> float:
    """Of the picks for givers whose receiver took the quiz (and shared it, or not), the share
    that serves the receiver's top language (quality time). No repeat within the 60 days."""
    random.seed(1616)
    served = total = 0
    for n in range(COUPLES):
        ann = 100 + 2 * n + (0 if shared is None else 50 if shared else 30)
        ben = ann + 1
        await make_couple(db, clock, ann, ben)
        if shared is not None:
            await _take_quiz(db, clock, ben)
            await _share(db, ben, shared)
        picks = await _appreciation_picks(db, clock, ann, 60)
        assert len({p.key for p in picks}) == 60  # the no-repeat rule holds with weighting
        served += sum(1 for p in picks if L.TIME in p.serves)
        total += len(picks)
    return served / total


async def test_the_picker_leans_toward_the_receivers_shared_language(
    db: Database, clock: FakeClock
) -> None:
    baseline = await _share_of_top(db, clock, shared=None)
    unshared = await _share_of_top(db, clock, shared=False)
    leaning = await _share_of_top(db, clock, shared=True)
    pool = sum(1 for p in APPRECIATION_PROMPTS if L.TIME in p.serves) / len(APPRECIATION_PROMPTS)
    print(
        f"quality time: pool {pool:.3f}, none {baseline:.3f}, unshared {unshared:.3f}, "
        f"shared {leaning:.3f}"
    )
    assert unshared == baseline  # same seed, same picks: an unshared profile changes nothing
    assert leaning >= 1.5 * baseline


async def test_date_ideas_lean_toward_the_invited_partner(db: Database, clock: FakeClock) -> None:
    random.seed(16)
    await make_couple(db, clock, 1, 2)
    await _take_quiz(db, clock, 2)
    await _share(db, 2, True)
    picks = []
    for _day in range(45):
        async with db.transaction() as s:
            user = await users.get_user(s, 1)
            assert user is not None
            picks.append(await dates.suggest(s, user, clock.now()))
        clock.advance(timedelta(days=1))
    assert len({p.key for p in picks}) == len(picks)
    served = sum(1 for p in picks if p.serves & {L.TIME, L.WORDS}) / len(picks)
    pool = sum(1 for p in DATE_IDEAS if p.serves & {L.TIME, L.WORDS}) / len(DATE_IDEAS)
    print(f"date ideas for time or words: pool {pool:.3f}, picks {served:.3f}")
    assert served >= 1.5 * pool


async def test_a_new_pairing_starts_unshared(db: Database, clock: FakeClock) -> None:
    await make_couple(db, clock, 1, 2)
    await _take_quiz(db, clock, 1)
    await _share(db, 1, True)
    async with db.transaction() as s:
        ann = await users.get_user(s, 1)
        assert ann is not None
        await pairing.unpair(s, ann, clock.now())
    async with db.transaction() as s:  # Ann pairs with Cid
        cid = await users.ensure_user(s, TelegramProfile(3, 3, "Cid"), clock.now())
        ann = await users.get_user(s, 1)
        assert ann is not None
        code = (await pairing.create_invite(s, ann, clock.now())).code
        await pairing.join(s, cid, code, clock.now())
    assert await _partners_view(db, 3) is None
    async with db.transaction() as s:
        assert await love_languages.leaning(s, await users.get_user(s, 1)) == frozenset()
