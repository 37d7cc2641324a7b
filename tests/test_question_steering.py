"""Questions a couple can steer, at the service level: Skip and Another question, the depth of
the day's question (light for new couples, never deep the day after a low mood, a ceiling
either partner lowers and both raise), "nothing" at the need step, and the bank's no-repeat
promise within the allowed depth."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import AnswerStep, Checkin, CheckinAnswer, CheckinStatus, Couple, User
from bot.prompt_bank import CHECKIN_QUESTIONS, Depth, by_key
from bot.services import checkins, depth, users
from bot.services.depth import Change, RaiseReply
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.people import Person
from bot.services.work import begin
from tests.couples import Pair, make_couple

ACCEPT, DECLINE = RaiseReply.ACCEPT, RaiseReply.DECLINE


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 101, 102)


@pytest.fixture
async def other_pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 201, 202)


async def person(db: Database, user_id: int) -> Person:
    async with begin(db) as work:
        found = await users.person(work, user_id)
        assert found is not None
        return found


async def set_ceiling(db: Database, couple_id: int, level: Depth | None) -> None:
    async with db.transaction() as s:
        couple = await s.get(Couple, couple_id)
        assert couple is not None
        couple.depth_ceiling = None if level is None else level.value


async def start(db: Database, clock: FakeClock, user_id: int) -> checkins.Started:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await checkins.start(s, user, clock.now())


async def to_question(db: Database, clock: FakeClock, user_id: int, mood: int = 3) -> int:
    """The user starts (or joins) today's check-in and chooses a mood: at the question."""
    started = await start(db, clock, user_id)
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        await checkins.set_mood(s, user, started.checkin.id, mood, clock.now())
    return started.checkin.id


async def answer_all(db: Database, clock: FakeClock, user_id: int, checkin_id: int) -> None:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "words", clock.now())
        await checkins.set_need(s, user, checkin_id, None, clock.now())


async def question_of(db: Database, checkin_id: int) -> str:
    async with db.transaction() as s:
        checkin = await s.get(Checkin, checkin_id)
        assert checkin is not None
        return checkin.question_key


# "Nothing" at the need step


@pytest.mark.parametrize(
    "text",
    ["nothing", "Nothing.", "NO!", "-", " — ", "nein", "Nichts", "nada", "Não", "nao", "rien",
     "non merci", "нет", "Ничего.", "ні", "нічого!", "No, thanks", "nothing, thanks :)"],
)  # fmt: skip
def test_words_that_mean_nothing_skip_the_need(text: str) -> None:
    assert checkins.means_skip(text)


@pytest.mark.parametrize(
    "text",
    ["a hug", "no more dishes tonight please", "nothing big, just a hug", "non-stop help",
     "нет сил, обними меня", "", "   "],
)  # fmt: skip
def test_real_needs_are_kept(text: str) -> None:
    assert not checkins.means_skip(text)


async def test_typing_nothing_at_the_need_step_is_a_skip(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await to_question(db, clock, pair.a)
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "fine", clock.now())
        await checkins.set_need(s, user, checkin_id, "Nichts!", clock.now())
        answer = (await checkins.answers_of(s, checkin_id))[pair.a]
    assert answer.step == AnswerStep.DONE
    assert answer.need is None


# Skip and Another question


