"""The no-repeat promise: no prompt repeats within 60 days while unseen ones remain — per
couple for the day's check-in question (both answer the same one), per person for
appreciation prompts and date ideas (what a partner was shown does not use up yours) — and
when unseen ones run out, the one seen longest ago comes back (there is always a prompt)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FakeClock
from bot.db import Database
from bot.models import PromptShown, User
from bot.prompt_bank import APPRECIATION_PROMPTS, DATE_IDEAS
from bot.services import appreciations, checkins, dates, pairing, privacy, users
from bot.services.dates import DateAnswer
from bot.services.users import TelegramProfile
from bot.services.work import Work, begin

ANN, BEN = 1, 2
DAYS = 60


async def _couple(db: Database, clock: FakeClock) -> None:
    async with db.transaction() as s:
        ann = await users.ensure_user(s, TelegramProfile(ANN, ANN, "Ann"), clock.now())
        ben = await users.ensure_user(s, TelegramProfile(BEN, BEN, "Ben"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
        await pairing.join(s, ben, code, clock.now())


async def _user(s: AsyncSession, user_id: int) -> User:
    found = await users.get_user(s, user_id)
    assert found is not None
    return found


async def _next_idea(work: Work, user_id: int, clock: FakeClock) -> str:
    """What "Another idea" (and the week's idea) shows the user."""
    me = await users.person(work, user_id)
    assert me is not None
    return (await dates.next_idea(work, me, clock.now())).key


async def test_sixty_days_of_checkins_never_repeat_a_question(
    db: Database, clock: FakeClock
) -> None:
    await _couple(db, clock)
    seen: list[str] = []
    for day in range(DAYS):
        # Whoever starts the day's check-in picks for both: the promise is the couple's.
        first, second = (ANN, BEN) if day % 2 == 0 else (BEN, ANN)
        async with db.transaction() as s:
            started = await checkins.start(s, await _user(s, first), clock.now())
            assert started.state is checkins.StartState.NEW, day
            # The partner joins the same exchange later the same day: same question.
            clock.advance(hours=6)
            joined = await checkins.start(s, await _user(s, second), clock.now())
            assert joined.question == started.question
            # /checkin again on the same day opens nothing new.
            again = await checkins.start(s, await _user(s, first), clock.now())
            assert again.checkin.id == started.checkin.id
        seen.append(started.question.key)
        clock.advance(hours=18)
    assert len(set(seen)) == DAYS
    # Day 61 may bring back a question first seen 60 days ago, never a recent one.
    async with db.transaction() as s:
        clock.advance(timedelta(hours=1))
        nxt = await checkins.start(s, await _user(s, ANN), clock.now())
    assert nxt.question.key not in seen[1:]


async def test_appreciation_prompts_are_each_persons_own_for_sixty_days(
    db: Database, clock: FakeClock
) -> None:
    # Ann gets the day's prompt; Ben asks for one twice a day. Together they are shown more
    # prompts than the bank holds, yet neither meets one of their own again within 60 days.
    await _couple(db, clock)
    shown: dict[int, list[str]] = {ANN: [], BEN: []}
    for _day in range(DAYS):
        for person in (ANN, BEN, BEN):
            async with db.transaction() as s:
                prompt, _step = await appreciations.prompt(s, await _user(s, person), clock.now())
            shown[person].append(prompt.key)
            clock.advance(hours=1)
        clock.advance(hours=21)
    assert len(APPRECIATION_PROMPTS) < 3 * DAYS  # a shared pool would have run out
    assert len(set(shown[ANN])) == DAYS
    assert len(set(shown[BEN])) == 2 * DAYS
    # Day 61: Ann's prompt is one she has not seen for 60 days.
    async with db.transaction() as s:
        prompt, _step = await appreciations.prompt(s, await _user(s, ANN), clock.now())
    assert prompt.key not in shown[ANN][1:]


async def test_date_ideas_are_each_persons_own_and_never_run_out(
    db: Database, clock: FakeClock
) -> None:
    # Ann gets the week's idea every day; Ben taps "Another idea" twice a day: more than the
    # bank holds. Ann's never repeat; Ben meets every idea once, then the one he saw
    # longest ago comes back — never "that was every idea".
    await _couple(db, clock)
    shown: dict[int, list[str]] = {ANN: [], BEN: []}
    for _day in range(DAYS):
        for person in (ANN, BEN, BEN):
            async with begin(db) as work:
                shown[person].append(await _next_idea(work, person, clock))
            clock.advance(hours=1)
        clock.advance(hours=21)
    assert len(set(shown[ANN])) == DAYS
    bank = len(DATE_IDEAS)
    assert bank < 2 * DAYS
    assert sorted(shown[BEN][:bank]) == sorted(p.key for p in DATE_IDEAS)  # each once
    assert shown[BEN][bank:] == shown[BEN][: 2 * DAYS - bank]  # then oldest first


async def test_another_idea_is_never_one_just_proposed_to_you(
    db: Database, clock: FakeClock
) -> None:
    # Ben has seen every idea; Ann proposes the one he saw longest ago. His "Suggest another"
    # brings the next oldest: the proposal counts as seen by him.
    await _couple(db, clock)
    bens: list[str] = []
    for _ in range(len(DATE_IDEAS)):
        async with begin(db) as work:
            bens.append(await _next_idea(work, BEN, clock))
        clock.advance(minutes=1)
    async with begin(db) as work:
        ann = await users.person(work, ANN)
        assert ann is not None
        proposal = await dates.propose_idea(work, ann, bens[0], clock.now())
    clock.advance(minutes=1)
    async with begin(db) as work:
        ben = await users.person(work, BEN)
        assert ben is not None
        _answered, fresh = await dates.reply(work, ben, proposal.id, DateAnswer.SWAP, clock.now())
    assert fresh is not None
    assert fresh.key == bens[1]


def test_readme_states_the_bank_and_the_promise() -> None:
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text().split())
    assert f"{len(APPRECIATION_PROMPTS)} appreciation prompts, {len(DATE_IDEAS)} date ideas" in (
        readme
    )
    assert "per person for appreciation prompts and date ideas" in readme


