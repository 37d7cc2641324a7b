"""Where a user's words go: conversation state per open step (bot.services.conversation).

The promise: words are taken as the answer to a step only when that step is the one the user
is answering; nothing typed for a private check-in can become an appreciation relayed to the
partner."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import User
from bot.services import appreciations, checkins, conversation, requests, retention
from bot.services.conversation import Route, RouteKind, StepKind
from bot.services.exchange_errors import ExchangeError, Stale
from bot.services.requests import RequestAnswer
from tests.couples import Pair, make_couple


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 101, 102)


@pytest.fixture
async def other_pair(db: Database, clock: FakeClock) -> Pair:
    return await make_couple(db, clock, 201, 202)


async def route(db: Database, clock: FakeClock, user_id: int, text: str | None, **kw: int) -> Route:
    async with db.transaction() as s:
        return await conversation.route_text(s, user_id, text, clock.now(), **kw)


async def appreciation_prompt(db: Database, clock: FakeClock, user_id: int) -> conversation.Step:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        _prompt, step = await appreciations.prompt(s, user, clock.now())
        return step


async def start_checkin(db: Database, clock: FakeClock, user_id: int) -> checkins.Started:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return await checkins.start(s, user, clock.now())


async def tap_mood(db: Database, clock: FakeClock, user_id: int, checkin_id: int) -> None:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        await checkins.set_mood(s, user, checkin_id, 4, clock.now())


async def test_nothing_open_gets_a_hint(db: Database, clock: FakeClock, pair: Pair) -> None:
    assert (await route(db, clock, pair.a, "hello")) == Route(RouteKind.HINT)


async def test_one_open_words_step_takes_the_text(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    step = await appreciation_prompt(db, clock, pair.a)
    found = await route(db, clock, pair.a, "you made my day")
    assert found.kind is RouteKind.TAKE and found.step == step


async def test_text_while_choosing_a_mood_goes_nowhere_even_with_an_older_open_step(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """The reproduced bug: the noon appreciation prompt was still open when the check-in
    began; words typed at the mood step went to the partner as an appreciation."""
    await appreciation_prompt(db, clock, pair.a)
    clock.advance(timedelta(hours=8))
    started = await start_checkin(db, clock, pair.a)
    found = await route(db, clock, pair.a, "my private answer")
    assert found.kind is RouteKind.HINT
    assert found.step is not None and found.step.kind is StepKind.CHECKIN_MOOD
    assert found.step.ref_id == started.checkin.id


async def test_two_open_words_steps_are_asked_about_and_the_words_held(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    appreciation = await appreciation_prompt(db, clock, pair.a)
    clock.advance(timedelta(hours=8))
    started = await start_checkin(db, clock, pair.a)
    await tap_mood(db, clock, pair.a, started.checkin.id)
    found = await route(db, clock, pair.a, "my private answer")
    assert found.kind is RouteKind.ASK and found.held_id is not None
    kinds = [s.kind for s in found.choices]
    assert kinds == [StepKind.CHECKIN_ANSWER, StepKind.APPRECIATION]  # newest first
    answer_step = found.choices[0]
    async with db.transaction() as s:
        text, step = await conversation.take_held(
            s, pair.a, found.held_id, answer_step.id, clock.now()
        )
    assert (text, step) == ("my private answer", answer_step)
    # The held words are gone after one use; the appreciation step is untouched.
    async with db.transaction() as s:
        with pytest.raises(ExchangeError) as again:
            await conversation.take_held(s, pair.a, found.held_id, appreciation.id, clock.now())
    assert again.value.reason is Stale.NOT_YOURS


async def test_a_reply_follows_the_prompt_it_answers(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    appreciation = await appreciation_prompt(db, clock, pair.a)
    async with db.transaction() as s:
        await conversation.remember_prompt(s, appreciation.id, 555)
    started = await start_checkin(db, clock, pair.a)
    await tap_mood(db, clock, pair.a, started.checkin.id)
    found = await route(db, clock, pair.a, "thank you for Sunday", reply_to=555)
    assert found.kind is RouteKind.TAKE and found.step == appreciation


async def test_a_reply_to_a_message_that_waits_for_nothing_never_guesses(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await appreciation_prompt(db, clock, pair.a)
    found = await route(db, clock, pair.a, "aww", reply_to=999)
    assert found.kind is RouteKind.ASK  # even with a single open step: the user chooses
    async with db.transaction() as s:
        await conversation.close_all(s, pair.a)
    assert (await route(db, clock, pair.a, "aww", reply_to=999)).kind is RouteKind.HINT


async def test_a_reply_to_the_mood_question_is_a_hint(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    started = await start_checkin(db, clock, pair.a)
    assert started.step is not None
    async with db.transaction() as s:
        await conversation.remember_prompt(s, started.step.id, 42)
    found = await route(db, clock, pair.a, "fine I guess", reply_to=42)
    assert found.kind is RouteKind.HINT and found.step == started.step


async def test_not_text_only_ever_gets_a_hint(db: Database, clock: FakeClock, pair: Pair) -> None:
    step = await appreciation_prompt(db, clock, pair.a)
    assert await route(db, clock, pair.a, None) == Route(RouteKind.HINT, step)


async def test_the_next_appreciation_prompt_ends_the_previous_one(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    first = await appreciation_prompt(db, clock, pair.a)
    clock.advance(timedelta(days=1))
    second = await appreciation_prompt(db, clock, pair.a)
    async with db.transaction() as s:
        live = await conversation.live_steps(s, pair.a, clock.now())
    assert live == [second] and first != second


async def test_an_unanswered_appreciation_prompt_expires(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await appreciation_prompt(db, clock, pair.a)
    clock.advance(appreciations.STEP_OPEN_FOR + timedelta(seconds=1))
    assert await route(db, clock, pair.a, "late words") == Route(RouteKind.HINT)


async def test_checkin_steps_follow_the_answer_and_close_with_the_checkin(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    started = await start_checkin(db, clock, pair.a)
    checkin_id = started.checkin.id

    async def kinds() -> list[StepKind]:
        async with db.transaction() as s:
            return [st.kind for st in await conversation.live_steps(s, pair.a, clock.now())]

    assert await kinds() == [StepKind.CHECKIN_MOOD]
    await tap_mood(db, clock, pair.a, checkin_id)
    assert await kinds() == [StepKind.CHECKIN_ANSWER]
    async with db.transaction() as s:
        user = await s.get(User, pair.a)
        assert user is not None
        await checkins.set_answer(s, user, checkin_id, "a quiet day", clock.now())
    assert await kinds() == [StepKind.CHECKIN_NEED]
    clock.advance(checkins.WINDOW + timedelta(minutes=1))
    async with db.transaction() as s:
        await checkins.close_stale(s, clock.now())
    clock.set(clock.now() - timedelta(hours=1))  # even before its expiry time: closed is closed
    assert await kinds() == []


async def test_the_reveal_closes_both_partners_steps(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    started = await start_checkin(db, clock, pair.a)
    for uid in (pair.a, pair.b):
        if uid == pair.b:
            await start_checkin(db, clock, uid)
        await tap_mood(db, clock, uid, started.checkin.id)
        async with db.transaction() as s:
            user = await s.get(User, uid)
            assert user is not None
            await checkins.set_answer(s, user, started.checkin.id, f"words of {uid}", clock.now())
            done = await checkins.set_need(s, user, started.checkin.id, None, clock.now())
    assert done.revealed
    async with db.transaction() as s:
        for uid in (pair.a, pair.b):
            assert await conversation.live_steps(s, uid, clock.now()) == []


async def test_negotiate_opens_the_counter_step_and_the_counter_closes_it(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    async with db.transaction() as s:
        asker, partner = await s.get(User, pair.a), await s.get(User, pair.b)
        assert asker is not None and partner is not None
        row = await requests.ask(s, asker, partner, "Breakfast on Saturday?", clock.now())
        _row, step = await requests.answer(s, partner, row.id, RequestAnswer.NEGOTIATE, clock.now())
    assert step is not None and step.kind is StepKind.COUNTER_PROPOSAL and step.ref_id == row.id
    found = await route(db, clock, pair.b, "Sunday instead?")
    assert found.kind is RouteKind.TAKE and found.step == step
    async with db.transaction() as s:
        partner = await s.get(User, pair.b)
        assert partner is not None
        await requests.counter(s, partner, row.id, "Sunday instead?", clock.now())
    assert await route(db, clock, pair.b, "more") == Route(RouteKind.HINT)


async def test_held_words_and_steps_of_another_user_are_refused(
    db: Database, clock: FakeClock, pair: Pair, other_pair: Pair
) -> None:
    """Forged taps with real ids of another couple: nothing is taken, nothing changes."""
    await appreciation_prompt(db, clock, pair.a)
    started = await start_checkin(db, clock, pair.a)
    await tap_mood(db, clock, pair.a, started.checkin.id)
    held = await route(db, clock, pair.a, "private words")
    assert held.held_id is not None
    theirs = await appreciation_prompt(db, clock, other_pair.a)
    for user_id, held_id, step_id in (
        (other_pair.a, held.held_id, held.choices[0].id),  # someone else's held words
        (pair.b, held.held_id, held.choices[0].id),  # the partner's forged tap
        (pair.a, held.held_id, theirs.id),  # own words into another couple's step
    ):
        async with db.transaction() as s:
            with pytest.raises(ExchangeError) as refused:
                await conversation.take_held(s, user_id, held_id, step_id, clock.now())
        assert refused.value.reason is Stale.NOT_YOURS
    async with db.transaction() as s:  # still there for its author
        text, _step = await conversation.take_held(
            s, pair.a, held.held_id, held.choices[0].id, clock.now()
        )
    assert text == "private words"


async def test_held_words_expire_unused(db: Database, clock: FakeClock, pair: Pair) -> None:
    await appreciation_prompt(db, clock, pair.a)
    held = await route(db, clock, pair.a, "words", reply_to=1)
    assert held.held_id is not None
    clock.advance(conversation.HELD_FOR + timedelta(seconds=1))
    async with db.transaction() as s:
        with pytest.raises(ExchangeError) as late:
            await conversation.take_held(s, pair.a, held.held_id, held.choices[0].id, clock.now())
    assert late.value.reason is Stale.CLOSED
    async with db.transaction() as s:  # the late tap deleted them
        with pytest.raises(ExchangeError) as gone:
            await conversation.take_held(s, pair.a, held.held_id, held.choices[0].id, clock.now())
    assert gone.value.reason is Stale.NOT_YOURS


async def test_housekeeping_forgets_expired_steps_and_held_words(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    await appreciation_prompt(db, clock, pair.a)
    await route(db, clock, pair.a, "words", reply_to=1)
    keep = timedelta(days=365)
    async with db.transaction() as s:
        counts = await retention.prune(s, clock.now(), keep)
    assert (counts["open_steps"], counts["held_texts"]) == (0, 0)
    clock.advance(appreciations.STEP_OPEN_FOR + timedelta(seconds=1))
    async with db.transaction() as s:
        counts = await retention.prune(s, clock.now(), keep)
    assert (counts["open_steps"], counts["held_texts"]) == (1, 1)
