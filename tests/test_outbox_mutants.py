"""The outbox's accounting, at the edges: a tap sends only its own rows, a batch takes the
earliest due first and no more than its size, a row is started once, each start counts one
attempt, a row left sending ends unknown exactly one lease after its start, and nothing
delivered is ever re-labelled (each kills mutants of bot/services/outbox.py that the other
tests let survive)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.db import Database
from bot.models import OutboxMessage, OutboxStatus
from bot.services import outbox
from tests.couples import Pair, make_couple

GRACE = timedelta(hours=2)
DAY = date(2026, 6, 8)


@pytest.fixture
async def pair(db: Database, clock: FakeClock) -> Pair:
    clock.set(datetime(2026, 6, 8, 18, 0, tzinfo=UTC))
    return await make_couple(db, clock, 101, 102)


async def prompt(
    db: Database, clock: FakeClock, user_id: int, ritual: str, at: datetime | None = None
) -> int:
    scheduled = at or clock.now()
    wanted = outbox.PromptWanted(user_id, ritual, DAY, scheduled, scheduled + GRACE)
    async with db.transaction() as s:
        (row,) = await outbox.add_prompts(s, [wanted], clock.now())
    return row


async def message(db: Database, clock: FakeClock, user_id: int, words: str) -> int:
    async with db.transaction() as s:
        return await outbox.add_message(s, user_id, {"text": words}, clock.now(), GRACE)


async def claim(
    db: Database, clock: FakeClock, worker: str, limit: int = 10, ids: list[int] | None = None
) -> list[outbox.Claimed]:
    async with db.transaction() as s:
        return await outbox.claim(s, worker, clock.now(), limit, ids=ids)


async def start(db: Database, clock: FakeClock, row: int, worker: str) -> bool:
    async with db.transaction() as s:
        return row in await outbox.start_sending(s, [row], worker, clock.now())


async def stored(db: Database, row: int) -> OutboxMessage:
    async with db.transaction() as s:
        found = await s.get(OutboxMessage, row)
        assert found is not None
        return found


async def close(db: Database, clock: FakeClock) -> dict[str, int]:
    async with db.transaction() as s:
        return await outbox.close_expired(s, clock.now())


async def test_a_tap_sends_only_the_rows_it_queued(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    """`drain(ids=...)` (a handler sending what it just queued) claims those rows only, not
    everything else that is due."""
    other = await prompt(db, clock, pair.a, "checkin")
    mine = await message(db, clock, pair.b, "thank you")
    assert [c.id for c in await claim(db, clock, "one", ids=[mine])] == [mine]
    assert (await stored(db, other)).status == OutboxStatus.PENDING
    assert await claim(db, clock, "one", ids=[mine]) == []


async def test_a_batch_takes_no_more_than_its_size_earliest_due_first(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    later = await prompt(db, clock, pair.a, "checkin")
    earlier = await prompt(db, clock, pair.b, "checkin", at=clock.now() - timedelta(minutes=30))
    tie_first = await prompt(db, clock, pair.a, "appreciation")
    tie_second = await prompt(db, clock, pair.b, "appreciation")
    taken = [[c.id for c in await claim(db, clock, "one", limit=1)] for _ in range(4)]
    assert taken == [[earlier], [later], [tie_first], [tie_second]]
    assert await claim(db, clock, "one", limit=1) == []


async def test_a_claim_hands_the_sender_the_row_as_it_was_queued(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    queued_at = clock.now()
    ritual = await prompt(db, clock, pair.a, "checkin")
    words = await message(db, clock, pair.b, "see you tonight")
    for row in (ritual, words):
        await claim(db, clock, "one", ids=[row])
        assert await start(db, clock, row, "one")
        async with db.transaction() as s:
            await outbox.retry_later(s, row, clock.now(), "502", delay=timedelta(0))
    claimed = {c.id: c for c in await claim(db, clock, "two")}
    assert claimed[ritual] == outbox.Claimed(
        ritual, pair.a, "checkin", DAY, queued_at, None, attempts=1
    )
    assert claimed[words] == outbox.Claimed(
        words, pair.b, None, None, queued_at, '{"text": "see you tonight"}', attempts=1
    )


async def test_a_row_is_started_once_even_by_the_process_that_holds_it(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    row = await prompt(db, clock, pair.a, "checkin")
    await claim(db, clock, "one")
    assert await start(db, clock, row, "one")
    assert not await start(db, clock, row, "one")  # a second call would be a second send
    async with db.transaction() as s:
        await outbox.finish(s, [row], OutboxStatus.SENT, clock.now())
    assert not await start(db, clock, row, "one")
    assert ((await stored(db, row)).status, (await stored(db, row)).attempts) == (
        OutboxStatus.SENT,
        1,
    )


async def test_each_start_counts_one_attempt_and_retries_back_off_from_five_seconds(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    row = await prompt(db, clock, pair.a, "checkin")
    waits = []
    for attempt in (1, 2, 3):
        assert [c.id for c in await claim(db, clock, "one")] == [row]
        assert await start(db, clock, row, "one")
        async with db.transaction() as s:
            await outbox.retry_later(s, row, clock.now(), "429")
        after = await stored(db, row)
        assert after.attempts == attempt
        waits.append(after.next_attempt_at - clock.now())
        clock.set(after.next_attempt_at)
    assert waits == [timedelta(seconds=5), timedelta(seconds=10), timedelta(seconds=20)]


async def test_a_row_left_sending_ends_unknown_one_lease_after_its_send_began(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    row = await prompt(db, clock, pair.a, "checkin")
    await claim(db, clock, "one")
    clock.advance(timedelta(seconds=30))  # the claim's lease has half run out
    assert await start(db, clock, row, "one")
    began = clock.now()
    clock.set(began + outbox.LEASE - timedelta(seconds=1))
    assert await close(db, clock) == {"missed": 0, "unknown": 0}
    assert (await stored(db, row)).status == OutboxStatus.SENDING
    clock.set(began + outbox.LEASE)
    assert await close(db, clock) == {"missed": 0, "unknown": 1}
    assert (await stored(db, row)).status == OutboxStatus.UNKNOWN


async def test_what_ends_missed_or_unknown_keeps_no_words_and_no_claimant(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    never_started = await message(db, clock, pair.a, "words for Ann")
    left_sending = await message(db, clock, pair.b, "words for Ben")
    await claim(db, clock, "one")
    assert await start(db, clock, left_sending, "one")
    clock.advance(GRACE)
    assert await close(db, clock) == {"missed": 1, "unknown": 1}
    for row, status in ((never_started, OutboxStatus.MISSED), (left_sending, OutboxStatus.UNKNOWN)):
        ended = await stored(db, row)
        assert (ended.status, ended.payload, ended.claimed_by) == (status, None, None)


async def test_nothing_delivered_or_still_claimable_is_ever_relabelled(
    db: Database, clock: FakeClock, pair: Pair
) -> None:
    sent = await prompt(db, clock, pair.a, "checkin")
    failed = await prompt(db, clock, pair.b, "checkin")
    for row, status in ((sent, OutboxStatus.SENT), (failed, OutboxStatus.FAILED)):
        await claim(db, clock, "one", ids=[row])
        assert await start(db, clock, row, "one")
        async with db.transaction() as s:
            await outbox.finish(s, [row], status, clock.now())
    abandoned = await prompt(db, clock, pair.a, "appreciation")
    await claim(db, clock, "one", ids=[abandoned])  # "one" dies before starting it
    clock.advance(outbox.LEASE * 3)
    assert await close(db, clock) == {"missed": 0, "unknown": 0}
    assert [c.id for c in await claim(db, clock, "two")] == [abandoned]  # claimable again
    assert await start(db, clock, abandoned, "two")
    async with db.transaction() as s:
        await outbox.finish(s, [abandoned], OutboxStatus.SENT, clock.now())
    clock.advance(GRACE)  # every window has ended
    assert await close(db, clock) == {"missed": 0, "unknown": 0}
    statuses = [(await stored(db, row)).status for row in (sent, failed, abandoned)]
    assert statuses == [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.SENT]