async def test_what_a_person_was_shown_is_erased_with_them(db: Database, clock: FakeClock) -> None:
    await _couple(db, clock)
    async with db.transaction() as s:
        for person in (ANN, BEN):
            await appreciations.prompt(s, await _user(s, person), clock.now())
            await dates.suggest(s, await _user(s, person), clock.now())
    async with db.transaction() as s:
        await privacy.delete_everything(s, await _user(s, ANN), clock.now())
    async with db.transaction() as s:
        left = (await s.execute(select(PromptShown.user_id))).scalars().all()
    assert sorted(left) == [BEN, BEN]


async def test_a_persons_prompts_follow_them_into_a_new_pairing(
    db: Database, clock: FakeClock
) -> None:
    await _couple(db, clock)
    seen: set[str] = set()
    for _ in range(len(APPRECIATION_PROMPTS) - 3):
        async with db.transaction() as s:
            seen.add((await appreciations.prompt(s, await _user(s, ANN), clock.now()))[0].key)
        clock.advance(minutes=1)
    async with db.transaction() as s:
        ann = await _user(s, ANN)
        await pairing.unpair(s, ann, clock.now())
        cleo = await users.ensure_user(s, TelegramProfile(3, 3, "Cleo"), clock.now())
        code = (await pairing.create_invite(s, ann, clock.now())).code
        await pairing.join(s, cleo, code, clock.now())
    later: list[str] = []
    for _ in range(3):
        clock.advance(minutes=1)
        async with db.transaction() as s:
            later.append((await appreciations.prompt(s, await _user(s, ANN), clock.now()))[0].key)
    assert sorted(later) == sorted({p.key for p in APPRECIATION_PROMPTS} - seen)


async def test_prompts_shown_to_the_couple_before_the_upgrade_count_for_both(
    db: Database, clock: FakeClock
) -> None:
    # Rows from before migration 0015 carry no person: nobody meets those prompts sooner.
    await _couple(db, clock)
    left = APPRECIATION_PROMPTS[-1].key
    async with db.transaction() as s:
        couple_id = (await _user(s, ANN)).couple_id
        assert couple_id is not None
        for prompt in APPRECIATION_PROMPTS[:-1]:
            s.add(PromptShown(couple_id=couple_id, prompt_key=prompt.key, shown_at=clock.now()))
    clock.advance(days=1)
    async with db.transaction() as s:
        for person in (ANN, BEN):
            prompt, _step = await appreciations.prompt(s, await _user(s, person), clock.now())
            assert prompt.key == left