async def test_skip_at_the_question_records_a_skipped_answer_and_asks_the_need(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await to_question(db, clock, pair.a)
    me = await person(db, pair.a)
    async with begin(db) as work:
        nxt = await checkins.skip_question(work, me, checkin_id, clock.now())
    assert nxt.step is not None and nxt.step.kind.value == "checkin_need"
    async with begin(db) as work:
        with pytest.raises(ExchangeError) as twice:
            await checkins.skip_question(work, me, checkin_id, clock.now())
    assert twice.value.reason is Stale.WRONG_STEP
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.set_need(s, user, checkin_id, None, clock.now())
    await to_question(db, clock, pair.b)
    await answer_all(db, clock, pair.b, checkin_id)
    async with db.transaction() as s:
        answers = await checkins.answers_of(s, checkin_id)
        checkin = await s.get(Checkin, checkin_id)
        assert checkin is not None
        reveal = checkins.Reveal.of(checkin, answers)
    assert checkin.status == CheckinStatus.REVEALED
    assert reveal.shared[pair.a].answer is None
    assert reveal.shared[pair.a].mood == 3
    assert reveal.shared[pair.b].answer == "words"


async def test_another_question_changes_it_for_both_until_one_answered(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await to_question(db, clock, pair.a)
    await to_question(db, clock, pair.b)
    first = await question_of(db, checkin_id)
    me, partner = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        new = await checkins.another_question(work, me, partner, checkin_id, clock.now())
    assert new.question.key != first
    assert await question_of(db, checkin_id) == new.question.key
    assert new.partner_at_question  # the partner sees the question: they are shown the new one
    # The partner joins the same question; once they answered it, it stays.
    assert (await start(db, clock, pair.b)).question.key == new.question.key
    async with db.transaction() as s:
        user = await s.get(User, pair.b)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "mine", clock.now())
    async with begin(db) as work:
        with pytest.raises(ExchangeError) as refused:
            await checkins.another_question(work, me, partner, checkin_id, clock.now())
    assert refused.value.reason is Stale.ANSWERED
    assert await question_of(db, checkin_id) == new.question.key


async def test_another_question_before_the_partner_reached_it_tells_nobody(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    checkin_id = await to_question(db, clock, pair.a)
    me, partner = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        new = await checkins.another_question(work, me, partner, checkin_id, clock.now())
    assert not new.partner_at_question
    assert (await start(db, clock, pair.b)).question.key == new.question.key


async def test_another_couples_checkin_cannot_be_changed(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    theirs = await to_question(db, clock, other_pair.a)
    await to_question(db, clock, pair.a)
    before = await question_of(db, theirs)
    me, partner = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        with pytest.raises(ExchangeError) as refused:
            await checkins.another_question(work, me, partner, theirs, clock.now())
        with pytest.raises(ExchangeError) as skipped:
            await checkins.skip_question(work, me, theirs, clock.now())
    assert refused.value.reason is Stale.NOT_YOURS
    assert skipped.value.reason is Stale.NOT_YOURS
    assert await question_of(db, theirs) == before


# Depth


async def test_new_couples_get_light_questions_then_up_to_medium(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    depths: list[Depth] = []
    for _day in range(30):
        checkin_id = await to_question(db, clock, pair.a)
        depths.append(by_key(await question_of(db, checkin_id)).depth)  # type: ignore[attr-defined]
        clock.advance(days=1)
    assert set(depths[:14]) == {Depth.LIGHT}
    assert Depth.MEDIUM in depths[14:]
    assert Depth.DEEP not in depths


async def test_no_deep_question_the_day_after_your_own_low_mood(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await set_ceiling(db, pair.couple_id, Depth.DEEP)
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        assert await depth.allowed_for(s, user, clock.now()) is Depth.DEEP
    await to_question(db, clock, pair.a, mood=2)  # only Ann answered: never revealed
    clock.advance(days=1)
    async with db.transaction() as s:
        ann = await s.get(User, pair.a)
        ben = await s.get(User, pair.b)
        assert ann is not None and ben is not None
        assert await depth.allowed_for(s, ann, clock.now()) is Depth.MEDIUM
        # Ben never saw Ann's mood: for him the ceiling stays, so nothing leaks.
        assert await depth.allowed_for(s, ben, clock.now()) is Depth.DEEP
    picks = set()
    for _ in range(20):
        checkin_id = await to_question(db, clock, pair.a)
        picks.add(by_key(await question_of(db, checkin_id)).depth)  # type: ignore[attr-defined]
        async with db.transaction() as s:
            answers = await checkins.answers_of(s, checkin_id)
            for row in answers.values():
                await s.delete(row)
                checkin = await s.get(Checkin, checkin_id)
            assert checkin is not None
            await s.delete(checkin)
    assert Depth.DEEP not in picks
    clock.advance(days=2)
    async with db.transaction() as s:
        ann = await s.get(User, pair.a)
        assert ann is not None
        assert await depth.allowed_for(s, ann, clock.now()) is Depth.DEEP


async def test_the_partners_low_mood_counts_once_revealed(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await set_ceiling(db, pair.couple_id, Depth.DEEP)
    checkin_id = await to_question(db, clock, pair.b, mood=1)
    await answer_all(db, clock, pair.b, checkin_id)
    clock.advance(hours=1)
    async with db.transaction() as s:
        ann = await s.get(User, pair.a)
        assert ann is not None
        assert await depth.allowed_for(s, ann, clock.now()) is Depth.DEEP  # not revealed yet
    await to_question(db, clock, pair.a, mood=4)
    await answer_all(db, clock, pair.a, checkin_id)  # now revealed
    clock.advance(days=1)
    async with db.transaction() as s:
        ann = await s.get(User, pair.a)
        assert ann is not None
        assert await depth.allowed_for(s, ann, clock.now()) is Depth.MEDIUM


async def _pick_after(
    db: Database, clock: FakeClock, pair: Pair, partner_mood: int, seed: int
) -> str:
    """Yesterday Ben checked in alone (unrevealed) with `partner_mood`; today Ann picks."""
    await set_ceiling(db, pair.couple_id, Depth.DEEP)
    random.seed(f"yesterday {seed}")
    yesterday = await to_question(db, clock, pair.b, mood=partner_mood)
    await answer_all(db, clock, pair.b, yesterday)
    clock.advance(days=1, hours=1)
    async with db.transaction() as s:
        await checkins.close_stale(s, clock.now())
        answer = (await checkins.answers_of(s, yesterday))[pair.b]
        assert isinstance(answer, CheckinAnswer) and answer.mood == partner_mood
    random.seed(f"today {seed}")
    today = await to_question(db, clock, pair.a)
    return await question_of(db, today)


async def test_an_unrevealed_low_mood_does_not_change_the_pick(
    db: Database, clock: FakeClock
) -> None:
    """Same history, same randomness: the partner's unrevealed 😞 picks what a 🙂 would,
    deep questions included (which a counted low mood would rule out)."""
    depths = set()
    for trial in range(40):
        start_at = clock.now()
        low = await make_couple(db, clock, 1000 + 4 * trial, 1001 + 4 * trial)
        good = await make_couple(db, clock, 1002 + 4 * trial, 1003 + 4 * trial)
        after_low = await _pick_after(db, clock, low, partner_mood=1, seed=trial)
        clock.advance(start_at - clock.now())
        after_good = await _pick_after(db, clock, good, partner_mood=4, seed=trial)
        assert after_low == after_good, trial
        depths.add(by_key(after_low).depth)  # type: ignore[attr-defined]
    assert Depth.DEEP in depths


async def test_either_partner_lowers_raising_needs_both(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    ann, ben = await person(db, pair.a), await person(db, pair.b)
    clock.advance(days=20)  # past the light start: medium by default
    async with begin(db) as work:
        assert await depth.current(work, ann, clock.now()) is Depth.MEDIUM
        lowered = await depth.choose(work, ben, Depth.LIGHT, clock.now())
    assert lowered.change is Change.LOWERED and lowered.partner.id == ann.id
    async with begin(db) as work:
        asked = await depth.choose(work, ann, Depth.DEEP, clock.now())
        assert asked.change is Change.ASKED
        assert await depth.current(work, ann, clock.now()) is Depth.LIGHT
        # The asker cannot answer their own request; another couple cannot either.
        with pytest.raises(ExchangeError) as own:
            await depth.answer(work, ann, pair.couple_id, Depth.DEEP, ACCEPT, clock.now())
        assert own.value.reason is Stale.NOT_YOURS
        stranger = await users.person(work, other_pair.a)
        assert stranger is not None
        with pytest.raises(ExchangeError) as forged:
            await depth.answer(work, stranger, pair.couple_id, Depth.DEEP, ACCEPT, clock.now())
        assert forged.value.reason is Stale.NOT_YOURS
        # Ben declines: nothing changes, and the request is gone.
        declined = await depth.answer(work, ben, pair.couple_id, Depth.DEEP, DECLINE, clock.now())
        assert not declined.accepted and declined.asker.id == ann.id
        assert await depth.current(work, ben, clock.now()) is Depth.LIGHT
        with pytest.raises(ExchangeError) as gone:
            await depth.answer(work, ben, pair.couple_id, Depth.DEEP, ACCEPT, clock.now())
        assert gone.value.reason is Stale.CLOSED
    async with begin(db) as work:
        await depth.choose(work, ann, Depth.DEEP, clock.now())
        accepted = await depth.answer(work, ben, pair.couple_id, Depth.DEEP, ACCEPT, clock.now())
        assert accepted.accepted
        assert await depth.current(work, ann, clock.now()) is Depth.DEEP
        same = await depth.choose(work, ann, Depth.DEEP, clock.now())
        assert same.change is Change.SAME


async def test_both_asking_for_the_same_depth_raises_it(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    ann, ben = await person(db, pair.a), await person(db, pair.b)
    async with begin(db) as work:
        assert (await depth.choose(work, ann, Depth.MEDIUM, clock.now())).change is Change.ASKED
        assert (await depth.choose(work, ben, Depth.MEDIUM, clock.now())).change is Change.RAISED
        assert await depth.current(work, ann, clock.now()) is Depth.MEDIUM


# The no-repeat promise, within the allowed depth


async def test_questions_repeat_only_when_the_allowed_ones_ran_out_oldest_first(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    # Kept at light and asking for another question every day, the couple meets every light
    # question within 60 days; then the ones seen longest ago come back, oldest first.
    await set_ceiling(db, pair.couple_id, Depth.LIGHT)
    light = [q.key for q in CHECKIN_QUESTIONS if q.depth is Depth.LIGHT]
    seen: list[str] = []
    first_day = clock.now()
    while len(seen) < len(light) + 5:
        checkin_id = await to_question(db, clock, pair.a)
        seen.append(await question_of(db, checkin_id))
        clock.advance(hours=1)
        async with db.transaction() as s:
            user = await s.get(User, pair.a)
            assert user is not None
            replaced = await checkins.replace_question(s, user, checkin_id, clock.now())
        seen.append(replaced.question.key)
        clock.advance(hours=23)
    assert clock.now() - first_day < timedelta(days=60)
    assert sorted(seen[: len(light)]) == sorted(light)  # every light question once
    assert seen[len(light) : len(light) + 5] == seen[:5]  # then the oldest come back


def test_readme_states_the_depths_of_the_bank() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    count = Counter(q.depth for q in CHECKIN_QUESTIONS)
    stated = (
        f"{len(CHECKIN_QUESTIONS)} check-in questions — {count[Depth.LIGHT]} light, "
        f"{count[Depth.MEDIUM]} medium, {count[Depth.DEEP]} deep —"
    )
    assert stated in " ".join(readme.split())
    assert f"all {count[Depth.LIGHT]} light" in " ".join(readme.split())
    assert f"first {depth.LIGHT_START.days} days" in " ".join(readme.split())
