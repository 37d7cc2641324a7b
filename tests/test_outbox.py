"""The outbox's promises: a claimed row is sent by one process at a time; a process that dies
loses nothing it had not started, and what it had started is never sent twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.db import Database
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox
from tests.couples import Pair, make_couple

GRACE = timedelta(hours=2)


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    return await make_couple(db, clock, 101, 102)


async def add(db: Database, clock: FakeClock, user_id: int, ritual: str = "checkin") -> list[int]:
    wanted = outbox.PromptWanted(
        user_id, ritual, date(2026, 6, 8), clock.now(), clock.now() + GRACE
    )
    async with db.transaction() as s:
        return await outbox.add_prompts(s, [wanted], clock.now())


async def claim(db: Database, clock: FakeClock, worker: str, limit: int = 10) -> list[int]:
    async with db.transaction() as s:
        return [c.id for c in await outbox.claim(s, worker, clock.now(), limit)]


async def status_of(db: Database, row_id: int) -> tuple[str, str | None]:
    async with db.transaction() as s:
        row = await s.get(OutboxMessage, row_id)
        assert row is not None
        return row.status, row.claimed_by


async def test_a_prompt_is_recorded_once_per_user_ritual_and_day(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    first = await add(db, clock, pair.a)
    assert len(first) == 1
    assert await add(db, clock, pair.a) == []  # the same day again: nothing new
    assert len(await add(db, clock, pair.a, "appreciation")) == 1


async def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    (row,) = await add(db, clock, pair.a)
    assert await claim(db, clock, "one") == [row]
    assert await claim(db, clock, "two") == []
    clock.advance(outbox.LEASE + timedelta(seconds=1))  # "one" died before starting
    assert await claim(db, clock, "two") == [row]
    assert await status_of(db, row) == (OutboxStatus.CLAIMED, "two")
    async with db.transaction() as s:  # "one" comes back: it must not send any more
        assert not await outbox.start_sending(s, [row], "one", clock.now())
        assert await outbox.start_sending(s, [row], "two", clock.now())


async def test_a_row_left_sending_ends_unknown_and_is_never_claimed_again(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    (row,) = await add(db, clock, pair.a)
    await claim(db, clock, "one")
    async with db.transaction() as s:
        assert await outbox.start_sending(s, [row], "one", clock.now())
    for _ in range(3):  # whatever time passes inside the grace window
        clock.advance(outbox.LEASE + timedelta(seconds=1))
        assert await claim(db, clock, "two") == []
    async with db.transaction() as s:
        closed = await outbox.close_expired(s, clock.now())
    assert closed == {"missed": 0, "unknown": 1}
    assert (await status_of(db, row))[0] == OutboxStatus.UNKNOWN


async def test_a_refused_row_is_retried_with_backoff_until_its_window_ends(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    (row,) = await add(db, clock, pair.a)
    waits = []
    for _ in range(4):
        claimed = await claim(db, clock, "one")
        assert claimed == [row]
        async with db.transaction() as s:
            assert await outbox.start_sending(s, [row], "one", clock.now())
            await outbox.retry_later(s, row, clock.now(), "502 Bad Gateway")
        async with db.transaction() as s:
            stored = await s.get(OutboxMessage, row)
            assert stored is not None
            waits.append(stored.next_attempt_at - clock.now())
        assert await claim(db, clock, "one") == []  # not before its time
        clock.set(stored.next_attempt_at)
    assert waits == sorted(waits) and waits[0] < waits[-1]  # growing back-off
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC) + GRACE)
    assert await claim(db, clock, "one") == []
    async with db.transaction() as s:
        assert (await outbox.close_expired(s, clock.now()))["missed"] == 1
        stored = await s.get(OutboxMessage, row)
        assert stored is not None
    assert (stored.status, stored.detail) == (OutboxStatus.MISSED, "502 Bad Gateway")


async def test_a_stored_message_keeps_its_words_only_until_it_is_done(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    async with db.transaction() as s:
        row = await outbox.add_message(
            s,
            pair.b,
            {"chat_id": 102, "parts": [{"text": "secret"}]},
            clock.now(),
            GRACE,
            author_id=pair.a,
        )
    await claim(db, clock, "one")
    async with db.transaction() as s:
        await outbox.start_sending(s, [row], "one", clock.now())
        await outbox.finish(s, [row], OutboxStatus.SENT, clock.now())
    async with db.transaction() as s:
        stored = (await s.execute(select(OutboxMessage))).scalar_one()
    assert stored.payload is None and stored.status == OutboxStatus.SENT
